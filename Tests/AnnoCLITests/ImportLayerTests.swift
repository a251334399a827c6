import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// Issue 22's layers through the `anno` binary: what an annotation set's source annotated,
/// and what every export format then says about it (fixtures of our own).
@Suite struct ImportLayerTests {
  /// Two accepted `ner.teach` tasks on one text, each proposing one span.
  static let teachTasks = """
    {"text": "Toyota sells the Corolla and Honda the Civic.", "_input_hash": 5, "_task_hash": 1, "spans": [{"start": 17, "end": 24, "label": "MISC"}], "answer": "accept", "_view_id": "ner"}
    {"text": "Toyota sells the Corolla and Honda the Civic.", "_input_hash": 5, "_task_hash": 2, "spans": [{"start": 39, "end": 44, "label": "MISC"}], "answer": "accept", "_view_id": "ner"}

    """

  func importing(_ folder: TemporaryDirectory, _ jsonl: String, _ options: [String] = []) throws
    -> String
  {
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(
      ["--db", db, "import", try folder.write("in.jsonl", jsonl)] + options)
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  func export(_ db: String, _ format: String, out: String? = nil) throws -> AnnoBinary.Result {
    let result = try AnnoBinary.run(
      ["--db", db, "export", "--include-unfinished", "--format", format]
        + (out.map { ["--out", $0] } ?? []))
    #expect(result.status == 0, "\(format): \(result.stderr)")
    return result
  }

  // An accepted ner.teach task says its span is right, not that the rest names nothing.
  @Test func nerTeachAnswersAreAPartialEntityLayerThatNoExportPresentsAsComplete() throws {
    let folder = try TemporaryDirectory()
    let db = try importing(folder, Self.teachTasks)

    let anno = try export(db, "anno").stdout
    #expect(
      anno.contains(
        #""entities_partial":[{"end":24,"label":"MISC","start":17,"text":"Corolla"},{"end":44,"label":"MISC","start":39,"text":"Civic"}]"#
      ))
    #expect(!anno.contains(#""entities":"#))

    let spacy = try export(db, "spacy").stdout
    #expect(spacy.contains(#""entities_partial":[[17,24,"MISC"],[39,44,"MISC"]]"#))
    #expect(!spacy.contains(#""entities":"#))
    #expect(!spacy.contains(#""sc":"#))

    // spaCy JSON: the two spans tagged, every other token "-" (missing), never "O".
    let spacyJSON = try export(db, "spacy-json").stdout
    #expect(spacyJSON.contains(#""ner":"U-MISC","orth":"Corolla""#))
    #expect(spacyJSON.contains(#""ner":"U-MISC","orth":"Civic""#))
    #expect(spacyJSON.contains(#""ner":"-","orth":"Toyota""#))
    #expect(!spacyJSON.contains(#""ner":"O""#))
    #expect(!spacyJSON.contains(#""entities":"#))

    // Prodigy: one binary ner task per span, as ner.teach wrote them.
    let prodigy = try export(db, "prodigy").stdout.split(separator: "\n")
    #expect(prodigy.count == 2)
    #expect(prodigy.allSatisfy { $0.contains(#""_view_id":"ner""#) })

    // Formats that cannot mark the rest of the text unknown leave the layer out and say so.
    for format in ["conll", "doccano", "hf", "brat"] {
      let result = try export(db, format, out: folder.file("out-\(format)"))
      #expect(
        result.stderr.contains(
          "not expressible in \(format), left out: 1 × partial entity layer (spans accepted one at a time; the rest of the text not annotated)"
        ), "\(format): \(result.stderr)")
      #expect(!result.stderr.contains("no entity layer"), "\(format): \(result.stderr)")
    }
    let conll = try String(contentsOfFile: folder.file("out-conll"), encoding: .utf8)
    #expect(!conll.contains("Corolla"))
    let doccano = try String(contentsOfFile: folder.file("out-doccano"), encoding: .utf8)
    #expect(!doccano.contains("[17,24"))
    // doccano: the text, with no `label` key (not labelled), never `"label":[]`.
    #expect(!doccano.contains(#""label""#) && doccano.contains("Toyota sells"))
    // brat: no .txt/.ann pair for the set, whose .ann would list two entities as all of them.
    let bratFiles = try FileManager.default.subpathsOfDirectory(atPath: folder.file("out-brat"))
    #expect(bratFiles.filter { $0 != ".anno-export" } == ["annotation.conf"], "\(bratFiles)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out-hf/data/ner")))

