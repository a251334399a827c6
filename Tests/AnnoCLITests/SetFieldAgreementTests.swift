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

  /// Imports `sets` (document → annotator → topics) under the multi-label schema.
  func database(_ folder: TemporaryDirectory, _ sets: [(String, String, [String])]) throws
    -> String
  {
    let lines = sets.map { document, annotator, topics in
      let list = topics.map { "\"\($0)\"" }.joined(separator: ", ")
      return
        #"{"id": "\#(document)", "text": "Document \#(document).", "annotator": "\#(annotator)", "status": "done", "labels": {"topic": [\#(list)]}}"#
    }
    let db = folder.file("sets.sqlite")
    let result = try AnnoBinary.run([
      "--db", db, "--schema", try folder.write("schema.yaml", MultiLabelSchema.yaml), "import",
      try folder.write("sets.jsonl", lines.joined(separator: "\n") + "\n"),
    ])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  // Every document holds the same two sets, {economy} and {sport}, so every bootstrap
  // replicate draws the same data and the interval is the point: with 4 documents, n = 8
  // values, D_o = 8 ordered pairs at distance 1, D_e = 2·4·4·1 = 32, and
  // α = 1 − (n − 1)·D_o/D_e = 1 − 7·8/32 = −0.75 under both distances (nltk agrees).
  @Test func bootstrapIntervalsCoverSetValuedFields() throws {
    let folder = try TemporaryDirectory()
    let db = try database(
      folder,
      (1...4).flatMap { d in [("d\(d)", "ann1", ["economy"]), ("d\(d)", "ann2", ["sport"])] })
    let result = try AnnoBinary.run([
      "--db", db, "agree", "--fields", "topic", "--bootstrap", "200", "--seed", "7", "--format",
      "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let bootstrap = try #require(json["bootstrap"] as? [String: Any])
    let intervals = try #require(bootstrap["intervals"] as? [String: Any])
    let topic = try #require(intervals["topic"] as? [String: Any])
    for key in ["alpha_masi", "alpha_jaccard"] {
      let interval = try #require(topic[key] as? [String: Any], "\(key): \(topic)")
      #expect(abs(try #require(interval["lower"] as? Double) - -0.75) < 1e-12)
      #expect(abs(try #require(interval["upper"] as? Double) - -0.75) < 1e-12)
      #expect(interval["defined_replicates"] as? Int == 200)
    }
    // On the six-document fixture the intervals exist and hold the point estimate.
    let fixture = try AnnoBinary.run([
      "--db", try makeDatabase(folder), "agree", "--fields", "topic", "--bootstrap", "500",
      "--seed", "1", "--format", "json",
    ])
    #expect(fixture.status == 0, "\(fixture.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(fixture.stdout.utf8)) as? [String: Any])
    let masi =
      try #require(
        ((report["bootstrap"] as? [String: Any])?["intervals"] as? [String: Any])?["topic"]
          as? [String: Any])["alpha_masi"] as? [String: Any]
    let lower = try #require(masi?["lower"] as? Double)
    let upper = try #require(masi?["upper"] as? Double)
    #expect(lower <= Self.nltkMASI && Self.nltkMASI <= upper)
    #expect(lower < upper)
  }

  // `agree --against gold` on a set-valued field, against a hand computation (nltk gives the
  // same): ann1 {economy}, {sport}, {health, science}, {science, health}; gold {economy,
  // politics}, {sport}, {health}, {science, health}. Distinct sets A = {e,p}, B = {e},
  // C = {s}, D = {h}, E = {h,sc} with n_A = 1, n_B = 1, n_C = 2, n_D = 1, n_E = 3 (n = 8).
  // MASI: δ(A,B) = δ(D,E) = 1 − ½·⅔ = ⅔, every other pair disjoint (1). D_o = 4·⅔ = 8/3;
  // D_e = 2·(⅔ + 2 + 1 + 3 + 2 + 1 + 3 + 2 + 6 + 2) = 136/3; α = 1 − 7·(8/3)/(136/3) = 10/17.
  // Jaccard: δ = ½ for those two pairs; D_o = 2, D_e = 2·22 = 44, α = 1 − 14/44 = 15/22.
  // Two of the four documents have equal sets: agreement 0.5.
  @Test func againstGoldScoresSetValuedFieldsWithMASIAndJaccard() throws {
    let folder = try TemporaryDirectory()
    let db = try database(
      folder,
      [
        ("d1", "ann1", ["economy"]), ("d1", "gold", ["economy", "politics"]),
        ("d2", "ann1", ["sport"]), ("d2", "gold", ["sport"]),
        ("d3", "ann1", ["health", "science"]), ("d3", "gold", ["health"]),
        ("d4", "ann1", ["science", "health"]), ("d4", "gold", ["science", "health"]),
      ])
    let result = try AnnoBinary.run(["--db", db, "agree", "--against", "gold", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let topic = try #require((json["sections"] as? [String: Any])?["topic"] as? [String: Any])
    let measures = try #require(topic["measures"] as? [String: Double])
    #expect(abs(try #require(measures["alpha_masi@ann1,gold"]) - 10.0 / 17.0) < 1e-12)
    #expect(abs(try #require(measures["alpha_jaccard@ann1,gold"]) - 15.0 / 22.0) < 1e-12)
    #expect(measures["percent_agreement@ann1,gold"] == 0.5)
    let text = try AnnoBinary.run(["--db", db, "agree", "--against", "gold"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(
      text.stdout.contains(
        "set-valued fields (Krippendorff's α with gold under MASI and Jaccard, exact agreement)"))
    #expect(text.stdout.contains("0.588"))
    #expect(text.stdout.contains("0.682"))
  }
}
