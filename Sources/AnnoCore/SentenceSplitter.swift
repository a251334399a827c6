/// Splits covering tokens into sentences (for CoNLL and spaCy JSON), never inside a span.
///
/// A sentence ends after a sentence-final mark (`.`, `!`, `?`, `…`, `。`, `！`, `？`, possibly
/// followed by closing quotes or brackets) that is followed by whitespace or the end, and at
/// every blank line (a whitespace token with two or more line breaks). Boundaries that would
/// cut one of the spans kept together are dropped, merging the sentences around it (an entity
/// across a line break keeps its lines together).
///
/// NB: a simple rule, not a trained splitter: "No. 10" splits after "No." (the tokenizer keeps
/// "Mr." whole, so that one does not). That is harmless for training data (entities are never
/// cut) and keeps output independent of models.
public enum SentenceSplitter {
  private static let finalMarks: Set<Unicode.Scalar> = [
    ".", "!", "?", "…", "。", "！", "？", "‼", "⁇",
  ]
  private static let closers: Set<Unicode.Scalar> = [
    "\"", "'", "”", "’", ")", "]", "»", "」", "』", "）",
  ]

  /// Sentences as ranges of token indices; together they cover `tokens.indices`.
  ///
  /// - Parameters:
  ///   - tokens: tokens covering `text`, whitespace included.
  ///   - spans: token index ranges (non-empty) no sentence boundary may cut.
  public static func sentences(
    tokens: [Token], text: ScalarText, keepingTogether spans: [Range<Int>]
  ) -> [Range<Int>] {
    guard !tokens.isEmpty else { return [] }
    var breakAfter = Set<Int>()
    var i = 0
    while i < tokens.count {
      let token = tokens[i]
      if token.isSpace {
        let newlines = text.scalars[token.range].reduce(0) { count, scalar in
          count + (scalar == "\n" ? 1 : 0)
        }
        let crs = text.scalars[token.range].reduce(0) { $0 + ($1 == "\r" ? 1 : 0) }
        if max(newlines, crs) >= 2 { breakAfter.insert(i) }
      } else if isFinalMark(token, text) {
        var j = i
        while j + 1 < tokens.count, !tokens[j].spaceAfter, !tokens[j + 1].isSpace,
          isFinalMark(tokens[j + 1], text) || isCloser(tokens[j + 1], text)
        {
          j += 1
        }
        let isCJK = text.scalars[tokens[j].range].allSatisfy { "。！？".unicodeScalars.contains($0) }
        if tokens[j].spaceAfter || j + 1 == tokens.count || tokens[j + 1].isSpace || isCJK {
          // Keep trailing whitespace with the sentence it follows.
          var k = j
          while k + 1 < tokens.count, tokens[k + 1].isSpace { k += 1 }
          breakAfter.insert(k)
        }
        i = j
      }
      i += 1
    }
    for span in spans {
      for index in span.lowerBound..<(span.upperBound - 1) { breakAfter.remove(index) }
    }
    var sentences: [Range<Int>] = []
    var start = 0
    for index in breakAfter.sorted() where index + 1 < tokens.count {
      sentences.append(start..<(index + 1))
      start = index + 1
    }
    sentences.append(start..<tokens.count)
    return sentences
  }

  private static func isFinalMark(_ token: Token, _ text: ScalarText) -> Bool {
    text.scalars[token.range].allSatisfy { finalMarks.contains($0) }
  }

  private static func isCloser(_ token: Token, _ text: ScalarText) -> Bool {
    token.end - token.start == 1 && closers.contains(text.scalars[token.start])
  }
}
