import AnnoCore
import AnnoShell
import Testing

@Suite struct WordSplitterTests {
  @Test(arguments: [
    (#"tag PER "Sergei Lavrov" #2"#, ["tag", "PER", "Sergei Lavrov", "#2"]),
    (#"note "say \"no\" here""#, ["note", #"say "no" here"#]),
    ("tag  MISC  'it''s'", ["tag", "MISC", "it''s"]),
    ("tag PER Putin's 'O'Brien' ‘Putin’s’", ["tag", "PER", "Putin's", "O'Brien", "Putin’s"]),
    (#"tag LOC "/\bSea\b/" '\d'"#, ["tag", "LOC", #"/\bSea\b/"#, #"\d"#]),
    ("tag LOC /Black Sea/", ["tag", "LOC", "/Black", "Sea/"]),
    ("stance Russia favor  ", ["stance", "Russia", "favor"]),
    ("tag PER “Zoë Müller”", ["tag", "PER", "Zoë Müller"]),
    (#"note """#, ["note", ""]),
  ])
  func splitsWordsRespectingQuotes(line: String, words: [String]) throws {
    #expect(try WordSplitter.words(in: line) == words)
  }

  @Test func shellWordsKeepPatternsWholeAndSayWhatWasQuoted() throws {
    let words = try WordSplitter.shellWords(
      in: #"tag LOC /Black  Sea/ /\bS"e'a\/b/ "all" all /tmp/x"#)
    #expect(
      words == [
        ShellWord("tag"), ShellWord("LOC"), ShellWord("/Black  Sea/"),
        ShellWord(#"/\bS"e'a\/b/"#), ShellWord("all", isQuoted: true), ShellWord("all"),
        ShellWord("/tmp/x"),
      ])
    #expect(words[2].isPattern && words[3].isPattern && !words[6].isPattern)
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
