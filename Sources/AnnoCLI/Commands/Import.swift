import AnnoCore
import AnnoFormats
import AnnoPipeline
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension InputFormat: ExpressibleByArgument {}
extension ConflictPolicy: ExpressibleByArgument {}
extension DoccanoOffsetUnit: ExpressibleByArgument {}

extension Anno {
  /// `import`: documents and existing annotations into the database.
  struct Import: SharedCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import documents and existing annotations.",
      discussion: """
        Reads .txt files and folders of them (id = path relative to the folder, without .txt), \
        JSONL documents {"id", "text", "title", "meta", "tokens"}, Anno annotation JSONL (one \
        record per document and annotator, as 'anno export' writes), Prodigy task JSONL \
        and doccano JSONL, and what 'anno export' writes in every other format: spaCy \
        JSONL (spacy), spaCy's JSON array (spacy-json, .json), Hugging Face dataset folders (hf), \
        CoNLL columns in IOB1, IOB2, BIOES or BILOU (conll; .conll, .iob, .bio), brat folders of \
        .txt and .ann files (brat) and CSV document labels (csv, .csv). '-' reads JSONL from \
        standard input, or CoNLL, CSV or spaCy JSON with --format. Prodigy tasks: accepted and \
        rejected spans (rejections are kept as rejected suggestions), classification answers, \
        tasks of one input merged; doccano: every export shape.

        The summary lists everything the input carries that Anno does not import (relations, \
        entity links, brat events...) with a count and the reason; --strict refuses the import \
        instead.

        The whole import is one transaction: any invalid record is reported as FILE:LINE: message \
        and nothing is written, unless --skip-invalid is given. Re-importing the same document \
        changes nothing.
        """)

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

    @Flag(help: "Refuse the import when the input carries annotation Anno would leave out.")
    var strict = false

    @Option(
      help: ArgumentHelp(
        "Rename labels on the way in, e.g. PERSON=PER,LOCATION=LOC.", valueName: "map"))
    var labelMap: String?

    @Flag(
      help:
        "Add entity labels the schema lacks (and, with --field, class values) to the schema in force, saying which."
    )
    var newLabels = false

    @Option(
      help: ArgumentHelp(
        "The document field that text-classification answers fill (default: the field whose values contain the label).",
        valueName: "name"))
    var field: String?

    @Option(
      help: ArgumentHelp(
        "Contradictory answers of one annotator on one input (Prodigy): error, first or last.",
        valueName: "policy"))
    var onConflict: ConflictPolicy = .error

    @Option(
      help: ArgumentHelp(
        "doccano's label file (Labels → Export), for doccano 1.x exports that give label ids.",
        valueName: "file"))
    var doccanoLabels: String?

    @Option(
      help: ArgumentHelp(
        "What doccano's offsets count: utf16 (doccano's default), codepoint (doccano 1.x) or grapheme (grapheme mode).",
        valueName: "unit"))
    var doccanoOffsets: DoccanoOffsetUnit = .utf16

    func run(at place: CommandPlace) throws {
      let context = place.shell
      if context == nil { MemoryTuning.keepFreedMemory() }
      let session = try place.session(notices: place.say)
      let inputs = try ImportInput.expand(paths, format: format)
      var importer = CorpusImporter(
        store: session.store, schema: session.schema, format: format,
        annotator: session.annotator, replace: replace, skipInvalid: skipInvalid,
        showsProgress: context == nil && isatty(2) != 0, writeError: StandardStreams.writeError)
      if let field, session.schema.field(named: field) == nil {
        throw CommandFailure(
          "--field: " + AnnotationSet.unknown("field", field, session.schema.fields.map(\.name)))
      }
      importer.decodeOptions = try decodeOptions()
      importer.onConflict = onConflict
      importer.strict = strict
      var additions: SchemaAdditions?
      if newLabels {
        // NB: the labels are found in a first pass over the inputs, so they are read twice.
        guard !paths.contains("-") else {
          throw CommandFailure(
            "--new-labels reads the input twice, which standard input cannot be; give the file by name"
          )
        }
        var inference = SchemaInference()
        var decoder = RecordDecoder(
          format: format, defaultAnnotator: session.annotator, schema: session.schema)
        decoder.options = importer.decodeOptions
        try inference.scan(inputs, decoder: decoder)
        let found = SchemaAdditions(inference, schema: session.schema, field: field)
        if !found.isEmpty {
          let yaml = try found.applied(
            to: try session.store.schemaYAML() ?? BundledGuidelines.schemaYAML,
            source: paths.joined(separator: " "))
          importer.schema = try LabelSchema(yaml: yaml)
          importer.adoptedSchema = (yaml, found.items)
          additions = found
        }
      }
      let outcome: CorpusImporter.Outcome
      do {
        outcome = try importer.runReporting(inputs, source: paths.joined(separator: " "))
      } catch is StrictRefusal {
        throw CommandFailure.afterReport(
          "import refused under --strict: the input carries annotation Anno does not import (listed above); nothing was written"
        )
      } catch is ImportAborted {
        throw CommandFailure.afterReport(
          "import refused: nothing was written (fix the records above, or use --skip-invalid to import the valid ones)"
        )
      }
      let summary = outcome.summary
      if let context {
        // The shell goes on with the schema and the texts the import left.
        if additions != nil {
          try (session as? Session)?.reloadSchema()
        }
        try context.refreshCounts()
        // A replaced text must not stay on screen for the next edit.
        if let open = context.document, let fresh = try context.store.document(id: open.id),
          fresh.document.contentHash != context.textHash
        {
          context.open(fresh)
        }
      }
      for line in additions?.lines ?? [] { place.say(line) }
      place.say(Self.describe(summary))
      for line in Self.describeMerging(summary) { place.say(line) }
      for line in outcome.notes.lines { place.say(line) }
      for line in Self.describeReplacements(summary) { place.say(line) }
      if outcome.problems > 0 {
        throw CommandFailure.afterReport(
          "\(outcome.problems) problem\(outcome.problems == 1 ? "" : "s") reported; the invalid records were skipped"
        )
      }
    }

    /// The options that change how records decode, from the command line.
    func decodeOptions() throws -> DecodeOptions {
      var options = DecodeOptions()
      options.field = field
      options.doccanoOffsets = doccanoOffsets
      if let labelMap { options.labelMap = try Self.parseLabelMap(labelMap) }
      if let doccanoLabels {
        options.doccanoLabels = try Self.readDoccanoLabels(doccanoLabels)
      }
      return options
    }

    /// `PERSON=PER,LOCATION=LOC` as a dictionary.
    static func parseLabelMap(_ text: String) throws -> [String: String] {
      var map: [String: String] = [:]
      for pair in text.split(separator: ",") {
        let parts = pair.split(separator: "=", maxSplits: 1).map {
          $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
          throw ValidationError(
            "--label-map: '\(pair)' is not FROM=TO; write e.g. --label-map PERSON=PER,LOCATION=LOC")
        }
        map[parts[0]] = parts[1]
      }
      return map
    }

    /// doccano's label file: `[{"id": 12, "text": "LOC", ...}]` (doccano's Labels → Export),
    /// or an object of ids to texts.
    static func readDoccanoLabels(_ path: String) throws -> [String: String] {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw CommandFailure.cannotRead(path: path)
      }
      let value: JSONValue
      do {
        value = try JSONParser.parse(Array(data))
      } catch {
        throw CommandFailure(
          "\(path): not JSON (\(error)); expected doccano's label file, [{\"id\": 12, \"text\": \"LOC\"}]"
        )
      }
      var labels: [String: String] = [:]
      switch value {
      case .array(let items):
        for (i, item) in items.enumerated() {
          guard let id = item["id"]?.intValue, let text = item["text"]?.stringValue else {
            throw CommandFailure(
              "\(path): item \(i + 1): expected {\"id\": NUMBER, \"text\": LABEL}, as doccano's label export writes"
            )
          }
          labels[String(id)] = text
        }
      case .object(let object):
        for (id, text) in object {
          guard let text = text.stringValue else {
            throw CommandFailure("\(path): '\(id)' must map to a label text")
          }
          labels[id] = text
        }
      default:
        throw CommandFailure(
          "\(path): expected doccano's label file, [{\"id\": 12, \"text\": \"LOC\"}], found \(value.typeName)"
        )
      }
      return labels
    }

    /// How Prodigy tasks of one input merged, and rejections kept.
    static func describeMerging(_ s: ImportSummary) -> [String] {
      var parts: [String] = []
      if s.recordsMerged > 0 {
        parts.append(
          "\(s.recordsMerged) record\(s.recordsMerged == 1 ? "" : "s") merged into an earlier record's set (same input and annotator)"
        )
      }
      if s.recordsRepeated > 0 {
        parts.append("\(s.recordsRepeated) repeating an earlier record skipped")
      }
      if s.conflictsSettled > 0 {
        parts.append(
          "\(s.conflictsSettled) contradiction\(s.conflictsSettled == 1 ? "" : "s") settled by --on-conflict"
        )
      }
      if s.rejectionsKept > 0 {
        parts.append(
          "\(s.rejectionsKept) rejected span\(s.rejectionsKept == 1 ? "" : "s") kept as rejected suggestions (not labels)"
        )
      }
      return parts.isEmpty ? [] : ["merging: " + parts.joined(separator: "; ")]
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
