import AnnoTestSupport
import Foundation
import Testing

/// A single-valued field annotated with no value (the annotator looked and chose none),
/// through the `anno` binary: stored, shown, edited and undone, merged and backed up, and
/// written by each format as it can.
@Suite struct NoValueFieldTests {
  static let record =
    #"{"annotator":"ann1","id":"rates","labels":{"topic":null,"urgency":3},"offsets":"codepoint","status":"done","text":"Rates rose."}"#
    + "\n"

  func database(_ folder: TemporaryDirectory, _ name: String = "a.sqlite", _ jsonl: String = record)
    throws -> String
  {
    let db = folder.file(name)
    let result = try AnnoBinary.run(
      ["--db", db, "import", "--format", "anno", try folder.write(name + ".jsonl", jsonl)])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  func export(_ db: String, _ format: String = "anno", out: String? = nil) throws -> String {
    let result = try AnnoBinary.run(
      ["--db", db, "export", "--format", format] + (out.map { ["--out", $0] } ?? []))
    #expect(result.status == 0, "\(format): \(result.stderr)")
    return result.stdout
  }

  /// Imports `file` as `format` into a new database and returns its anno export; nothing but
  /// `except` (a key) may be left out.
  /// Imports `file` as `format` into a new database with `--strict` (nothing may be left
  /// out) and returns its anno export.
  func reimport(
    _ folder: TemporaryDirectory, _ file: String, _ format: String, _ name: String
  ) throws -> String {
    let db = folder.file(name)
    let result = try AnnoBinary.run(["--db", db, "import", "--format", format, file, "--strict"])
    #expect(result.status == 0, "\(format): \(result.stderr)")
    #expect(!result.stdout.contains("left out"), "\(format): \(result.stdout)")
    return try export(db)
  }

  @Test func theAnnoFormatRoundTripsNoValueByteForByte() throws {
    let folder = try TemporaryDirectory()
    let db = try database(folder)
    let first = try export(db)
    #expect(first == Self.record)
    let second = try reimport(folder, try folder.write("again.jsonl", first), "anno", "b.sqlite")
    #expect(second == first)
    withExtendedLifetime(folder) {}
  }

  @Test func aNullForASetValuedFieldIsRefusedNamingTheLine() throws {
    let folder = try TemporaryDirectory()
    let schema = try folder.write("schema.yaml", MultiLabelSchema.yaml)
    let input = try folder.write(
      "in.jsonl", #"{"id": "d", "text": "Rates rose.", "labels": {"topic": null}}"# + "\n")
    let result = try AnnoBinary.run([
      "--db", folder.file("a.sqlite"), "--schema", schema, "import", "--format", "anno", input,
    ])
    #expect(result.status != 0)
    #expect(
      result.stderr.contains(
        "in.jsonl:1: labels.topic: field 'topic' is multiple; give no value as an empty list, not null"
      ), "\(result.stderr)")
    withExtendedLifetime(folder) {}
  }

  // spaCy scores every value of the field 0.0; spacy-json's `cats` the same.
  @Test func spacyWritesEveryValueZeroAndReadsItBack() throws {
    let folder = try TemporaryDirectory()
    let db = try database(folder)
    let spacy = try export(db, "spacy")
    let topics = [
      "diplomacy", "politics", "business", "economy", "sport", "science", "technology", "health",
      "culture", "other",
    ]
    for value in topics { #expect(spacy.contains(#""topic:\#(value)":0.0"#), "\(spacy)") }
    #expect(!spacy.contains(#":1.0"#) || spacy.contains(#""urgency:3":1.0"#))
    let fromSpacy = try reimport(
      folder, try folder.write("out.spacy.jsonl", spacy), "spacy", "spacy.sqlite")
    #expect(fromSpacy.contains(#""labels":{"topic":null,"urgency":3}"#), "\(fromSpacy)")

    let json = folder.file("out.json")
    _ = try export(db, "spacy-json", out: json)
    let fromJSON = try reimport(folder, json, "spacy-json", "json.sqlite")
    #expect(fromJSON.contains(#""labels":{"topic":null,"urgency":3}"#), "\(fromJSON)")
    withExtendedLifetime(folder) {}
  }

  // The sentiment scored 0.0 everywhere has no "no value" to go to: still listed as left out.
  @Test func aSentimentScoredZeroEverywhereIsStillLeftOut() throws {
    let folder = try TemporaryDirectory()
    let input = try folder.write(
      "cats.jsonl",
      #"{"text": "Rates rose.", "cats": {"sentiment:negative": 0.0, "sentiment:neutral": 0.0, "sentiment:positive": 0.0, "topic:economy": 0.0, "topic:sport": 0.0}, "spans": {}}"#
        + "\n")
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", input])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains(
        "left out: 1 × cats (annotated with no value, every category 0.0 (sentiment): Anno keeps no 'none of these' value for the sentiment or a set-valued field, so it reads as not annotated)"
      ), "\(result.stdout)")
    #expect(try export(db).contains(#""labels":{"topic":null}"#))
    let strict = try AnnoBinary.run(["--db", folder.file("b.sqlite"), "import", input, "--strict"])
    #expect(strict.status != 0)
    withExtendedLifetime(folder) {}
  }

