import Testing

@testable import AnnoCore

@Suite struct SentenceSplitterTests {
  let tokenizer = Tokenizer()
  let splitter = SentenceSplitter()

  /// The sentences of `text` as strings.
  func split(_ text: String) -> [String] {
    let scalars = Array(text.unicodeScalars)
    let ranges = splitter.sentences(in: scalars, tokens: tokenizer.tokenize(scalars: scalars))
    return ranges.map { String(String.UnicodeScalarView(scalars[$0])) }
  }

  @Test func splitsAtSentencePunctuation() {
    #expect(
      split("The vote passed. Critics objected! Why? Nobody knows…  Then 20 left.")
        == ["The vote passed.", "Critics objected!", "Why?", "Nobody knows…", "Then 20 left."])
  }

  @Test func keepsClosingQuotesAndBracketsWithTheSentence() {
    #expect(
      split("He said: “We’re done.” The talks ended. (It rained.) “Next,” she said.")
        == ["He said: “We’re done.”", "The talks ended.", "(It rained.)", "“Next,” she said."])
    #expect(
      split("\"It's over,\" he said. \"Really.\" Then he left.")
        == ["\"It's over,\" he said.", "\"Really.\"", "Then he left."])
  }

  @Test func doesNotSplitAfterAbbreviations() {
    #expect(
      split("Mr. Smith met Dr. Jones on Elm St. in the U.S. on Jan. 5 at 10 a.m. Sharp.")
        == ["Mr. Smith met Dr. Jones on Elm St. in the U.S. on Jan. 5 at 10 a.m. Sharp."])
    #expect(
      split("She lives at No. 10 Downing Street. It is old.")
        == ["She lives at No. 10 Downing Street.", "It is old."])
  }

  @Test func needsWhitespaceAndACapitalisedStart() {
    #expect(
      split("Prices rose 3.5% in the U.K.; e.g. fuel. and so on") == [
        "Prices rose 3.5% in the U.K.; e.g. fuel. and so on"
      ])
    #expect(split("See example.com/a.b.Then") == ["See example.com/a.b.Then"])
  }

  @Test func splitsAtBlankLines() {
    #expect(
      split("Headline without period\n\nBody starts here.\r\n\r\nNext para")
        == ["Headline without period", "Body starts here.", "Next para"])
    // A single line break is not a boundary.
    #expect(
      split("By Jane Doe\nLONDON (Reuters) - Talks resumed.") == [
        "By Jane Doe\nLONDON (Reuters) - Talks resumed."
      ])
  }

  @Test func neverSplitsInsideATokenAndHandlesEdges() {
    #expect(split("") == [])
    #expect(split("   \n\n  ") == [])
    let text = "  It works. Yes!  "
    let scalars = Array(text.unicodeScalars)
    let tokens = tokenizer.tokenize(scalars: scalars)
    let ranges = splitter.sentences(in: text, tokens: tokens)
    #expect(ranges == [2..<11, 12..<16])
    let boundaries = Set(tokens.flatMap { [$0.start, $0.end] })
    #expect(
      ranges.allSatisfy { boundaries.contains($0.lowerBound) && boundaries.contains($0.upperBound) }
    )
  }
}
