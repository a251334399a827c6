import AnnoShell
import ArgumentParser

extension CommandFailure {
  /// The failure `error` stands for when a command of the tree under `root` met it: the
  /// message ArgumentParser gives (a usage error, a domain error's description) and its exit
  /// status.
  ///
  /// - Parameter usage: the command's one-line usage, for a usage error in the shell.
  init(_ error: any Error, in root: any ParsableCommand.Type, usage: String? = nil) {
    if let failure = error as? CommandFailure {
      self = failure
    } else {
      self.init(
        root.message(for: error), usage: usage.flatMap { $0.isEmpty ? nil : $0 },
        exitStatus: root.exitCode(for: error).rawValue)
    }
  }

  /// What `anno` shows on standard error for `error`, and its exit status: a command's
  /// failure as it renders itself; otherwise ArgumentParser's full message (the error, then
  /// the usage and where to find help for a usage error) as the failure rendered on the
  /// command line; `nil` when there is nothing to show (a command that reported its own
  /// errors and threw its exit status).
  static func commandLineText(for error: any Error) -> (text: String?, exitStatus: Int32) {
    if let failure = error as? CommandFailure {
      return (failure.rendered(at: .commandLine), failure.exitStatus)
    }
    let status = Anno.exitCode(for: error).rawValue
    let full = Anno.fullMessage(for: error)
    let prefix = "Error: "
    // NB: a usage error without a message (ArgumentParser's help hint alone) has no prefix.
    guard full.hasPrefix(prefix) else { return (full.isEmpty ? nil : full, status) }
    let failure = CommandFailure(String(full.dropFirst(prefix.count)), exitStatus: status)
    return (failure.rendered(at: .commandLine), status)
  }
}
