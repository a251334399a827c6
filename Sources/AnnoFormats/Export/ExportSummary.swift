/// Something an export left out or changed, named by document, offsets and text.
public struct ExportIssue: Hashable, Sendable, CustomStringConvertible {
  /// What happened to the item.
  public enum Kind: String, Hashable, Sendable {
    /// A misaligned span left out (`--misaligned skip`, or `expand` with no token inside).
    case skippedMisaligned = "skipped (misaligned)"
    /// A misaligned span widened to token boundaries (`--misaligned expand`).
    case expanded
    /// An entity left out of a non-overlapping layer (`doc.ents`, BILUO, IOB2 tags) because
    /// a longer or earlier entity overlaps it.
    case overlapping = "left out (overlaps another entity)"
  }

  /// The document's external id.
  public var documentID: String
  /// The annotator of the set the item came from.
  public var annotator: String
  /// What happened.
  public var kind: Kind
  /// The item, as `entity PER`, `span sentiment positive`, `stance Russia:favor`, ...
  public var item: String
  /// The original range, if the item has one.
  public var range: Range<Int>?
  /// The original text of the range.
  public var text: String?
  /// The new range, for expanded spans.
  public var newRange: Range<Int>?

  /// Creates an issue.
  public init(
    documentID: String, annotator: String, kind: Kind, item: String, range: Range<Int>? = nil,
    text: String? = nil, newRange: Range<Int>? = nil
  ) {
    self.documentID = documentID
    self.annotator = annotator
    self.kind = kind
    self.item = item
    self.range = range
    self.text = text
    self.newRange = newRange
  }

  /// `document 'd1' (alice): entity PER 0..<5 "Kerry": expanded to 0..<7`.
  public var description: String {
    var out = "document '\(documentID)' (\(annotator)): \(item)"
    if let range { out += " \(range.lowerBound)..<\(range.upperBound)" }
    if let text { out += " " + ExportError.quoted(text) }
    out += ": \(kind.rawValue)"
    if let newRange { out += " to \(newRange.lowerBound)..<\(newRange.upperBound)" }
    return out
  }
}

/// What an export wrote, returned by `DatasetExporter.finish()`.
public struct ExportSummary: Hashable, Sendable {
  /// The format written.
  public var format: ExportFormat
  /// The number of annotated documents written (one per document and annotator).
  public var documents: Int = 0
  /// Documents per split part, when splitting.
  public var documentsPerPart: [String: Int] = [:]
  /// Entity spans written, by label (the non-overlapping layer for token formats).
  public var spansPerLabel: [String: Int] = [:]
  /// Items skipped, widened or left out, in the order met.
  public var issues: [ExportIssue] = []
  /// Annotations the format cannot express, counted by what they are (`document sentiment`,
  /// `anchored stance`, ...); each format's documentation says what it leaves out.
  public var omitted: [String: Int] = [:]
  /// The paths published (files or folders); empty for standard output.
  public var outputs: [String] = []

  /// Creates an empty summary.
  public init(format: ExportFormat) {
    self.format = format
  }

  /// A few lines for people: counts, then one line per issue.
  public var report: String {
    var lines = ["exported \(documents) document\(documents == 1 ? "" : "s") as \(format.rawValue)"]
    for name in documentsPerPart.keys.sorted() {
      lines.append("  \(name): \(documentsPerPart[name] ?? 0)")
    }
    if !spansPerLabel.isEmpty {
      let counts = spansPerLabel.keys.sorted().map { "\($0) \(spansPerLabel[$0] ?? 0)" }
      lines.append("spans: " + counts.joined(separator: ", "))
    }
    for what in omitted.keys.sorted() {
      lines.append(
        "not expressible in \(format.rawValue), left out: \(omitted[what] ?? 0) × \(what)")
    }
    for output in outputs { lines.append("wrote \(output)") }
    for issue in issues { lines.append(issue.description) }
    return lines.joined(separator: "\n")
  }
}
