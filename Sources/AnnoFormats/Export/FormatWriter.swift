import AnnoCore

/// What every format writer is given.
struct FormatContext {
  let schema: LabelSchema
  let options: ExportOptions
  let layout: OutputLayout
}

/// A format's writer, driven by `DatasetExporter`, which owns and publishes the output.
protocol FormatWriter: AnyObject {
  /// Writes one prepared document into split part `part` (0 without a split).
  func write(_ document: PreparedDocument, part: Int, summary: inout ExportSummary)
    throws(ExportError)
  /// Writes trailers and side files; the exporter publishes afterwards.
  func finish(summary: inout ExportSummary) throws(ExportError)
}

/// Encodes the records of a single-stream format.
protocol RecordEncoder {
  /// Bytes before the first record (a CSV header, `[`).
  func header(_ w: inout JSONWriter)
  /// One record, the `index`-th of its stream, appended to the buffer.
  func record(
    _ document: PreparedDocument, index: Int, _ w: inout JSONWriter, _ summary: inout ExportSummary
  ) throws(ExportError)
  /// Bytes after the last record (`]`).
  func footer(_ w: inout JSONWriter)
}

extension RecordEncoder {
  func header(_ w: inout JSONWriter) {}
  func footer(_ w: inout JSONWriter) {}
}

/// A single-stream format: one stream per split part, records appended in order.
final class StreamFormatWriter<Encoder: RecordEncoder>: FormatWriter {
  private let streams: [OutputFile]
  private let encoder: Encoder

  init(_ context: FormatContext, _ encoder: Encoder) {
    streams = context.layout.streams
    self.encoder = encoder
    for stream in streams { encoder.header(&stream.writer) }
  }

  func write(_ document: PreparedDocument, part: Int, summary: inout ExportSummary)
    throws(ExportError)
  {
    let stream = streams[part]
    try encoder.record(document, index: stream.recordCount, &stream.writer, &summary)
    stream.recordCount += 1
    try stream.flushIfNeeded()
  }

  func finish(summary: inout ExportSummary) throws(ExportError) {
    for stream in streams { encoder.footer(&stream.writer) }
  }
}

/// Shared JSON helpers for the encoders.
extension JSONWriter {
  /// Writes `[a, b, ...]` with a closure per element.
  mutating func list<T>(_ items: some Sequence<T>, _ element: (T, inout JSONWriter) -> Void) {
    byte(UInt8(ascii: "["))
    var isFirst = true
    for item in items {
      if !isFirst { byte(UInt8(ascii: ",")) }
      isFirst = false
      element(item, &self)
    }
    byte(UInt8(ascii: "]"))
  }

  /// Writes `[start,end,"label"]`.
  mutating func triple(_ start: Int, _ end: Int, _ label: String) {
    byte(UInt8(ascii: "["))
    int(start)
    byte(UInt8(ascii: ","))
    int(end)
    byte(UInt8(ascii: ","))
    string(label)
    byte(UInt8(ascii: "]"))
  }

  /// Writes a newline.
  mutating func newline() { byte(UInt8(ascii: "\n")) }
}

/// Anno's own records, through `AnnoRecord`.
struct AnnoEncoder: RecordEncoder {
  func record(
    _ document: PreparedDocument, index: Int, _ w: inout JSONWriter, _ summary: inout ExportSummary
  ) throws(ExportError) {
    let item = AnnotatedDocument(document: document.document, annotations: document.annotations)
    AnnoRecord.write(item, text: document.text, schema: schema, into: &w)
  }

  let schema: LabelSchema
}
