import AnnoShell
import ArgumentParser

/// A command of both trees, declared once: `anno NAME …` on the command line and `NAME …` in
/// the shell parse the same arguments and options, show the same help, complete the same way
/// (completion reads the help dump) and run the same ``run(at:)``. The shell's root lists the
/// type itself; `anno` lists it as ``OnCommandLine``, which adds the global options.
protocol SharedCommand: ShellCommand {
  /// Runs the command at `place`.
  func run(at place: CommandPlace) throws
}

extension SharedCommand {
  func run(in context: ShellContext) throws { try run(at: .shell(context)) }
}

/// Where a shared command runs, and what it runs against there.
enum CommandPlace {
  /// `anno …`: the database and annotator the global options name; output on standard output.
  case commandLine(GlobalOptions)
  /// The shell: its session and study access; output through the shell (held, wrapped and
  /// paged at a terminal).
  case shell(ShellContext)

  /// The shell's context, for what only the shell does (blindness, the open document).
  var shell: ShellContext? {
    if case .shell(let context) = self { return context }
    return nil
  }

  /// The session the command runs against: opened from the global options (what opening did
  /// passed to `notices`), or the shell's.
  func session(notices: (String) -> Void = { _ in }) throws -> any AnnotationSession {
    switch self {
    case .commandLine(let global):
      let session = try Session(options: global)
      session.notices.forEach(notices)
      return session
    case .shell(let context):
      return context.session
    }
  }

  /// Writes `text`, the command's output.
  func write(_ text: String) {
    switch self {
    case .commandLine: StandardStreams.print(text, terminator: "")
    case .shell(let context): context.write(text)
    }
  }

  /// Writes one line of output.
  func say(_ line: String) { write(line + "\n") }
}

/// A shared command as `anno` runs it: the command's own arguments, options and help, with
/// the global options of `anno` (`--db`, `--annotator`, `--schema`) from the root.
struct OnCommandLine<Command: SharedCommand>: ParsableCommand {
  static var configuration: CommandConfiguration { Command.configuration }

  @ParentCommand var anno: Anno
  @OptionGroup var command: Command

  func run() throws { try command.run(at: .commandLine(anno.global)) }
}
