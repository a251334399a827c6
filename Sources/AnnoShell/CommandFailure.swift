import AnnoCore
import Foundation

/// A command that failed, as a value: what went wrong, the closest name to a mistyped one,
/// the usage line of a usage error and the exit status. ``rendered(at:)`` is the one place
/// that turns it into the text a user reads, on the command line (`Error: …`), at the
/// shell's prompt (`error: …`) or in a script (`line N: …`).
public struct CommandFailure: Error, LocalizedError, CustomStringConvertible, Equatable, Sendable {
  /// Where a failure is shown.
  public enum Place: Equatable, Sendable {
    /// `anno …` on the command line.
    case commandLine
    /// The shell, typed at its prompt.
    case prompt
    /// The shell, line `line` of a script or of standard input.
    case script(line: Int)
  }

  /// What went wrong, one sentence or more (continuation lines indented).
  public var message: String
  /// The one-line usage of the command, for a usage error in the shell.
  public var usage: String?
  /// The exit status of `anno` when the command ran from the command line.
  public var exitStatus: Int32
  /// Whether the failure closes a report whose lines above said what went wrong (`2 problems
  /// reported; …`): on the command line it then follows them without `Error: `.
  public var closesReport = false

  /// The message, then the usage line of a usage error: the text after `error: `.
  public var description: String { message + (usage.map { "\n  usage: \($0)" } ?? "") }

  /// The message, for ArgumentParser when the failure reaches it.
  public var errorDescription: String? { message }

  /// The exit status of a usage error (EX_USAGE).
  public static let usageStatus: Int32 = 64

  /// A failure saying `message`.
  public init(_ message: String, usage: String? = nil, exitStatus: Int32 = 1) {
    self.message = message
    self.usage = usage
    self.exitStatus = exitStatus
  }

  /// A failure closing a report whose lines above said what went wrong: `import refused:
  /// nothing was written (…)` under the invalid records.
  public static func afterReport(_ message: String) -> CommandFailure {
    var failure = CommandFailure(message)
    failure.closesReport = true
    return failure
  }

  /// A word where a command name goes that names none: `unknown command 'expotr'; did you mean
  /// 'export'?`, with where to find the commands. A usage error.
  ///
  /// - Parameters:
  ///   - typed: the word as typed, with the commands before it (`schema shw`).
  ///   - word: the word alone, matched against `names`.
  ///   - names: the commands it could have been.
  ///   - path: the commands before it, put in front of the closest name.
  ///   - seeAlso: where the commands are listed (`See 'anno --help' for the commands.`), on a
  ///     line of its own, or `nil`.
  ///   - listHint: the same, said after the message in the shell (`type 'help' for the list`).
  public static func unknownCommand(
    typed: String, word: String, names: [String], path: [String] = [], seeAlso: String? = nil,
    listHint: String? = nil
  ) -> CommandFailure {
    let hint =
      Suggestion.closest(to: word, in: names).map {
        "; did you mean '\((path + [$0]).joined(separator: " "))'?"
      } ?? ""
    var message = "unknown command '\(typed)'\(hint)"
    if let listHint { message += " (\(listHint))" }
    if let seeAlso { message += "\n  " + seeAlso }
    return CommandFailure(message, exitStatus: usageStatus)
  }

  /// The text shown for the failure at `place`, without a final newline: the message, then
  /// the usage line of a usage error.
  public func rendered(at place: Place) -> String {
    let body = description
    switch place {
    case .commandLine: return closesReport ? body : "Error: " + body
    case .prompt: return "error: " + body
    case .script(let line): return "line \(line): " + body
    }
  }
}

extension CommandFailure {
  /// The failure with `note` said after its last line (`…; cannot write to standard output`).
  public func adding(_ note: String) -> CommandFailure {
    var failure = self
    if let usage { failure.usage = usage + "; " + note } else { failure.message += "; " + note }
    return failure
  }
}
