import AnnoCore
import AnnoShell
import AnnoTestSupport
import Foundation
import Testing

/// Shell output that fits the width it is given, and paragraph ranges, through the binary with
/// scripts on standard input (the pseudo-terminal test resizes a real terminal and pages).
@Suite struct ShellOutputTests {
  static let article = (1...6).map { n in
    "Paragraph \(n) says that Sergei Lavrov met John Kerry in Sochi, where talks went on for hours."
  }.joined(separator: "\n\n")

  func makeDatabase(_ folder: TemporaryDirectory) throws -> String {
    let db = folder.file("o.sqlite")
    let line = #"{"id": "talks", "title": "Talks", "text": "\#(Self.article)"}"#
    let input = try folder.write(
      "docs.jsonl", line.replacingOccurrences(of: "\n", with: "\\n") + "\n")
    let result = try AnnoBinary.run(["--db", db, "import", input])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  @Test func helpGuideHistoryFindAndTablesWrapToTheWidth() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let script = """
      open talks
      tag PER "Sergei Lavrov" all
      help
      help tag
      guide
      guide PER
      history
      find Lavrov Sochi
      show spans
      list all

      """
    let result = try AnnoBinary.run(
      ["--db", db, "shell"], stdin: script, environment: ["COLUMNS": "60"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let wide = lines.filter { DisplayText.width(of: $0) > 60 }
    #expect(wide.isEmpty, "wider than 60 columns:\n\(wide.joined(separator: "\n"))")
    // The wrapped text is all there: a long abstract continues under its column.
    #expect(
      result.stdout.contains("accept     Accept suggestion sN, all suggestions or those of\n"))
    #expect(lines.count > 80)
  }

  @Test func showNToMShowsThoseParagraphs() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run(
      ["--db", db, "shell"], stdin: "open talks\nshow 3-4\nshow 6\nshow 5-9\n",
      environment: ["COLUMNS": "100"])
    #expect(result.status == 1)
    #expect(
      result.stdout == """
        opened talks
        talks: paragraphs 3–4 of 6
        3 │ Paragraph 3 says that Sergei Lavrov met John Kerry in Sochi, where talks went on for hours.
          │
        4 │ Paragraph 4 says that Sergei Lavrov met John Kerry in Sochi, where talks went on for hours.
        talks: paragraph 6 of 6
        6 │ Paragraph 6 says that Sergei Lavrov met John Kerry in Sochi, where talks went on for hours.

        """)
    #expect(
      result.stderr
        == "line 4: this document has paragraphs 1 to 6; 'show 1-3' shows the first ones\n")
  }
}
