import AnnoCore
import AnnoSuggest
import Testing

@Suite struct PatternMatcherTests {
  static let news = """
    Russian Foreign Minister Sergei Lavrov met NATO officials in Brussels on Tuesday, and on \
    Wednesday they met again, the U.S. State Department said. The European Union pledged 1.5 \
    billion euros; about 15 percent goes to New York-based groups.
    """

  /// `text/LABEL` for each match, in order.
  func rendered(_ matches: [PatternMatch], in text: ScalarText) -> [String] {
    matches.map { "\(text[$0.range])/\($0.label)" }
  }

  /// The resolved matches of patterns given as JSON lines.
  func matches(
    _ jsonLines: String, in text: String = news,
    phraseAttribute: PatternMatcher.PhraseAttribute = .text
  )
    throws -> [String]
  {
    let patterns = try EntityPattern.parseJSONLines(jsonLines, schema: nil)
    let matcher = PatternMatcher(patterns: patterns, phraseAttribute: phraseAttribute)
    let scalars = ScalarText(text)
    return rendered(matcher.matches(in: scalars, tokens: Tokenizer().tokenize(text)), in: scalars)
  }

  /// Every match, overlapping ones included.
  func allMatches(_ jsonLines: String, in text: String = news) throws -> [String] {
    let matcher = PatternMatcher(patterns: try EntityPattern.parseJSONLines(jsonLines, schema: nil))
    let scalars = ScalarText(text)
    return rendered(
      matcher.allMatches(in: scalars, tokens: Tokenizer().tokenize(text)), in: scalars)
  }

  // MARK: - Phrase patterns

  @Test func phrasePatternsMatchMultiTokenPhrasesExactly() throws {
    let found = try matches(
      """
      {"label": "ORG", "pattern": "European Union"}
      {"label": "LOC", "pattern": "U.S."}
      {"label": "ORG", "pattern": "NATO"}
      {"label": "ORG", "pattern": "nato"}
      {"label": "LOC", "pattern": "New York"}
      """)
    #expect(found == ["NATO/ORG", "U.S./LOC", "European Union/ORG", "New York/LOC"])
  }

