import AnnoCore
import AnnoShell
import AnnoStore
import Foundation

/// What Tab offers in the shell: commands, labels, values, targets, fields, document ids,
/// and the words and capitalised phrases of the open document inside quotes.
///
/// `@unchecked Sendable`: readline calls it from its C callback on the shell's own thread;
/// the lock guards the document's phrases, which change when a document opens.
final class ShellCompletion: ShellCompleter, @unchecked Sendable {
  private let lock = NSLock()
  private var phrases: [String] = []
  private var documentID: String?
  private let schema: LabelSchema
  private let documentIDs: @Sendable (String) -> [String]

  init(schema: LabelSchema, documentIDs: @escaping @Sendable (String) -> [String]) {
    self.schema = schema
    self.documentIDs = documentIDs
  }

  /// Collects the open document's words and capitalised phrases ("Sergei Lavrov").
  func documentOpened(id: String, text: ScalarText, tokens: [Token]) {
    lock.withLock {
      guard id != documentID else { return }
      documentID = id
      phrases = ShellCompletion.phrases(text: text, tokens: tokens)
    }
  }

  static func phrases(text: ScalarText, tokens: [Token]) -> [String] {
    var result: Set<String> = []
    var run: [String] = []
    func flush() {
      // Every tail of a run of capitalised words is a phrase: "Sergei Lavrov", "Lavrov".
      if run.count > 1 {
        for start in 0..<(run.count - 1) { result.insert(run[start...].joined(separator: " ")) }
      }
      run = []
    }
    var previousEnd = -1
    for token in tokens where !token.isSpace {
      let word = text[token.range]
      let isWord = word.unicodeScalars.first?.properties.isAlphabetic == true
      if isWord && word.unicodeScalars.count > 1 { result.insert(word) }
      let isCapitalised = word.first?.isUppercase == true && isWord
      if isCapitalised && (run.isEmpty || token.start == previousEnd + 1) {
        run.append(word)
      } else {
        flush()
        if isCapitalised { run.append(word) }
      }
      previousEnd = token.end
    }
    flush()
    return result.sorted()
  }

  func completions(linePrefix: String, word: String) -> [String]? {
    let isQuoted = linePrefix.hasSuffix("\"")
    let words =
      (try? WordSplitter.words(in: isQuoted ? String(linePrefix.dropLast()) : linePrefix)) ?? []
    func matching(_ candidates: [String]) -> [String] {
      candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted()
    }
    guard let command = words.first else { return matching(ShellCommands.names) }
    let position = words.count  // index of the word being completed
    if isQuoted || (command == "tag" && position >= 2) || (command == "untag" && position >= 1) {
      let found = lock.withLock { phrases.filter { $0.hasPrefix(word) } }
      return Array(found.prefix(200))
    }
    let targets =
      schema.stance.targets.flatMap { [$0.name] + $0.aliases } + schema.stance.admittedTargets
    switch (command, position) {
    case ("tag", 1), ("relabel", 2): return matching(schema.entityLabels.map(\.name))
    case ("sentiment", 1): return matching(schema.sentiment.values)
    case ("stance", 1): return matching(targets)
    case ("stance", 2): return matching(schema.stance.values)
    case ("label", 1): return matching(schema.fields.map(\.name))
    case ("label", 2): return matching(schema.field(named: words[1])?.values ?? [])
    case ("open", 1): return documentIDs(word)
    case ("list", 1): return matching(DocumentFilter.allCases.map(\.rawValue))
    case ("show", 1): return matching(ShowMode.allCases.map(\.rawValue))
    case ("extend", 2): return matching(["left", "right"])
    case ("help", 1): return matching(ShellCommands.names)
    case ("guide", 1):
      return matching(
        schema.entityLabels.map(\.name) + ["sentiment", "stance"] + schema.fields.map(\.name))
    case ("import", _), ("export", _): return nil  // file names
    default: return []
    }
  }
}