  // A Prodigy choice accepted with nothing chosen answers the field its options belong to.
  @Test func prodigyChoiceAcceptedWithNothingChosenIsNoValue() throws {
    let folder = try TemporaryDirectory()
    let tasks =
      #"{"text": "Rates rose.", "options": [{"id": "economy", "text": "Economy"}, {"id": "sport", "text": "Sport"}], "accept": [], "answer": "accept", "_view_id": "choice", "_annotator_id": "ann1"}"#
      + "\n"
      + #"{"text": "Nobody knows.", "options": [{"id": "yes", "text": "Yes"}, {"id": "no", "text": "No"}], "accept": [], "answer": "accept", "_view_id": "choice", "_annotator_id": "ann1"}"#
      + "\n"
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", try folder.write("in.jsonl", tasks)])
    #expect(result.status == 0, "\(result.stderr)")
    // The options of the second task are no field's values: that answer is left out.
    #expect(
      result.stdout.contains(
        "left out: 1 × accept (choices accepted with no option chosen, not for one single-valued field (name it with --field NAME): Anno keeps no 'none of these' value for the sentiment or a set-valued field)"
      ), "\(result.stdout)")
    let anno = try export(db)
    #expect(anno.contains(#""labels":{"topic":null}"#) && anno.contains("Rates rose."), "\(anno)")

    // Exported as the choice task it was, and read back so.
    let prodigy = try export(db, "prodigy")
    #expect(
      prodigy.contains(#""accept":[]"#) && prodigy.contains(#""label":"topic""#), "\(prodigy)")
    let back = try reimport(
      folder, try folder.write("out.prodigy.jsonl", prodigy), "prodigy", "b.sqlite")
    #expect(back.contains(#""labels":{"topic":null}"#), "\(back)")
    withExtendedLifetime(folder) {}
  }

  // Contradicting answers of one annotator on one input: a value and no value.
  @Test func noValueAndAValueOfOneInputAreAContradiction() throws {
    let folder = try TemporaryDirectory()
    let tasks =
      #"{"text": "Rates rose.", "options": [{"id": "economy"}, {"id": "sport"}], "accept": [], "answer": "accept", "_view_id": "choice", "_input_hash": 1}"#
      + "\n"
      + #"{"text": "Rates rose.", "options": [{"id": "economy"}, {"id": "sport"}], "accept": ["economy"], "answer": "accept", "_view_id": "choice", "_input_hash": 1}"#
      + "\n"
    let input = try folder.write("in.jsonl", tasks)
    let refused = try AnnoBinary.run(["--db", folder.file("a.sqlite"), "import", input])
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("field 'topic' is no value there and 'economy' here"),
      "\(refused.stderr)")
    let last = folder.file("b.sqlite")
    let kept = try AnnoBinary.run(["--db", last, "import", input, "--on-conflict", "last"])
    #expect(kept.status == 0, "\(kept.stderr)")
    #expect(try export(last).contains(#""labels":{"topic":"economy"}"#))
    withExtendedLifetime(folder) {}
  }

  // Formats with no way to say "no value" write nothing for the field.
  @Test func csvAndHFWriteNothingForANoValueField() throws {
    let folder = try TemporaryDirectory()
    let db = try database(folder)
    // NB: RFC 4180 lines end in CRLF, one Character.
    let csv = try export(db, "csv").split(whereSeparator: \.isNewline)
    try #require(csv.count == 2, "\(csv)")
    let header = csv[0].split(separator: ",", omittingEmptySubsequences: false)
    let row = csv[1].split(separator: ",", omittingEmptySubsequences: false)
    let topic = try #require(header.firstIndex(of: "topic"))
    try #require(row.count == header.count, "\(csv)")
    #expect(row[topic].isEmpty && row[topic + 1] == "3", "\(csv)")
    _ = try export(db, "hf", out: folder.file("hf"))
    #expect(!FileManager.default.fileExists(atPath: folder.file("hf/data/topic")))
    #expect(FileManager.default.fileExists(atPath: folder.file("hf/data/urgency/train.jsonl")))
    withExtendedLifetime(folder) {}
  }

  @Test func theShellShowsReplacesClearsAndUndoesNoValue() throws {
    let folder = try TemporaryDirectory()
    let db = try database(folder)
    func shell(_ commands: String) throws -> String {
      let result = try AnnoBinary.run(
        ["--db", db, "--annotator", "ann1", "shell", "-c", "open rates; " + commands])
      #expect(result.status == 0, "\(result.stderr)")
      return result.stdout
    }
    #expect(try shell("show").contains("topic: no value (looked, chose none)"))
    let replaced = try shell("label topic economy; show")
    #expect(replaced.contains("topic: economy") && !replaced.contains("no value"), "\(replaced)")
    let undone = try shell("undo; show")
    #expect(undone.contains("topic: no value (looked, chose none)"), "\(undone)")
    #expect(try export(db).contains(#""topic":null"#))
    let cleared = try shell("label topic -")
    #expect(cleared.contains("topic: cleared (was no value)"), "\(cleared)")
    #expect(!(try export(db).contains("topic")))
    withExtendedLifetime(folder) {}
  }

  @Test func mergeAndBackupCarryNoValue() throws {
    let folder = try TemporaryDirectory()
    let theirs = try database(folder, "theirs.sqlite")
    let ours = try database(
      folder, "ours.sqlite",
      #"{"annotator":"ann2","id":"rates","labels":{"topic":"economy"},"text":"Rates rose."}"#
        + "\n")
    let merge = try AnnoBinary.run(["--db", ours, "merge", theirs])
    #expect(merge.status == 0, "\(merge.stderr)")
    let merged = try export(ours)
    #expect(merged.contains(Self.record.dropLast()), "\(merged)")
    #expect(try AnnoBinary.run(["--db", ours, "check"]).status == 0)

    let copy = folder.file("copy.sqlite")
    let backup = try AnnoBinary.run(["--db", theirs, "backup", copy])
    #expect(backup.status == 0, "\(backup.stderr)")
    #expect(try export(copy) == Self.record)
    withExtendedLifetime(folder) {}
  }
}
