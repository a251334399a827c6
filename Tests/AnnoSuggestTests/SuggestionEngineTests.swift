import AnnoCore
import AnnoSuggest
import AnnoTestSupport
import Testing

@Suite struct SuggestionEngineTests {
  static let patterns = """
    {"label": "ORG", "pattern": "NATO", "id": "nato"}
    {"label": "PER", "pattern": [{"LOWER": "sergei"}, {"LOWER": "lavrov"}], "id": "lavrov"}
    {"label": "ORG", "pattern": "European Union"}
    """
  static let learned: [Gazetteer.Entry] = [
    .init(text: "Brussels", label: "LOC", count: 5),
    .init(text: "Brussels", label: "ORG", count: 1),
    .init(text: "Lavrov", label: "PER", count: 2),
    .init(text: "Union", label: "ORG", count: 1),
    .init(text: "European Union summit", label: "MISC", count: 1),
  ]

  func engine() throws -> SuggestionEngine {
    let patterns = try EntityPattern.parseJSONLines(Self.patterns, schema: nil)
    return SuggestionEngine(
      patterns: PatternMatcher(patterns: patterns), gazetteer: Gazetteer(entries: Self.learned))
  }

  /// `⟦LABEL text⟧` marks for each suggestion, as `MarkedText` reads them.
  func marked(_ text: String, _ suggestions: [SpanSuggestion]) -> String {
    let scalars = ScalarText(text)
    var out = ""
    var offset = 0
    for suggestion in suggestions {
      out +=
        scalars[offset..<suggestion.range.lowerBound] + "⟦\(suggestion.label) "
        + scalars[suggestion.range] + "⟧"
      offset = suggestion.range.upperBound
    }
    return out + scalars[offset..<scalars.count]
  }

  @Test func combinesPatternsAndTheGazetteerSortedByStart() throws {
    let text = "Sergei Lavrov met NATO envoys in Brussels."
    let found = try engine().suggestions(
      text: ScalarText(text), tokens: Tokenizer().tokenize(text), existing: [])
    #expect(marked(text, found) == "⟦PER Sergei Lavrov⟧ met ⟦ORG NATO⟧ envoys in ⟦LOC Brussels⟧.")
    #expect(
      found.map(\.source) == [
        .pattern(id: "lavrov", index: 1),
        .pattern(id: "nato", index: 0),
        .learned(try #require(LabelDistribution(counts: ["LOC": 5, "ORG": 1]))),
      ])
  }

  @Test func theLongerMatchWinsAcrossSourcesAndPatternsWinTies() throws {
    // "European Union summit" (learned) is longer than the "European Union" pattern; "Union"
    // alone ties with nothing. Without the summit, the pattern beats the learned "Union".
    let text = "The European Union summit and the European Union."
    let found = try engine().suggestions(
      text: ScalarText(text), tokens: Tokenizer().tokenize(text), existing: [])
    #expect(marked(text, found) == "The ⟦MISC European Union summit⟧ and the ⟦ORG European Union⟧.")
    #expect(found.last?.source == .pattern(id: nil, index: 2))
  }

  @Test func skipsRangesAlreadyAnnotatedWhateverTheLabel() throws {
    // Given "NATO" already annotated (as MISC) and "Lavrov" inside an existing span
    let sample = try MarkedText("Sergei ⟦PER Lavrov⟧ met ⟦MISC NATO⟧ in Brussels.")
    let tokens = Tokenizer().tokenize(sample.text)
    // When suggestions are computed
    let found = try engine().suggestions(
      text: ScalarText(sample.text), tokens: tokens, existing: sample.spans)
    // Then neither the equal range nor the overlapping pattern is proposed
    #expect(marked(sample.text, found) == "Sergei Lavrov met NATO in ⟦LOC Brussels⟧.")
  }

  @Test func canKeepSuggestionsThatOnlyOverlapExistingSpans() throws {
    let sample = try MarkedText("Sergei ⟦PER Lavrov⟧ met ⟦MISC NATO⟧ in Brussels.")
    let tokens = Tokenizer().tokenize(sample.text)
    let found = try engine().suggestions(
      text: ScalarText(sample.text), tokens: tokens, existing: sample.spans,
      excludingOverlaps: false)
    #expect(marked(sample.text, found) == "⟦PER Sergei Lavrov⟧ met NATO in ⟦LOC Brussels⟧.")
  }

  @Test func aClashingLongMatchLetsAShorterOneThrough() throws {
    // "European Union summit" overlaps the annotated "summit"; "European Union" is proposed.
    let sample = try MarkedText("The European Union ⟦MISC summit⟧.")
    let found = try engine().suggestions(
      text: ScalarText(sample.text), tokens: Tokenizer().tokenize(sample.text),
      existing: sample.spans)
    #expect(marked(sample.text, found) == "The ⟦ORG European Union⟧ summit.")
  }

  @Test func offsetsCountCodePointsAfterEmojiAndCJK() throws {
    let text = "👩‍👩‍👧 東京 and 🇬🇪: Lavrov in Brussels"
    let found = try engine().suggestions(
      text: ScalarText(text), tokens: Tokenizer().tokenize(text), existing: [])
    // 👩‍👩‍👧 is 5 code points, 🇬🇪 is 2.
    #expect(found.map(\.range) == [17..<23, 27..<35])
    #expect(marked(text, found) == "👩‍👩‍👧 東京 and 🇬🇪: ⟦PER Lavrov⟧ in ⟦LOC Brussels⟧")
  }

  @Test func worksWithEitherSourceAloneOrNone() throws {
    let text = "Lavrov in Brussels."
    let tokens = Tokenizer().tokenize(text)
    let learnedOnly = SuggestionEngine(patterns: nil, gazetteer: Gazetteer(entries: Self.learned))
    #expect(
      learnedOnly.suggestions(text: ScalarText(text), tokens: tokens, existing: []).map(\.label)
        == ["PER", "LOC"])
    let none = SuggestionEngine(patterns: nil, gazetteer: nil)
    #expect(none.suggestions(text: ScalarText(text), tokens: tokens, existing: []).isEmpty)
  }

  @Test func givesTheSameAnswerEveryTime() throws {
    let text = "Sergei Lavrov met NATO envoys in Brussels. The European Union summit."
    let engine = try engine()
    let tokens = Tokenizer().tokenize(text)
    let first = engine.suggestions(text: ScalarText(text), tokens: tokens, existing: [])
    for _ in 0..<20 {
      #expect(engine.suggestions(text: ScalarText(text), tokens: tokens, existing: []) == first)
    }
  }
}
