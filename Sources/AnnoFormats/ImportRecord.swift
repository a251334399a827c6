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
  /// Spans the annotator rejected (a Prodigy `"answer": "reject"`): not labels, but kept as
  /// rejected suggestions so they are not suggested to the annotator again.
  public var rejectedSpans: [EntitySpan] = []
  /// Whose rejections `rejectedSpans` are.
  public var rejectionsAnnotator: String?
  /// Whether records of the same document and annotator in one input merge into one
  /// annotation set (Prodigy: one task per span or label, many tasks per input).
  public var mergesWithSameInput = false
  /// What the record carried that is not imported, and what was skipped in it, with why.
  public var notes: [ImportNote] = []
  /// Document classes the record gave (doccano classes and cats, Prodigy textcat and choice
  /// answers), after the label map, by the field they fill (`nil`: the sentiment, or unknown
  /// when inferring a schema).
  public var classes: [(field: String?, value: String)] = []

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
      externalID: ExternalID(externalID), text: text, title: title, source: source, meta: meta,
      tokens: tokens)
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
  /// Several records from one line (one per annotator, as doccano 1.x's `user` ids give).
  case records([ImportRecord])
  /// A record deliberately not imported (e.g. a Prodigy task answered `ignore`), with why.
  case skipped(String)
}

/// Something of an input record that an import leaves out or skips, counted, with the reason.
///
/// The import summary lists every note (`466 relations: Anno has no relation layer`);
/// `--strict` refuses an import with any left-out note.
public struct ImportNote: Hashable, Sendable {
  /// Whether annotation is lost (`leftOut`) or a repeat was dropped (`skipped`).
  public enum Kind: String, Hashable, Sendable {
    /// Annotation the input carries and Anno does not import.
    case leftOut = "left out"
    /// A repeat of something imported (a duplicate task or span), or a task answered `ignore`.
    case skipped
  }

  /// Left out or skipped.
  public var kind: Kind
  /// The record's key (`relations`, `spans`, `tokens`).
  public var key: String
  /// Why, in a few words (`Anno has no relation layer`).
  public var reason: String
  /// How many items of the key.
  public var count: Int

  /// Creates a note.
  public init(_ kind: Kind, key: String, count: Int = 1, reason: String) {
    self.kind = kind
    self.key = key
    self.reason = reason
    self.count = count
  }

  /// The note as every import summary prints it, in every format:
  /// `left out: 466 × relations (Anno has no relation layer)`.
  public var line: String { "\(kind.rawValue): \(count) × \(key) (\(reason))" }
}

/// How doccano counted the offsets of a file's spans.
///
/// doccano's current annotator measures text in JavaScript's UTF-16 code units (doccano
/// issue #2290), or in grapheme clusters when the project counts "grapheme clusters as one
/// character"; doccano 1.x's exports counted code points. The three agree on text without
/// characters beyond U+FFFF.
public enum DoccanoOffsetUnit: String, Sendable, CaseIterable {
  /// UTF-16 code units (doccano's default).
  case utf16
  /// Unicode scalars (doccano 1.x, Python string indices).
  case codepoint
  /// Extended grapheme clusters (doccano's grapheme mode).
  case grapheme
}

/// Choices of `anno import` that change how records decode.
public struct DecodeOptions: Sendable {
  /// Input labels renamed on the way in (`PERSON` → `PER`), for spans and classes alike.
  public var labelMap: [String: String] = [:]
  /// The document field that text-classification answers fill, instead of the field whose
  /// declared values contain the label.
  public var field: String?
  /// doccano label ids to label texts (the project's label file), for doccano 1.x exports.
  public var doccanoLabels: [String: String]?
  /// How doccano counted its offsets.
  public var doccanoOffsets: DoccanoOffsetUnit = .utf16
  /// Reading records to infer a schema: classes are collected in `ImportRecord.classes`
  /// instead of being mapped to the schema's fields.
  public var infersSchema = false

  /// Default options.
  public init() {}

  /// The label after the label map.
  public func mapped(_ label: String) -> String { labelMap[label] ?? label }
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
