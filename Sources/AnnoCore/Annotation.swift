/// A labelled entity mention: a half-open range of Unicode scalar offsets and a label.
public struct EntitySpan: Hashable, Sendable, Comparable {
  /// The first scalar offset.
  public var start: Int
  /// The scalar offset just past the span.
  public var end: Int
  /// The entity label, one of the schema's entity labels.
  public var label: String

  /// Creates an entity span.
  public init(start: Int, end: Int, label: String) {
    self.start = start
    self.end = end
    self.label = label
  }

  /// The span's range of scalar offsets.
  public var range: Range<Int> { start..<end }

  /// Orders spans by start, then end, then label.
  public static func < (a: EntitySpan, b: EntitySpan) -> Bool {
    (a.start, a.end, a.label) < (b.start, b.end, b.label)
  }
}

/// A sentiment value on a range of the text (which may coincide with an entity).
public struct SpanSentiment: Hashable, Sendable, Comparable {
  /// The first scalar offset.
  public var start: Int
  /// The scalar offset just past the range.
  public var end: Int
  /// A value of the schema's sentiment scale.
  public var value: String

  /// Creates a span sentiment.
  public init(start: Int, end: Int, value: String) {
    self.start = start
    self.end = end
    self.value = value
  }

  /// The range of scalar offsets.
  public var range: Range<Int> { start..<end }

  /// Orders by start, then end, then value.
  public static func < (a: SpanSentiment, b: SpanSentiment) -> Bool {
    (a.start, a.end, a.value) < (b.start, b.end, b.value)
  }
}

/// A stance toward a named target, for the whole document or anchored to a range.
public struct Stance: Hashable, Sendable, Comparable {
  /// The target (a schema target's canonical name, or an ad-hoc target).
  public var target: String
  /// A value of the schema's stance values (favor, against, neutral).
  public var value: String
  /// The anchor (a quote, a sentence), or `nil` for the document.
  public var range: Range<Int>?

  /// Creates a stance.
  public init(target: String, value: String, range: Range<Int>? = nil) {
    self.target = target
    self.value = value
    self.range = range
  }

  /// Orders document stances first, then by target, anchor and value.
  public static func < (a: Stance, b: Stance) -> Bool {
    let aKey = (a.target, a.range?.lowerBound ?? -1, a.range?.upperBound ?? -1, a.value)
    let bKey = (b.target, b.range?.lowerBound ?? -1, b.range?.upperBound ?? -1, b.value)
    return aKey < bKey
  }
}

/// A free-text note, optionally anchored to a range.
public struct Note: Hashable, Sendable, Comparable {
  /// The note's text.
  public var text: String
  /// The anchor, or `nil` for the document.
  public var range: Range<Int>?

  /// Creates a note.
  public init(text: String, range: Range<Int>? = nil) {
    self.text = text
    self.range = range
  }

  /// Orders by anchor, then text.
  public static func < (a: Note, b: Note) -> Bool {
    let aKey = (a.range?.lowerBound ?? -1, a.range?.upperBound ?? -1, a.text)
    let bKey = (b.range?.lowerBound ?? -1, b.range?.upperBound ?? -1, b.text)
    return aKey < bKey
  }
}

/// Where an annotator stands with a document.
public enum DocumentStatus: String, Hashable, Sendable, CaseIterable, Codable {
  case todo
  case inProgress = "in_progress"
  case done
  case skipped
  case flagged
}

