import AnnoTestSupport
import Testing

@testable import AnnoCore

/// A text and the token texts spaCy gives it, whitespace tokens included.
struct TokenizerSpacyCase: Sendable, CustomTestStringConvertible {
  var text: String
  var tokens: [String]
  init(_ text: String, _ tokens: [String]) {
    self.text = text
    self.tokens = tokens
  }
  var testDescription: String { String(text.prefix(40)) }
}

/// The texts of `tokens` in `text`.
private func tokenTexts(_ text: String, _ tokens: [Token]) -> [String] {
  let scalars = Array(text.unicodeScalars)
  return tokens.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
}

/// Rebuilds a text from its tokens: each token's text, then a space when `spaceAfter`.
private func rebuild(_ text: String, _ tokens: [Token]) -> String {
  let scalars = Array(text.unicodeScalars)
  var out = String.UnicodeScalarView()
  for token in tokens {
    out.append(contentsOf: scalars[token.start..<token.end])
    if token.spaceAfter { out.append(" ") }
  }
  return String(out)
}

// The expectations below came from spaCy 3.8.18, `spacy.blank("en")`, `[t.text for t in doc]`.
private let spacyCases: [TokenizerSpacyCase] = [
  TokenizerSpacyCase(
    "WASHINGTON (AFP) — The U.S. and the E.U. agreed on Tuesday.",
    [
      "WASHINGTON", "(", "AFP", ")", "—", "The", "U.S.", "and", "the", "E.U.", "agreed", "on",
      "Tuesday", ".",
    ]),
  TokenizerSpacyCase(
    "“We’re not there yet,” Kerry’s spokesman said at 10:30 a.m.",
    [
      "“", "We", "’re", "not", "there", "yet", ",", "”", "Kerry", "’s", "spokesman", "said", "at",
      "10:30", "a.m.",
    ]),
  TokenizerSpacyCase(
    "Shares of the Paris-based company rose 4.5% to $1,200.50.",
    [
      "Shares", "of", "the", "Paris", "-", "based", "company", "rose", "4.5", "%", "to", "$",
      "1,200.50", ".",
    ]),
  TokenizerSpacyCase(
    "Mr. Smith said he didn't expect it. \"It's a long shot,\" he said.",
    [
      "Mr.", "Smith", "said", "he", "did", "n't", "expect", "it", ".", "\"", "It", "'s", "a",
      "long", "shot", ",", "\"", "he", "said", ".",
    ]),
  TokenizerSpacyCase(
    "I can't, won't and shouldn't've. Don’t! I’m sure they’ll say we’d go.",
    [
      "I", "ca", "n't", ",", "wo", "n't", "and", "should", "n't", "'ve", ".", "Do", "n’t", "!", "I",
      "’m", "sure", "they", "’ll", "say", "we", "’d", "go", ".",
    ]),
  TokenizerSpacyCase(
    "Winds reached 95 km/h; it fell to -12°C. Closed until Jan. 15.",
    [
      "Winds", "reached", "95", "km", "/", "h", ";", "it", "fell", "to", "-12", "°", "C", ".",
      "Closed", "until", "Jan.", "15", ".",
    ]),
  TokenizerSpacyCase(
    "E-mail press@example.org or see https://www.example.com/a/b.html?ref=1.",
    [
      "E", "-", "mail", "press@example.org", "or", "see", "https://www.example.com/a/b.html?ref=1",
      ".",
    ]),
  TokenizerSpacyCase(
    "Rock 'n' roll in the 1950s and mid-2020, at No. 10 Downing St.",
    [
      "Rock", "'", "n", "'", "roll", "in", "the", "1950s", "and", "mid-2020", ",", "at", "No", ".",
      "10", "Downing", "St.",
    ]),
  TokenizerSpacyCase(
    "Revenue grew 12% year-on-year to €3.4bn ($3.7bn), vs. 1.10 euros.",
    [
      "Revenue", "grew", "12", "%", "year", "-", "on", "-", "year", "to", "€", "3.4bn", "(", "$",
      "3.7bn", ")", ",", "vs.", "1.10", "euros", ".",
    ]),
  TokenizerSpacyCase(
    "Russia—all permanent members—clashed; the 2019–20 season ended.",
    [
      "Russia", "—", "all", "permanent", "members", "—", "clashed", ";", "the", "2019–20", "season",
      "ended", ".",
    ]),
  TokenizerSpacyCase(
    "She wrote: \"Can't believe it!!! #blessed @user123\"... 10,000+ times",
    [
      "She", "wrote", ":", "\"", "Ca", "n't", "believe", "it", "!", "!", "!", "#", "blessed",
      "@user123", "\"", "...", "10,000", "+", "times",
    ]),
  TokenizerSpacyCase(
    "Layoffs hit 1,200 workers -- roughly 8% -- in the U.K. (Reuters)",
    [
      "Layoffs", "hit", "1,200", "workers", "--", "roughly", "8", "%", "--", "in", "the", "U.K.",
      "(", "Reuters", ")",
    ]),
  TokenizerSpacyCase(
    "The 5-4 ruling and a 52-48 vote; Sen. McConnell (R-Ky.) spoke.",
    [
      "The", "5", "-", "4", "ruling", "and", "a", "52", "-", "48", "vote", ";", "Sen.", "McConnell",
      "(", "R", "-", "Ky.", ")", "spoke", ".",
    ]),
  TokenizerSpacyCase(
    "Ticket prices: £25 to £1,500, doors at 7pm, see www.festival.co.uk.",
    [
      "Ticket", "prices", ":", "£", "25", "to", "£", "1,500", ",", "doors", "at", "7", "pm", ",",
      "see", "www.festival.co.uk", ".",
    ]),
  TokenizerSpacyCase(
    "Aftershocks 10km south-west of Antakya; 1.2M posts... and :) or <3",
    [
      "Aftershocks", "10", "km", "south", "-", "west", "of", "Antakya", ";", "1.2", "M", "posts",
      "...", "and", ":)", "or", "<3",
    ]),
  TokenizerSpacyCase(
    "Mr.Smith met Dr.Who and/or me at 3p.m. on 3/4/2021.",
    ["Mr.", "Smith", "met", "Dr.", "Who", "and/or", "me", "at", "3", "p.m.", "on", "3/4/2021", "."]),
  TokenizerSpacyCase(
    "Tokyo (東京都) and Seoul (서울), Зеленський’s visit, São Paulo.",
    [
      "Tokyo", "(", "東京都", ")", "and", "Seoul", "(", "서울", ")", ",", "Зеленський", "’s", "visit",
      ",", "São", "Paulo", ".",
    ]),
  TokenizerSpacyCase(
    "José García said “impeccable.” He added: «C’est magnifique»… then left.",
    [
      "José", "García", "said", "“", "impeccable", ".", "”", "He", "added", ":", "«", "C’est",
      "magnifique", "»", "…", "then", "left", ".",
    ]),
  TokenizerSpacyCase(
    "Visit http://192.168.1.1/admin or 8.8.8.8:53 now.",
    ["Visit", "http://192.168.1.1", "/", "admin", "or", "8.8.8.8:53", "now", "."]),
  TokenizerSpacyCase(
    "a\n\nb",
    ["a", "\n\n", "b"]),
  TokenizerSpacyCase(
    "a  b",
    ["a", " ", "b"]),
  TokenizerSpacyCase(
    "a \n b",
    ["a", "\n ", "b"]),
  TokenizerSpacyCase(
    "  leading and trailing  ",
    ["  ", "leading", "and", "trailing", " "]),
  TokenizerSpacyCase(
    "line one\r\nline two\ttab",
    ["line", "one", "\r\n", "line", "two", "\t", "tab"]),
  TokenizerSpacyCase(
    "non breaking   space",
    ["non", " ", "breaking", "  ", "space"]),
  TokenizerSpacyCase(
    " a",
    [" ", "a"]),
  TokenizerSpacyCase(
    "a ",
    ["a"]),
  TokenizerSpacyCase(
    "",
    []),
]

