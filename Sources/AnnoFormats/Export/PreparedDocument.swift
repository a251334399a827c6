import AnnoCore

/// One annotated document as format writers see it: filtered to the selected kinds, with
/// covering tokens and, for token-based formats, spans placed on token boundaries.
struct PreparedDocument {
  /// The document.
  var document: Document
  /// The annotation set, keeping only the selected kinds (notes are always kept).
  var annotations: AnnotationSet
  /// The text as scalars.
  var text: ScalarText
  /// Tokens covering the text (see `Token`).
  var tokens: [Token]
  /// Every entity, aligned (token formats) or as given (others), sorted; may overlap.
  var entities: [AlignedSpan] = []
  /// The non-overlapping entity layer (token formats), sorted.
  var entityLayer: [AlignedSpan] = []
  /// Span sentiments, aligned like entities; the label is the value.
  var spanSentiments: [AlignedSpan] = []
  /// Anchored stances, aligned like entities; the label is `TARGET:value`.
  var anchoredStances: [(span: AlignedSpan, stance: Stance)] = []
  /// Whether the set's partial entity layer was left out (the format cannot say it is
  /// partial) and counted as ``partialLayerOmission``.
  var droppedPartialLayer = false

  /// What the export summary counts for a partial entity layer a format leaves out.
  static let partialLayerOmission =
    "partial entity layer (spans accepted one at a time; the rest of the text not annotated)"

  /// What the export summary counts for a set with no entity layer that an entity format
  /// leaves out (its source annotated only classes; writing it would claim no entities).
  static let noEntityLayerOmission = "document with no entity layer (not annotated for entities)"

  /// The document's external id.
  var id: String { document.externalID.rawValue }
  /// The annotator's name.
  var annotator: String { annotations.annotator }
}

extension AnnotationSet {
  /// The set keeping only the selected kinds.
  func restricted(to kinds: Set<AnnotationKindSelection>) -> AnnotationSet {
    var copy = self.normalized()
    if !kinds.contains(.entities) {
      copy.entities = nil
      copy.partialEntities = false
    }
    if !kinds.contains(.sentiment) {
      copy.sentiment = nil
      copy.spanSentiments = nil
    }
    if !kinds.contains(.stance) { copy.stances = nil }
    if !kinds.contains(.labels) {
      copy.labels = nil
      copy.labelSets = nil
      copy.noValueFields = []
    }
    return copy
  }
}

extension PreparedDocument {
  /// Writes the `meta` (`{annotator, id}`) and `offsets` members the spaCy formats share.
  func writeMetaAndOffsets(_ object: inout JSONObjectWriter, _ w: inout JSONWriter) {
    object.key("meta", &w)
    var meta = JSONObjectWriter(&w)
    meta.key("annotator", &w)
    w.string(annotator)
    meta.key("id", &w)
    w.string(id)
    meta.end(&w)
    object.key("offsets", &w)
    w.string(AnnoRecord.offsetUnit)
  }
}