/// Everything one annotator (or the gold version) said about one document.
///
/// A `nil` list means "not annotated"; an empty list means "annotated, none". This is the
/// shape of Anno's own JSONL record, for import and export alike.
public struct AnnotationSet: Hashable, Sendable {
  /// The annotator's name (or `gold`).
  public var annotator: String
  /// The annotator's status on the document.
  public var status: DocumentStatus
  /// Entity spans, sorted.
  public var entities: [EntitySpan]?
  /// Whether `entities` is a partial layer: spans confirmed one at a time (Prodigy's binary
  /// `ner.teach`, one proposed span per task), each right, while the rest of the text is not
  /// known to hold no entity. Exports never present such a layer as complete.
  public var partialEntities = false
  /// Span sentiments, sorted.
  public var spanSentiments: [SpanSentiment]?
  /// The document sentiment.
  public var sentiment: String?
  /// Stances, document-level and anchored, sorted.
  public var stances: [Stance]?
  /// Further document fields by name (single-valued fields).
  public var labels: [String: String]?
  /// Single-valued fields annotated with no value: the annotator looked and chose none (a
  /// Prodigy choice accepted with nothing chosen, a doccano classification with no label of
  /// the field, spaCy `cats` scoring every value of the field 0.0). "No value" is an answer,
  /// unlike a field that is absent (not annotated). A field here has no entry in `labels`.
  public var noValueFields: Set<String> = []
  /// The values of set-valued fields (declared `multiple: true`) by field name: a document
  /// may be about economy and sport at once. A field with no value is absent (an empty list
  /// is never stored); `nil` means no set-valued field was annotated.
  public var labelSets: [String: [String]]?
  /// Notes, sorted.
  public var notes: [Note]?
  /// The reason given when the document was flagged.
  public var flagReason: String?

  /// Creates an annotation set.
  public init(
    annotator: String, status: DocumentStatus = .done, entities: [EntitySpan]? = nil,
    spanSentiments: [SpanSentiment]? = nil, sentiment: String? = nil, stances: [Stance]? = nil,
    labels: [String: String]? = nil, labelSets: [String: [String]]? = nil, notes: [Note]? = nil,
    flagReason: String? = nil, partialEntities: Bool = false, noValueFields: Set<String> = []
  ) {
    self.annotator = annotator
    self.status = status
    self.entities = entities
    self.partialEntities = partialEntities && entities != nil
    self.spanSentiments = spanSentiments
    self.sentiment = sentiment
    self.stances = stances
    self.labels = labels
    self.labelSets = labelSets
    self.notes = notes
    self.flagReason = flagReason
    self.noValueFields = noValueFields
  }

  /// The same set with every list sorted, so that equal content compares equal.
  public func normalized() -> AnnotationSet {
    var copy = self
    if !noValueFields.isEmpty {
      // A field answered with no value is a field annotated: the fields' layer is there.
      let labels = labels ?? [:]
      copy.labels = labels
      copy.noValueFields = noValueFields.filter { labels[$0] == nil }
    }
    copy.entities = entities.map(Self.sortedOnce)
    copy.spanSentiments = spanSentiments.map(Self.sortedOnce)
    copy.stances = stances.map(Self.sortedOnce)
    copy.notes = notes.map(Self.sortedOnce)
    copy.labelSets = labelSets.map { sets in sets.mapValues(Self.sortedOnce) }
    return copy
  }

  /// The elements sorted, each equal element once: `Array(Set(elements)).sorted()` without
  /// hashing. The annotation types order by every stored property (a missing range as
  /// -1..<-1, which no stored range can be), so equal elements sort next to each other, and
  /// the stable sort keeps the first of them, as the set would.
  static func sortedOnce<T: Comparable>(_ elements: [T]) -> [T] {
    // NB: lists read from the store usually come strictly ascending: sorted, each once.
    if elements.indices.dropFirst().allSatisfy({ elements[$0 - 1] < elements[$0] }) {
      return elements
    }
    var sorted = elements.sorted()
    guard sorted.count > 1 else { return sorted }
    var kept = 1
    for i in 1..<sorted.count where sorted[i] != sorted[kept - 1] {
      sorted[kept] = sorted[i]
      kept += 1
    }
    sorted.removeLast(sorted.count - kept)
    return sorted
  }

  /// Whether the set carries no annotation at all (every list absent or empty).
  public var isEmpty: Bool {
    (entities ?? []).isEmpty && (spanSentiments ?? []).isEmpty && sentiment == nil
      && (stances ?? []).isEmpty && (labels ?? [:]).isEmpty && noValueFields.isEmpty
      && (notes ?? []).isEmpty
      && (labelSets ?? [:]).values.allSatisfy(\.isEmpty)
  }
}

/// A document with one annotation set, the unit that exports stream.
public struct AnnotatedDocument: Hashable, Sendable {
  /// The document.
  public var document: Document
  /// One annotator's (or the gold) labels on it.
  public var annotations: AnnotationSet

  /// Pairs a document with an annotation set.
  public init(document: Document, annotations: AnnotationSet) {
    self.document = document
    self.annotations = annotations
  }
}
