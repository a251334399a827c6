import AnnoCore
import AnnoFormats
import AnnoStore
import AnnoSuggest
import Foundation

/// A refusal of a job before it writes anything, said as one sentence.
public struct JobRefusal: Error, LocalizedError, Sendable {
  /// What is wrong and what to do.
  public var message: String

  /// A refusal saying `message`.
  public init(_ message: String) { self.message = message }

  public var errorDescription: String? { message }
}

/// The export job: store → records → writer. Every selected annotation set goes through the
/// ``DatasetExporter``, document by document in the store's order, from ``DocumentStream``.
public struct ExportJob {
  /// How the export writes and what it includes.
  public var options: ExportOptions
  /// Where the records go.
  public var destination: ExportDestination
  /// Whose sets to export, or `nil` for every annotator's.
  public var annotators: [String]?
  /// The statuses of the sets to export, or `nil` for every status.
  public var statuses: Set<DocumentStatus>?
  /// Whether a progress line is drawn (on a terminal, for corpora over 5,000 documents).
  public var showsProgress = false
  /// Where the progress line goes (standard error).
  public var writeProgress: (String) -> Void = { _ in }

  /// A job exporting `annotators`' sets (`nil`: everyone's) with `statuses` (`nil`: all).
  public init(
    options: ExportOptions, destination: ExportDestination, annotators: [String]?,
    statuses: Set<DocumentStatus>?
  ) {
    self.options = options
    self.destination = destination
    self.annotators = annotators
    self.statuses = statuses
  }

  /// Refuses a gold export of finished documents only (`statuses` not `nil`) when no document
  /// has a finished gold version yet.
  public static func checkGoldIsFinished(store: Store, statuses: Set<DocumentStatus>?) throws {
    if statuses != nil, try store.goldProgress().goldDone == 0 {
      throw JobRefusal(
        "no document has a finished gold version yet; run 'anno adjudicate --auto STRATEGY' and 'review' in the shell"
      )
    }
  }

  /// Streams the selected annotation sets through the exporter and finishes it (the rename
  /// of a file or folder output).
  ///
  /// The reading thread computes each document's tokens for the formats that use them (once
  /// for all its annotators' records); this one writes the records. A document's scalars are
  /// computed by whichever thread is ahead: the reader when the writer is behind (and always
  /// when it tokenizes), else the writer.
  public func run(store: Store, schema: LabelSchema) throws -> ExportSummary {
    let exporter = try DatasetExporter(options: options, schema: schema, destination: destination)
    let total = showsProgress ? try store.documentCount() : 0
    var progress = ProgressLine(
      total: total, enabled: showsProgress && total > 5_000, label: "exporting",
      write: writeProgress)
    let needsTokens = options.format.needsTokenAlignment
    // Batches of 12 documents hold about 32 records, each with its document's text and tokens.
    try DocumentStream.run(
      store: store, annotators: annotators, statuses: statuses, batchSize: 12,
      prepare: { sets, tokenizer, consumerIsBehind -> (text: ScalarText?, tokens: [Token]) in
        let document = sets[0].document
        if needsTokens {
          let scalars = ScalarText(document.text)
          return (scalars, document.tokens ?? tokenizer.tokenize(scalars: scalars.scalars))
        }
        return (consumerIsBehind() ? ScalarText(document.text) : nil, [])
      },
      consume: { sets, prepared in
        let text = prepared.text ?? ScalarText(sets[0].document.text)
        progress.advance(by: 1)
        for item in sets { try exporter.write(item, text: text, tokens: prepared.tokens) }
      })
    progress.clear()
    return try exporter.finish()
  }

  /// Writes the documents nobody has started as Prodigy input tasks pre-annotated with
  /// suggestions (`ner.manual` input).
  public static func suggestionTasks(
    options: ExportOptions, destination: ExportDestination, store: Store, schema: LabelSchema
  ) throws -> ExportSummary {
    var options = options
    options.format = .prodigy
    options.kinds = [.entities]
    options.stratifyBySentiment = false
    options.spreadsheetSafe = false
    options.asInputTasks = true
    let exporter = try DatasetExporter(options: options, schema: schema, destination: destination)
    let engine = try SuggestionProvider.engine(store: store, schema: schema, source: .all)
    let tokenizer = Tokenizer()
    try store.forEachUnannotatedDocument { stored in
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
