import AnnoCore

/// A proposed entity span for an annotator to accept or reject (pre-annotation).
public struct SpanSuggestion: Hashable, Sendable, Comparable {
  /// What proposed a suggestion.
  public enum Source: Hashable, Sendable {
    /// A pattern, by its `id` (if any) and its index in the matcher's patterns.
    case pattern(id: String?, index: Int)
    /// The learned gazetteer, with the labels this text was given before.
    case learned(LabelDistribution)
  }

  /// The proposed range, in scalar offsets.
  public var range: Range<Int>
  /// The proposed label.
  public var label: String
  /// What proposed it.
  public var source: Source

  /// Creates a suggestion.
  public init(range: Range<Int>, label: String, source: Source) {
    self.range = range
    self.label = label
    self.source = source
  }

  /// The suggestion as an entity span, once accepted.
  public var span: EntitySpan {
    EntitySpan(start: range.lowerBound, end: range.upperBound, label: label)
  }

  /// Orders by start, then end, then label.
  public static func < (a: SpanSuggestion, b: SpanSuggestion) -> Bool {
    (a.range.lowerBound, a.range.upperBound, a.label) < (
      b.range.lowerBound, b.range.upperBound, b.label
    )
  }
}
