/// A labelled, half-open range `start..<end` of a document, as one annotator marked it.
///
/// Offsets are whatever unit the caller uses consistently (Anno uses Unicode scalars).
public struct LabeledSpan: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The first offset inside the span.
  public var start: Int
  /// The first offset after the span.
  public var end: Int
  /// The label, one of the study's declared labels.
  public var label: String

  /// Creates the span `start..<end` labelled `label`.
  ///
  /// - Precondition: `0 ≤ start < end`.
  public init(start: Int, end: Int, label: String) {
    precondition(start >= 0 && start < end, "a span needs 0 <= start < end, got \(start)..<\(end)")
    self.start = start
    self.end = end
    self.label = label
  }

  /// The number of offsets covered, `end − start`.
  public var length: Int { end - start }

  /// Whether the two spans share at least one offset (labels ignored).
  public func overlaps(_ other: LabeledSpan) -> Bool { start < other.end && other.start < end }

  /// Orders by start, then longer first, then label: the order used to resolve overlaps.
  public static func < (lhs: LabeledSpan, rhs: LabeledSpan) -> Bool {
    if lhs.start != rhs.start { return lhs.start < rhs.start }
    if lhs.end != rhs.end { return lhs.end > rhs.end }
    return lhs.label < rhs.label
  }

  /// `label[start..<end]`.
  public var description: String { "\(label)[\(start)..<\(end)]" }
}
