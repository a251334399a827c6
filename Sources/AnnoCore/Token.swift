/// One token of a document: a half-open range of Unicode scalar offsets.
///
/// Tokens cover the text the way spaCy's do: each token may be followed by one ordinary
/// space (`spaceAfter`); any other whitespace (newlines, tabs, runs of spaces) forms a token
/// of its own with `isSpace` set. Concatenating every token's text, each followed by a space
/// when `spaceAfter` is true, rebuilds the text exactly.
public struct Token: Hashable, Sendable, Codable {
  /// The first scalar offset of the token.
  public var start: Int
  /// The scalar offset just past the token.
  public var end: Int
  /// Whether one U+0020 space follows the token (spaCy's `whitespace_`).
  public var spaceAfter: Bool
  /// Whether the token is itself whitespace (spaCy's `is_space`).
  public var isSpace: Bool

  /// Creates a token.
  public init(start: Int, end: Int, spaceAfter: Bool = false, isSpace: Bool = false) {
    self.start = start
    self.end = end
    self.spaceAfter = spaceAfter
    self.isSpace = isSpace
  }

  /// The token's range of scalar offsets.
  public var range: Range<Int> { start..<end }
}

extension Array where Element == Token {
  /// The index of the first range that is empty, starts before the previous one ends, or
  /// reaches past `length`; `nil` when every range can be a token of a text that long.
  public static func firstInvalidRange(_ ranges: [Range<Int>], length: Int) -> Int? {
    var previousEnd = 0
    for (i, range) in ranges.enumerated() {
      if range.isEmpty || range.lowerBound < previousEnd || range.upperBound > length { return i }
      previousEnd = range.upperBound
    }
    return nil
  }

  /// Derives `spaceAfter` and `isSpace` for bare token ranges given by an importer.
  ///
  /// - Parameters:
  ///   - ranges: token ranges in scalar offsets.
  ///   - scalars: the document's text as scalars.
  /// - Returns: the tokens, or `nil` when a range is empty, out of order, overlapping or
  ///   outside the text (see ``firstInvalidRange(_:length:)``).
  public static func fromRanges(_ ranges: [Range<Int>], in scalars: [Unicode.Scalar]) -> [Token]? {
    guard firstInvalidRange(ranges, length: scalars.count) == nil else { return nil }
    return ranges.map { range in
      let isSpace = scalars[range].allSatisfy { $0.properties.isWhitespace }
      let spaceAfter = range.upperBound < scalars.count && scalars[range.upperBound] == " "
      return Token(
        start: range.lowerBound, end: range.upperBound, spaceAfter: spaceAfter, isSpace: isSpace)
    }
  }
}
