import CReadline
import Foundation

/// Offers completions for the word under the cursor.
public protocol ShellCompleter: Sendable {
  /// Candidates for `word`, given the line before it; `nil` to fall back to file names.
  ///
  /// - Parameters:
  ///   - linePrefix: the line up to the word being completed (an opening quote included).
  ///   - word: the partial word.
  func completions(linePrefix: String, word: String) -> [String]?

  /// How to list `candidates` on a second Tab, one line each (`[John Kerry]PER#2 83:93`),
  /// or `nil` to list them plainly in columns.
  func listing(of candidates: [String]) -> [String]?
}

extension ShellCompleter {
  public func listing(of candidates: [String]) -> [String]? { nil }
}

/// The completer readline's C callback reaches.
///
/// NB: readline's completion hook is a C function pointer that cannot capture context, so
/// the completer lives here; `@unchecked Sendable` because the lock guards it.
final class CompletionRegistry: @unchecked Sendable {
  static let shared = CompletionRegistry()
  private let lock = NSLock()
  private var completer: (any ShellCompleter)?

  var current: (any ShellCompleter)? {
    get { lock.withLock { completer } }
    set { lock.withLock { completer = newValue } }
  }
}

/// GNU readline as a `LineEditor`: history in a file, Tab completion, Ctrl-C cancelling the
/// line, Ctrl-D ending input, `~/.inputrc` honoured with the application name `anno`.
public struct ReadlineEditor: LineEditor {
  private let historyPath: String?

  /// Sets readline up.
  ///
  /// - Parameters:
  ///   - historyPath: the history file (its folder is created), or `nil` for none.
  ///   - completer: what Tab offers.
  public init(historyPath: String?, completer: any ShellCompleter) {
    self.historyPath = historyPath
    CompletionRegistry.shared.current = completer
    anno_rl_configure("anno", annoComplete, annoListMatches)
    using_history()
    if let historyPath {
      try? FileManager.default.createDirectory(
        atPath: (historyPath as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true)
      if !FileManager.default.fileExists(atPath: historyPath) {
        _ = FileManager.default.createFile(atPath: historyPath, contents: nil)
      }
      read_history(historyPath)
    }
  }

  /// The default history file: `$XDG_STATE_HOME/anno/history`, else
  /// `~/.local/state/anno/history`.
  public static func defaultHistoryPath(environment: [String: String]) -> String? {
    if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/anno/history" }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return home + "/.local/state/anno/history"
  }

  public var isInteractive: Bool { true }

  public mutating func readLine(prompt: String) -> String? {
    guard let raw = anno_readline(prompt) else { return nil }
    defer { free(raw) }
    let line = String(cString: raw)
    if !line.allSatisfy(\.isWhitespace) {
      add_history(line)
      if let historyPath {
        append_history(1, historyPath)
        history_truncate_file(historyPath, 5000)
      }
    }
    return line
  }
}

/// readline's completion hook: asks the registered completer and hands back a malloc'd,
/// NULL-terminated list whose first entry replaces the word (one candidate, or what all have
/// in common) and whose others are listed on a second Tab.
///
/// A candidate with a space is quoted (`stance Uni⇥` → `stance "United States" `); inside an
/// open quote readline closes it after a single candidate.
private func annoComplete(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
  -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
{
  let word = text.map { String(cString: $0) } ?? ""
  let buffer = Array(String(cString: anno_rl_line_buffer()).utf8)
  let prefix = String(decoding: buffer.prefix(Int(max(0, start))), as: UTF8.self)
  guard
    let candidates = CompletionRegistry.shared.current?.completions(linePrefix: prefix, word: word)
  else {
    return nil  // fall back to file names
  }
  anno_rl_completion_done(0)
  guard !candidates.isEmpty else { return nil }
  let isQuoted = prefix.hasSuffix("\"")
  func quotedIfNeeded(_ text: String, closing: Bool) -> String {
    guard !isQuoted, text.contains(" ") else { return text }
    return "\"" + text + (closing ? "\"" : "")
  }
  let common = candidates.dropFirst().reduce(candidates[0]) { commonPrefix($0, $1) }
  // Candidates that differ in case from the word and each other share less than it: keep it.
  let replacement =
    candidates.count == 1
    ? quotedIfNeeded(candidates[0], closing: true)
    : quotedIfNeeded(common.count < word.count ? word : common, closing: false)
  let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(
    capacity: candidates.count + 2)
  list[0] = strdup(replacement)
  if candidates.count == 1 {
    list[1] = nil
  } else {
    for (i, candidate) in candidates.enumerated() { list[i + 1] = strdup(candidate) }
    list[candidates.count + 1] = nil
  }
  return list
}

/// readline's hook for listing candidates: the completer's own lines, else readline's columns.
private func annoListMatches(
  _ matches: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int32,
  _ maxLength: Int32
) {
  guard let matches else { return }
  let candidates = (1...max(1, Int(count))).compactMap { matches[$0].map { String(cString: $0) } }
  guard let lines = CompletionRegistry.shared.current?.listing(of: candidates) else {
    anno_rl_display_match_list(matches, count, maxLength)
    return
  }
  FileHandle.standardOutput.write(Data(("\n" + lines.joined(separator: "\n") + "\n").utf8))
  anno_rl_redraw()
}

private func commonPrefix(_ a: String, _ b: String) -> String {
  String(zip(a, b).prefix { $0 == $1 }.map(\.0))
}
