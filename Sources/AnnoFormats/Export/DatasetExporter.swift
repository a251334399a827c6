import AnnoCore

/// Writes annotated documents in one export format, streaming, and publishes the output
/// atomically.
///
/// The CLI opens an exporter, feeds it one `AnnotatedDocument` at a time with the document's
/// scalars and tokens (the explicit tokenization if the document has one, else
/// `Tokenizer().tokenize`), and calls `finish()`. Memory stays flat in the number of
/// documents: each is written as it comes (buffered, flushed every 1 MiB); only stratified
/// splits remember ids (see `SplitAssigner`).
///
/// Nothing appears at the destination before `finish()` returns: files are written beside
/// their target and renamed into place, folders are built beside theirs (see `StagedFolder`
/// for when an existing folder is replaced). If `write` throws, the exporter aborts and
/// removes everything; so does `abort()`, or dropping an unfinished exporter.
///
/// ```swift
/// let exporter = try DatasetExporter(options: options, schema: schema, destination: .path("out.jsonl"))
/// for item in items {
///   let text = ScalarText(item.document.text)
///   try exporter.write(item, text: text, tokens: item.document.tokens ?? Tokenizer().tokenize(scalars: text.scalars))
/// }
/// let summary = try exporter.finish()
/// ```
public final class DatasetExporter {
  /// The options in force.
  public let options: ExportOptions
  /// The schema labels and values are declared in.
  public let schema: LabelSchema

  private let layout: OutputLayout
  private let writer: any FormatWriter
  private var assigner: SplitAssigner?
  private var summary: ExportSummary
  private var isOpen = true

  /// Opens an export.
  ///
  /// - Throws: `ExportError` when the destination cannot take this format or split (standard
  ///   output for a folder format or a split, a folder of foreign files), or cannot be created.
  public init(options: ExportOptions, schema: LabelSchema, destination: ExportDestination)
    throws(ExportError)
  {
    self.options = options
    self.schema = schema
    layout = try OutputLayout(
      format: options.format, split: options.split, destination: destination,
      replacingForeignFiles: options.replacesForeignFiles)
    let context = FormatContext(schema: schema, options: options, layout: layout)
    writer = try Self.makeWriter(context)
    assigner = options.split.map {
      SplitAssigner(spec: $0, seed: options.seed, stratified: options.stratifyBySentiment)
    }
    summary = ExportSummary(format: options.format)
  }

  deinit { abort() }

  /// Writes one document with one annotation set.
  ///
  /// - Parameters:
  ///   - item: the document and the annotation set.
  ///   - text: the document's text as scalars.
  ///   - tokens: the document's tokens (they may leave whitespace gaps; gaps become
  ///     whitespace tokens).
  /// - Throws: `ExportError.misalignedSpan` under `--misaligned error`, `spanOutsideText`,
  ///   `invalidTokens`, or `io`; the export is then aborted.
  public func write(_ item: AnnotatedDocument, text: ScalarText, tokens: [Token])
    throws(ExportError)
  {
    guard isOpen else { throw .alreadyFinished }
    do {
      let prepared = try prepare(item, text: text, tokens: tokens)
      let part = assigner?.part(forID: prepared.id, sentiment: prepared.annotations.sentiment) ?? 0
      try writer.write(prepared, part: part, summary: &summary)
      summary.documents += 1
      if let name = options.split?.parts[part].name {
        summary.documentsPerPart[name, default: 0] += 1
      }
      let counted: [AlignedSpan]
      switch options.format {
      case .csv: counted = []
      case .spacy, .spacyJSON, .hf, .conll: counted = prepared.entityLayer
      case .anno, .prodigy, .doccano, .brat: counted = prepared.entities
      }
      for span in counted { summary.spansPerLabel[span.label, default: 0] += 1 }
    } catch {
      abort()
      throw error
    }
  }

  /// Writes trailers (closing brackets, `annotation.conf`, the dataset card), publishes the
  /// output and returns what was written.
  public func finish() throws(ExportError) -> ExportSummary {
    guard isOpen else { throw .alreadyFinished }
    do {
      try writer.finish(summary: &summary)
      isOpen = false
      summary.outputs = try layout.publish()
      return summary
    } catch {
      abort()
      throw error
    }
  }

  /// Stops the export and removes everything written; nothing is published.
  public func abort() {
    isOpen = false
    layout.abort()
  }

  // MARK: - Preparation

