/// A range of a document's text: Unicode scalar (code point) offsets, half-open `[start, end)`,
/// the unit of every span, export and message.
///
/// A range read from input or from the store is checked against its text here, in one place:
/// a span is a non-empty range inside the text (0 ≤ start < end ≤ length); a slice may also
/// be empty (0 ≤ start ≤ end ≤ length).
public struct TextRange: Hashable, Sendable {
  /// The first code point of the range.
  public var start: Int
  /// The code point after the last one.
  public var end: Int

  /// Creates a range from its offsets, as given (not yet checked against any text).
  public init(start: Int, end: Int) {
    self.start = start
    self.end = end
  }

  /// Creates the range of Swift's `range`.
  public init(_ range: Range<Int>) {
    self.init(start: range.lowerBound, end: range.upperBound)
  }

  /// Whether this is a span of a text `length` code points long: 0 ≤ start < end ≤ length.
  public func isSpan(inTextOfLength length: Int) -> Bool {
    start >= 0 && start < end && end <= length
  }

  /// Whether the range lies inside a text `length` code points long, empty or not:
  /// 0 ≤ start ≤ end ≤ length.
  public func fits(inTextOfLength length: Int) -> Bool {
    start >= 0 && start <= end && end <= length
  }
}
