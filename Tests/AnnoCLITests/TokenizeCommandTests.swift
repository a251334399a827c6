import AnnoTestSupport
import Foundation
import Testing

/// `anno tokenize`, which the tokenizer comparison with spaCy and the benchmark call.
@Suite struct TokenizeCommandTests {
  @Test func printsCodePointTokensWithWhitespaceFlags() throws {
    let result = try AnnoBinary.run(
      ["tokenize"], stdin: #"{"id": "a", "text": "Kerry’s U.S. trip\n👍🏽"}"# + "\n")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout
        == #"{"id":"a","tokens":[[0,5,false,false],[5,7,true,false],[8,12,true,false],[13,17,false,false],[17,18,false,true],[18,20,false,false]]}"#
        + "\n")
  }

  @Test func timingModeReportsCountsOnly() throws {
    let input = #"{"id": "a", "text": "One two."}"# + "\n" + #"{"id": "b", "text": "Three"}"# + "\n"
    let result = try AnnoBinary.run(["tokenize", "--timing"], stdin: input)
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix(#"{"documents":2,"tokenize_seconds":"#))
    #expect(result.stdout.hasSuffix(#","tokens":4}"# + "\n"))
  }

  @Test func refusesLinesWithoutText() throws {
    let result = try AnnoBinary.run(["tokenize"], stdin: #"{"id": "a"}"# + "\n")
    #expect(result.status == 1)
    #expect(result.stderr == "-:1: expected a JSON object with a string 'text'\n")
  }
}