@Suite struct TokenizerTests {
  let tokenizer = Tokenizer()

  @Test(arguments: spacyCases) func matchesSpacy(_ example: TokenizerSpacyCase) {
    let tokens = tokenizer.tokenize(example.text)
    #expect(tokenTexts(example.text, tokens) == example.tokens)
    #expect(rebuild(example.text, tokens) == example.text)
  }

  @Test func whitespaceFollowsSpacy() {
    // spaCy: the first space after a token is its `whitespace_`; the rest of the run, and any
    // other whitespace run, is one token (`"a \n b"` → `a`+space, `"\n "`, `b`).
    let tokens = tokenizer.tokenize("a \n b  c\r\n")
    #expect(
      tokens == [
        Token(start: 0, end: 1, spaceAfter: true), Token(start: 2, end: 4, isSpace: true),
        Token(start: 4, end: 5, spaceAfter: true), Token(start: 6, end: 7, isSpace: true),
        Token(start: 7, end: 8), Token(start: 8, end: 10, isSpace: true),
      ])
    #expect(
      tokenizer.tokenize("  x") == [
        Token(start: 0, end: 2, isSpace: true), Token(start: 2, end: 3),
      ])
    #expect(tokenizer.tokenize("x ") == [Token(start: 0, end: 1, spaceAfter: true)])
    #expect(tokenizer.tokenize("   ") == [Token(start: 0, end: 3, isSpace: true)])
    #expect(tokenizer.tokenize("") == [])
  }

  @Test func offsetsCountScalarsBeyondTheBMP() {
    // 😀 is one scalar (two UTF-16 units, four UTF-8 bytes); 𝔘 too.
    let text = "😀 𝔘nicode, x"
    let tokens = tokenizer.tokenize(text)
    #expect(tokens.map(\.range) == [0..<1, 2..<9, 9..<10, 11..<12])
    #expect(tokenizer.tokenize(scalars: Array(text.unicodeScalars)) == tokens)
  }

  @Test func graphemeClustersStayWhole() {
    // NB: spaCy splits these clusters (`🇺` `🇦`, `👍` `🏽`, `👩` `‍` `💻`); we deliberately don't.
    #expect(tokenTexts("Kyiv🇺🇦", tokenizer.tokenize("Kyiv🇺🇦")) == ["Kyiv", "🇺🇦"])
    #expect(tokenTexts("🇺🇦🇵🇱!", tokenizer.tokenize("🇺🇦🇵🇱!")) == ["🇺🇦", "🇵🇱", "!"])
    #expect(tokenTexts("great 👍🏽", tokenizer.tokenize("great 👍🏽")) == ["great", "👍🏽"])
    #expect(tokenTexts("👩‍💻", tokenizer.tokenize("👩‍💻")) == ["👩‍💻"])
    #expect(tokenTexts("❤️.", tokenizer.tokenize("❤️.")) == ["❤️", "."])
    // Combining marks stay with their base, as in spaCy (`e` + U+0301 is not split).
    let decomposed = "Jose\u{0301} (cafe\u{0301})"
    #expect(
      tokenTexts(decomposed, tokenizer.tokenize(decomposed))
        == ["Jose\u{0301}", "(", "cafe\u{0301}", ")"])
  }

  @Test func cjkRunsStayWhole() {
    // spaCy's blank English does not segment CJK: a run between spaces is one token.
    #expect(tokenTexts("東京都庁で会見", tokenizer.tokenize("東京都庁で会見")) == ["東京都庁で会見"])
  }

  @Test func rebuildsAnyText() {
    // Random strings over scalars that exercise every rule, whitespace kinds included.
    let pool =
      Array(
        "aZé東ъ0 9 .,;:!?'\"’“”«»()[]-–—~/@#$%€£+*&…\n\r\t\u{00A0}\u{2009}\u{0301}\u{200D}\u{FE0F}🇺🇦👍🏽😀_="
          .unicodeScalars) + ["U", "S", "s", "n", "t", "h", "p", "m", "k", "w", "."]
    var rng = SplitMix(seed: 42)
    for round in 0..<2000 {
      let length = round == 0 ? 0 : Int(rng.next() % 40)
      var view = String.UnicodeScalarView()
      for _ in 0..<length { view.append(pool[Int(rng.next() % UInt64(pool.count))]) }
      let text = String(view)
      let tokens = tokenizer.tokenize(text)
      #expect(rebuild(text, tokens) == text, "\(Array(text.unicodeScalars))")
      // Tokens are non-empty, ordered, and `isSpace` exactly for whitespace tokens.
      #expect(tokens.allSatisfy { $0.start < $0.end })
      #expect(zip(tokens, tokens.dropFirst()).allSatisfy { $0.end <= $1.start })
    }
  }

  @Test func everySpecialCaseIsFound() {
    let specials = SpecialCases.english
    #expect(specials.entries.count > 1000)
    for (k, entry) in specials.entries.enumerated() {
      #expect(specials.lookup(entry.scalars, 0, entry.scalars.count) == k)
    }
  }
}
