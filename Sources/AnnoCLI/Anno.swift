import AnnoCore
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
      Start.self, Shell.self, Import.self, Export.self, Stats.self, SchemaCommand.self,
      Tokenize.self,
      Agree.self, Adjudicate.self, Patterns.self, Suggest.self, Check.self, Backup.self, Merge.self,
    ],
    defaultSubcommand: Start.self)

  /// Options every command takes: the database, the annotator, the schema for new databases.
  @OptionGroup public var global: GlobalOptions

  /// Creates the command (ArgumentParser fills the options).
  public init() {}
}

extension Anno {
  /// Runs the command line, first refusing a mistyped subcommand.
  ///
  /// With `start` as the default subcommand, ArgumentParser would read `anno expotr --format
  /// anno` as `start`'s arguments and answer with its usage ("Unknown option '--format'");
  /// `start` takes no positional argument, so a bare word where the subcommand goes is named
  /// as an unknown command instead, with the closest name, and the exit status is 64.
  public static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    let model = CommandModel.of(Anno.self)
    if let unknown = unknownSubcommand(in: arguments, model: model) {
      let names = (model.subcommands ?? []).map(\.commandName)
      let hint = Suggestion.closest(to: unknown, in: names).map { "; did you mean '\($0)'?" } ?? ""
      FileHandle.standardError.write(
        Data(
          "Error: unknown command '\(unknown)'\(hint)\n  See 'anno --help' for the commands.\n".utf8
        ))
      Self.exit(withError: ExitCode.validationFailure)
    }
    main(arguments)
  }

  /// The word standing where a subcommand goes when it names none, skipping options and their
  /// values (those of `anno` and of the default subcommand, which may come first).
  static func unknownSubcommand(in arguments: [String], model root: CommandModel) -> String? {
    let start = root.subcommand(Start.configuration.commandName ?? "start")
    let names = Set((root.subcommands ?? []).map(\.commandName))
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      if word == "--" { return nil }
      if word.hasPrefix("-") && word.count > 1 {
        let spelling = String(word.prefix { $0 != "=" })
        let option = root.option(spelling) ?? start?.option(spelling)
        if option?.takesValue == true && !word.contains("=") { index += 1 }
        index += 1
        continue
      }
      return names.contains(word) ? nil : word
    }
    return nil
  }
}
