import AnnoCore
import Testing

/// The sentences CoNLL and spaCy JSON exports are written in.
@Suite struct SentenceSplitterTests {
  /// The sentences of `text`, each from its first token's start to its last token's end (so a
  /// blank line kept with a sentence shows), never cutting a span of `together` (needles).
  func split(_ text: String, keepingTogether together: [String] = []) -> [String] {
    let scalars = ScalarText(text)
    let tokens = Tokenizer().tokenize(scalars: scalars.scalars)
    let spans = together.map { needle -> Range<Int> in
      let start =
        Array(text.unicodeScalars).count
        - Array(text[text.range(of: needle)!.lowerBound...].unicodeScalars).count
      let end = start + needle.unicodeScalars.count
      let first = tokens.firstIndex { $0.end > start }!
      let last = tokens.lastIndex { $0.start < end }!
      return first..<(last + 1)
    }
    let sentences = SentenceSplitter.sentences(
      tokens: tokens, text: scalars, keepingTogether: spans)
    #expect(sentences.first?.lowerBound == 0 && sentences.last?.upperBound == tokens.count)
    for (a, b) in zip(sentences, sentences.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
    return sentences.map { range in
      let slice = scalars.scalars[tokens[range.lowerBound].start..<tokens[range.upperBound - 1].end]
      return String(String.UnicodeScalarView(slice))
    }
  }

  @Test func endsAfterFinalMarksFollowedBySpace() {
    #expect(
      split("The vote passed. Critics objected! Why? Nobody knows… Then 20 left.")
        == ["The vote passed.", "Critics objected!", "Why?", "Nobody knows…", "Then 20 left."])
  }

  /// A simple rule, not a trained splitter: the tokenizer keeps `Mr.` whole, so it ends
  /// nothing, but it splits the period off `No`, so `No. 10` is cut after `No.`.
  @Test func anAbbreviationEndsASentenceOnlyWhenItsPeriodIsSplitOff() {
    #expect(split("Mr. Smith left. No. 10 won.") == ["Mr. Smith left.", "No.", "10 won."])
  }

  @Test func keepsClosingQuotesAndBracketsWithTheSentence() {
    #expect(
      split("He said: “We’re done.” The talks ended. (It rained.) Next.")
        == ["He said: “We’re done.”", "The talks ended.", "(It rained.)", "Next."])
  }

  @Test func aBlankLineEndsASentenceAndStaysWithIt() {
    #expect(split("Headline here\n\nThe body starts") == ["Headline here\n\n", "The body starts"])
    #expect(split("One line\nstill the same") == ["One line\nstill the same"])
  }

  /// An ideographic full stop ends a sentence without a space after it, when the tokens (an
  /// importer's, since the tokenizer keeps `大。東` together) split it off.
  @Test func ideographicMarksEndASentenceWithoutSpace() {
    #expect(split("北京很大。 東京也很大。") == ["北京很大。", "東京也很大。"])
    let tokens = [
      Token(start: 0, end: 4), Token(start: 4, end: 5), Token(start: 5, end: 10),
      Token(start: 10, end: 11),
    ]
    #expect(
      SentenceSplitter.sentences(
        tokens: tokens, text: ScalarText("北京很大。東京也很大。"), keepingTogether: []) == [0..<2, 2..<4])
  }

  @Test func aSpanKeepsItsSentencesTogether() {
    #expect(split("We met in New\n\nYork today.") == ["We met in New\n\n", "York today."])
    #expect(
      split("We met in New\n\nYork today.", keepingTogether: ["New\n\nYork"])
        == ["We met in New\n\nYork today."])
  }

  @Test func noTokensNoSentences() {
    #expect(SentenceSplitter.sentences(tokens: [], text: ScalarText(""), keepingTogether: []) == [])
  }
}
