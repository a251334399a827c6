import AnnoFormats
import AnnoPipeline
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
        articles in ./Corpus when that folder exists. Commands on standard input (anno < \
        session.anno, or a pipe), --script FILE and -c 'cmd; cmd' run exactly as with 'anno \
        shell'; with empty standard input and no terminal it prints a summary.
        """)

    @ParentCommand var anno: Anno

    @Option(
      help: ArgumentHelp("The corpus folder imported into an empty database.", valueName: "path"))
    var corpus: String = "Corpus"

    @OptionGroup var shell: ShellOptions

    func run() throws {
      let session = try Session(options: anno.global)
      // Commands on standard input (anno < session.anno, a pipe) or given with --script or -c
      // run as 'anno shell' runs them; empty input, as from /dev/null, prints the summary.
      var standardInput: ScriptLines?
      var runsScript = shell.script != nil || shell.commands != nil
      if !runsScript && !Terminal.isTerminal(0) {
        var lines = ScriptLines(handle: FileHandle.standardInput)
        if lines.hasMoreInput() {
          standardInput = lines
          runsScript = true
        }
      }
      // A script's standard output is its commands' own, as with 'anno shell'.
      let report: (String) -> Void =
        runsScript
        ? { StandardStreams.writeError($0 + "\n") } : { StandardStreams.print($0) }
      for notice in session.notices { report(notice) }
      if try session.store.documentCount() == 0 {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: corpus, isDirectory: &isDirectory),
          isDirectory.boolValue
        {
          let inputs = try ImportInput.expand([corpus], format: .auto)
          let importer = CorpusImporter(
            store: session.store, schema: session.schema, format: .auto,
            annotator: session.annotator, replace: false, skipInvalid: true,
            showsProgress: isatty(2) != 0, writeError: StandardStreams.writeError)
          let (summary, _) = try importer.run(inputs, source: corpus)
          report("imported \(corpus)/: " + Import.describe(summary))
        } else {
          report(
            "the database is empty and there is no \(corpus)/ folder here; add documents with 'anno import PATH'"
          )
        }
      }
      if Terminal.isTerminal(0) || runsScript {
        try ShellRunner.run(
          session: session, options: shell, databasePath: anno.global.databasePath,
          standardInput: standardInput)
      } else {
        // Nothing to read and no terminal (CI, </dev/null): print the summary instead.
        StandardStreams.print(
          Stats.render(try session.store.statistics(), format: .text), terminator: "")
        StandardStreams.print(
          "annotator: \(session.annotator)  database: \(anno.global.databasePath)  (run 'anno shell' to annotate)"
        )
      }
    }
  }
}
