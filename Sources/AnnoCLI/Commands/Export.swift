import AnnoCore
import AnnoFormats
import AnnoPipeline
import AnnoStore
import ArgumentParser
import Foundation

extension ExportFormat: ExpressibleByArgument {}
extension MisalignedPolicy: ExpressibleByArgument {}

/// The options of `export`, shared by argv and the shell.
struct ExportArguments: ParsableArguments {
  @Option(help: "The format: anno, spacy, spacy-json, prodigy, doccano, hf, conll, brat or csv.")
  var format: ExportFormat = .anno

  @Flag(help: "Export every annotator's labels (the default; --annotator NAME exports one).")
  var all = false

  @Flag(
    help:
      "Export the adjudicated gold version (annotator 'gold'), finished documents only by default.")
  var gold = false

  @Option(help: "Which statuses to export: done (default), or a comma-separated list.")
  var status: String = "done"

  @Flag(help: "Export unfinished documents too (any status).")
  var includeUnfinished = false

  @Option(help: "Kinds to export: entities,sentiment,stance,labels (default all).")
  var kinds: String?

  @Option(
    help: ArgumentHelp("Split by document, e.g. train=0.8,dev=0.1,test=0.1.", valueName: "parts"))
  var split: String?

  @Option(help: "The seed of the split.")
  var seed: UInt64 = 0

  @Flag(help: "Stratify the split by document sentiment.")
  var stratify = false

  @Option(help: "Spans whose edges fall inside a token (token formats): error, skip or expand.")
  var misaligned: MisalignedPolicy = .error

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Write to this file or folder (atomically); standard output otherwise.", valueName: "path"))
  var out: String?

  @Flag(
    help:
      "With --format prodigy: documents nobody has started, pre-annotated with suggestions (ner.manual input)."
  )
  var suggestions = false

  @Flag(
    help:
      "Replace an earlier export folder even if it holds files that export did not write (they are deleted)."
  )
  var force = false

  @Flag(
    help:
      "With --format csv: write cells starting with =, +, -, @, tab or CR as '... (quoted), so spreadsheets never run them as formulas."
  )
  var spreadsheetSafe = false

  func validate() throws {
    _ = try statuses()
    _ = try kindSelection()
    if spreadsheetSafe && format != .csv {
      throw ValidationError("--spreadsheet-safe applies to --format csv only")
    }
  }

