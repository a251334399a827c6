import AnnoFormats
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension Anno {
  /// What `anno` does with no subcommand: set up on first run, then annotate.
  struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "start",
      abstract: "Open or create the database, import Corpus/ on first run, then start the shell.",
      discussion: """
        This is what 'anno' with no subcommand runs. On a new database it loads the schema \
        (--schema, else Guidelines/schema.yaml here, else the bundled one) and imports the .txt \
        articles in ./Corpus when that folder exists.
        """)

    @ParentCommand var anno: Anno

    @Option(
      help: ArgumentHelp("The corpus folder imported into an empty database.", valueName: "path"))
    var corpus: String = "Corpus"

    @OptionGroup var shell: ShellOptions

    func run() throws {
      let session = try Session(options: anno.global)
      for notice in session.notices { print(notice) }
      if try session.store.documentCount() == 0 {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: corpus, isDirectory: &isDirectory),
          isDirectory.boolValue
        {
          let inputs = try ImportInput.expand([corpus], format: .auto)
          let importer = CorpusImporter(
            session: session, format: .auto, annotator: session.annotator, replace: false,
            skipInvalid: true,
            showsProgress: isatty(2) != 0)
          let (summary, _) = try importer.run(inputs, source: corpus)
          print("imported \(corpus)/: " + Import.describe(summary))
        } else {
          print(
            "the database is empty and there is no \(corpus)/ folder here; add documents with 'anno import PATH'"
          )
        }
      }
      if Terminal.isTerminal(0) {
        try ShellRunner.run(
          session: session, options: shell, databasePath: anno.global.databasePath)
      } else {
        // Not at a terminal (a pipe, CI): print the summary instead of reading commands.
        print(Stats.render(try session.store.statistics(), format: .text), terminator: "")
        print(
          "annotator: \(session.annotator)  database: \(anno.global.databasePath)  (run 'anno shell' to annotate)"
        )
      }
    }
  }
}
