import AnnoTestSupport
import Foundation
import Testing

/// Names that select nothing, strategies that cannot apply and mistyped commands are errors
/// that say so; choices persist; reviewers stay reviewers. Through the binary.
@Suite struct NoQuietFailuresTests {
  static let fixture = """
    {"id": "k", "text": "John Kerry met Sergei Lavrov in Sochi on Tuesday.", "annotator": "ann1", "entities": [{"start": 0, "end": 10, "label": "PER"}, {"start": 15, "end": 28, "label": "PER"}, {"start": 32, "end": 37, "label": "LOC"}], "sentiment": "neutral", "stances": [{"target": "Russia", "value": "against"}]}
    {"id": "k", "annotator": "ann2", "entities": [{"start": 0, "end": 10, "label": "PER"}, {"start": 15, "end": 28, "label": "PER"}], "sentiment": "negative"}
    {"id": "m", "text": "Moscow answered.", "annotator": "ann1", "entities": [{"start": 0, "end": 6, "label": "LOC"}], "sentiment": "neutral"}
    {"id": "m", "annotator": "ann2", "entities": [{"start": 0, "end": 6, "label": "LOC"}], "sentiment": "neutral"}

    """

  func makeDatabase(_ folder: TemporaryDirectory) throws -> String {
    let db = folder.file("q.sqlite")
    let result = try AnnoBinary.run([
      "--db", db, "import", try folder.write("in.jsonl", Self.fixture),
    ])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  /// A schema file declaring an entity label twice is refused, by `schema load` and as the
  /// schema of a new database, with the file and the line of the second declaration.
  @Test func aSchemaWithADuplicateLabelIsRefused() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let bundled = try String(
      contentsOfFile: AnnoBinary.repositoryRoot + "/Guidelines/schema.yaml", encoding: .utf8)
    let duplicated = bundled.replacingOccurrences(of: "  - name: MISC\n", with: "  - name: PER\n")
    try #require(duplicated != bundled)
    let schema = try folder.write("dup.yaml", duplicated)
    let line = try #require(
      duplicated.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        .filter { $0.element == "  - name: PER" }.map { $0.offset + 1 }.last)
    let expected = "Error: dup.yaml:\(line): entity label 'PER' is declared twice\n"
    let load = try AnnoBinary.run(["--db", db, "schema", "load", schema])
    #expect(load.status == 1)
    #expect(load.stderr == expected)
    let stats = try AnnoBinary.run(["--db", db, "stats"])
    #expect(stats.status == 0)
    #expect(stats.stdout.hasPrefix("schema       anno-news v2 "), "\(stats.stdout)")
    let fresh = try AnnoBinary.run(["--db", folder.file("new.sqlite"), "--schema", schema, "stats"])
    #expect(fresh.status == 1)
    #expect(fresh.stderr == expected)
  }

  @Test func anUnknownAnnotatorIsAnErrorWithTheClosestName() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let export = try AnnoBinary.run(["--db", db, "export", "--annotator", "ann3"])
    #expect(export.status == 1)
    #expect(export.stdout == "")
    #expect(
      export.stderr
        == "Error: unknown annotator 'ann3'; did you mean 'ann1'? (expected one of ann1, ann2)\n")
    let inShell = try AnnoBinary.run(["--db", db, "shell", "-c", "export --annotator nosuch"])
    #expect(inShell.status == 1)
    #expect(
      inShell.stderr.hasPrefix("line 1: unknown annotator 'nosuch' (expected one of ann1, ann2)"))
    let eval = try AnnoBinary.run(["--db", db, "suggest", "eval", "--annotator", "an1"])
    #expect(eval.status == 1)
    #expect(eval.stderr.contains("unknown annotator 'an1'; did you mean 'ann1'?"))
    let agree = try AnnoBinary.run(["--db", db, "agree", "--annotators", "ann1,an2"])
    #expect(agree.status == 1)
    #expect(
      agree.stderr
        == "Error: no annotator 'an2' in the database; did you mean 'ann2'? (known annotators: ann1, ann2)\n"
    )
  }

  @Test func unknownLabelsTargetsAndDocumentsInAgreeAreErrors() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let target = try AnnoBinary.run(["--db", db, "agree", "--fields", "stance:Rusia"])
    #expect(target.status == 1)
    #expect(
      target.stderr.hasPrefix(
        "Error: no stance target 'Rusia' in the schema or the annotations; did you mean 'Russia'?"))
    let anchored = try AnnoBinary.run(["--db", db, "agree", "--fields", "stance_anchored:Nowhere"])
    #expect(anchored.status == 1)
    // A declared target (or alias) nobody used yet is fine: its section says so.
    #expect(try AnnoBinary.run(["--db", db, "agree", "--fields", "stance:Kremlin"]).status == 0)
    let label = try AnnoBinary.run(["--db", db, "agree", "--labels", "PERS"])
    #expect(label.status == 1)
    #expect(label.stderr.contains("no entity label 'PERS' in the schema; did you mean 'PER'?"))
    let against = try AnnoBinary.run(["--db", db, "agree", "--against", "gold", "--labels", "PERS"])
    #expect(against.status == 1)
    let document = try AnnoBinary.run(["--db", db, "agree", "--docs", "kk"])
    #expect(document.status == 1)
    #expect(document.stderr == "Error: no document id matches 'kk'; did you mean 'k'?\n")
    let pattern = try AnnoBinary.run(["--db", db, "agree", "--docs", "z*"])
    #expect(pattern.status == 1)
    #expect(pattern.stderr == "Error: no document id matches 'z*'\n")
  }

  @Test func aThresholdAboveTheAnnotatorsCannotWithdrawDecisionsWithoutForce() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    #expect(try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "majority"]).status == 0)
    let before = try AnnoBinary.run(["--db", db, "export", "--gold", "--include-unfinished"]).stdout
    let refused = try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "threshold=3"])
    #expect(refused.status == 1)
    #expect(refused.stdout == "")
    #expect(
      refused.stderr == """
        Error: threshold=3 needs 3 annotators in agreement, and 2 documents have fewer who finished them; it would withdraw 4 automatic decisions there:
          k  PER 0:10 (auto:majority)
          k  PER 15:28 (auto:majority)
          m  LOC 0:6 (auto:majority)
          m  sentiment neutral (auto:majority)
        nothing was changed; --force withdraws them

        """)
    // Nothing changed.
    #expect(
      try AnnoBinary.run(["--db", db, "export", "--gold", "--include-unfinished"]).stdout == before)
    let forced = try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "threshold=3", "--force"])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(
      forced.stdout.hasPrefix(
        """
        adjudicated 2 documents (threshold=3): 0 decided, 4 reopened, 0 reviewer decisions kept, 7 still open
        withdrew 4 automatic decisions:
          k  PER 0:10 (auto:majority)
        """))
    #expect(
      forced.stdout.contains(
        "note: threshold=3 needs 3 annotators in agreement, and 2 documents have fewer who finished them\n"
      ))
  }

  @Test func suggestOffIsKeptForTheNextSessionOfThatAnnotatorOnly() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let off = try AnnoBinary.run(["--db", db, "--annotator", "ann3", "shell", "-c", "suggest off"])
    #expect(off.stdout == "suggestions off, from patterns and learned labels\n")
    let later = try AnnoBinary.run([
      "--db", db, "--annotator", "ann3", "shell", "-c", "open m; show suggestions",
    ])
    #expect(later.stdout == "opened m\nsuggestions are off ('suggest on' turns them on)\n")
    let someoneElse = try AnnoBinary.run([
      "--db", db, "--annotator", "ann4", "shell", "-c", "open m; show suggestions",
    ])
    #expect(someoneElse.stdout.contains("s1"), "\(someoneElse.stdout)")
    // Choosing a setting registers nobody as an annotator.
    let stats = try AnnoBinary.run(["--db", db, "stats", "--format", "json"])
    #expect(stats.stdout.contains(#""annotators":["ann1","ann2"]"#))
  }

  @Test func aReviewerIsNotCountedAsAnAnnotator() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let review = try AnnoBinary.run(
      ["--db", db, "--annotator", "rev", "shell"], stdin: "review\naccept 1\ntag MISC Tuesday\n")
    #expect(review.status == 0, "\(review.stderr)")
    let stats = try AnnoBinary.run(["--db", db, "stats", "--format", "json"])
    #expect(stats.stdout.contains(#""annotators":["ann1","ann2"]"#), "\(stats.stdout)")
    #expect(stats.stdout.contains(#""reviewers":["rev"]"#))
    #expect(!stats.stdout.contains(#""rev":{"#))
    let text = try AnnoBinary.run(["--db", db, "stats"])
    #expect(text.stdout.contains("annotators   ann1, ann2\nreviewers    rev\n"))
    // Nor by agreement or export.
    let agree = try AnnoBinary.run(["--db", db, "agree", "--annotators", "ann1,rev"])
    #expect(agree.status == 1)
    #expect(agree.stderr.contains("no annotator 'rev' in the database"))
  }

  @Test func aMistypedCommandIsNamedWithTheClosestAndExitStatus64() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run(["--db", db, "expotr", "--format", "anno"])
    #expect(result.status == 64)
    #expect(result.stdout == "")
    #expect(
      result.stderr
        == "Error: unknown command 'expotr'; did you mean 'export'?\n  See 'anno --help' for the commands.\n"
    )
    // Options of anno and of start, and their values, are not taken for a command.
    let summary = try AnnoBinary.run(["--db", db, "--color", "never", "--corpus", "elsewhere"])
    #expect(summary.status == 0, "\(summary.stderr)")
    #expect(try AnnoBinary.run(["--db", db, "statz"]).status == 64)
    // And at any level.
    let nested = try AnnoBinary.run(["--db", db, "schema", "shw"])
    #expect(nested.status == 64)
    #expect(
      nested.stderr
        == "Error: unknown command 'schema shw'; did you mean 'schema show'?\n  See 'anno schema --help' for the commands.\n"
    )
    #expect(try AnnoBinary.run(["--db", db, "schema", "show"]).status == 0)
    // A default subcommand's option takes its value there too: `team` runs `team list`, whose
    // --format is refused for its value, not read as a command.
    let value = try AnnoBinary.run(["--db", db, "team", "--format", "x"])
    #expect(value.status == 64)
    #expect(value.stderr.hasPrefix("Error: The value 'x' is invalid for '--format <format>'"))
  }
}
