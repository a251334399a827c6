import AnnoCore

/// A span placed on token boundaries: its scalar range and the tokens it covers.
struct AlignedSpan: Hashable, Comparable {
  /// The first scalar offset (a token start).
  var start: Int
  /// The scalar offset just past the span (a token end).
  var end: Int
  /// The label (entity label, sentiment value, or `TARGET:value` for stances).
  var label: String
  /// The first token, an index into the document's covering tokens.
  var tokenStart: Int
  /// The token just past the span.
  var tokenEnd: Int

  var range: Range<Int> { start..<end }
  var tokenRange: Range<Int> { tokenStart..<tokenEnd }

  static func < (a: Self, b: Self) -> Bool {
    (a.start, a.end, a.label) < (b.start, b.end, b.label)
  }
}

/// Finds which token holds each scalar offset, to put spans on token boundaries.
///
/// Tokens cover the text the way spaCy's do (`Token`): a span is aligned when it starts at
/// the start of a non-whitespace token and ends at the end of one, which is exactly when
/// spaCy's `Doc.char_span(start, end, alignment_mode="strict")` returns a span that neither
/// begins nor ends with whitespace.
struct TokenIndex {
  /// The covering tokens.
  let tokens: [Token]
  /// For each scalar offset, the index of the token holding it, or -1 for the single space
  /// after a token (`spaceAfter`), which belongs to no token.
  private let owner: [Int32]

  /// The outcome of aligning one range.
  enum Alignment {
    /// Already on token boundaries.
    case aligned(AlignedSpan)
    /// Not on token boundaries: why, and the widened span if there is one.
    case misaligned(problem: String, expanded: AlignedSpan?)
  }

  /// Indexes covering tokens (see `covering(_:text:documentID:)`).
  init(tokens: [Token], length: Int) {
    self.tokens = tokens
    var owner = [Int32](repeating: -1, count: length)
    for (i, token) in tokens.enumerated() {
      for offset in token.start..<token.end { owner[offset] = Int32(i) }
    }
    self.owner = owner
  }

  /// Places `range` on token boundaries, or says why it is not.
  func align(_ range: Range<Int>, label: String, text: ScalarText) -> Alignment {
    var problems: [String] = []
    var startToken: Int?
    var endToken: Int?
    let first = Int(owner[range.lowerBound])
    if first >= 0, !tokens[first].isSpace {
      if tokens[first].start != range.lowerBound {
        problems.append("starts inside token \(describe(first, text))")
      }
      startToken = first
    } else {
      problems.append("starts on whitespace")
      startToken = tokens.indices.first {
        tokens[$0].start >= range.lowerBound && !tokens[$0].isSpace
      }
    }
    let last = Int(owner[range.upperBound - 1])
    if last >= 0, !tokens[last].isSpace {
      if tokens[last].end != range.upperBound {
        problems.append("ends inside token \(describe(last, text))")
      }
      endToken = last
    } else {
      problems.append("ends on whitespace")
      endToken = tokens.indices.last { tokens[$0].end <= range.upperBound && !tokens[$0].isSpace }
    }
    var expanded: AlignedSpan?
    if let startToken, let endToken, startToken <= endToken {
      expanded = AlignedSpan(
        start: tokens[startToken].start, end: tokens[endToken].end, label: label,
        tokenStart: startToken, tokenEnd: endToken + 1)
    }
    if problems.isEmpty, let expanded { return .aligned(expanded) }
    return .misaligned(problem: problems.joined(separator: " and "), expanded: expanded)
  }

  private func describe(_ index: Int, _ text: ScalarText) -> String {
    let token = tokens[index]
    return "\(token.start)..<\(token.end) " + ExportError.quoted(text[token.range])
  }

  /// Tokens that cover the whole text, from tokens that may leave gaps (an importer's bare
  /// ranges): a gap of one space after a token becomes its `spaceAfter`; any other gap becomes
  /// a token of its own (`isSpace` when it is all whitespace).
  ///
  /// - Throws: `invalidTokens` when tokens are empty, overlap, go backwards or leave the text.
  static func covering(_ tokens: [Token], text: ScalarText, documentID: String) throws(ExportError)
    -> [Token]
  {
    var result: [Token] = []
    result.reserveCapacity(tokens.count)
    var position = 0
    func fillGap(upTo end: Int) {
      guard position < end else { return }
      if end - position == 1, text.scalars[position] == " ", let last = result.indices.last,
        !result[last].isSpace, result[last].end == position
      {
        result[last].spaceAfter = true
      } else {
        let isSpace = text.scalars[position..<end].allSatisfy { $0.properties.isWhitespace }
        result.append(Token(start: position, end: end, isSpace: isSpace))
      }
    }
    for (i, token) in tokens.enumerated() {
      guard token.start >= position, token.end > token.start, token.end <= text.count else {
        throw .invalidTokens(
          documentID: documentID,
          detail:
            "token \(i) at \(token.start)..<\(token.end) must be non-empty, in order, not overlapping and inside the text (length \(text.count))"
        )
      }
      fillGap(upTo: token.start)
      var copy = token
      copy.isSpace = text.scalars[token.range].allSatisfy { $0.properties.isWhitespace }
      copy.spaceAfter = token.end < text.count && text.scalars[token.end] == " " && !copy.isSpace
      result.append(copy)
      position = token.end
      if copy.spaceAfter, i + 1 < tokens.count, tokens[i + 1].start == position {
        // NB: a token starting on the space after the previous one claims it; keep spaCy's
        // rule that `whitespace_` is only set when the space belongs to no token.
        result[result.count - 1].spaceAfter = false
      } else if copy.spaceAfter {
        position += 1
      }
    }
    fillGap(upTo: text.count)
    return result
  }
}

extension [AlignedSpan] {
  /// The non-overlapping layer spaCy's `filter_spans` would keep: longest first, then
  /// earliest; returned sorted, with the spans left out.
  func nonOverlapping() -> (kept: [AlignedSpan], dropped: [AlignedSpan]) {
    let ranked = Set(self).sorted { a, b in
      let (la, lb) = (a.tokenEnd - a.tokenStart, b.tokenEnd - b.tokenStart)
      return la != lb ? la > lb : a < b
    }
    var kept: [AlignedSpan] = []
    var dropped: [AlignedSpan] = []
    for span in ranked {
      if kept.contains(where: { $0.tokenRange.overlaps(span.tokenRange) }) {
        dropped.append(span)
      } else {
        kept.append(span)
      }
    }
    return (kept.sorted(), dropped.sorted())
  }
}
