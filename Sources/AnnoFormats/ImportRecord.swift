import AnnoCore

/// One decoded input record: a document, possibly with one annotator's labels.
public struct ImportRecord: Sendable {
  /// The document's external id.
  public var externalID: String
  /// The text; `nil` when the record attaches to a document already stored.
  public var text: String?
  /// Optional title.
  public var title: String?
  /// Optional source.
  public var source: String?
  /// Optional metadata object.
  public var meta: [String: JSONValue]?
  /// An explicit tokenization, as scalar ranges.
  public var tokenRanges: [Range<Int>]?
  /// The labels carried by the record, if it carries any.
  public var annotations: AnnotationSet?
  /// Span texts the record claims, to be checked against the document.
  public var claims: [ClaimedText]
  /// Whether the record gave its id as a whole number (`"id": 5`, as doccano writes), which
  /// is stored as its decimal text (`"5"`); the importer says so.
  public var idWasNumber = false

  /// Creates a record.
  public init(
    externalID: String, text: String?, title: String? = nil, source: String? = nil,
    meta: [String: JSONValue]? = nil, tokenRanges: [Range<Int>]? = nil,
    annotations: AnnotationSet? = nil, claims: [ClaimedText] = []
  ) {
    self.externalID = externalID
    self.text = text
    self.title = title
    self.source = source
    self.meta = meta
    self.tokenRanges = tokenRanges
    self.annotations = annotations
    self.claims = claims
  }

  /// The document this record describes, given its text; `nil` when its tokens do not fit
  /// the text (``problems(in:schema:)`` says how).
  public func document(text: String, scalars: ScalarText) -> Document? {
    var tokens: [Token]?
    if let tokenRanges {
      guard let valid = [Token].fromRanges(tokenRanges, in: scalars.scalars) else { return nil }
      tokens = valid
    }
    return Document(
      externalID: externalID, text: text, title: title, source: source, meta: meta, tokens: tokens)
  }

  /// Problems of the record against the document's text and the schema (empty when valid).
  public func problems(in scalars: ScalarText, schema: LabelSchema) -> [String] {
    var problems: [String] = []
    // NB: SQLite receives strings as C strings, so U+0000 would silently cut them short (and
    // shift every offset after it); refuse it where it comes in.
    for (name, value) in [("id", externalID), ("text", text), ("title", title), ("source", source)]
    {
      if value?.unicodeScalars.contains("\u{0}") == true {
        problems.append("'\(name)' contains U+0000 (NUL), which cannot be stored; remove it")
      }
    }
    if let tokenRanges, let i = [Token].firstInvalidRange(tokenRanges, length: scalars.count) {
      let range = tokenRanges[i]
      problems.append(
        "tokens[\(i)]: token \(range.lowerBound)..<\(range.upperBound) must be non-empty, in order, not overlapping and inside the text (length \(scalars.count))"
      )
    }
    if let annotations {
      problems += annotations.problems(in: scalars, schema: schema, claims: claims)
    }
    return problems
  }
}

/// What a line of input turned out to be.
public enum DecodedLine: Sendable {
  /// A record to import.
  case record(ImportRecord)
  /// A record deliberately not imported (e.g. a Prodigy task answered `reject`), with why.
  case skipped(String)
}

/// The input formats `anno import` reads.
public enum InputFormat: String, Sendable, CaseIterable {
  /// Decide by file extension and, for JSONL, by each record's keys.
  case auto
  /// Plain text files; the id is the path without extension.
  case txt
  /// JSONL documents: `{"id"?, "text", "title"?, "meta"?, "tokens"?}`.
  case documents
  /// Anno's own annotation JSONL.
  case anno
  /// Prodigy task JSONL (accepted answers only).
  case prodigy
  /// doccano JSONL (sequence labelling or text classification).
  case doccano
  /// spaCy JSONL, as `anno export --format spacy` writes it (`RecordDecoder+Spacy`).
  case spacy
  /// spaCy's JSON training format, one array (`SpacyJSONReader`).
  case spacyJSON = "spacy-json"
  /// A Hugging Face dataset folder as `anno export --format hf` writes it (`HuggingFaceReader`).
  case hf
  /// CoNLL columns: IOB1, IOB2, BIOES, BILOU (`CoNLLReader`).
  case conll
  /// A brat standoff folder of `.txt` and `.ann` pairs (`BratReader`).
  case brat
  /// Document-level labels as CSV (`CSVLabelReader`).
  case csv
}

/// A problem with one input record, rendered as `message` after `FILE:LINE: `.
public struct DecodeError: Error, Hashable, Sendable {
  /// What is wrong.
  public var message: String

  /// Creates an error.
  public init(_ message: String) {
    self.message = message
  }
}
