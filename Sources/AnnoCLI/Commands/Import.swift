import AnnoFormats
import AnnoStore
import ArgumentParser
import Foundation

extension InputFormat: ExpressibleByArgument {}

extension Anno {
  /// `anno import`: documents and existing annotations into the database.
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Import documents and existing annotations.",
      discussion: """
        Reads .txt files and folders of them (id = path relative to the folder, without .txt), \
        JSONL documents {"id", "text", "title", "meta", "tokens"}, Anno annotation JSONL (one \
        record per document and annotator, as 'anno export' writes), Prodigy task JSONL (accepted \
        answers) and doccano JSONL. '-' reads JSONL from standard input.

        The whole import is one transaction: any invalid record is reported as FILE:LINE: message \
        and nothing is written, unless --skip-invalid is given. Re-importing the same document \
        changes nothing.
        """)

    @ParentCommand var anno: Anno

    @Argument(
      help: ArgumentHelp("Files or folders to import ('-' for standard input).", valueName: "path"))
    var paths: [String]

    @Option(help: "The input format: auto, txt, documents, anno, prodigy or doccano.")
    var format: InputFormat = .auto

    @Flag(help: "Replace stored documents whose text differs, and annotation sets that differ.")
    var replace = false

    @Flag(help: "Import the valid records and report the invalid ones, instead of refusing all.")
    var skipInvalid = false

    func run() throws {
      MemoryTuning.keepFreedMemory()
      let session = try Session(options: anno.global)
      for notice in session.notices { print(notice) }
      let inputs = try ImportInput.expand(paths, format: format)
      let importer = CorpusImporter(
        session: session, format: format, annotator: session.annotator, replace: replace,
        skipInvalid: skipInvalid,
        showsProgress: isatty(2) != 0)
      do {
        let (summary, problems) = try importer.run(inputs, source: paths.joined(separator: " "))
        print(Self.describe(summary))
        if problems > 0 {
          FileHandle.standardError.write(
            Data(
              "\(problems) problem\(problems == 1 ? "" : "s") reported; the invalid records were skipped\n"
                .utf8))
          throw ExitCode.failure
        }
      } catch is ImportAborted {
        FileHandle.standardError.write(
          Data(
            "import refused: nothing was written (fix the records above, or use --skip-invalid to import the valid ones)\n"
              .utf8))
        throw ExitCode.failure
      }
    }

    /// The one-line summary of an import.
    static func describe(_ s: ImportSummary) -> String {
      if s.changedNothing && s.recordsInvalid == 0 {
        return
          "nothing changed: \(s.documentsUnchanged) document\(s.documentsUnchanged == 1 ? "" : "s") and \(s.annotationSetsUnchanged) annotation set\(s.annotationSetsUnchanged == 1 ? "" : "s") already present"
          + (s.recordsSkipped > 0 ? "; \(s.recordsSkipped) records skipped" : "")
      }
      return
        "documents: \(s.documentsAdded) added, \(s.documentsUnchanged) unchanged, \(s.documentsReplaced) replaced; "
        + "annotation sets: \(s.annotationSetsAdded) added, \(s.annotationSetsUnchanged) unchanged, \(s.annotationSetsReplaced) replaced "
        + "(\(s.annotationsAdded) annotations added); records skipped: \(s.recordsSkipped + s.recordsInvalid)"
    }
  }
}
