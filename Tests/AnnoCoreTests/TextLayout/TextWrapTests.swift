import AnnoCore
import Testing

@Suite struct TextWrapTests {
  @Test func wrapsAtWordsWithAHangingIndent() {
    #expect(
      TextWrap.wrap("one two three four five", width: 10, indent: "  ")
        == ["one two", "  three", "  four", "  five"])
  }

  @Test func cutsAWordWiderThanTheLine() {
    let pieces = TextWrap.wrap("see https://example.org/a/very/long/path now", width: 12)
    #expect(pieces == ["see", "https://exam", "ple.org/a/ve", "ry/long/path", "now"])
  }

  @Test func measuresColumnsNotCharactersAndKeepsEscapesWhole() {
    // Wide characters take two columns; colour escapes none, and are never cut.
    let pieces = TextWrap.wrap("王毅 \u{1B}[1mmet\u{1B}[0m 王毅 again", width: 8)
    #expect(pieces == ["王毅 \u{1B}[1mmet\u{1B}[0m", "王毅", "again"])
    #expect(pieces.allSatisfy { DisplayText.width(of: $0) <= 8 })
    let cut = TextWrap.wrap("\u{1B}[36mabcdefghij\u{1B}[0m", width: 4)
    #expect(cut.joined() == "\u{1B}[36mabcdefghij\u{1B}[0m")
    #expect(cut.map { DisplayText.width(of: $0) } == [4, 4, 2])
  }

  @Test func wrapsEveryLineUnderItsOwnIndentAndListMarker() {
    let text = "short\n  - a list item that goes on and on\n3. numbered item that wraps too\n"
    #expect(
      TextWrap.wrapLines(text, width: 20) == """
        short
          - a list item that
            goes on and on
        3. numbered item
           that wraps too

        """)
  }

  @Test func leavesLinesThatFitAsTheyAre() {
    #expect(TextWrap.wrapLines("  a  b  \n", width: 40) == "  a  b  \n")
  }

  @Test func tablesNarrowTheirWidestColumnsToFitAndWrapCells() {
    let rows = [
      ["1", "tag LOC 202:216", "a summary long enough to need more than one line here"],
      ["2", "done", "short"],
    ]
    let table = TextTable.render(
      headers: ["#", "action", "change"], rows: rows, palette: Palette(isEnabled: false),
      width: 40)
    let lines = table.split(separator: "\n").map(String.init)
    #expect(lines.allSatisfy { DisplayText.width(of: $0) <= 40 }, "\(table)")
    #expect(
      table == """
        #  action           change
        1  tag LOC 202:216  a summary long
                            enough to need more
                            than one line here
        2  done             short

        """)
    // Without a width, as before: one line per row.
    let natural = TextTable.render(
      headers: ["#", "action", "change"], rows: rows, palette: Palette(isEnabled: false))
    #expect(natural.split(separator: "\n").count == 3)
  }
}
