import AnnoCore
import AnnoSuggest
import Testing

@Suite struct TokenizerBatchTests {
  static let texts = [
    "U.S.", "don't", "New York-based", "(Reuters)", "http://example.com/a?b=c", "mail a@b.com",
    "🇺🇦 Kyiv",
    "👩‍👩‍👧", "Dr. Smith", "can't", "gonna", "$5.00", "3rd", "... and", "'s", "O'Neill", "  padded  ",
    "",
    "a\nb", "Let's go!", "1990s", "U.K.-based", "“quoted”", "e.g.", "etc.", "10km", "5pm", "A.",
    "Mr.", "N.Y.",
    ":)", "x--y", "Sergei Lavrov", "北京消息:", "l'Europe", "\"Brussels,\"", "a\r", "\r\nb",
  ]

  @Test func tokenizesEachTextAsAloneInOnePass() {
    // Given texts tokenized one by one
    let alone = Self.texts.map { text -> [String] in
      let scalars = ScalarText(text)
      return Tokenizer().tokenize(text).filter { !$0.isSpace }.map { scalars[$0.range] }
    }
    // When they are tokenized together
    var together: [[String]] = []
    Tokenizer().forEachTokenized(Self.texts) { index, scalars, tokens in
      #expect(index == together.count)
      together.append(tokens.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) })
    }
    // Then each gets the same tokens
    #expect(together == alone)
  }
}