    // Each format that carries the layer brings it back partial.
    for format in ["anno", "spacy", "spacy-json", "prodigy"] {
      let file = folder.file("round.\(format == "spacy-json" ? "json" : "jsonl")")
      _ = try export(db, format, out: file)
      let other = folder.file("round-\(format).sqlite")
      let imported = try AnnoBinary.run(["--db", other, "import", "--format", format, file])
      #expect(imported.status == 0, "\(format): \(imported.stderr)")
      let back = try export(other, "anno").stdout
      #expect(
        back.contains(
          #""entities_partial":[{"end":24,"label":"MISC","start":17,"text":"Corolla"}"#),
        "\(format): \(back)")
      #expect(!back.contains(#""entities":"#), "\(format): \(back)")
    }
    withExtendedLifetime(folder) {}
  }

  // A manual task of the same input and annotator states the whole layer.
  @Test func aManualTaskOfTheSameInputMakesThePartialLayerComplete() throws {
    let folder = try TemporaryDirectory()
    let db = try importing(
      folder,
      Self.teachTasks
        + #"{"text": "Toyota sells the Corolla and Honda the Civic.", "_input_hash": 5, "_task_hash": 3, "spans": [{"start": 0, "end": 6, "label": "ORG"}], "answer": "accept", "_view_id": "ner_manual"}"#
        + "\n")
    let anno = try export(db, "anno").stdout
    #expect(anno.contains(#""entities":[{"end":6,"label":"ORG","start":0,"text":"Toyota"}"#))
    #expect(!anno.contains("entities_partial"))
    withExtendedLifetime(folder) {}
  }

  // A document annotated only for a class has no entity layer in any format.
  @Test func aCategoryOnlySetClaimsNoEntitiesInAnyFormat() throws {
    let folder = try TemporaryDirectory()
    let db = try importing(
      folder,
      #"{"text": "The cup final went to penalties.", "label": "sport", "answer": "accept", "_input_hash": 1, "_view_id": "classification"}"#
        + "\n")
    #expect(!(try export(db, "anno").stdout.contains("entities")))
    let spacy = try export(db, "spacy").stdout
    #expect(!spacy.contains("entities") && !spacy.contains(#""sc""#))
    #expect(spacy.contains(#""topic:sport":1.0"#))
    let spacyJSON = try export(db, "spacy-json").stdout
    #expect(!spacyJSON.contains(#""entities""#))
    #expect(!spacyJSON.contains(#""ner":"O""#))
    #expect(spacyJSON.contains(#""ner":"-""#))
    let prodigy = try export(db, "prodigy").stdout
    #expect(!prodigy.contains("ner_manual") && prodigy.contains(#""accept":["sport"]"#))
    let conll = try export(db, "conll", out: folder.file("out.conll"))
    #expect(conll.stderr.contains("left out: 1 × document with no entity layer"))
    #expect(try String(contentsOfFile: folder.file("out.conll"), encoding: .utf8).isEmpty)
    _ = try export(db, "hf", out: folder.file("hf"))
    let nerRows = folder.file("hf/data/ner/train.jsonl")
    let rows =
      FileManager.default.fileExists(atPath: nerRows)
      ? try String(contentsOfFile: nerRows, encoding: .utf8) : ""
    #expect(rows.isEmpty)
    withExtendedLifetime(folder) {}
  }

  // Entity formats say nothing of a set with no entity layer: doccano writes the text with no
  // `label` (unlabelled), brat and CoNLL leave the document out and hf writes no `ner` row,
  // counting it. A set annotated with no entities is written as such.
  @Test func entityFormatsLeaveOutOrMarkUnlabelledASetWithNoEntityLayer() throws {
    let folder = try TemporaryDirectory()
    let db = try importing(
      folder,
      #"{"id": "cup", "annotator": "ann", "text": "The cup final went to penalties.", "labels": {"topic": "sport"}}"#
        + "\n"
        + #"{"id": "vote", "annotator": "ann", "text": "Paris voted on Sunday.", "entities": [{"start": 0, "end": 5, "label": "LOC"}]}"#
        + "\n"
        + #"{"id": "calm", "annotator": "ann", "text": "Nothing happened.", "entities": []}"#
        + "\n", ["--format", "anno"])
    let leftOut = "left out: 1 × document with no entity layer (not annotated for entities)"

    // doccano: nothing is left out; the record says nothing of entities.
    let doccano = try export(db, "doccano", out: folder.file("out.jsonl"))
    #expect(!doccano.stderr.contains("no entity layer"), "\(doccano.stderr)")
    let lines = try String(contentsOfFile: folder.file("out.jsonl"), encoding: .utf8)
      .split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines.contains { $0.contains(#""id":"cup""#) && !$0.contains(#""label""#) })
    #expect(lines.contains { $0.contains(#""id":"calm","label":[]"#) })
    #expect(lines.contains { $0.contains(#""id":"vote","label":[[0,5,"LOC"]]"#) })
    // Back in: the unlabelled record has no entity layer, the others theirs.
    let other = folder.file("back.sqlite")
    let imported = try AnnoBinary.run(
      ["--db", other, "import", "--format", "doccano", folder.file("out.jsonl")])
    #expect(imported.status == 0, "\(imported.stderr)")
    let back = try export(other, "anno").stdout.split(separator: "\n")
    #expect(back.contains { $0.contains(#""id":"vote""#) && $0.contains(#""entities":[{"end":5"#) })
    #expect(!back.contains { $0.contains(#""id":"cup""#) && $0.contains("entities") })

    let brat = try export(db, "brat", out: folder.file("brat"))
    #expect(brat.stderr.contains("not expressible in brat, \(leftOut)"), "\(brat.stderr)")
    let bratFiles = try FileManager.default.subpathsOfDirectory(atPath: folder.file("brat"))
      .filter { $0 != ".anno-export" }.sorted()
    #expect(
      bratFiles == [
        "ann", "ann/calm.ann", "ann/calm.txt", "ann/vote.ann", "ann/vote.txt", "annotation.conf",
      ], "\(bratFiles)")
    #expect(
      try String(contentsOfFile: folder.file("brat/ann/calm.ann"), encoding: .utf8).isEmpty)

    let hf = try export(db, "hf", out: folder.file("hf"))
    #expect(hf.stderr.contains("not expressible in hf, \(leftOut)"), "\(hf.stderr)")
    let ner = try String(contentsOfFile: folder.file("hf/data/ner/train.jsonl"), encoding: .utf8)
    #expect(ner.split(separator: "\n").count == 2 && !ner.contains(#""id":"cup""#))

    let conll = try export(db, "conll", out: folder.file("out.conll"))
    #expect(conll.stderr.contains("not expressible in conll, \(leftOut)"), "\(conll.stderr)")
    withExtendedLifetime(folder) {}
  }

  // --new-labels: sentiment values and stance targets the schema lacks, named as added.
  @Test func newLabelsAddsSentimentValuesAndStanceTargets() throws {
    let folder = try TemporaryDirectory()
    let schema = try folder.write(
      "schema.yaml",
      BundledGuidelines.schemaYAML.replacingOccurrences(
        of: "allow_ad_hoc_targets: true", with: "allow_ad_hoc_targets: false"))
    let db = folder.file("a.sqlite")
    let load = try AnnoBinary.run(["--db", db, "schema", "load", schema])
    try #require(load.status == 0, "\(load.stderr)")
    let input = try folder.write(
      "in.jsonl",
      #"""
      {"id": "g", "text": "Copenhagen weighed the offer for Greenland.", "annotator": "ann1", "sentiment": "mixed", "stances": [{"target": "Greenland", "value": "against"}, {"target": "the Kremlin", "value": "neutral"}]}

      """#)
    let refused = try AnnoBinary.run(["--db", db, "import", input])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("mixed"))
    let adopted = try AnnoBinary.run(["--db", db, "import", input, "--new-labels"])
    #expect(adopted.status == 0, "\(adopted.stderr)")
    #expect(
      adopted.stdout.contains(
        "schema: added sentiment value mixed at the end of the scale (--new-labels; reorder it in the schema if the scale runs otherwise)"
      ))
    // The Kremlin is an alias of the declared Russia: nothing to add for it.
    #expect(adopted.stdout.contains("schema: added stance target Greenland (--new-labels)\n"))
    let shown = try AnnoBinary.run(["--db", db, "schema", "show"]).stdout
    #expect(shown.contains("values: [negative, neutral, positive, mixed]"))
    #expect(shown.contains("    - name: Greenland\n"))
    #expect(shown.contains("version: 3"))
    let record = try export(db, "anno").stdout
    #expect(record.contains(#""sentiment":"mixed""#))
    #expect(record.contains(#"{"target":"Greenland","value":"against"}"#))
    #expect(record.contains(#"{"target":"Russia","value":"neutral"}"#))
    withExtendedLifetime(folder) {}
  }

  // The import summary has one wording for what every format leaves out.
  @Test func whatIsLeftOutReadsTheSameForEveryFormat() throws {
    let folder = try TemporaryDirectory()
    let brat = folder.file("brat")
    try FileManager.default.createDirectory(atPath: brat, withIntermediateDirectories: true)
    _ = try folder.write("brat/a.txt", "Kerry met Lavrov.")
    _ = try folder.write(
      "brat/a.ann", "T1\tPER 0 5\tKerry\nT2\tPER 10 16\tLavrov\nR1\tMeets Arg1:T1 Arg2:T2\n")
    let doccano = try folder.write(
      "d.jsonl",
      #"{"id": "bayern", "text": "Bayern won.", "entities": [{"id": 1, "start_offset": 0, "end_offset": 6, "label": "ORG"}], "relations": [{"id": 1, "from_id": 1, "to_id": 1, "type": "self"}]}"#
        + "\n")
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", brat, doccano])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\nleft out: 1 × relation (Anno has no relation layer)\n"))
    #expect(result.stdout.contains("\nleft out: 1 × relations (Anno has no relation layer)\n"))
    let strict = try AnnoBinary.run([
      "--db", folder.file("b.sqlite"), "import", brat, doccano, "--strict",
    ])
    #expect(strict.status != 0)
    #expect(
      strict.stderr.hasPrefix(
        "left out: 1 × relation (Anno has no relation layer)\nleft out: 1 × relations (Anno has no relation layer)\n"
      ), "\(strict.stderr)")
    // schema infer reads the brat folder too.
    let inferred = try AnnoBinary.run(["schema", "infer", brat, doccano])
    #expect(inferred.status == 0, "\(inferred.stderr)")
    #expect(inferred.stdout.contains("  - name: PER  # 2 spans"))
    #expect(inferred.stdout.contains("#   left out: 1 × relation (Anno has no relation layer)"))
    withExtendedLifetime(folder) {}
  }
}