  private func prepare(_ item: AnnotatedDocument, text: ScalarText, tokens: [Token])
    throws(ExportError) -> PreparedDocument
  {
    var set = item.annotations.restricted(to: options.kinds)
    var droppedPartialLayer = false
    if set.partialEntities, set.entities != nil, !options.format.expressesPartialEntities {
      // NB: csv writes no entities at all, so it leaves nothing out here.
      if options.format != .csv {
        summary.omitted[PreparedDocument.partialLayerOmission, default: 0] += 1
      }
      set.entities = nil
      set.partialEntities = false
      droppedPartialLayer = true
    }
    let id = item.document.externalID.rawValue
    let ranges =
      (set.entities ?? []).map(\.range) + (set.spanSentiments ?? []).map(\.range)
      + (set.stances ?? []).compactMap(\.range) + (set.notes ?? []).compactMap(\.range)
    for range in ranges where range.lowerBound < 0 || range.upperBound > text.count || range.isEmpty
    {
      throw .spanOutsideText(documentID: id, range: range, length: text.count)
    }
    var prepared = PreparedDocument(
      document: item.document, annotations: set, text: text, tokens: [])
    prepared.droppedPartialLayer = droppedPartialLayer
    guard options.format.needsTokenAlignment else {
      prepared.entities = (set.entities ?? []).map {
        AlignedSpan(start: $0.start, end: $0.end, label: $0.label, tokenStart: -1, tokenEnd: -1)
      }
      return prepared
    }
    prepared.tokens = try TokenIndex.covering(tokens, text: text, documentID: id)
    let index = TokenIndex(tokens: prepared.tokens, length: text.count)
    func place(_ range: Range<Int>, _ label: String, _ item: String) throws(ExportError)
      -> AlignedSpan?
    {
      switch index.align(range, label: label, text: text) {
      case .aligned(let span):
        return span
      case .misaligned(let problem, let expanded):
        let issue = ExportIssue(
          documentID: id, annotator: set.annotator, kind: .skippedMisaligned, item: item,
          range: range, text: text[range])
        switch options.misaligned {
        case .error:
          throw .misalignedSpan(
            documentID: id, range: range, text: text[range], label: label, problem: problem)
        case .skip:
          summary.issues.append(issue)
          return nil
        case .expand:
          guard let expanded else {
            summary.issues.append(issue)
            return nil
          }
          var widened = issue
          widened.kind = .expanded
          widened.newRange = expanded.range
          summary.issues.append(widened)
          return expanded
        }
      }
    }
    for entity in set.entities ?? [] {
      if let span = try place(entity.range, entity.label, "entity \(entity.label)") {
        prepared.entities.append(span)
      }
    }
    prepared.entities = Array(Set(prepared.entities)).sorted()
    for sentiment in set.spanSentiments ?? [] {
      if let span = try place(sentiment.range, sentiment.value, "span sentiment \(sentiment.value)")
      {
        prepared.spanSentiments.append(span)
      }
    }
    for stance in set.stances ?? [] {
      guard let range = stance.range else { continue }
      let label = "\(stance.target):\(stance.value)"
      if let span = try place(range, label, "stance \(label)") {
        prepared.anchoredStances.append((span, stance))
      }
    }
    let (kept, dropped) = prepared.entities.nonOverlapping()
    prepared.entityLayer = kept
    if options.format != .prodigy {
      for span in dropped {
        summary.issues.append(
          ExportIssue(
            documentID: id, annotator: set.annotator, kind: .overlapping,
            item: "entity \(span.label)",
            range: span.range, text: text[span.range]))
      }
    }
    return prepared
  }

  private static func makeWriter(_ context: FormatContext) throws(ExportError) -> any FormatWriter {
    switch context.options.format {
    case .anno: StreamFormatWriter(context, AnnoEncoder(schema: context.schema))
    case .spacy: StreamFormatWriter(context, SpacyEncoder(context))
    case .spacyJSON: StreamFormatWriter(context, SpacyJSONEncoder(schema: context.schema))
    case .prodigy: StreamFormatWriter(context, ProdigyEncoder(context))
    case .doccano: StreamFormatWriter(context, DoccanoEncoder(context))
    case .conll: StreamFormatWriter(context, CoNLLEncoder())
    case .csv: StreamFormatWriter(context, CSVEncoder(context))
    case .hf: try HuggingFaceWriter(context)
    case .brat: try BratWriter(context)
    }
  }
}
