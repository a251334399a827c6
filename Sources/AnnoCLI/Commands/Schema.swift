import AnnoCore
import AnnoStore
import ArgumentParser
import Foundation

extension Anno {
  /// `anno schema`: the label schema in force.
  struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "schema",
      abstract: "Show or replace the label schema in force.",
      subcommands: [Show.self, Load.self],
      defaultSubcommand: Show.self)

    @ParentCommand var anno: Anno

    /// `anno schema show`.
    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Print the schema in force as YAML.")
      @ParentCommand var parent: SchemaCommand

      func run() throws {
        let session = try Session(options: parent.anno.global)
        StandardStreams.print(try session.store.schemaYAML() ?? "", terminator: "")
      }
    }

    /// `anno schema load FILE`.
    struct Load: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Replace the schema in force with FILE (and the guideline .md files beside it).",
        discussion: """
          Refuses a schema that would leave existing annotations with labels, values, targets or \
          fields it no longer declares, and lists them.
          """)
      @ParentCommand var parent: SchemaCommand
      @Argument(help: ArgumentHelp("The schema YAML file.", valueName: "file")) var file: String

      func run() throws {
        let session = try Session(options: parent.anno.global)
        let source = try SchemaSource.load(path: file)
        let schema = try session.store.loadSchema(
          yaml: source.yaml, file: source.fileName, sourcePath: file, guidelines: source.guidelines)
        StandardStreams.print(
          "loaded schema '\(schema.name)' v\(schema.version): \(schema.entityLabels.count) entity labels, "
            + "\(schema.stance.targets.count) stance targets, \(schema.fields.count) document fields"
        )
      }
    }
  }
}
