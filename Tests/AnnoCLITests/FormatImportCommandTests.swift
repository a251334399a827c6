import AnnoTestSupport
import Foundation
import Testing

/// `anno import` of CoNLL, brat, CSV, spaCy JSON and Hugging Face inputs through the binary:
/// detection by extension, one transaction, errors that name the file and line, and the
/// summary of what was left out.
@Suite struct FormatImportCommandTests {
  static let refusal =
    "import refused: nothing was written (fix the records above, or use --skip-invalid to import the valid ones)\n"

  func documentCount(_ db: String) throws -> String {
    let stats = try AnnoBinary.run(["--db", db, "stats", "--format", "json"])
    try #require(stats.status == 0, "\(stats.stderr)")
    let object = try #require(
      stats.stdout.range(of: #""documents":[0-9]+"#, options: .regularExpression))
    return String(stats.stdout[object])
  }

  @Test func anInvalidCoNLLDocumentRefusesTheWholeFile() throws {
    let folder = try TemporaryDirectory()
    let path = try folder.write(
      "mixed.conll",
      "-DOCSTART- -X- O O\n\nKerry B-PER\nwins O\n\n-DOCSTART- -X- O O\n\nParis E-LOC\n")
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", path])
    #expect(result.status == 1)
    #expect(
      result.stderr.hasSuffix(
        "\(path):8: tag 'E-LOC' ends an entity that no B-LOC or I-LOC began (E- closes an entity in BIOES/BILOU)\n"
          + Self.refusal))
    #expect(try documentCount(db) == #""documents":0"#)
    let skipping = try AnnoBinary.run(["--db", db, "import", "--skip-invalid", path])
    #expect(skipping.status == 1)
    #expect(skipping.stdout.contains("documents: 1 added"))
    #expect(try documentCount(db) == #""documents":1"#)
  }

  @Test func aBratFolderIsFoundWithoutFormatAndWhatItLeavesOutIsSaid() throws {
    let folder = try TemporaryDirectory()
    try folder.write("brat/a.txt", "Sony bought Ericsson.\n")
    try folder.write(
      "brat/a.ann",
      "T1\tORG 0 4\tSony\nT2\tORG 12 20\tEricsson\nR1\tAcquired Arg1:T1 Arg2:T2\nR2\tOwns Arg1:T1 Arg2:T2\n"
    )
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", folder.file("brat")])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.hasSuffix(
        "documents: 1 added, 0 unchanged, 0 replaced; annotation sets: 1 added, 0 unchanged, 0 replaced (2 annotations added); records skipped: 0\nleft out: 2 × relation (Anno has no relation layer)\n"
      ))
    let export = try AnnoBinary.run(["--db", db, "export"])
    #expect(export.stdout.contains(#""id":"a""#))
    #expect(export.stdout.contains(#"{"end":20,"label":"ORG","start":12,"text":"Ericsson"}"#))
  }

  @Test func aBratLabelTheSchemaLacksNamesTheAnnFile() throws {
    let folder = try TemporaryDirectory()
    try folder.write("brat/a.txt", "Sony bought Ericsson.\n")
    try folder.write("brat/a.ann", "T1\tOrganization 0 4\tSony\n")
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", "--format", "brat", folder.file("brat")])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains(
        folder.file("brat")
          + "/a.ann:1: document 'a': entities[0]: unknown label 'Organization'; did you mean 'ORG'?"
      ),
      "\(result.stderr)")
    #expect(try documentCount(db) == #""documents":0"#)
  }

  @Test func csvAndSpacyJSONAreFoundByExtension() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let docs = try folder.write("docs.jsonl", #"{"id": "a", "text": "Kerry met Lavrov."}"# + "\n")
    try #require(try AnnoBinary.run(["--db", db, "import", docs]).status == 0)
    let csv = try folder.write("labels.csv", "id,sentiment,topic\r\na,neutral,diplomacy\r\n")
    let fromCSV = try AnnoBinary.run(["--db", db, "import", csv])
    #expect(fromCSV.status == 0, "\(fromCSV.stderr)")
    #expect(fromCSV.stdout.contains("annotation sets: 1 added"))
    let json = try folder.write(
      "train.json",
      #"[{"id": 0, "paragraphs": [{"raw": "Kerry met Lavrov.", "entities": [[0, 5, "PER"], [10, 16, "PER"]]}]}]"#
    )
    let fromJSON = try AnnoBinary.run(["--db", db, "--annotator", "ann2", "import", json])
    #expect(fromJSON.status == 0, "\(fromJSON.stderr)")
    // A .json file of JSON lines (as older doccano versions name their exports) is JSONL.
    let lines = try folder.write(
      "doccano.json", #"{"id": "b", "text": "Lavrov left.", "label": [[0, 6, "PER"]]}"# + "\n")
    let fromLines = try AnnoBinary.run(["--db", db, "import", lines])
    #expect(fromLines.status == 0, "\(fromLines.stderr)")
    #expect(fromLines.stdout.contains("documents: 1 added"))
    let export = try AnnoBinary.run(["--db", db, "export", "--all"])
    #expect(export.stdout.contains(#""labels":{"topic":"diplomacy"}"#))
    #expect(
      export.stdout.contains(
        #""annotator":"ann2","entities":[{"end":5,"label":"PER","start":0,"text":"Kerry"}"#))
  }

  @Test func aCSVRowForADocumentNotStoredNamesTheLine() throws {
    let folder = try TemporaryDirectory()
    let csv = try folder.write("labels.csv", "id,sentiment\r\nnowhere,neutral\r\n")
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", csv])
    #expect(result.status == 1)
    #expect(
      result.stderr.hasSuffix(
        "\(csv):2: no document with id 'nowhere' in the database or earlier in this input; include its 'text'\n"
          + Self.refusal))
  }

  @Test func aHuggingFaceFolderWithoutItsCardSaysWhatItNeeds() throws {
    let folder = try TemporaryDirectory()
    try folder.write(
      "ds/data/ner/train.jsonl", #"{"id": "a", "tokens": ["A"], "ner_tags": [0]}"# + "\n")
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", "--format", "hf", folder.file("ds")])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains(
        "ds/README.md:1: a Hugging Face dataset folder needs its README.md dataset card (configs and class_label names), as 'anno export --format hf' writes it"
      ))
  }

  /// A split export of a single-file format is a folder of files; import reads them all.
  @Test func splitExportFoldersImportWhole() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let records = (0..<6).map { i in
      #"{"id": "d\#(i)", "text": "Kerry met Lavrov \#(i).", "annotator": "ann1", "entities": [{"start": 0, "end": 5, "label": "PER"}], "sentiment": "neutral"}"#
    }
    let input = try folder.write("in.jsonl", records.joined(separator: "\n") + "\n")
    try #require(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    for format in ["conll", "spacy-json", "spacy", "hf", "brat"] {
      let out = folder.file("split-\(format)/")
      let export = try AnnoBinary.run([
        "--db", db, "export", "--format", format, "--split", "train=0.5,test=0.5", "--out", out,
      ])
      try #require(export.status == 0, "\(export.stderr)")
      let copy = folder.file("copy-\(format).sqlite")
      let result = try AnnoBinary.run([
        "--db", copy, "--annotator", "ann1", "import", "--format", format, out,
      ])
      #expect(result.status == 0, "\(format): \(result.stderr)")
      // CoNLL and brat carry the entities, not the document sentiment.
      let added = ["conll", "brat"].contains(format) ? 6 : 12
      #expect(
        result.stdout.contains("documents: 6 added")
          && result.stdout.contains("(\(added) annotations added)"),
        "\(format): \(result.stdout)")
    }
  }
}
