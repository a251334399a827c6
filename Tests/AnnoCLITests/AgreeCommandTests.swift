import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// End-to-end tests of `anno agree` through the built binary.
@Suite struct AgreeCommandTests {
  /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units,
  /// values 1–5 with missing data; published α interval 0.849, nominal 0.743.
  static let reliabilityData: [[Int?]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
    [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
  ]

  func makeDatabase(_ folder: TemporaryDirectory) throws -> String {
    var lines: [String] = []
    for unit in 0..<12 {
      for (observer, row) in Self.reliabilityData.enumerated() {
        let text = observer == 0 ? #", "text": "Unit \#(unit)""# : ""
        let label = row[unit].map { #""labels": {"urgency": \#($0)}"# } ?? #""labels": {}"#
        lines.append(#"{"id": "u\#(unit)"\#(text), "annotator": "obs\#(observer + 1)", \#(label)}"#)
      }
    }
    let db = folder.file("a.sqlite")
    // Krippendorff's example is interval data; the bundled urgency is ordinal.
    let schema = try folder.write(
      "schema.yaml",
      BundledGuidelines.schemaYAML.replacingOccurrences(
        of: "level: ordinal\n    values: [1, 2, 3, 4, 5]",
        with: "level: interval\n    values: [1, 2, 3, 4, 5]"))
    let result = try AnnoBinary.run([
      "--db", db, "--schema", schema, "import",
      try folder.write("r.jsonl", lines.joined(separator: "\n") + "\n"),
    ])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  @Test func reproducesKrippendorffsPublishedAlphaThroughTheCommand() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run([
      "--db", db, "agree", "--fields", "urgency", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let sections = try #require(json["sections"] as? [String: Any])
    let urgency = try #require(sections["urgency"] as? [String: Any])
    let measures = try #require(urgency["measures"] as? [String: Any])
    let interval = try #require(measures["alpha_interval"] as? Double)
    let nominal = try #require(measures["alpha_nominal"] as? Double)
    #expect((interval * 1000).rounded() / 1000 == 0.849)
    #expect((nominal * 1000).rounded() / 1000 == 0.743)
    #expect(measures["cohen_kappa@obs1,obs2"] != nil)
    #expect(measures["cohen_kappa@obs2,obs1"] == nil)
  }

  @Test func computesAgreementOnARatingsFileWithoutADatabase() throws {
    let folder = try TemporaryDirectory()
    var csv = "unit,obs1,obs2,obs3,obs4\n"
    for unit in 0..<12 {
      csv +=
        "u\(unit),"
        + Self.reliabilityData.map { $0[unit].map(String.init) ?? "" }.joined(separator: ",") + "\n"
    }
    let file = try folder.write("ratings.csv", csv)
    let result = try AnnoBinary.run([
      "agree", "--ratings", file, "--level", "interval", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let measures = try #require(
      ((json["sections"] as? [String: Any])?["ratings"] as? [String: Any])?["measures"]
        as? [String: Any])
    #expect(((measures["alpha_interval"] as? Double ?? 0) * 1000).rounded() / 1000 == 0.849)
    #expect(((measures["alpha_nominal"] as? Double ?? 0) * 1000).rounded() / 1000 == 0.743)
    let bad = try AnnoBinary.run([
      "agree", "--ratings", try folder.write("bad.csv", "unit,a,b\n1,x\n"),
    ])
    #expect(bad.status == 1)
    #expect(bad.stderr == "Error: \(folder.file("bad.csv")):2: 2 cells, but the header has 3\n")
    let twice = try AnnoBinary.run(["agree", "--ratings", file, "--categories", "1,2,1"])
    #expect(twice.status == 1)
    #expect(twice.stderr == "Error: --categories lists '1' twice\n")
  }

  @Test func writesReportsAtomicallyInEveryFormat() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    for format in ["text", "markdown", "json", "html"] {
      let out = folder.file("report.\(format)")
      let result = try AnnoBinary.run(["--db", db, "agree", "--format", format, "--out", out])
      #expect(result.status == 0, "\(format): \(result.stderr)")
      let written = try String(contentsOfFile: out, encoding: .utf8)
      #expect(!written.isEmpty)
      if format == "html" {
        #expect(written.contains("<svg"))
        #expect(!written.contains("http://") && !written.contains("https://"))
      }
    }
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.contains("tmp")
    }
    #expect(leftovers.isEmpty)
  }

  @Test func scoresAnnotatorsAgainstGold() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("g.sqlite")
    let input = try folder.write(
      "g.jsonl",
      """
      {"id": "k", "text": "John Kerry met Sergei Lavrov.", "annotator": "ann1", "entities": [{"start": 0, "end": 10, "label": "PER"}], "sentiment": "neutral"}
      {"id": "k", "annotator": "ann2", "entities": [{"start": 0, "end": 10, "label": "PER"}, {"start": 15, "end": 28, "label": "PER"}], "sentiment": "negative"}
      {"id": "k", "annotator": "gold", "entities": [{"start": 0, "end": 10, "label": "PER"}, {"start": 15, "end": 28, "label": "PER"}], "sentiment": "negative"}

      """)
    try #require(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    let result = try AnnoBinary.run(["--db", db, "agree", "--against", "gold", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains(#""span_exact_precision@ann1,gold#PER":1.0"#))
    #expect(result.stdout.contains(#""span_exact_recall@ann1,gold#PER":0.5"#))
    #expect(result.stdout.contains(#""span_exact_f1@ann2,gold":1.0"#))
    #expect(result.stdout.contains(#""percent_agreement@ann1,gold":0.0"#))
    let refused = try AnnoBinary.run(["--db", db, "agree", "--against", "ann2"])
    #expect(refused.status == 64)
  }

  /// Issue 23: `agree --against gold` printed its text form for markdown and html.
  @Test func scoresAgainstGoldInEveryFormatWithACautionOnFewDocuments() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("g.sqlite")
    let input = try folder.write(
      "g.jsonl",
      """
      {"id": "k", "text": "John Kerry met Sergei Lavrov.", "annotator": "ann1", "entities": [{"start": 0, "end": 10, "label": "PER"}], "sentiment": "neutral"}
      {"id": "k", "annotator": "gold", "entities": [{"start": 0, "end": 10, "label": "PER"}, {"start": 15, "end": 28, "label": "PER"}], "sentiment": "negative"}

      """)
    try #require(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    func run(_ format: String) throws -> String {
      let result = try AnnoBinary.run([
        "--db", db, "agree", "--against", "gold", "--format", format,
      ])
      #expect(result.status == 0, "\(format): \(result.stderr)")
      return result.stdout
    }
    let markdown = try run("markdown")
    #expect(
      markdown.hasPrefix("# Each annotator against the gold version, on 1 adjudicated document\n"))
    #expect(markdown.contains("| annotator | label | precision | recall | F1 | tp | fp | fn |"))
    #expect(markdown.contains("| ann1 | PER | 1.000 | 0.500 | 0.667 | 1 | 0 | 1 |"))
    #expect(
      markdown.contains("| sentiment | ann1 | 0.000 | 0.000 | 1 | only 1 unit (fewer than 20) |"))
    let html = try run("html")
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<tr><td>ann1</td><td>PER</td><td>1.000</td><td>0.500</td>"))
    #expect(html.contains("<p class=\"caution\">caution: fewer than 5 documents"))
    let text = try run("text")
    #expect(text.contains("caution: fewer than 5 documents; the values are no reliable estimate\n"))
    #expect(!text.contains("<td>") && !text.contains("| ann1 |"))
    let json = try run("json")
    #expect(
      json.contains(#""caution":"fewer than 5 documents; the values are no reliable estimate""#))
  }

  /// Issue 23: agreement over one shared document was reported without a caveat.
  @Test func aReportOverFewSharedDocumentsSaysSoNextToTheValues() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("c.sqlite")
    let input = try folder.write(
      "c.jsonl",
      """
      {"id": "k", "text": "John Kerry met Sergei Lavrov.", "annotator": "ann1", "status": "done", "sentiment": "neutral"}
      {"id": "k", "annotator": "ann2", "status": "done", "sentiment": "negative"}

      """)
    try #require(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    let text = try AnnoBinary.run(["--db", db, "agree", "--fields", "sentiment"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(
      text.stdout.contains(
        "caution: only 1 document was coded by two or more annotators (fewer than 5)"))
    let line = text.stdout.split(separator: "\n").first { $0.hasPrefix("  percent agreement") }
    #expect(
      line?.hasSuffix("0.000  only 1 unit rated twice (fewer than 20)") == true, "\(text.stdout)")
    let json = try AnnoBinary.run([
      "--db", db, "agree", "--fields", "sentiment", "--format", "json",
    ])
    #expect(json.stdout.contains(#""shared_documents":1"#))
    #expect(json.stdout.contains(#""caution":"only 1 unit rated twice (fewer than 20)""#))
  }
}
