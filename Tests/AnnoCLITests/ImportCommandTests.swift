import AnnoTestSupport
import Foundation
import Testing

/// End-to-end tests of `anno import` and `anno stats` through the built binary.
@Suite struct ImportCommandTests {
  static let refusal =
    "import refused: nothing was written (fix the records above, or use --skip-invalid to import the valid ones)\n"

  @Test func importsAFolderOfTextFilesKeepingCRLFAndThenChangesNothing() throws {
    let folder = try TemporaryDirectory()
    try folder.write("corpus/one.txt", "First title\n\nKerry met Lavrov.\n")
    try folder.write("corpus/sport/two.txt", "Zürich 👍🏽\r\nwins\r\n")
    let db = folder.file("a.sqlite")
    let first = try AnnoBinary.run(["--db", db, "import", folder.file("corpus")])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout.hasSuffix(
        "documents: 2 added, 0 unchanged, 0 replaced; annotation sets: 0 added, 0 unchanged, 0 replaced (0 annotations added); records skipped: 0\n"
      ))
    let again = try AnnoBinary.run(["--db", db, "import", folder.file("corpus")])
    #expect(again.stdout == "nothing changed: 2 documents and 0 annotation sets already present\n")
    let export = try AnnoBinary.run(["--db", db, "stats", "--format", "json"])
    #expect(
      Self.withoutDigest(export.stdout)
        == #"{"annotations_by_kind":{},"annotators":[],"documents":2,"entities_by_label":{},"progress":{},"reviewers":[],"schema":{"guidelines_sha256":"…","name":"anno-news","version":2},"stance_targets":{}}"#
        + "\n")
  }

  /// `stats` output with the guideline digest, which changes with every guideline edit, as `…`.
  static func withoutDigest(_ text: String) -> String {
    text.replacingOccurrences(
      of: #""guidelines_sha256":"[0-9a-f]{12}""#, with: #""guidelines_sha256":"…""#,
      options: .regularExpression)
  }

  @Test func statsCountAnnotationsByKindLabelAndAnnotator() throws {
    let folder = try TemporaryDirectory()
    let input = try folder.write(
      "in.jsonl",
      """
      {"id": "k", "text": "Kerry met Lavrov.", "annotator": "ann1", "entities": [{"start": 0, "end": 5, "label": "PER"}, {"start": 10, "end": 16, "label": "PER"}], "sentiment": "neutral"}
      {"id": "k", "annotator": "ann2", "status": "in_progress", "entities": [{"start": 0, "end": 5, "label": "PER"}]}
      {"id": "m", "text": "Moscow."}

      """)
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", input])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.hasSuffix(
        "annotation sets: 2 added, 0 unchanged, 0 replaced (4 annotations added); records skipped: 0\n"
      ))
    let stats = try AnnoBinary.run(["stats", "--format", "json", "--db", db])
    #expect(
      Self.withoutDigest(stats.stdout)
        == #"{"annotations_by_kind":{"entity":3,"sentiment":1},"annotators":["ann1","ann2"],"documents":2,"entities_by_label":{"PER":3},"progress":{"ann1":{"done":1,"flagged":0,"in_progress":0,"skipped":0,"todo":1},"ann2":{"done":0,"flagged":0,"in_progress":1,"skipped":0,"todo":1}},"reviewers":[],"schema":{"guidelines_sha256":"…","name":"anno-news","version":2},"stance_targets":{}}"#
        + "\n")
  }

  static let badInputs: [(String, String)] = [
    (
      #"{"id": "b", "text": "x""#,
      "malformed JSON at column 24: unexpected end of input in an object"
    ),
    (#"{"id": "b"}"#, "missing key 'text'"),
    (#"{"id": "b", "text": 12}"#, "'text' must be a string, not a number"),
    (
      #"{"id": "b", "text": "Kerry", "annotator": "x", "entities": [{"start": 0, "end": 9, "label": "PER"}]}"#,
      "document 'b': entities[0]: offsets 0..<9 are outside the text (length 5 code points)"
    ),
    (
      #"{"id": "b", "text": "Kerry", "annotator": "x", "entities": [{"start": 3, "end": 3, "label": "PER"}]}"#,
      "entities[0]: start 3 must be less than end 3"
    ),
    (
      #"{"id": "b", "text": "Kerry", "annotator": "x", "entities": [{"start": 0, "end": 5, "label": "PER", "text": "Kerri"}]}"#,
      #"document 'b': entities[0]: text "Kerri" does not match the document, which has "Kerry" at 0..<5"#
    ),
    (
      #"{"id": "b", "text": "Kerry", "annotator": "x", "entities": [{"start": 0, "end": 5, "label": "PERSON"}]}"#,
      "document 'b': entities[0]: unknown label 'PERSON'; did you mean 'PER'? (expected one of PER, ORG, LOC, MISC)"
    ),
    (
      #"{"id": "b", "text": "Kerry", "annotator": "x", "sentiment": "happy"}"#,
      "document 'b': sentiment: unknown sentiment 'happy' (expected one of negative, neutral, positive)"
    ),
    (
      #"{"id": "b", "text": "Kerry", "annotator": "x", "stances": [{"target": "Russia", "value": "pro"}]}"#,
      "document 'b': stances[0]: unknown stance value 'pro' (expected one of favor, against, neutral)"
    ),
  ]

  @Test(arguments: badInputs)
  func refusesEachKindOfBadInputAndWritesNothing(line: String, message: String) throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let good = try folder.write("good.jsonl", #"{"id": "a", "text": "Fine."}"# + "\n")
    #expect(try AnnoBinary.run(["--db", db, "import", good]).status == 0)
    let before = try AnnoBinary.run(["--db", db, "stats", "--format", "json"]).stdout
    // The bad record comes second, after a valid one that must not be written either.
    let input = try folder.write(
      "bad.jsonl", #"{"id": "c", "text": "Also fine."}"# + "\n" + line + "\n")
    let result = try AnnoBinary.run(["--db", db, "import", input])
    #expect(result.status == 1)
    #expect(result.stdout == "")
    #expect(result.stderr == "\(input):2: \(message)\n" + Self.refusal)
    #expect(try AnnoBinary.run(["--db", db, "stats", "--format", "json"]).stdout == before)
  }

  @Test func refusesBytesThatAreNotUTF8InTextFilesAndJSONL() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let text = try folder.write("latin1.txt", Data("line one\ncaf".utf8 + [0xE9] + "\n".utf8))
    let result = try AnnoBinary.run(["--db", db, "import", text])
    #expect(result.status == 1)
    #expect(
      result.stderr == "\(text):2: bytes that are not UTF-8; save the file as UTF-8\n"
        + Self.refusal)
    let jsonl = try folder.write(
      "latin1.jsonl", Data(#"{"id": "x", "text": "caf"#.utf8 + [0xE9] + #""}"#.utf8))
    let second = try AnnoBinary.run(["--db", db, "import", jsonl])
    #expect(
      second.stderr == "\(jsonl):1: malformed JSON at column 22: string is not valid UTF-8\n"
        + Self.refusal)
  }

  @Test func refusesTheSameIDWithTwoTextsAndTwoRecordsForOneAnnotator() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let input = try folder.write(
      "dupes.jsonl",
      """
      {"id": "d", "text": "One."}
      {"id": "d", "text": "Two."}
      {"id": "e", "text": "E.", "annotator": "ann1", "entities": []}
      {"id": "e", "annotator": "ann1", "entities": []}

      """)
    let result = try AnnoBinary.run(["--db", db, "import", input])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == """
        \(input):2: document 'd' appears earlier in this input with a different text
        \(input):4: a second record for document 'e' by annotator 'ann1' in this input

        """ + Self.refusal)
    #expect(
      try AnnoBinary.run(["--db", db, "stats", "--format", "json"]).stdout.hasPrefix(
        #"{"annotations_by_kind":{},"annotators":[],"documents":0"#))
  }

  @Test func skipInvalidImportsTheValidRecordsAndReportsTheRest() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let input = try folder.write(
      "mixed.jsonl",
      #"{"id": "a", "text": "A."}"# + "\n" + #"{"id": "b"}"# + "\n" + #"{"id": "c", "text": "C."}"#
        + "\n")
    let result = try AnnoBinary.run(["--db", db, "import", "--skip-invalid", input])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "\(input):2: missing key 'text'\n1 problem reported; the invalid records were skipped\n")
    #expect(result.stdout.contains("documents: 2 added"))
    #expect(result.stdout.hasSuffix("records skipped: 1\n"))
  }

  @Test func aRecordWithoutTextIsCheckedAgainstTheTextThatWasImportedNotARefusedOne() throws {
    // Records are checked on a reading thread ahead of the writes; a record without text that
    // follows a refused second text for its document must still be checked against the first.
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let input = try folder.write(
      "in.jsonl",
      """
      {"id": "d", "text": "Kerry met Lavrov.", "annotator": "ann1", "entities": [{"start": 0, "end": 5, "label": "PER"}]}
      {"id": "d", "text": "Lavrov met Kerry.", "annotator": "ann2", "entities": []}
      {"id": "d", "annotator": "ann3", "entities": [{"start": 10, "end": 16, "label": "PER", "text": "Lavrov"}]}
      {"id": "e", "text": "Moscow answered."}
      {"id": "d", "annotator": "ann4", "entities": [{"start": 0, "end": 5, "label": "PER", "text": "Kerry"}]}
      {"id": "d", "annotator": "ann5", "entities": [{"start": 0, "end": 6, "label": "PER", "text": "Lavrov"}]}

      """)
    let result = try AnnoBinary.run(["--db", db, "import", "--skip-invalid", input])
    #expect(
      result.stderr
        == """
        \(input):2: document 'd' appears earlier in this input with a different text
        \(input):6: document 'd': entities[0]: text "Lavrov" does not match the document, which has "Kerry " at 0..<6
        2 problems reported; the invalid records were skipped

        """)
    #expect(result.stdout.contains("annotation sets: 3 added"))
    let stats = try AnnoBinary.run(["--db", db, "stats", "--format", "json"])
    #expect(stats.stdout.contains(#""annotators":["ann1","ann3","ann4"]"#))
  }

  @Test func problemsAreReportedInInputOrderAcrossALongInput() throws {
    // Given 500 records (many batches of the reading thread) with bad ones spread through them
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let bad: Set<Int> = [3, 40, 41, 77, 200, 333, 499]
    var lines: [String] = []
    for i in 0..<500 {
      if !bad.contains(i) {
        lines.append(
          #"{"id": "d\#(i)", "text": "Text number \#(i).", "annotator": "ann1", "entities": [{"start": 0, "end": 4, "label": "PER"}]}"#
        )
      } else if i % 2 == 0 {
        lines.append(#"{"id": "d\#(i)", "text": "Short."#)
      } else {
        lines.append(
          #"{"id": "d\#(i)", "text": "Tiny", "annotator": "ann1", "entities": [{"start": 0, "end": 9, "label": "PER"}]}"#
        )
      }
    }
    let input = try folder.write("long.jsonl", lines.joined(separator: "\n") + "\n")
    let refused = try AnnoBinary.run(["--db", db, "import", input])
    let skipped = try AnnoBinary.run(["--db", db, "import", "--skip-invalid", input])
    // Then each is reported at its line, in order, and the rest are imported
    let expected = bad.sorted().map { i in
      i % 2 == 0
        ? "\(input):\(i + 1): malformed JSON at column \(lines[i].utf8.count + 1): unterminated string"
        : "\(input):\(i + 1): document 'd\(i)': entities[0]: offsets 0..<9 are outside the text (length 4 code points)"
    }
    #expect(refused.status == 1)
    #expect(refused.stderr == (expected + [Self.refusal]).joined(separator: "\n"))
    #expect(
      skipped.stderr
        == (expected + ["7 problems reported; the invalid records were skipped\n"]).joined(
          separator: "\n"))
    #expect(skipped.stdout.contains("documents: 493 added"))
    #expect(skipped.stdout.contains("(493 annotations added); records skipped: 7"))
  }

  #if os(Linux)
    @Test func aFileThatCannotBeReadStopsTheImportUnlessInvalidRecordsAreSkipped() throws {
      // /proc/self/mem opens but fails to read (EIO) at offset 0.
      let folder = try TemporaryDirectory()
      let db = folder.file("a.sqlite")
      let a = try folder.write("a.jsonl", #"{"id": "a", "text": "A."}"# + "\n")
      let b = try folder.write(
        "b.jsonl", #"{"id": "b", "text": "B."}"# + "\n" + #"{"id": "c"}"# + "\n")
      // Without --skip-invalid the import stops there: b's bad record is never read.
      let refused = try AnnoBinary.run(["--db", db, "import", a, "/proc/self/mem", b])
      #expect(refused.status == 1)
      #expect(
        refused.stderr == "/proc/self/mem:0: cannot read: Input/output error\n" + Self.refusal)
      let skipped = try AnnoBinary.run([
        "--db", db, "import", "--skip-invalid", a, "/proc/self/mem", b,
      ])
      #expect(skipped.status == 1)
      #expect(
        skipped.stderr
          == "/proc/self/mem:0: cannot read: Input/output error\n\(b):2: missing key 'text'\n"
          + "2 problems reported; the invalid records were skipped\n")
      #expect(skipped.stdout.hasPrefix("documents: 2 added"))
      #expect(skipped.stdout.hasSuffix("records skipped: 2\n"))
    }

    @Test func aTextFileThatCannotBeReadIsReportedButIsNoRecord() throws {
      let folder = try TemporaryDirectory()
      let db = folder.file("a.sqlite")
      let a = try folder.write("a.txt", "A title\n\nBody.\n")
      let result = try AnnoBinary.run([
        "--db", db, "import", "--format", "txt", "--skip-invalid", a, "/proc/self/mem",
      ])
      #expect(result.status == 1)
      #expect(
        result.stderr
          == "/proc/self/mem:1: cannot read the file\n1 problem reported; the invalid records were skipped\n"
      )
      #expect(result.stdout.contains("\ndocuments: 1 added"))
      #expect(result.stdout.hasSuffix("records skipped: 0\n"))
    }
  #endif

  @Test func noArgumentsCreatesTheDatabaseAndImportsCorpusOnFirstRunOnly() throws {
    let folder = try TemporaryDirectory()
    try folder.write("Corpus/a.txt", "A title\n\nBody.\n")
    let first = try AnnoBinary.run([], in: folder.path)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout.hasPrefix(
        "created anno.sqlite with schema 'anno-news' v2 from the bundled default\nimported Corpus/: documents: 1 added"
      ))
    #expect(FileManager.default.fileExists(atPath: folder.file("anno.sqlite")))
    let second = try AnnoBinary.run([], in: folder.path)
    #expect(!second.stdout.contains("imported"))
    // The bundled guidelines are stored byte for byte as in Guidelines/, so the digest is the
    // same whichever of the two a database was made from.
    let fromFolder = try AnnoBinary.run([
      "--db", folder.file("b.sqlite"), "--schema",
      AnnoBinary.repositoryRoot + "/Guidelines/schema.yaml",
      "stats",
    ])
    let schemaLine = try #require(second.stdout.split(separator: "\n").first)
    #expect(schemaLine.hasPrefix("schema       anno-news v2 (guidelines "))
    #expect(fromFolder.stdout.hasPrefix(schemaLine + "\n"))
    #expect(second.stdout.contains("\ndocuments    1\n"))
  }

  @Test func helpListsEveryCommand() throws {
    let help = try AnnoBinary.run(["--help"])
    for command in [
      "start", "shell", "import", "export", "stats", "schema", "tokenize", "agree", "adjudicate",
      "patterns", "suggest",
      "check", "backup", "merge",
    ] {
      #expect(help.stdout.contains("\n  \(command) "), "\(command) missing from --help")
    }
    let importHelp = try AnnoBinary.run(["help", "import"])
    #expect(importHelp.stdout.contains("--skip-invalid"))
    #expect(importHelp.stdout.contains("--replace"))
  }
}
