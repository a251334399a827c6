import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// `anno agree` on a set-valued field, through the built binary: α MASI and α Jaccard.
@Suite struct SetFieldAgreementTests {
  /// The first fixture of `scripts/set_alpha_reference.py` ("three raters, overlapping
  /// topics"), with nltk's α (SetAlphaTests holds the table the script checks).
  static let units = [
    "economy,politics | economy | economy,politics",
    "sport | sport | sport,health",
    "diplomacy | politics | diplomacy,politics",
    "science,health | health | science",
    "business | business,economy | economy",
    "sport | sport | sport",
  ]
  static let nltkMASI = 0.38732394366197154
  static let nltkJaccard = 0.47625160462130933

  func makeDatabase(_ folder: TemporaryDirectory) throws -> String {
    var lines: [String] = []
    for (unit, row) in Self.units.enumerated() {
      for (rater, cell) in row.split(separator: " | ").enumerated() {
        let topics = cell.split(separator: ",").map { "\"\($0)\"" }.joined(separator: ", ")
        lines.append(
          #"{"id": "u\#(unit)", "text": "Document \#(unit).", "annotator": "ann\#(rater + 1)", "status": "done", "labels": {"topic": [\#(topics)]}}"#
        )
      }
    }
    let db = folder.file("a.sqlite")
    let schema = try folder.write("schema.yaml", MultiLabelSchema.yaml)
    let result = try AnnoBinary.run([
      "--db", db, "--schema", schema, "import",
      try folder.write("r.jsonl", lines.joined(separator: "\n") + "\n"),
    ])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  @Test func theFieldsRowGivesNLTKsAlphaUnderMASIAndJaccard() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run([
      "--db", db, "agree", "--fields", "topic", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let sections = try #require(json["sections"] as? [String: Any])
    let topic = try #require(sections["topic"] as? [String: Any])
    let measures = try #require(topic["measures"] as? [String: Double])
    #expect(abs(try #require(measures["alpha_masi"]) - Self.nltkMASI) < 1e-9)
    #expect(abs(try #require(measures["alpha_jaccard"]) - Self.nltkJaccard) < 1e-9)
    #expect(topic["pairable_units"] as? Int == 6)

    let text = try AnnoBinary.run(["--db", db, "agree", "--fields", "topic"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("  Krippendorff's α MASI     0.387  unreliable"))
    #expect(text.stdout.contains("  Krippendorff's α Jaccard  0.476  unreliable"))
    #expect(
      text.stdout.contains(
        "u2: topic ann1=diplomacy ann2=politics ann3=diplomacy,politics"))
  }

  @Test func adjudicationSettlesEachValueOfASet() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let settled = try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "majority"])
    #expect(settled.status == 0, "\(settled.stderr)")
    let export = try AnnoBinary.run(["--db", db, "export", "--annotator", "gold"])
    #expect(export.status == 0, "\(export.stderr)")
    let lines = export.stdout.split(separator: "\n")
    // u0: politics from two of three, economy from all three; u1: health from one only.
    #expect(lines[0].contains(#""id":"u0","labels":{"topic":["politics","economy"]}"#))
    #expect(lines[1].contains(#""id":"u1","labels":{"topic":["sport"]}"#))
  }
}
