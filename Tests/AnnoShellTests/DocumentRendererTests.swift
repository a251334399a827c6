import AnnoCore
import AnnoShell
import AnnoTestSupport
import Testing

@Suite struct DocumentRendererTests {
  let plain = Palette(isEnabled: false)

  func render(_ marked: String, width: Int = 80) throws -> String {
    let sample = try MarkedText(marked)
    let spans = sample.spans.enumerated().map {
      RenderedSpan(range: $0.element.range, label: $0.element.label, number: "#\($0.offset + 1)")
    }
    return DocumentRenderer.render(
      text: ScalarText(sample.text), spans: spans, width: width, palette: plain)
  }

  @Test func bracketsSpansInlineWithLabelAndID() throws {
    #expect(
      try render("⟦PER John Kerry⟧ met ⟦PER Sergei Lavrov⟧.")
        == "1 │ [John Kerry]PER#1 met [Sergei Lavrov]PER#2.\n")
  }

  @Test func nestsNestedSpans() throws {
    #expect(
      try render("⟦ORG ⟦LOC Paris⟧ Saint-Germain⟧ won.")
        == "1 │ [[Paris]LOC#1 Saint-Germain]ORG#2 won.\n")
  }

  @Test func keepsCrossingSpansLegibleByID() throws {
    let text = ScalarText("New York Times Square")
    let spans = [
      RenderedSpan(range: 0..<14, label: "ORG", number: "#1"),
      RenderedSpan(range: 4..<21, label: "LOC", number: "@ann2#4"),
    ]
    #expect(
      DocumentRenderer.render(text: text, spans: spans, width: 80, palette: plain)
        == "1 │ [New [York Times]ORG#1 Square]LOC@ann2#4\n")
  }

  @Test func numbersParagraphsAndWrapsToTheWidth() throws {
    let output = try render(
      "First para has ⟦LOC Sochi⟧ and more words here.\r\n\r\nSecond one.", width: 24)
    #expect(
      output == """
        1 │ First para has
          │ [Sochi]LOC#1 and
          │ more words here.
          │
        2 │ Second one.

        """)
  }

  @Test func neverSendsControlCharactersToTheTerminal() throws {
    let output = try render("Evil \u{1B}[31mred\u{1B}[0m \u{7} ⟦PER bell⟧")
    #expect(!output.unicodeScalars.contains("\u{1B}"))
    #expect(!output.unicodeScalars.contains("\u{7}"))
    #expect(output == "1 │ Evil ␛[31mred␛[0m ␇ [bell]PER#1\n")
  }

  @Test func coloursOnlyWhenThePaletteIsOn() throws {
    let sample = try MarkedText("⟦PER Ada⟧")
    let spans = [
      RenderedSpan(range: sample.spans[0].range, label: "PER", number: "#1", color: "cyan")
    ]
    let coloured = DocumentRenderer.render(
      text: ScalarText(sample.text), spans: spans, width: 80, palette: Palette(isEnabled: true))
    #expect(coloured.contains("\u{1B}[36m"))
    let bare = DocumentRenderer.render(
      text: ScalarText(sample.text), spans: spans, width: 80, palette: plain)
    #expect(!bare.contains("\u{1B}"))
  }

  @Test func measuresWideAndZeroWidthCharacters() {
    #expect(DisplayText.width(of: "王毅") == 4)
    #expect(DisplayText.width(of: "Zoe\u{308}") == 3)
    #expect(DisplayText.width(of: "👍🏽") == 2)
    #expect(DisplayText.width(of: "\u{1B}[1mab\u{1B}[0m") == 2)
  }

  @Test func tablesAlignColumnsByDisplayWidth() {
    let table = TextTable.render(
      headers: ["#", "text"], rows: [["1", "王毅"], ["10", "x"]], palette: plain)
    #expect(table == "#   text\n1   王毅\n10  x\n")
  }
}

@Suite struct DocumentParagraphTests {
  @Test func drawsParagraphsOneByOneAndJoinsARange() throws {
    let sample = try MarkedText("One ⟦PER Ada⟧.\n\nTwo.\n\nThree ⟦LOC Oslo\n\nFour⟧ ends.")
    let spans = sample.spans.enumerated().map {
      RenderedSpan(range: $0.element.range, label: $0.element.label, number: "#\($0.offset + 1)")
    }
    let plain = Palette(isEnabled: false)
    let paragraphs = DocumentRenderer.paragraphs(
      text: ScalarText(sample.text), spans: spans, width: 80, palette: plain)
    #expect(
      paragraphs == [
        "1 │ One [Ada]PER#1.\n", "2 │ Two.\n", "3 │ Three [Oslo\n", "4 │ Four]LOC#2 ends.\n",
      ])
    #expect(
      DocumentRenderer.join(paragraphs, 2...3, palette: plain) == "2 │ Two.\n  │\n3 │ Three [Oslo\n"
    )
  }
}
