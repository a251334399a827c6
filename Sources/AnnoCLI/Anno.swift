import AnnoCore
import AnnoShell
import ArgumentParser
import Foundation

/// The `anno` command: a terminal-first annotation workbench.
public struct Anno: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "anno",
    abstract:
      "Annotate news articles from the terminal: entities, sentiment, stance, agreement, export.",
    discussion: """
      With no subcommand, anno opens (or creates) the database, loads the label schema, imports \
      the bundled Corpus/ on first run, and starts the annotation shell.

      Spans are [start, end) in Unicode code point offsets into the stored text, the unit \
      Python string indices use.
      """,
    version: "0.1.0",
    subcommands: [
      Start.self, Shell.self, OnCommandLine<Import>.self, OnCommandLine<Export>.self,
      OnCommandLine<Stats>.self, SchemaCommand.self, Tokenize.self,
      OnCommandLine<Agree>.self, Adjudicate.self, Assign.self, GoldItems.self, Report.self,
      Patterns.self,
      Suggest.self, Check.self, Backup.self, Merge.self, Team.self, Hub.self,
      OnCommandLine<Sync>.self,
    ],
    defaultSubcommand: Start.self)

  /// Options every command takes: the database, the annotator, the schema for new databases.
  @OptionGroup public var global: GlobalOptions

  /// Creates the command (ArgumentParser fills the options).
  public init() {}

  /// Runs the command `arguments` name, as ArgumentParser's `main(_:)` does, then checks that
  /// everything written to standard output got there: when a write failed (a full disk, a
  /// closed file), it says so and exits 1 instead of 0.
  static func run(_ arguments: [String]) {
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch {
      if exitCode(for: error) == .success {
        // --help and --version print to standard output, which may fail too.
        StandardStreams.write(fullMessage(for: error) + "\n")
      } else {
        reportOutputFailure()
        let (text, status) = CommandFailure.commandLineText(for: error)
        if let text { StandardStreams.writeError(text + "\n") }
        Foundation.exit(status)
      }
    }
    if !reportOutputFailure() { Foundation.exit(ExitCode.failure.rawValue) }
  }

  /// Flushes standard output; when a write to it failed, says so on standard error (unless
  /// the shell did already) and returns false.
  @discardableResult
  static func reportOutputFailure() -> Bool {
    let (succeeded, unreported) = StandardStreams.finish()
    if let unreported {
      StandardStreams.writeError(CommandFailure(unreported).rendered(at: .commandLine) + "\n")
    }
    return succeeded
  }
}

extension Anno {
  /// Runs the command line, first refusing a mistyped subcommand.
  ///
  /// With `start` as the default subcommand, ArgumentParser would read `anno expotr --format
  /// anno` as `start`'s arguments and answer with its usage ("Unknown option '--format'").
  /// A bare word where a subcommand goes (at any level: `anno schema shw`) that names none is
  /// named as an unknown command instead, with the closest name; the exit status is 64.
  public static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    // Only a command line ArgumentParser refuses is looked at (describing every command
    // takes a few milliseconds).
    if (try? parseAsRoot(arguments)) == nil,
      let unknown = unknownSubcommand(in: arguments, model: CommandModel.of(Anno.self))
    {
      let help = (["anno"] + unknown.path + ["--help"]).joined(separator: " ")
      let failure = CommandFailure.unknownCommand(
        typed: (unknown.path + [unknown.word]).joined(separator: " "), word: unknown.word,
        names: unknown.names, path: unknown.path, seeAlso: "See '\(help)' for the commands.")
      StandardStreams.writeError(failure.rendered(at: .commandLine) + "\n")
      Foundation.exit(failure.exitStatus)
    }
    run(arguments)
  }

  /// The word standing where a subcommand goes when it names none, with the subcommands
  /// before it and those it could have been; options and their values are skipped (those of
  /// each command and of its default subcommand, which may come first).
  static func unknownSubcommand(in arguments: [String], model root: CommandModel) -> (
    path: [String], word: String, names: [String]
  )? {
    var command = root
    var path: [String] = []
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      if word == "--" { return nil }
      let fallback = command.defaultSubcommand.flatMap(command.subcommand)
      if word.hasPrefix("-") && word.count > 1 {
        let spelling = String(word.prefix { $0 != "=" })
        let option = command.option(spelling) ?? fallback?.option(spelling)
        if option?.takesValue == true && !word.contains("=") { index += 1 }
        index += 1
        continue
      }
      // A command without subcommands, or whose default one takes arguments: an argument.
      guard let subcommands = command.subcommands, !subcommands.isEmpty,
        fallback?.hasPositionalArguments != true
      else { return nil }
      guard let next = command.subcommand(word) else {
        return (path, word, subcommands.map(\.commandName))
      }
      command = next
      path.append(word)
      index += 1
    }
    return nil
  }
}
