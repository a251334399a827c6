/// The training-data and interchange formats `anno export` writes.
///
/// Offsets in every format count Unicode scalars (code points), like Python string indices.
public enum ExportFormat: String, CaseIterable, Sendable {
  /// Anno's own JSONL record (`AnnoRecord`), lossless.
  case anno
  /// spaCy-ready JSONL: `text`, `entities`, `spans` groups and `cats`.
  case spacy
  /// spaCy's v2 JSON training format, for `spacy convert`.
  case spacyJSON = "spacy-json"
  /// Prodigy task JSONL (`ner_manual` and `choice` tasks).
  case prodigy
  /// doccano JSONL (sequence labelling, or text classification without entities).
  case doccano
  /// A Hugging Face dataset folder with a dataset card.
  case hf
  /// CoNLL-2003 style IOB2 columns.
  case conll
  /// A brat standoff folder: `.txt` and `.ann` per document plus `annotation.conf`.
  case brat
  /// One CSV row per document and annotator with the document-level labels.
  case csv

  /// Whether the format writes a folder rather than a single stream.
  public var writesFolder: Bool { self == .brat || self == .hf }

  /// The extension of the format's single file (without the dot).
  public var fileExtension: String {
    switch self {
    case .anno, .spacy, .prodigy, .doccano, .hf: "jsonl"
    case .spacyJSON: "json"
    case .conll: "conll"
    case .brat: "ann"
    case .csv: "csv"
    }
  }

  /// Whether the format can say that an entity layer is partial (spans confirmed one at a
  /// time, the rest of the text unknown): `entities_partial` in `anno` and `spacy`, spaCy's
  /// missing tag `-` in `spacy-json`, binary `ner` tasks in `prodigy`. The others would
  /// present the spans as every entity of the text, so they leave such a layer out.
  public var expressesPartialEntities: Bool {
    switch self {
    case .anno, .spacy, .spacyJSON, .prodigy: true
    case .doccano, .hf, .conll, .brat, .csv: false
    }
  }

  /// Whether spans must fall on token boundaries, so that the misaligned policy applies.
  public var needsTokenAlignment: Bool {
    switch self {
    case .spacy, .spacyJSON, .prodigy, .hf, .conll: true
    case .anno, .doccano, .brat, .csv: false
    }
  }
}

/// A kind of annotation an export may include.
public enum AnnotationKindSelection: String, CaseIterable, Sendable, Hashable, Comparable {
  /// Entity spans.
  case entities
  /// Document sentiment and span sentiments.
  case sentiment
  /// Stances, document-level and anchored.
  case stance
  /// Further document fields (topic, urgency, ...).
  case labels

  /// Orders kinds as declared.
  public static func < (a: Self, b: Self) -> Bool {
    allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
  }
}

/// What to do with a span whose edges fall inside a token or on whitespace.
public enum MisalignedPolicy: String, CaseIterable, Sendable {
  /// Fail the export; nothing is published (the default).
  case error
  /// Leave the span out and list it in the summary.
  case skip
  /// Widen the span to the tokens it touches (trimming edge whitespace) and list it.
  case expand
}

/// How one export runs: the format, what it includes and how it splits.
public struct ExportOptions: Sendable {
  /// The output format.
  public var format: ExportFormat
  /// The annotation kinds to include; all by default.
  public var kinds: Set<AnnotationKindSelection>
  /// The policy for spans that do not fall on token boundaries (token-based formats).
  public var misaligned: MisalignedPolicy
  /// The split into named parts, or `nil` for one output.
  public var split: SplitSpec?
  /// The seed of the split assignment.
  public var seed: UInt64
  /// Whether to balance the split within each document-sentiment stratum.
  public var stratifyBySentiment: Bool
  /// Whether records are pre-annotated input tasks (suggestions), not accepted answers:
  /// Prodigy tasks then carry no `answer`, `_annotator_id` or `_session_id`.
  public var asInputTasks = false
  /// Whether an export folder may be replaced although it holds files that export did not
  /// write (`--force`).
  public var replacesForeignFiles = false
  /// Whether CSV cells a spreadsheet would run as formulas are neutralised (`--spreadsheet-safe`).
  public var spreadsheetSafe = false

  /// Creates options.
  public init(
    format: ExportFormat = .anno,
    kinds: Set<AnnotationKindSelection> = Set(AnnotationKindSelection.allCases),
    misaligned: MisalignedPolicy = .error, split: SplitSpec? = nil, seed: UInt64 = 0,
    stratifyBySentiment: Bool = false
  ) {
    self.format = format
    self.kinds = kinds
    self.misaligned = misaligned
    self.split = split
    self.seed = seed
    self.stratifyBySentiment = stratifyBySentiment
  }
}

/// Where an export goes.
public enum ExportDestination: Sendable, Hashable {
  /// Standard output; only for single-stream formats without a split.
  case standardOutput
  /// A file path, or a folder path for `brat`, `hf`, or a split written as a folder (a path
  /// ending in `/` or naming an existing folder).
  case path(String)
}
