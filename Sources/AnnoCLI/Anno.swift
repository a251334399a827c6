import ArgumentParser

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