  func statuses() throws -> Set<DocumentStatus>? {
    if includeUnfinished { return nil }
    var result: Set<DocumentStatus> = []
    for name in status.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
      guard let status = DocumentStatus(rawValue: name) else {
        throw ValidationError(
          AnnotationSet.unknown("status", name, DocumentStatus.allCases.map(\.rawValue)))
      }
      result.insert(status)
    }
    return result
  }

  func kindSelection() throws -> Set<AnnotationKindSelection> {
    guard let kinds else { return Set(AnnotationKindSelection.allCases) }
    var result: Set<AnnotationKindSelection> = []
    for name in kinds.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
      guard let kind = AnnotationKindSelection(rawValue: name) else {
        throw ValidationError(
          AnnotationSet.unknown("kind", name, AnnotationKindSelection.allCases.map(\.rawValue)))
      }
      result.insert(kind)
    }
    return result
  }

  /// Streams the selected annotation sets through the exporter.
  func run(in session: Session, annotator: String?, showsProgress: Bool) throws -> ExportSummary {
    if all && annotator != nil {
      throw ValidationError("give either --all or --annotator NAME, not both")
    }
    if suggestions {
      guard format == .prodigy else {
        throw ValidationError("--suggestions writes Prodigy tasks; add --format prodigy")
      }
      return try exportSuggestions(in: session, showsProgress: showsProgress)
    }
    if gold && (all || annotator != nil) {
      throw ValidationError(
        "--gold exports the adjudicated version only; leave out --all and --annotator")
    }
    if let annotator { try session.checkAnnotator(annotator) }
    if try gold && session.store.goldProgress().goldDone == 0 && !includeUnfinished {
      throw CLIError.message(
        "no document has a finished gold version yet; run 'anno adjudicate --auto STRATEGY' and 'review' in the shell"
      )
    }
    var options = ExportOptions(
      format: format, kinds: try kindSelection(), misaligned: misaligned, seed: seed,
      stratifyBySentiment: stratify)
    options.replacesForeignFiles = force
    options.spreadsheetSafe = spreadsheetSafe
    if let split {
      do { options.split = try SplitSpec(parsing: split) } catch {
        throw ValidationError(error.localizedDescription)
      }
    }
    let exporter = try DatasetExporter(
      options: options, schema: session.schema,
      destination: out.map { .path($0) } ?? .standardOutput)
    let total = showsProgress ? try session.store.documentCount() : 0
    var progress = ProgressLine(
      total: total, enabled: showsProgress && total > 5_000, label: "exporting",
      write: StandardStreams.writeError)
    let store = session.store
    // The gold version is exported by --gold (or --annotator gold), never as one more
    // annotator; nor are a team's reviewers and managers.
    let annotators =
      gold
      ? [Store.goldAnnotator]
      : try annotator.map { [$0] } ?? store.countedAnnotators()
    let statuses = try statuses()
    let needsTokens = format.needsTokenAlignment
    // One thread reads the store and computes each document's tokens for the formats that
    // use them (once for all its annotators' records); this one writes the records, in the
    // store's order. A document's scalars are computed by whichever thread is ahead: the
    // reader when the writer is behind (and always when it tokenizes), else the writer.
    var lastDocument: String?
    var text = ScalarText("")
    try OrderedHandoff<(item: AnnotatedDocument, text: ScalarText?, tokens: [Token])>.run(
      produce: { yield, consumerIsBehind in
        let tokenizer = Tokenizer()
        var lastRead: String?
        var text: ScalarText?
        var tokens: [Token] = []
        try store.forEachAnnotatedDocument(annotators: annotators, statuses: statuses) { item in
          if item.document.externalID != lastRead {
            lastRead = item.document.externalID
            if needsTokens {
              let scalars = ScalarText(item.document.text)
              text = scalars
              tokens = item.document.tokens ?? tokenizer.tokenize(scalars: scalars.scalars)
            } else {
              text = consumerIsBehind() ? ScalarText(item.document.text) : nil
            }
          }
          try yield((item, text, tokens))
        }
      },
      consume: { record in
        if record.item.document.externalID != lastDocument {
          lastDocument = record.item.document.externalID
          text = record.text ?? ScalarText(record.item.document.text)
          progress.advance(by: 1)
        }
        try exporter.write(record.item, text: text, tokens: record.tokens)
      })
    progress.clear()
    return try exporter.finish()
  }
}

extension ExportArguments {
  /// Writes documents nobody has started as Prodigy tasks pre-annotated with suggestions.
  func exportSuggestions(in session: Session, showsProgress: Bool) throws -> ExportSummary {
    var options = ExportOptions(
      format: .prodigy, kinds: [.entities], misaligned: misaligned, seed: seed)
    options.asInputTasks = true
    options.replacesForeignFiles = force
    if let split {
      do { options.split = try SplitSpec(parsing: split) } catch {
        throw ValidationError(error.localizedDescription)
      }
    }
    let exporter = try DatasetExporter(
      options: options, schema: session.schema,
      destination: out.map { .path($0) } ?? .standardOutput)
    let engine = try SuggestionProvider.engine(
      store: session.store, schema: session.schema, source: .all)
    let tokenizer = Tokenizer()
    try session.store.forEachUnannotatedDocument { stored in
      let text = ScalarText(stored.document.text)
      let tokens = stored.document.tokens ?? tokenizer.tokenize(scalars: text.scalars)
      let spans = engine?.suggestions(text: text, tokens: tokens, existing: []).map(\.span) ?? []
      let set = AnnotationSet(annotator: "suggestions", status: .todo, entities: spans)
      try exporter.write(
        AnnotatedDocument(document: stored.document, annotations: set), text: text, tokens: tokens)
    }
    return try exporter.finish()
  }
}

extension Anno {
  /// `anno export`: training data for other tools.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Export labels as training data for spaCy, Hugging Face, Prodigy, doccano, brat, CoNLL or CSV.",
      discussion: """
        Exports finished documents (--status done) of every annotator (or --annotator NAME), one record \
        per document and annotator. Offsets are code points; every JSON format says so and \
        carries each span's text. Output goes to --out (written to a temporary file or folder, \
        then renamed) or to standard output. Spans whose edges fall inside a token are an error \
        in the token formats unless --misaligned skip or expand. A summary goes to standard error.
        """)

    @ParentCommand var anno: Anno
    @OptionGroup var arguments: ExportArguments

    func run() throws {
      let session = try Session(options: anno.global)
      // The global --annotator, when given, selects whose labels to export.
      let summary = try arguments.run(
        in: session, annotator: anno.global.annotator, showsProgress: isatty(2) != 0)
      StandardStreams.writeError(summary.report + "\n")
    }
  }
}