  @Test func phrasePatternsCanCompareLowerCase() throws {
    let found = try matches(#"{"label": "ORG", "pattern": "nato"}"#, phraseAttribute: .lower)
    #expect(found == ["NATO/ORG"])
  }

  @Test func phrasePatternsDoNotMatchPartsOfTokens() throws {
    // "York" is a token of "New York-based"; "York-based" is not one token, and "NATO" is not
    // inside "NATOs".
    let found = try matches(
      """
      {"label": "LOC", "pattern": "York"}
      {"label": "ORG", "pattern": "NATO"}
      """, in: "NATOs and York-based groups")
    #expect(found == ["York/LOC"])
  }

  @Test func matchingSkipsWhitespaceTokens() throws {
    let found = try matches(
      """
      {"label": "ORG", "pattern": "European Union"}
      {"label": "PER", "pattern": [{"LOWER": "sergei"}, {"LOWER": "lavrov"}]}
      """, in: "The European\n\nUnion and Sergei   Lavrov.")
    #expect(found == ["European\n\nUnion/ORG", "Sergei   Lavrov/PER"])
  }

  // MARK: - Token patterns

  @Test func tokenPatternsCompareLowerOrVerbatimText() throws {
    let found = try matches(
      """
      {"label": "PER", "pattern": [{"lower": "sergei"}, {"lower": "lavrov"}], "id": "lavrov"}
      {"label": "ORG", "pattern": [{"TEXT": "nato"}]}
      {"label": "ORG", "pattern": [{"ORTH": "NATO"}, {"LOWER": "officials"}]}
      {"label": "LOC", "pattern": [{"LOWER": "Brussels"}]}
      """)
    #expect(found == ["Sergei Lavrov/PER", "NATO officials/ORG"])
  }

  @Test func oneOrMoreTakesARunOfTitleCaseTokens() throws {
    let found = try matches(
      #"{"label": "ORG", "pattern": [{"IS_TITLE": true, "OP": "+"}, {"LOWER": "department"}]}"#)
    #expect(found == ["U.S. State Department/ORG"])
  }

  @Test func allMatchesListsEveryLengthAQuantifierAllows() throws {
    let found = try allMatches(
      #"{"label": "ORG", "pattern": [{"IS_TITLE": true, "OP": "+"}, {"LOWER": "department"}]}"#)
    #expect(found == ["U.S. State Department/ORG", "State Department/ORG"])
  }

  @Test func optionalTokenMayBeMissing() throws {
    let pattern =
      #"{"label": "MISC", "pattern": [{"LOWER": "foreign", "OP": "?"}, {"LOWER": "minister"}]}"#
    #expect(try allMatches(pattern) == ["Foreign Minister/MISC", "Minister/MISC"])
    #expect(try matches(pattern) == ["Foreign Minister/MISC"])
    #expect(try matches(pattern, in: "the minister said") == ["minister/MISC"])
  }

  @Test func zeroOrMoreSpansAnyNumberOfTokens() throws {
    let pattern =
      #"{"label": "ORG", "pattern": [{"LOWER": "the"}, {"IS_TITLE": true, "OP": "*"}, {"LOWER": "union"}]}"#
    #expect(try matches(pattern) == ["The European Union/ORG"])
    #expect(try matches(pattern, in: "the union") == ["the union/ORG"])
  }

  @Test func notConsumesOneTokenThatFailsTheTest() throws {
    let found = try matches(
      #"{"label": "MISC", "pattern": [{"LOWER": "on"}, {"IS_TITLE": true}, {"IS_PUNCT": true, "OP": "!"}]}"#
    )
    #expect(found == ["on Wednesday they/MISC"])
  }

  @Test func inAndLikeNumMatchAmounts() throws {
    let found = try matches(
      """
      {"label": "MISC", "pattern": [{"LIKE_NUM": true, "OP": "+"}, {"LOWER": {"IN": ["euros", "dollars"]}}]}
      {"label": "MISC", "pattern": [{"LIKE_NUM": true}, {"LOWER": "percent"}]}
      {"label": "LOC", "pattern": [{"LOWER": {"IN": ["brussels", "kyiv"]}}]}
      """)
    #expect(found == ["Brussels/LOC", "1.5 billion euros/MISC", "15 percent/MISC"])
  }

  @Test func notInLengthAndShapeNarrowTokens() throws {
    let found = try matches(
      """
      {"label": "ORG", "pattern": [{"SHAPE": "XXXX"}, {"LOWER": {"NOT_IN": ["leaders"]}, "LENGTH": {">": 5}}]}
      {"label": "MISC", "pattern": [{"IS_TITLE": true, "LENGTH": 7, "IS_ALPHA": true}, {"IS_UPPER": false, "IS_TITLE": true}]}
      """)
    #expect(found == ["Russian Foreign/MISC", "NATO officials/ORG"])
  }

  @Test func anEmptyTokenObjectMatchesAnyToken() throws {
    #expect(
      try matches(#"{"label": "PER", "pattern": [{"LOWER": "lavrov"}, {}]}"#) == ["Lavrov met/PER"])
  }

  @Test func patternsThatCanMatchNothingNeverGiveEmptyMatches() throws {
    #expect(try allMatches(#"{"label": "PER", "pattern": [{"LOWER": "zzz", "OP": "*"}]}"#).isEmpty)
  }

  // MARK: - Overlaps

  @Test func keepsTheLongestMatchesThatDoNotOverlap() throws {
    let found = try matches(
      """
      {"label": "MISC", "pattern": "European"}
      {"label": "ORG", "pattern": "Union"}
      {"label": "ORG", "pattern": "European Union"}
      {"label": "MISC", "pattern": "Union pledged"}
      """)
    #expect(found == ["European Union/ORG"])
  }

  @Test func equalLengthsGoToTheEarlierMatchThenTheEarlierPattern() throws {
    let found = try matches(
      """
      {"label": "MISC", "pattern": "b c"}
      {"label": "PER", "pattern": "a b"}
      {"label": "ORG", "pattern": "a b"}
      """, in: "a b c")
    #expect(found == ["a b/PER"])
  }

  @Test func aShorterMatchOfAPatternFillsWhatALongerOneLeaves() throws {
    // As spaCy: every length a quantifier allows is a candidate, so "a" survives when "a b"
    // loses "b" to a longer match.
    let found = try matches(
      """
      {"label": "PER", "pattern": [{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}]}
      {"label": "ORG", "pattern": "b c d"}
      """, in: "a b c d")
    #expect(found == ["a/PER", "b c d/ORG"])
  }

  // MARK: - Offsets and sources

  @Test func offsetsCountCodePointsAfterEmojiAndCJK() throws {
    let text = "🇺🇦👍🏽 北京消息: NATO chief Sergei Lavrov"
    let patterns = try EntityPattern.parseJSONLines(
      """
      {"label": "ORG", "pattern": "NATO"}
      {"label": "PER", "pattern": [{"LOWER": "sergei"}, {"LOWER": "lavrov"}], "id": "lavrov"}
      """, schema: nil)
    let found = PatternMatcher(patterns: patterns).matches(
      in: ScalarText(text), tokens: Tokenizer().tokenize(text))
    // 🇺🇦 is 2 code points, 👍🏽 is 2, then a space, 北京消息 is 4, ": " is 2.
    #expect(
      found == [
        PatternMatch(range: 11..<15, label: "ORG", patternIndex: 0),
        PatternMatch(range: 22..<35, label: "PER", patternIndex: 1, patternID: "lavrov"),
      ])
  }

  @Test func tenThousandIndexedPatternsStillFindTheirMatch() throws {
    // Given many patterns keyed by their first word, and some keyed by flags only
    var patterns = (0..<10_000).map {
      EntityPattern.tokens([TokenSpec([.lower(.equals("w\($0)"))]), TokenSpec([])], label: "MISC")
    }
    patterns.append(
      .tokens(
        [TokenSpec([.flag(.likeNum, true)]), TokenSpec([.lower(.equals("percent"))])], label: "MISC"
      ))
    patterns.append(
      .tokens([TokenSpec([.lower(.equals("w9999"))]), TokenSpec([]), TokenSpec([])], label: "ORG"))
    let matcher = PatternMatcher(patterns: patterns)
    let text = "up 15 percent in W9999 now ok"
    let found = matcher.matches(in: ScalarText(text), tokens: Tokenizer().tokenize(text))
    #expect(rendered(found, in: ScalarText(text)) == ["15 percent/MISC", "W9999 now ok/ORG"])
  }
}
