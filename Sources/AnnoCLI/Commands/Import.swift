import AnnoFormats
import AnnoPipeline
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
        answers) and doccano JSONL, and what 'anno export' writes in every other format: spaCy \
        JSONL (spacy), spaCy's JSON array (spacy-json, .json), Hugging Face dataset folders (hf), \
        CoNLL columns in IOB1, IOB2, BIOES or BILOU (conll; .conll, .iob, .bio), brat folders of \
        .txt and .ann files (brat) and CSV document labels (csv, .csv). '-' reads JSONL from \
        standard input, or CoNLL, CSV or spaCy JSON with --format. Annotations a format carries \
        that Anno has no place for (brat relations, events...) are counted as left out.

        The whole import is one transaction: any invalid record is reported as FILE:LINE: message \
        and nothing is written, unless --skip-invalid is given. Re-importing the same document \
        changes nothing.
        """)

    @ParentCommand var anno: Anno

    @Argument(
      help: ArgumentHelp("Files or folders to import ('-' for standard input).", valueName: "path"))
    var paths: [String]

    @Option(
      help:
        "The input format: auto, txt, documents, anno, prodigy, doccano, spacy, spacy-json, hf, conll, brat or csv."
    )
    var format: InputFormat = .auto

    @Flag(help: "Replace stored documents whose text differs, and annotation sets that differ.")
    var replace = false

    @Flag(help: "Import the valid records and report the invalid ones, instead of refusing all.")
    var skipInvalid = false

    func run() throws {
      MemoryTuning.keepFreedMemory()
      let session = try Session(options: anno.global)
      for notice in session.notices { StandardStreams.print(notice) }
      let inputs = try ImportInput.expand(paths, format: format)
      var importer = CorpusImporter(
        store: session.store, schema: session.schema, format: format,
        annotator: session.annotator, replace: replace, skipInvalid: skipInvalid,
        showsProgress: isatty(2) != 0, writeError: StandardStreams.writeError)
      var leftOut = LeftOutTally()
      importer.reportLeftOut = { leftOut = $0 }
      do {
        let (summary, problems) = try importer.run(inputs, source: paths.joined(separator: " "))
        StandardStreams.print(Self.describe(summary))
        for line in leftOut.lines { StandardStreams.print(line) }
        for line in Self.describeReplacements(summary) { StandardStreams.print(line) }
        if problems > 0 {
          StandardStreams.writeError(
            "\(problems) problem\(problems == 1 ? "" : "s") reported; the invalid records were skipped\n"
          )
          throw ExitCode.failure
        }
      } catch is ImportAborted {
        StandardStreams.writeError(
          "import refused: nothing was written (fix the records above, or use --skip-invalid to import the valid ones)\n"
        )
        throw ExitCode.failure
      }
    }

    /// What `--replace` removed with each document's old text: one line per replaced document
    /// (the first few), then the totals.
    static func describeReplacements(_ s: ImportSummary) -> [String] {
      guard s.documentsReplaced > 0 else { return [] }
      func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
      var lines = s.replacements.map { r in
        "replaced '\(r.externalID)': "
          + (r.labels > 0
            ? "\(count(r.labels, "label")) of \(count(r.annotators, "annotator")) removed"
            : "no labels removed")
          + (r.goldDecisions > 0 ? ", \(count(r.goldDecisions, "gold decision")) withdrawn" : "")
          + "; \(count(r.steps, "undo step")) made on the old text no longer "
          + (r.steps == 1 ? "applies" : "apply")
      }
      if s.documentsReplaced > s.replacements.count {
        lines.append(
          "and \(s.documentsReplaced - s.replacements.count) more replaced; in all \(count(s.labelsRemovedByReplacement, "label")) removed, \(count(s.stepsInvalidatedByReplacement, "undo step")) no longer "
            + (s.stepsInvalidatedByReplacement == 1 ? "applies" : "apply"))
      }
      return lines
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
