import AnnoCore

/// The non-whitespace tokens of a document, prepared once for every matcher
/// that runs over the document.
///
/// Matchers skip whitespace tokens (a newline or a run of spaces between two words), so
/// positions here index this compacted list, not the document's `[Token]`.
package struct MatchableTokens: Sendable {
  /// The document's scalars.
  package let scalars: [Unicode.Scalar]
  /// The non-whitespace tokens, in order.
  package let tokens: [Token]

  /// Prepares `tokens` of `text`, dropping whitespace tokens and tokens that do not fit.
  package init(text: ScalarText, tokens allTokens: [Token]) {
    scalars = text.scalars
    var kept: [Token] = []
    kept.reserveCapacity(allTokens.count)
    for token in allTokens
    where !token.isSpace
      && TextRange(start: token.start, end: token.end).isSpan(inTextOfLength: scalars.count)
    {
      kept.append(token)
    }
    self.tokens = kept
  }

  /// The number of tokens.
  package var count: Int { tokens.count }

  /// The scalar range covered by tokens `start..<end`.
  package func scalarRange(_ start: Int, _ end: Int) -> Range<Int> {
    tokens[start].start..<tokens[end - 1].end
  }

  /// The scalars of token `index`.
  @inline(__always)
  package func scalars(of index: Int) -> ArraySlice<Unicode.Scalar> {
    scalars[tokens[index].start..<tokens[index].end]
  }
}
