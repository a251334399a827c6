import AnnoCore
import Testing

/// Parsing what follows `tag LABEL`, and resolving it against a document's tokens.
@Suite struct SpanSelectorTests {
  static func words(_ items: [(String, Bool)]) -> [ShellWord] {
    items.map { ShellWord($0.0, isQuoted: $0.1) }
  }

  @Test func quotedWordsArePhrasesOfTheirOwnAndUnquotedWordsRunTogether() throws {
    #expect(
      try SpanSelector.parse(Self.words([("Sergei", false), ("Lavrov", false), ("all", false)]))
        == [.text("Sergei Lavrov", .all)])
    #expect(
      try SpanSelector.parse(Self.words([("A", true), ("B", true), ("#2", false)]))
        == [.text("A", .firstUntagged), .text("B", .nth(2))])
    #expect(
      try SpanSelector.parse(
        Self.words([("Lavrov", true), ("#2", false), ("#3", false), ("t1", false), ("#3", false)]))
        == [
          .text("Lavrov", .nth(2)), .text("Lavrov", .nth(3)), .tokens(1...1),
          .span(SpanReference(ids: 3...3)),
        ])
    #expect(
      try SpanSelector.parse(Self.words([("all", true), ("12:20", true)]))
        == [.text("all", .firstUntagged), .text("12:20", .firstUntagged)])
    #expect(
      try SpanSelector.parse(
        Self.words([
          ("12:20", false), ("t3-t5", false), ("/Black Sea/", false), ("#7", false),
          ("@ann2#4", false), ("/x/", true),
        ]))
        == [
          .offsets(12..<20), .tokens(3...5), .pattern("Black Sea"),
          .span(SpanReference(ids: 7...7)), .span(SpanReference(annotator: "ann2", ids: 4...4)),
          .pattern("x"),
        ])
  }

  @Test func refusesWhatIsNotASelector() {
    #expect(throws: SpanSelector.ParseError.self) { try SpanSelector.parse([]) }
    #expect(
      throws: SpanSelector.ParseError(description: "'#0' is not an occurrence; write #1, #2, ...")
    ) {
      try SpanSelector.parse(Self.words([("Lavrov", false), ("#0", false)]))
    }
    #expect(throws: SpanSelector.ParseError(description: "the text to tag is empty")) {
      try SpanSelector.parse(Self.words([(" ", true)]))
    }
  }

  @Test func spanReferencesNameIDsRangesAndOtherAnnotators() {
    #expect(SpanReference("#7", allowsBareNumber: false) == SpanReference(ids: 7...7))
    #expect(SpanReference("7", allowsBareNumber: false) == nil)
    #expect(SpanReference("7", allowsBareNumber: true) == SpanReference(ids: 7...7))
    #expect(SpanReference("#5-#8", allowsBareNumber: false) == SpanReference(ids: 5...8))
    #expect(SpanReference("#5-8", allowsBareNumber: false) == SpanReference(ids: 5...8))
    #expect(SpanReference("#8-#5", allowsBareNumber: false) == nil)
    #expect(SpanReference("#0", allowsBareNumber: false) == nil)
    #expect(
      SpanReference("ann2#4", allowsBareNumber: false)
        == SpanReference(annotator: "ann2", ids: 4...4))
    #expect(SpanReference("ann2#4", allowsBareNumber: false)?.description == "ann2#4")
    #expect(SpanReference("#5-#8", allowsBareNumber: false)?.description == "#5-#8")
  }

  static let text =
    "Russia’s fleet left. Russian ships, the West and Westerners met Sergei\nLavrov."

  static func locator() -> TextLocator {
    let scalars = ScalarText(text)
    return TextLocator(text: scalars, tokens: Tokenizer().tokenize(scalars: scalars.scalars))
  }

  func ranges(_ selector: SpanSelector, _ options: TextLocator.Options = .init()) throws
    -> [String]
  {
    let locator = Self.locator()
    return try locator.resolve(selector, options: options).ranges.map {
      locator.text[$0.range]
    }
  }

  @Test func phrasesMatchWholeTokensOnly() throws {
    #expect(try ranges(.text("Russia", .all)) == ["Russia"])
    #expect(try ranges(.text("West", .all)) == ["West"])
    #expect(try ranges(.text("Russia", .all), .init(boundaries: .snap)) == ["Russia", "Russian"])
    #expect(try ranges(.text("West", .all), .init(boundaries: .chars)) == ["West", "West"])
    let locator = Self.locator()
    let cut = try locator.resolve(.text("Russia", .all)).cut
    #expect(cut.map { locator.text[$0] } == ["Russia"])
    #expect(cut.first?.lowerBound == 21)
  }

  @Test func phrasesMatchTypographicQuotesAnyWhitespaceAndCaseOnRequest() throws {
    #expect(try ranges(.text("Russia's", .all)) == ["Russia’s"])
    #expect(try ranges(.text("Sergei Lavrov", .all)) == ["Sergei\nLavrov"])
    #expect(try ranges(.text("russian", .all), .init(ignoresCase: true)) == ["Russian"])
    #expect(TextLocator.sameText("Putin’s  aide", "Putin's aide"))
  }

  @Test func aMissSaysWhatTheDocumentHas() {
    let locator = Self.locator()
    func message(_ phrase: String) -> String {
      do {
        _ = try locator.resolve(.text(phrase, .firstUntagged))
        return ""
      } catch {
        return error.description
      }
    }
    #expect(
      message("Wester")
        == #""Wester" occurs only inside other words here: "Westerners" (1×); tag those words, or give --snap (whole words) or --chars (these characters)"#
    )
    #expect(
      message("russian")
        == #""russian" does not occur as typed (case matters); did you mean "Russian"? (-i ignores case)"#
    )
    #expect(
      message("Sergey Lavrov")
        == #""Sergey Lavrov" does not occur in this document; did you mean "Sergei Lavrov"?"#)
    #expect(message("Merkel") == #""Merkel" does not occur in this document"#)
    // Of two equally near, the one closer in case.
    let dateline = ScalarText("GDAŃSK, May 2 — Gdańsk port.")
    let near = TextLocator(
      text: dateline, tokens: Tokenizer().tokenize(scalars: dateline.scalars))
    #expect(near.nearest(to: "Gdansk") == "Gdańsk")
  }

  @Test func rangesThatCutATokenAreRefusedUnlessSnappedOrKept() throws {
    let locator = Self.locator()
    #expect(throws: TextLocator.Failure.self) { try locator.resolve(.offsets(23..<28)) }
    #expect(try ranges(.offsets(23..<28), .init(boundaries: .snap)) == ["Russian"])
    #expect(try ranges(.offsets(23..<28), .init(boundaries: .chars)) == ["ssian"])
    #expect(try ranges(.offsets(20..<28)) == ["Russian"])  // whitespace trimmed
    let regex = try locator.resolve(.pattern("West"))
    #expect(regex.ranges.map { locator.text[$0.range] } == ["West"])
    #expect(regex.cut.map { locator.text[$0] } == ["West"])
  }

  @Test func firstUntaggedSkipsTakenOccurrencesAndReturnsEveryOneWhenAllAreTaken() throws {
    let locator = Self.locator()
    let all = try locator.resolve(.text("West", .all), options: .init(boundaries: .chars))
    let first = try #require(all.ranges.first?.range)
    let next = try locator.resolve(
      .text("West", .firstUntagged), options: .init(boundaries: .chars)
    ) { $0 == first }
    #expect(next.ranges.map(\.range) == [all.ranges[1].range])
    let none = try locator.resolve(.text("West", .firstUntagged)) { _ in true }
    #expect(none.ranges.count == 1)
  }
}
