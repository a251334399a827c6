import AnnoTestSupport
import Foundation
import Testing

/// Issue 22 through the `anno` binary: Prodigy and doccano files as those tools write them
/// (fixtures of our own in each shape) arrive whole, or the import says what it left out.
@Suite struct ImportExistingDataTests {
  /// Imports `jsonl` into a fresh database and returns the folder, database and result.
  func importing(_ jsonl: String, _ options: [String] = []) throws -> (
    TemporaryDirectory, String, AnnoBinary.Result
  ) {
    let folder = try TemporaryDirectory()
    let input = try folder.write("in.jsonl", jsonl)
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", input] + options)
    return (folder, db, result)
  }

  /// The `anno` export of everything in the database, one line per document and annotator.
  func annoExport(_ db: String, _ extra: [String] = []) throws -> [String] {
    let result = try AnnoBinary.run(["--db", db, "export", "--include-unfinished"] + extra)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").map(String.init)
  }

  // Finding 1: a rejected span is not an entity.
  @Test func aRejectedSpanIsKeptAsARejectedSuggestionNotAnEntity() throws {
    let (folder, db, result) = try importing(
      #"""
      {"text": "The MacBook replaced the iBook G3.", "_input_hash": 11, "_task_hash": 1, "spans": [{"start": 4, "end": 11, "label": "PRODUCT", "answer": "accept"}, {"start": 25, "end": 33, "label": "PRODUCT", "answer": "reject"}], "answer": "accept", "_view_id": "ner"}

      """#, ["--label-map", "PRODUCT=MISC"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("1 rejected span kept as rejected suggestions (not labels)"))
    let lines = try annoExport(db)
    #expect(lines.count == 1)
    // A binary (ner) task's accepted span is right; the rest of the text stays unknown.
    #expect(
      (lines.first ?? "").contains(
        #""entities_partial":[{"end":11,"label":"MISC","start":4,"text":"MacBook"}]"#))
    #expect(!(lines.first ?? "").contains(#""start":25"#))
    withExtendedLifetime(folder) {}
  }

  // Finding 2: textcat and choice answers become field values, and no entity layer.
  @Test func textcatAndChoiceAnswersFillFieldsAndClaimNoEntities() throws {
    let (folder, db, result) = try importing(
      #"""
      {"text": "The cup final went to penalties.", "label": "sport", "answer": "accept", "_input_hash": 1, "_view_id": "classification"}
      {"text": "Rates rose again.", "options": [{"id": "economy", "text": "Economy"}, {"id": "sport", "text": "Sport"}], "accept": ["economy"], "answer": "accept", "_input_hash": 2, "_view_id": "choice"}

      """#)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("(2 annotations added)"))
    let lines = try annoExport(db)
    #expect(lines.count == 2)
    #expect(lines.allSatisfy { !$0.contains("\"entities\"") })
    #expect(lines.contains { $0.contains(#""labels":{"topic":"sport"}"#) })
    #expect(lines.contains { $0.contains(#""labels":{"topic":"economy"}"#) })
    let spacy = try AnnoBinary.run([
      "--db", db, "export", "--include-unfinished", "--format", "spacy",
    ])
    #expect(spacy.status == 0, "\(spacy.stderr)")
    #expect(!spacy.stdout.contains("\"entities\""))
    #expect(spacy.stdout.contains(#""topic:sport":1.0"#))
    let conll = try AnnoBinary.run([
      "--db", db, "export", "--include-unfinished", "--format", "conll", "--out",
      folder.file("out.conll"),
    ])
    #expect(conll.status == 0, "\(conll.stderr)")
    #expect(conll.stderr.contains("2 × document with no entity layer"))
    let written = try String(contentsOfFile: folder.file("out.conll"), encoding: .utf8)
    #expect(!written.contains(" O\n"))
    withExtendedLifetime(folder) {}
  }

  // Finding 3: doccano's 1.x shapes, label ids, cats; relations are named as left out.
  @Test func doccanoLabelsAnnotationsCatsAndRelationsAllArriveOrAreNamed() throws {
    let (folder, db, result) = try importing(
      #"""
      {"id": 1, "text": "Flights from Berlin to Paris.", "labels": [[13, 19, "LOC"], [23, 28, "LOC"]]}
      {"id": 2, "text": "Shares in Siemens fell.", "cats": {"economy": 1.0, "sport": 0.0}}
      {"id": 3, "text": "Bayern won.", "cats": ["sport"], "entities": [{"id": 7, "start_offset": 0, "end_offset": 6, "label": "ORG"}], "relations": [{"id": 1, "from_id": 7, "to_id": 7, "type": "self"}]}

      """#, ["--format", "doccano"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("left out: 1 × relations (Anno has no relation layer)"))
    let lines = try annoExport(db)
    #expect(lines.count == 3)
    #expect((lines.first ?? "").contains(#""label":"LOC","start":13,"text":"Berlin""#))
    #expect((lines.dropFirst().first ?? "").contains(#""labels":{"topic":"economy"}"#))
    #expect(!(lines.dropFirst().first ?? "").contains("\"entities\""))
    #expect((lines.dropFirst(2).first ?? "").contains(#""labels":{"topic":"sport"}"#))
    #expect((lines.dropFirst(2).first ?? "").contains(#""text":"Bayern""#))

    let ids = try folder.write(
      "ids.jsonl",
      #"""
      {"id": 9, "text": "Kerry met Lavrov.", "annotations": [{"label": 12, "start_offset": 0, "end_offset": 5, "user": 1}, {"label": 12, "start_offset": 10, "end_offset": 16, "user": 1}], "meta": {}}

      """#)
    let withoutLabels = try AnnoBinary.run(["--db", db, "import", ids])
    #expect(withoutLabels.status != 0)
    #expect(
      withoutLabels.stderr.contains(
        "annotations[0]: label 12 is a doccano 1.x label id; give the project's label file with --doccano-labels labels.json"
      ))
    let labels = try folder.write(
      "labels.json", #"[{"id": 12, "text": "PER", "prefix_key": null}]"#)
    let withLabels = try AnnoBinary.run(["--db", db, "import", ids, "--doccano-labels", labels])
    #expect(withLabels.status == 0, "\(withLabels.stderr)")
    #expect(
      try annoExport(db).contains { $0.contains(#""label":"PER","start":10,"text":"Lavrov""#) })

    // --strict: anything left out refuses the whole import.
    let strictDB = folder.file("strict.sqlite")
    let strict = try AnnoBinary.run([
      "--db", strictDB, "import", folder.file("in.jsonl"), "--format", "doccano", "--strict",
    ])
    #expect(strict.status != 0)
    #expect(strict.stderr.contains("left out: 1 × relations (Anno has no relation layer)"))
    #expect(strict.stderr.contains("import refused under --strict"))
    #expect(try annoExport(strictDB).isEmpty)

    // The shell's import says the same.
    let shell = try AnnoBinary.run([
      "--db", folder.file("shell.sqlite"), "shell", "-c",
      "import \(folder.file("in.jsonl")) --format doccano",
    ])
    #expect(shell.status == 0, "\(shell.stderr)")
    #expect(shell.stdout.contains("left out: 1 × relations (Anno has no relation layer)"))
    withExtendedLifetime(folder) {}
  }

  // doccano counts UTF-16 code units by default; offsets after an emoji are converted.
  @Test func doccanoUTF16OffsetsAreConvertedToCodePoints() throws {
    // "👍 Paris": Paris is at 3..<8 in UTF-16, 2..<7 in code points.
    let (folder, db, result) = try importing(
      #"{"id": "e", "text": "👍 Paris", "label": [[3, 8, "LOC"]]}"# + "\n")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      (try annoExport(db).first ?? "").contains(#""end":7,"label":"LOC","start":2,"text":"Paris""#))
    let asCodePoints = try AnnoBinary.run([
      "--db", folder.file("b.sqlite"), "import", folder.file("in.jsonl"), "--doccano-offsets",
      "codepoint",
    ])
    #expect(asCodePoints.status != 0)
    #expect(
      asCodePoints.stderr.contains("does not match") || asCodePoints.stderr.contains("outside"))
    withExtendedLifetime(folder) {}
  }

  // Finding 4: doccano's intent-detection export, and a message naming format and shape.
  @Test func doccanoIntentDetectionImportsAndBadShapesNameFormatAndShape() throws {
    let folder = try TemporaryDirectory()
    let input = try folder.write(
      "intent.jsonl",
      #"""
      {"text": "Find a flight from Memphis to Tacoma", "entities": [[19, 26, "City"], [30, 36, "City"]], "cats": ["flight"]}
      {"text": "Book a hotel in Oslo", "entities": [[16, 20, "City"]], "cats": ["hotel"]}

      """#)
    let schema = folder.file("schema.yaml")
    let inferred = try AnnoBinary.run(["schema", "infer", input, "--field", "intent", "-o", schema])
    #expect(inferred.status == 0, "\(inferred.stderr)")
    let yaml = try String(contentsOfFile: schema, encoding: .utf8)
    #expect(yaml.contains("  - name: City  # 3 spans"))
    #expect(yaml.contains("  - name: intent  # 2 answers"))
    #expect(yaml.contains(#"      - "flight"  # 1"#))
    let db = folder.file("a.sqlite")
    let load = try AnnoBinary.run(["--db", db, "schema", "load", schema])
    #expect(load.status == 0, "\(load.stderr)")
    let result = try AnnoBinary.run(["--db", db, "import", input])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = try annoExport(db)
    #expect(lines.count == 2)
    #expect((lines.first ?? "").contains(#""labels":{"intent":"flight"}"#))
    #expect((lines.first ?? "").contains(#""label":"City","start":30,"text":"Tacoma""#))

    let bad = try folder.write("bad.jsonl", #"{"text": "Oslo", "entities": [[0, 4]]}"# + "\n")
    let refused = try AnnoBinary.run(["--db", db, "import", bad])
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains(
        #"bad.jsonl:1: read as doccano JSONL (from its key 'entities'; give --format to choose): entities[0]: expected [start, end, "LABEL"] or {"start_offset", "end_offset", "label"}, found an array of 2 items"#
      ))
    withExtendedLifetime(folder) {}
  }

  // Finding 5: duplicates, tasks of one input, a span listed twice, contradictions.
  @Test func prodigyTasksOfOneInputMergeAndDuplicatesAreSkippedAndCounted() throws {
    let task =
      #"{"text": "Toyota sells the Corolla and Honda the Civic.", "_input_hash": 5, "_task_hash": 1, "spans": [{"start": 17, "end": 24, "label": "MISC"}], "answer": "accept", "_view_id": "ner"}"#
    let (folder, db, result) = try importing(
      [
        task, task,
        #"{"text": "Toyota sells the Corolla and Honda the Civic.", "_input_hash": 5, "_task_hash": 2, "spans": [{"start": 39, "end": 44, "label": "MISC"}, {"start": 39, "end": 44, "label": "MISC"}], "answer": "accept", "_view_id": "ner"}"#,
        "",
      ].joined(separator: "\n"))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("annotation sets: 1 added"))
    #expect(
      result.stdout.contains(
        "merging: 1 record merged into an earlier record's set (same input and annotator); 1 repeating an earlier record skipped"
      ))
    #expect(result.stdout.contains("skipped: 1 × spans (the same span listed twice in one task)"))
    let lines = try annoExport(db)
    #expect(lines.count == 1)
    #expect(
      (lines.first ?? "").contains(#""text":"Corolla""#)
        && (lines.first ?? "").contains(#""text":"Civic""#))
    #expect(result.stdout.contains("documents: 1 added, 0 unchanged"))
    // The same file again changes nothing, and says so once per document and set.
    let again = try AnnoBinary.run(["--db", db, "import", folder.file("in.jsonl")])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(
      again.stdout.hasPrefix("nothing changed: 1 document and 1 annotation set already present"))
    #expect(try annoExport(db) == lines)
    withExtendedLifetime(folder) {}
  }

  @Test func contradictoryAnswersFollowOnConflict() throws {
    let input = #"""
      {"text": "Rates and goals.", "label": "economy", "answer": "accept", "_input_hash": 3, "_annotator_id": "news-ann1"}
      {"text": "Rates and goals.", "label": "sport", "answer": "accept", "_input_hash": 3, "_annotator_id": "news-ann1"}

      """#
    let (folder, _, refused) = try importing(input)
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains(
        "in.jsonl:2: annotator 'news-ann1' contradicts an earlier record of the same input 'prodigy-3': field 'topic' is 'economy' there and 'sport' here; choose the answer to keep with --on-conflict first or last (the earlier record: line 1)"
      ))
    let db = folder.file("last.sqlite")
    let last = try AnnoBinary.run([
      "--db", db, "import", folder.file("in.jsonl"), "--on-conflict", "last",
    ])
    #expect(last.status == 0, "\(last.stderr)")
    #expect(last.stdout.contains("1 contradiction settled by --on-conflict"))
    let lines = try annoExport(db)
    #expect(lines.count == 1)
    #expect((lines.first ?? "").contains(#""annotator":"news-ann1""#))
    #expect((lines.first ?? "").contains(#""labels":{"topic":"sport"}"#))
    withExtendedLifetime(folder) {}
  }

  // Finding 7: map labels on the way in, or adopt them into the schema.
  @Test func labelMapAndNewLabelsAdoptLabelsFromData() throws {
    let input = #"""
      {"id": "a", "text": "Ada Lovelace visited London with a Walkman.", "label": [[0, 12, "PERSON"], [21, 27, "LOCATION"], [35, 42, "PRODUCT"]]}

      """#
    let (folder, db, refused) = try importing(input, ["--label-map", "PERSON=PER,LOCATION=LOC"])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("unknown label 'PRODUCT'"))
    let adopted = try AnnoBinary.run([
      "--db", db, "import", folder.file("in.jsonl"), "--label-map", "PERSON=PER,LOCATION=LOC",
      "--new-labels",
    ])
    #expect(adopted.status == 0, "\(adopted.stderr)")
    #expect(adopted.stdout.contains("schema: added entity label PRODUCT (--new-labels)"))
    let lines = try annoExport(db)
    #expect((lines.first ?? "").contains(#""label":"PER","start":0,"text":"Ada Lovelace""#))
    #expect((lines.first ?? "").contains(#""label":"LOC","start":21"#))
    #expect((lines.first ?? "").contains(#""label":"PRODUCT","start":35"#))
    let schema = try AnnoBinary.run(["--db", db, "schema", "show"])
    #expect(schema.stdout.contains("- name: PRODUCT"))
    #expect(schema.stdout.contains("version: 3"))
    withExtendedLifetime(folder) {}
  }

  @Test func newLabelsWithFieldAddsClassValuesToThatField() throws {
    let input = #"""
      {"text": "Where is my parcel?", "label": "shipping", "answer": "accept"}
      {"text": "Refund please", "options": [{"id": "refund"}, {"id": "shipping"}], "accept": ["refund"], "answer": "accept"}

      """#
    let (folder, db, refused) = try importing(input)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("unknown class label 'shipping'"))
    let adopted = try AnnoBinary.run([
      "--db", db, "import", folder.file("in.jsonl"), "--field", "topic", "--new-labels",
    ])
    #expect(adopted.status == 0, "\(adopted.stderr)")
    #expect(
      adopted.stdout.contains(
        "schema: added values shipping, refund to field 'topic' (--new-labels)"))
    let schema = try AnnoBinary.run(["--db", db, "schema", "show"])
    #expect(
      schema.stdout.contains(
        "values: [diplomacy, politics, business, economy, sport, science, technology, health, culture, other, shipping, refund]"
      ))
    #expect(schema.stdout.contains("version: 3"))
    let lines = try annoExport(db)
    #expect(lines.contains { $0.contains(#""labels":{"topic":"refund"}"#) })
    withExtendedLifetime(folder) {}
  }
}
