import Foundation

/// What evaluating one line did.
public enum LineOutcome: Equatable, Sendable {
  /// The command ran.
  case success
  /// The command failed.
  case failure(CommandFailure)
  /// The user asked to leave.
  case quit
}

/// The read–evaluate–print loop, independent of where lines come from.
public struct ShellLoop {
  /// Failures seen (for the exit status).
  public private(set) var failures = 0

  /// Creates a loop.
  public init() {}

  /// Reads lines until the end or `quit`, evaluating each.
  ///
  /// Errors are rendered by ``CommandFailure/rendered(at:)``: interactive ones as `error:
  /// message`, scripted ones as `line N: message`, on standard error. With `strict`, the first
  /// scripted error stops the loop.
  ///
  /// - Parameters:
  ///   - editor: where lines come from.
  ///   - prompt: the prompt, recomputed before each line.
  ///   - strict: stop at the first error.
  ///   - reportError: writes an error line to standard error.
  ///   - evaluate: runs one line.
  public mutating func run(
    editor: inout some LineEditor, prompt: () -> String, strict: Bool,
    reportError: (String) -> Void,
    evaluate: (String) -> LineOutcome
  ) {
    var lineNumber = 0
    while let line = editor.readLine(prompt: editor.isInteractive ? prompt() : "") {
      lineNumber += 1
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      switch evaluate(line) {
      case .success:
        continue
      case .quit:
        return
      case .failure(let failure):
        failures += 1
        reportError(
          failure.rendered(at: editor.isInteractive ? .prompt : .script(line: lineNumber)))
        if strict && !editor.isInteractive { return }
      }
    }
  }
}
