import AnnoShell
import Testing

@Suite struct WordSplitterTests {
  @Test(arguments: [
    (#"tag PER "Sergei Lavrov" #2"#, ["tag", "PER", "Sergei Lavrov", "#2"]),
    (#"note "say \"no\" here""#, ["note", #"say "no" here"#]),
    ("tag  MISC  'it''s'", ["tag", "MISC", "its"]),
    ("stance Russia favor  ", ["stance", "Russia", "favor"]),
    ("tag PER “Zoë Müller”", ["tag", "PER", "Zoë Müller"]),
    (#"note """#, ["note", ""]),
  ])
  func splitsWordsRespectingQuotes(line: String, words: [String]) throws {
    #expect(try WordSplitter.words(in: line) == words)
  }

  @Test func reportsAnUnterminatedQuote() {
    #expect(throws: WordSplitter.UnterminatedQuote(quote: "\"")) {
      try WordSplitter.words(in: #"tag PER "Lavrov"#)
    }
    #expect(
      WordSplitter.UnterminatedQuote(quote: "“").description
        == "unterminated quote “; close it with ”")
  }

  @Test func splitsCommandsAtSemicolonsOutsideQuotes() {
    #expect(
      WordSplitter.commands(in: #"open a; tag PER "x; y" ;; done"#) == [
        "open a", #" tag PER "x; y" "#, " done",
      ])
  }
}
