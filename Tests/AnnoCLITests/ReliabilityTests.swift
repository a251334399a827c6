import AnnoTestSupport
import Foundation
import Testing

/// `anno check`, `backup`, `merge` and clean failures, end to end through the binary.
@Suite struct ReliabilityTests {
  static let fixture = """
    {"id": "kerry", "text": "John Kerry met Sergei Lavrov in Sochi. Lavrov said no."}
    {"id": "esc", "text": "Plain \\u001b[2J\\u001b]0;title\\u0007 and \\u001b[31mred\\u001b[0m \\u009b31m end."}

    """

  func makeDatabase(_ folder: TemporaryDirectory, _ name: String = "a.sqlite") throws -> String {
    let db = folder.file(name)
    let input = try folder.write("docs.jsonl", Self.fixture)
    let result = try AnnoBinary.run(["--db", db, "import", input])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  func sqlite(_ db: String, _ sql: String) throws {
    try #require(try SQLiteShell.run(db, sql).status == 0)
  }

  @Test func checkSaysOkAndExitsZeroOnAHealthyDatabase() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "-c", "open kerry; tag PER Kerry",
    ])
    #expect(result.status == 0)
    let check = try AnnoBinary.run(["--db", db, "check"])
    #expect(check.status == 0)
    #expect(
      check.stdout == """
        ok       integrity: SQLite integrity_check passed
        ok       foreign keys: every reference resolves
        ok       orphaned annotations: every annotation has its document, annotator and status
        ok       offsets: every span fits its document
        ok       text versions: every span was made on its document's current text
        ok       span ids: every span and note has an id of its own in its document
        ok       schema: every label in use is declared by 'anno-news' v2
        ok       stance targets: 0 stance targets in use, no two spelt apart
        ok       event log: 3 events readable, append-only
        2 documents, 1 annotator, 1 annotation, 3 events: no problems

        """)
  }

  @Test func checkListsProblemsAndExitsOne() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    try AnnoBinary.prepare([
      "--db", db, "--annotator", "ann1", "shell", "-c", "open kerry; tag PER Kerry",
    ])
    try sqlite(db, #"UPDATE annotation SET "end" = 500; DELETE FROM documentStatus"#)
    let check = try AnnoBinary.run(["--db", db, "check"])
    #expect(check.status == 1)
    #expect(
      check.stdout.contains(
        "problem  offsets: 1 problem\n         annotation 1 on 'kerry' by 'ann1': 5:500 ends past the text (54 code points)\n"
      ))
    #expect(
      check.stdout.contains(
        "problem  orphaned annotations: 1 problem\n         'kerry' by 'ann1': 1 annotation without a status row\n"
      ))
    #expect(check.stdout.hasSuffix("events: 2 problems\n"))
    let json = try AnnoBinary.run(["--db", db, "check", "--format", "json"])
    #expect(json.status == 1)
    #expect(
      json.stdout.hasPrefix(
        #"{"checks":[{"name":"integrity","ok":true,"problem_count":0,"problems":[]}"#))
    #expect(json.stdout.contains(#""ok":false,"problem_count":2,"removed_temporaries":[]}"#))
  }

  @Test func checkRemovesTemporariesOfDeadExports() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    // PID 2^22 + 1 is above Linux's pid_max default, so no process has it.
    let stale = try folder.write("out/.train.jsonl.anno-tmp-4194305-17", "partial")
    let live = try folder.write(
      "out/.train.jsonl.anno-tmp-\(ProcessInfo.processInfo.processIdentifier)-18", "partial")
    let check = try AnnoBinary.run(["--db", db, "check", "--clean-temp", folder.file("out")])
    #expect(check.status == 0)
    #expect(check.stdout.contains("removed  stale temporary \(stale)\n"))
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: live))
  }

  @Test func backupRefusesToOverwriteUnlessForced() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let copy = folder.file("copy.sqlite")
    let first = try AnnoBinary.run(["--db", db, "backup", copy])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout.hasPrefix("backed up \(db) to \(copy): 2 documents, 0 annotations, 2 events, "))
    let again = try AnnoBinary.run(["--db", db, "backup", copy])
    #expect(again.status == 1)
    #expect(
      again.stderr
        == "Error: '\(copy)' already exists; pass --force to overwrite it, or choose another path\n"
    )
    #expect(try AnnoBinary.run(["--db", db, "backup", "--force", copy]).status == 0)
    #expect(try AnnoBinary.run(["--db", copy, "check"]).status == 0)
  }

  @Test func mergeReportsConflictsAndIsIdempotent() throws {
    let folder = try TemporaryDirectory()
    let a = try makeDatabase(folder, "a.sqlite")
    let b = folder.file("b.sqlite")
    #expect(try AnnoBinary.run(["--db", a, "backup", b]).status == 0)
    try AnnoBinary.prepare([
      "--db", a, "--annotator", "ann1", "shell", "-c", "open kerry; tag PER Kerry",
    ])
    try AnnoBinary.prepare([
      "--db", b, "--annotator", "ann1", "shell", "-c", "open kerry; tag LOC Sochi",
    ])
    try AnnoBinary.prepare([
      "--db", b, "--annotator", "ann2", "shell", "-c", "open kerry; tag PER Lavrov; done",
    ])
    let merge = try AnnoBinary.run(["--db", a, "merge", b])
    #expect(merge.status == 0, "\(merge.stderr)")
    let lines = merge.stdout.split(separator: "\n")
    #expect(
      lines.first
        == "merged \(b): documents 0 added, 2 shared; annotators 1 added; annotation sets 1 added, 0 unchanged, 1 in conflict; 2 annotations added; events 3 copied, 2 already here"
    )
    #expect(
      lines.last?.hasPrefix("conflict 'kerry' by 'ann1': kept theirs (latest change here ") == true)
    let again = try AnnoBinary.run(["--db", a, "merge", b])
    #expect(again.stdout == "nothing to merge from \(b): everything in it is already here\n")
    #expect(try AnnoBinary.run(["--db", a, "check"]).status == 0)
  }

  @Test func exportAndImportCarryTwoAnnotatorsWorkAcrossDatabases() throws {
    let folder = try TemporaryDirectory()
    let first = try makeDatabase(folder, "first.sqlite")
    try AnnoBinary.prepare(
      [
        "--db", first, "--annotator", "ann1", "shell", "-c",
        #"open kerry; tag PER "John Kerry"; sentiment negative; done"#,
      ])
    try AnnoBinary.prepare(
      [
        "--db", first, "--annotator", "ann2", "shell", "-c",
        #"open kerry; tag PER Lavrov all; stance Kremlin against; label topic diplomacy"#,
      ])
    let one = folder.file("one.jsonl")
    let two = folder.file("two.jsonl")
    #expect(
      try AnnoBinary.run(["--db", first, "export", "--all", "--include-unfinished", "--out", one])
        .status == 0)
    let second = folder.file("second.sqlite")
    let imported = try AnnoBinary.run(["--db", second, "import", one])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(
      try AnnoBinary.run(["--db", second, "export", "--all", "--include-unfinished", "--out", two])
        .status == 0)
    let bytes = try #require(FileManager.default.contents(atPath: one))
    #expect(bytes == FileManager.default.contents(atPath: two))
    #expect(String(decoding: bytes, as: UTF8.self).split(separator: "\n").count == 2)
    // What ann2 prepared went all the way round, the stance given by an alias included.
    #expect(
      String(decoding: bytes, as: UTF8.self).contains(
        #""stances":[{"target":"Russia","value":"against"}]"#))
  }

  @Test(arguments: [
    (["stats"], "not an Anno database"),
    (["check"], "not an Anno database"),
    (["backup", "/tmp/never-written.sqlite"], "not an Anno database"),
  ])
  func failuresAreOneClearLine(arguments: [String], expected: String) throws {
    let folder = try TemporaryDirectory()
    let notes = try folder.write(
      "notes.sqlite", "plain text, not SQLite at all, but long enough to be read as a header")
    let result = try AnnoBinary.run(["--db", notes] + arguments)
    #expect(result.status == 1)
    #expect(result.stderr.contains(expected))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test func missingFoldersAndDatabasesAreOneClearLine() throws {
    let missing = try AnnoBinary.run(["--db", "/nonexistent/dir/a.sqlite", "stats"])
    #expect(missing.status == 1)
    #expect(
      missing.stderr
        == "Error: cannot open database '/nonexistent/dir/a.sqlite': the folder '/nonexistent/dir' does not exist\n"
    )
    let folder = try TemporaryDirectory()
    let check = try AnnoBinary.run(["--db", folder.file("absent.sqlite"), "check"])
    #expect(
      check.stderr
        == "Error: no database at '\(folder.file("absent.sqlite"))'; pass --db PATH or set ANNO_DB\n"
    )
    #expect(!FileManager.default.fileExists(atPath: folder.file("absent.sqlite")))
  }

  @Test func aRefusedSchemaLeavesNoDatabaseBehind() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("new.sqlite")
    let absent = try AnnoBinary.run(["--db", db, "--schema", folder.file("absent.yaml"), "stats"])
    #expect(absent.status == 1)
    #expect(absent.stderr.contains("absent.yaml"))
    let broken = try folder.write("broken.yaml", "name: x\nversion: 1\nentities: [PER, PER]\n")
    let invalid = try AnnoBinary.run(["--db", db, "--schema", broken, "stats"])
    #expect(invalid.status == 1)
    #expect(invalid.stderr.hasPrefix("Error: "))
    #expect(!FileManager.default.fileExists(atPath: db))
    #expect(!FileManager.default.fileExists(atPath: db + "-wal"))
  }

  @Test func anUnreadableRatingsTableIsOneClearLine() throws {
    let folder = try TemporaryDirectory()
    let result = try AnnoBinary.run(["agree", "--ratings", folder.file("absent.csv")])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "Error: cannot open '\(folder.file("absent.csv"))': No such file or directory\n")
  }

  @Test func showNeverWritesEscapeBytesFromTheDocument() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    #expect(
      try AnnoBinary.run([
        "--db", db, "--annotator", "ann1", "shell", "-c", "open esc; tag PER Plain",
      ]).status == 0)
    for command in [
      "show", "show raw", "show tokens", "show spans", "show --all", "find Plain", "list all",
      "history",
    ] {
      let result = try AnnoBinary.run([
        "--db", db, "--annotator", "ann1", "shell", "-c", "open esc; \(command)",
      ])
      #expect(result.status == 0, "\(command): \(result.stderr)")
      #expect(!result.stdout.utf8.contains(0x1B), "\(command) wrote ESC")
      #expect(!result.stdout.unicodeScalars.contains("\u{9B}"), "\(command) wrote CSI")
    }
  }

  @Test func hostileStringsAreStoredFaithfully() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("h.sqlite")
    let id = #"it's "x"; DROP TABLE document; -- ../../etc/passwd"#
    let note =
      "line one\nline two \u{1B}[31m red 'single' \"double\" "
      + String(repeating: "long ", count: 2000)
    let record: [String: Any] = [
      "id": id, "text": "Robert'); DROP TABLE annotation;-- wrote.", "annotator": "ann1",
      "status": "done",
      "entities": [["start": 0, "end": 6, "label": "PER"]], "notes": [["text": note]],
    ]
    let input = try folder.write(
      "in.jsonl", try JSONSerialization.data(withJSONObject: record) + Data("\n".utf8))
    #expect(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    let export = try AnnoBinary.run(["--db", db, "export"])
    let back = try #require(
      try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
    #expect(back["id"] as? String == id)
    #expect((back["notes"] as? [[String: Any]])?.first?["text"] as? String == note)
    #expect(try AnnoBinary.run(["--db", db, "check"]).status == 0)
  }

  @Test func fuzzCorpusShellLinesRunWithoutCrashing() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let script = AnnoBinary.repositoryRoot + "/Tests/AnnoFormatsTests/FuzzCorpus/words/lines.anno"
    let result = try AnnoBinary.run([
      "--db", db, "--annotator", "fuzz", "shell", "--script", script,
    ])
    #expect(result.status == 1)  // most lines are errors on purpose
    #expect(!result.stderr.contains("Fatal error"))
    #expect(
      result.stderr.split(separator: "\n").allSatisfy {
        $0.hasPrefix("line ") || $0.hasPrefix("  usage:")
      })
    #expect(try AnnoBinary.run(["--db", db, "check"]).status == 0)
  }
}
