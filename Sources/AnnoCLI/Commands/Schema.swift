import AnnoCore
import AnnoFormats
import AnnoPipeline
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension Anno {
  /// `anno schema`: the label schema in force.
  struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "schema",
      abstract: "Show or replace the label schema in force.",
      subcommands: [Show.self, Load.self, Infer.self],
      defaultSubcommand: Show.self)

    @ParentCommand var anno: Anno

    /// `anno schema show`.
    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "show",
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
        commandName: "load",
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

    /// `anno schema infer FILE...`.
    struct Infer: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Write a schema declaring every label, class and value found in FILEs.",
        discussion: """
          Reads Prodigy, doccano and Anno JSONL as 'anno import' does and writes a schema YAML \
          with every entity label and every document class found, most frequent first, and \
          their counts as comments, for you to edit and load with 'anno schema load'. Opens no \
          database.
          """)
      @ParentCommand var parent: SchemaCommand

      @Argument(help: ArgumentHelp("JSONL files to read.", valueName: "file"))
      var files: [String]

      @Option(help: "The input format: auto, anno, prodigy or doccano.")
      var format: InputFormat = .auto

      @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
          "Write the schema to FILE instead of standard output.", valueName: "file"))
      var output: String?

      @Option(help: ArgumentHelp("Rename labels, e.g. PERSON=PER,LOCATION=LOC.", valueName: "map"))
      var labelMap: String?

      @Option(help: ArgumentHelp("Name the field the classes found go to.", valueName: "name"))
      var field: String?

      @Option(
        help: ArgumentHelp("doccano's label file, for doccano 1.x label ids.", valueName: "file"))
      var doccanoLabels: String?

      func run() throws {
        let inputs = try ImportInput.expand(files, format: format)
        var decoder = RecordDecoder(
          format: format, defaultAnnotator: "importer",
          schema: try LabelSchema(yaml: BundledGuidelines.schemaYAML))
        decoder.options.field = field
        if let labelMap { decoder.options.labelMap = try Import.parseLabelMap(labelMap) }
        if let doccanoLabels {
          decoder.options.doccanoLabels = try Import.readDoccanoLabels(doccanoLabels)
        }
        var inference = SchemaInference()
        try inference.scan(inputs, decoder: decoder)
        let yaml = inference.yaml(sources: files)
        if let output {
          if let refusal = ProtectedFiles.refusal(toWrite: output) {
            throw CommandFailure(refusal)
          }
          try Data(yaml.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
          StandardStreams.print(
            "wrote \(output): \(inference.entityLabels.count) entity labels, \(inference.classes.reduce(0) { $0 + $1.values.count }) class values from \(inference.records) records"
          )
        } else {
          StandardStreams.print(yaml, terminator: "")
        }
      }
    }
  }
}
