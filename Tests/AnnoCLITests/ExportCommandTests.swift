import AnnoTestSupport
import Foundation
import Testing

/// End-to-end tests of `anno export` through the built binary.
@Suite struct ExportCommandTests {
  static let fixture = """
    {"id": "kerry", "text": "John Kerry met Сергей Лавров in Sochi 🇷🇺 on Tuesday.\\r\\nThe U.S. and Russia 👍🏽 agreed.", "title": "Talks", "meta": {"source": "wire", "n": 3}, "annotator": "ann1", "status": "done", "entities": [{"start": 0, "end": 10, "label": "PER", "text": "John Kerry"}, {"start": 15, "end": 28, "label": "PER"}, {"start": 32, "end": 37, "label": "LOC"}], "sentiment": "neutral", "span_sentiments": [{"start": 15, "end": 28, "value": "negative"}], "stances": [{"target": "Kremlin", "value": "against"}, {"target": "United States", "value": "favor", "start": 58, "end": 62}], "labels": {"topic": "diplomacy", "urgency": 4}, "notes": [{"text": "check the quote", "start": 0, "end": 10}]}
    {"id": "kerry", "annotator": "ann2", "status": "in_progress", "entities": [], "sentiment": "negative"}
    {"id": "cafe\\u0301", "text": "Café Müller (Zoe\\u0308) in 東京.", "annotator": "ann2", "status": "flagged", "flag_reason": "unsure", "entities": [{"start": 0, "end": 12, "label": "ORG"}], "labels": {}}
    {"id": "plain", "text": "Nobody annotated this."}

    """

  @Test func reimportingAnAnnoExportReproducesItByteForByte() throws {
    let folder = try TemporaryDirectory()
    let input = try folder.write("in.jsonl", Self.fixture)
    let first = folder.file("first.sqlite")
    try #require(try AnnoBinary.run(["--db", first, "import", input]).status == 0)
    let export1 = try AnnoBinary.run([
      "--db", first, "export", "--include-unfinished", "--out", folder.file("one.jsonl"),
    ])
    #expect(export1.status == 0, "\(export1.stderr)")
    let second = folder.file("second.sqlite")
    let reimport = try AnnoBinary.run(["--db", second, "import", folder.file("one.jsonl")])
    #expect(reimport.status == 0, "\(reimport.stderr)")
    let export2 = try AnnoBinary.run([
      "--db", second, "export", "--include-unfinished", "--out", folder.file("two.jsonl"),
    ])
    #expect(export2.status == 0)
    let one = try #require(FileManager.default.contents(atPath: folder.file("one.jsonl")))
    let two = try #require(FileManager.default.contents(atPath: folder.file("two.jsonl")))
    #expect(one == two)
    let lines = String(decoding: one, as: UTF8.self).split(separator: "\n")
    #expect(lines.count == 3)
    // Annotated-none stays an empty list, not-annotated stays absent; CRLF and meta survive.
    #expect(lines[1].contains(#""annotator":"ann2","entities":[],"id":"kerry""#))
    #expect(!lines[1].contains("span_sentiments"))
    #expect(lines[1].contains(#"\r\n"#))
    #expect(lines[2].contains(#""labels":{},"offsets":"codepoint","status":"flagged""#))
  }

  @Test func onlyFinishedDocumentsByDefaultAndOneAnnotatorOnRequest() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    try #require(
      try AnnoBinary.run(["--db", db, "import", try folder.write("in.jsonl", Self.fixture)]).status
        == 0)
    let done = try AnnoBinary.run(["--db", db, "export"])
    #expect(done.stdout.split(separator: "\n").count == 1)
    #expect(done.stderr == "exported 1 document as anno\nspans: LOC 1, PER 2\n")
    let ann2 = try AnnoBinary.run([
      "--db", db, "--annotator", "ann2", "export", "--include-unfinished", "--format", "csv",
    ])
    #expect(
      ann2.stdout
        == "id,annotator,sentiment,stance:European Union,stance:Russia,stance:United States,stances_other,topic,urgency\r\nkerry,ann2,negative,,,,,,\r\ncafé,ann2,,,,,,,\r\n"
    )
  }

  @Test func misalignedSpansAreAnErrorThatNamesThem() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let input = try folder.write(
      "in.jsonl",
      #"{"id": "d", "text": "Kerry’s visit", "annotator": "a", "entities": [{"start": 0, "end": 3, "label": "PER"}]}"#
        + "\n")
    try #require(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    let target = folder.file("out.conll")
    let result = try AnnoBinary.run(["--db", db, "export", "--format", "conll", "--out", target])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains(
        "document 'd': span 0..<3 \"Ker\" [PER] ends inside token 0..<5 \"Kerry\""))
    #expect(!FileManager.default.fileExists(atPath: target))
    let expanded = try AnnoBinary.run([
      "--db", db, "export", "--format", "conll", "--misaligned", "expand", "--out", target,
    ])
    #expect(expanded.status == 0, "\(expanded.stderr)")
    #expect(try String(contentsOfFile: target, encoding: .utf8).contains("Kerry -X- _ B-PER\n"))
  }
}
