import AnnoCore
import AnnoFormats
import AnnoPipeline
import AnnoStore
import AnnoSuggest
import Foundation

/// What Tab offers in the shell, for every kind of argument: command names; labels, values,
/// stance targets, fields and their values; span ids; suggestion ids; annotators; document
/// ids; option names and, after an option, its values (formats after `--format`, annotators
/// after `--annotator`, comma-separated lists after `--fields`, `--labels`, ...); file names
/// where a path goes; and the words and capitalised phrases of the open document where text
/// goes (inside quotes, or after `tag LABEL`).
///
/// Candidates are plain: the line editor quotes those with a space (`"United States"`).
///
/// `@unchecked Sendable`: readline calls it from its C callback on the shell's own thread,
/// the thread the context lives on; the lock guards the document's phrases.
package final class ShellCompletion: ShellCompleter, @unchecked Sendable {
  private let lock = NSLock()
  private var phrases: [String] = []
  private var documentID: String?
  private unowned let context: ShellContext
  private let documentIDs: (String) -> [String]

  /// Describes the shell's commands; called at the first completion rather than as the shell
  /// starts (describing them is about a third of opening the shell, and a script never
  /// completes).
  private let describeCommands: () -> CommandModel
  /// The shell's commands as ArgumentParser describes them (options, their value lists).
  private lazy var commands: CommandModel = describeCommands()
  /// The command names, `exit` included.
  private lazy var names: [String] = (commands.subcommands ?? []).map(\.commandName) + ["exit"]

  /// Completion for the shell on `context`, whose commands `commands` describes.
  ///
  /// - Parameter documentIDs: the document ids starting with a prefix (for `open`, `--docs`).
  package init(
    context: ShellContext, commands: @escaping @autoclosure () -> CommandModel,
    documentIDs: @escaping (String) -> [String]
  ) {
    self.context = context
    self.describeCommands = commands
    self.documentIDs = documentIDs
  }

  /// Collects the open document's words and capitalised phrases ("Sergei Lavrov").
  package func documentOpened(id: String, text: ScalarText, tokens: [Token]) {
    lock.withLock {
      guard id != documentID else { return }
      documentID = id
      phrases = ShellCompletion.phrases(text: text, tokens: tokens)
    }
  }

  package static func phrases(text: ScalarText, tokens: [Token]) -> [String] {
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

  package func completions(linePrefix: String, word: String) -> [String]? {
    let isQuoted = linePrefix.hasSuffix("\"")
    let command = Self.lastCommand(in: isQuoted ? String(linePrefix.dropLast()) : linePrefix)
    let words = (try? WordSplitter.words(in: command)) ?? []
    func matching(_ candidates: [String]) -> [String] {
      candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted()
    }
    guard var name = words.first else { return matching(names) }
    if name == "exit" || name == "q" { name = "quit" }
    if name == "?" { name = "help" }
    let model = commands.subcommand(name)
    // The value of an option: after `--format`, or in `--format=...`.
    if !isQuoted, let last = words.last, words.count > 1, let option = model?.option(last),
      option.takesValue
    {
      return optionValues(command: name, option: last, argument: option, word: word)
    }
    if !isQuoted, word.hasPrefix("--"), let equals = word.firstIndex(of: "="),
      let option = model?.option(String(word[..<equals])), option.takesValue
    {
      let spelling = String(word[..<equals])
      return optionValues(
        command: name, option: spelling, argument: option, word: String(word[equals...].dropFirst())
      )?.map { spelling + "=" + $0 }
    }
    if name == "label", !isQuoted, words.count >= 2, !word.hasPrefix("--") {
      return labelValues(field: words[1], position: words.count, word: word)
    }
    if !isQuoted, word.hasPrefix("-") {
      return matching((model?.options ?? []).flatMap(\.spellings).filter { $0.hasPrefix("--") })
    }
    // The arguments before the word, options and their values left out.
    var arguments: [String] = []
    var skipsValue = false
    for argument in words.dropFirst() {
      if skipsValue {
        skipsValue = false
      } else if argument.hasPrefix("-") && argument.count > 1 && Int(argument) == nil {
        skipsValue = model?.option(argument)?.takesValue == true
      } else {
        arguments.append(argument)
      }
    }
    return positional(command: name, arguments: arguments, word: word, isQuoted: isQuoted)
  }

  /// The values of `label FIELD ...` at argument `position` (2 is the first value): one
  /// value for a single-valued field; for a set-valued one, `+value` for values the open
  /// document's set lacks, `-value` for those it has, and a comma-separated list of values.
  private func labelValues(field name: String, position: Int, word: String) -> [String] {
    guard
      let field = context.schema.field(named: name)
        ?? context.schema.fields.first(where: { $0.name.lowercased() == name.lowercased() })
    else { return [] }
    func matching(_ candidates: [String]) -> [String] {
      candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted()
    }
    guard field.isMultiple else { return position == 2 ? matching(field.values) : [] }
    let chosen = Set(
      ((try? context.annotations()) ?? []).filter { $0.kind == .choice && $0.target == field.name }
        .map(\.value))
    if word.hasPrefix("+") {
      return matching(field.values.filter { !chosen.contains($0) }.map { "+" + $0 })
    }
    if word.hasPrefix("-") { return matching(field.declaredOrder(chosen).map { "-" + $0 }) }
    let done = word.split(separator: ",", omittingEmptySubsequences: false).dropLast()
    let head = done.isEmpty ? "" : done.joined(separator: ",") + ","
    let last = String(word.dropFirst(head.count)).lowercased()
    return field.values.filter { $0.lowercased().hasPrefix(last) && !done.contains(Substring($0)) }
      .sorted().map { head + $0 }
  }

  /// What goes after `arguments` of `command`.
  private func positional(command: String, arguments: [String], word: String, isQuoted: Bool)
    -> [String]?
  {
    let position = arguments.count + 1
    func matching(_ candidates: [String]) -> [String] {
      candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted()
    }
    func phrasesMatching() -> [String] {
      let found = lock.withLock { phrases.filter { $0.hasPrefix(word) } }
      return Array(found.prefix(200))
    }
    /// Span ids where a span goes, or the document's phrases when the word is quoted or text.
    func spansOrPhrases() -> [String] {
      if isQuoted || !(word.isEmpty || word.hasPrefix("#") || word.first?.isNumber == true) {
        return phrasesMatching()
      }
      return spanIDs()
    }
    /// The ids not given yet, `#` or not.
    func spanIDs() -> [String] {
      let ids = ((try? context.spanReferences()) ?? []).map(\.reference)
      return ids.filter {
        ($0.hasPrefix(word) || $0.dropFirst().hasPrefix(word)) && !arguments.contains($0)
      }
    }
    let schema = context.schema
    switch (command, position) {
    case ("tag", 1): return matching(schema.entityLabels.map(\.name))
    case ("tag", _): return phrasesMatching()
    case ("untag", _): return spansOrPhrases()
    case ("extend", 1), ("sentiment", 2), ("note", 2): return spanIDs()
    case ("relabel", _):
      // Spans (one or several), then the label.
      let isSpan = word.hasPrefix("#") || word.first?.isNumber == true
      return isSpan || (word.isEmpty && position == 1)
        ? spanIDs() : matching(schema.entityLabels.map(\.name))
    case ("extend", 2): return matching(["left", "right"])
    case ("extend", 3): return matching(["+1", "-1"])
    case ("sentiment", 1): return matching(schema.sentiment.values)
    case ("stance", 1):
      return matching(
        schema.stance.targets.flatMap { [$0.name] + $0.aliases } + schema.stance.admittedTargets)
    case ("stance", 2): return matching(schema.stance.values)
    case ("stance", 3): return spansOrPhrases()
    case ("label", 1): return matching(schema.fields.map(\.name))
    case ("label", 2): return matching(schema.field(named: arguments[0])?.values ?? [])
    case ("open", 1): return documentIDs(word)
    case ("list", 1): return matching(DocumentFilter.allCases.map(\.rawValue))
    case ("show", 1): return matching(ShowMode.allCases.map(\.rawValue))
    case ("help", 1): return matching(names)
    case ("guide", 1):
      return matching(
        schema.entityLabels.map(\.name) + ["sentiment", "stance"] + schema.fields.map(\.name))
    case ("compare", 1):
      return matching(annotators().filter { $0 != context.annotator })
    case ("accept", 1):
      if context.isReviewing { return matching(reviewAnnotators()) }
      return matching(suggestionIDs() + ["all"] + schema.entityLabels.map(\.name))
    case ("reject", 1):
      return context.isReviewing ? [] : matching(suggestionIDs() + ["all"])
    case ("suggest", 1): return matching(["eval", "on", "off", "source"])
    case ("suggest", 2) where arguments.first == "source":
      return matching(SuggestionSource.allCases.map(\.rawValue))
    case ("review", 1): return matching(["off"])
    case ("import", _): return nil  // file names
    default: return []
    }
  }

  /// The values of an option: file names where a path goes (`nil`), the type's own values
  /// (`--format`), or what the database and schema hold (`--annotator`, `--fields`, ...).
  private func optionValues(
    command: String, option: String, argument: CommandModel.Argument, word: String
  ) -> [String]? {
    let schema = context.schema
    func matching(_ candidates: [String]) -> [String] {
      candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted()
    }
    /// A comma-separated list: completes the last name, keeping those before it.
    func list(_ names: [String]) -> [String] {
      let done = word.split(separator: ",", omittingEmptySubsequences: false).dropLast()
      let head = done.isEmpty ? "" : done.joined(separator: ",") + ","
      let last = String(word.dropFirst(head.count)).lowercased()
      return names.filter { $0.lowercased().hasPrefix(last) && !done.contains(Substring($0)) }
        .sorted().map { head + $0 }
    }
    switch option {
    case "--annotator": return matching(annotators())
    case "--annotators": return list(annotators().filter { $0 != Store.goldAnnotator })
    case "--labels": return list(schema.entityLabels.map(\.name))
    case "--fields":
      let targets = schema.stance.targets.map(\.name) + schema.stance.admittedTargets
      return list(
        ["sentiment", "stance", "entities", "span_sentiment", "stance_anchored"]
          + targets.map { "stance:" + $0 } + targets.map { "stance_anchored:" + $0 }
          + schema.fields.map(\.name))
    case "--kinds": return list(AnnotationKindSelection.allCases.map(\.rawValue))
    case "--status": return list(DocumentStatus.allCases.map(\.rawValue))
    case "--against": return matching([Store.goldAnnotator])
    case "--docs": return documentIDs(word)
    case "--source": return matching(SuggestionSource.allCases.map(\.rawValue))
    default:
      if let values = argument.allValues { return matching(values) }
      return argument.takesFileName ? nil : []
    }
  }

  /// Span and suggestion ids listed with what they name: spans drawn as everywhere
  /// (`[John Kerry]PER#2 83:93`), suggestions after their id (`s1  [Moscow]LOC 0:6`).
  package func listing(of candidates: [String]) -> [String]? {
    let spans = Dictionary(
      ((try? context.spanReferences()) ?? []).map { ($0.reference, $0.span) },
      uniquingKeysWith: { first, _ in first })
    let suggestions = (try? context.suggestions()) ?? []
    var lines: [String] = []
    for candidate in candidates {
      if let span = spans[candidate] {
        lines.append(context.describe(span))
      } else if candidate.hasPrefix("s"), let n = Int(candidate.dropFirst()), n >= 1,
        n <= suggestions.count
      {
        let range = suggestions[n - 1].range
        lines.append(
          "\(candidate)  [\(DisplayText.sanitized(context.text[range]))]\(suggestions[n - 1].label) "
            + "\(range.lowerBound):\(range.upperBound)")
      } else {
        return nil
      }
    }
    return lines
  }

  private func annotators() -> [String] {
    (try? context.store.annotatorNames()) ?? []
  }

  private func reviewAnnotators() -> [String] {
    guard let document = context.document else { return [] }
    return (try? context.store.review(of: document.id).annotators) ?? []
  }

  private func suggestionIDs() -> [String] {
    let count = (try? context.suggestions().count) ?? 0
    return (0..<count).map { "s\($0 + 1)" }
  }

  /// The last of `;`-separated commands: the one being typed.
  package static func lastCommand(in line: String) -> String {
    var quote: Character?
    var start = line.startIndex
    var index = line.startIndex
    while index < line.endIndex {
      let character = line[index]
      if let open = quote {
        if character == WordSplitter.closing(open) { quote = nil }
      } else if character == ";" {
        start = line.index(after: index)
      } else if WordSplitter.quotes.contains(character) {
        quote = character
      }
      index = line.index(after: index)
    }
    return String(line[start...])
  }
}
