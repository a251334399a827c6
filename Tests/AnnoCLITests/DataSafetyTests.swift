import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// No command a user can type destroys or corrupts data: each test types the command through
/// the `anno` binary and checks the files and the database afterwards.
@Suite struct DataSafetyTests {
  static let documents = """
    {"id": "doc-00001", "text": "Paris is lovely in spring, said Kerry."}
    {"id": "doc-00002", "text": "Berlin is grey."}

    """

  /// A database with the two documents, and `ann1`'s finished labels on the first.
  func makeDatabase(_ folder: TemporaryDirectory, labelled: Bool = true) throws -> String {
    let db = folder.file("a.sqlite")
    let input = try folder.write("docs.jsonl", Self.documents)
    let imported = try AnnoBinary.run(["--db", db, "import", input])
    try #require(imported.status == 0, "\(imported.stderr)")
    if labelled {
      let shell = try AnnoBinary.run([
        "--db", db, "--annotator", "ann1", "shell", "-c",
        "open doc-00001; tag LOC Paris; tag PER Kerry; sentiment positive; done",
      ])
      try #require(shell.status == 0, "\(shell.stderr)")
    }
    return db
  }

  /// The output of the `sqlite3` shell on `db`, without its last line break.
  func query(_ db: String, _ sql: String) throws -> String {
    let result = try SQLiteShell.run(db, sql)
    try #require(result.status == 0)
    return result.output.trimmingCharacters(in: .newlines)
  }

  /// The SHA-256 of a file's bytes.
  func hash(_ path: String) throws -> String {
    SHA256.hexDigest(of: Array(try #require(FileManager.default.contents(atPath: path))))
  }

  func labels(_ db: String) throws -> String {
    try query(db, "SELECT kind, start, \"end\", value FROM annotation ORDER BY id")
  }

  // MARK: - 1. Outputs never replace the database

  @Test func exportAgreeAndScriptsRefuseTheDatabaseAndItsFiles() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let before = try labels(db)
    let link = folder.file("link.jsonl")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: db)
    let hardLink = folder.file("hard.sqlite")
    try FileManager.default.linkItem(atPath: db, toPath: hardLink)
    let spellings = [
      db, folder.file("./a.sqlite"), folder.file("sub/../a.sqlite"), link, hardLink,
      db + "-wal", db + "-shm", db + "-journal",
    ]
    try FileManager.default.createDirectory(
      atPath: folder.file("sub"), withIntermediateDirectories: true)
    for target in spellings {
      let export = try AnnoBinary.run([
        "--db", db, "export", "--include-unfinished", "--out", target,
      ])
      #expect(export.status == 1, "export --out \(target)")
      #expect(
        export.stderr.hasPrefix("Error: cannot write '\(target)': it is "), "\(export.stderr)")
      #expect(export.stderr.contains("nothing was written"))
      let agree = try AnnoBinary.run([
        "--db", db, "agree", "--ratings", try folder.write("r.csv", "unit,a,b\n1,x,x\n2,x,y\n"),
        "--out", target,
      ])
      #expect(agree.status == 1, "agree --out \(target)")
      #expect(agree.stderr.hasPrefix("Error: cannot write '\(target)': it is "), "\(agree.stderr)")
    }
    // The same from inside the shell, and onto the script being run.
    let script = try folder.write("session.anno", "export --include-unfinished --out \(db)\n")
    let fromScript = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "--script", script,
    ])
    #expect(fromScript.status == 1)
    #expect(fromScript.stderr.contains("line 1: cannot write '\(db)': it is the database"))
    let ontoScript = try folder.write("self.anno", "export --out \(folder.file("self.anno"))\n")
    let own = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "--script", ontoScript,
    ])
    #expect(own.stderr.contains("it is the script being run"), "\(own.stderr)")
    #expect(try String(contentsOfFile: ontoScript, encoding: .utf8).hasPrefix("export --out"))
    // A folder format may not replace a folder that holds the database, even with --force.
    let folderExport = try AnnoBinary.run([
      "--db", db, "export", "--format", "hf", "--include-unfinished", "--force", "--out",
      folder.path,
    ])
    #expect(folderExport.status == 1)
    #expect(folderExport.stderr.contains("it holds the database"))
    #expect(try labels(db) == before)
    #expect(try AnnoBinary.run(["--db", db, "check"]).status == 0)
  }

  // MARK: - 2. Undo and redo after import --replace

  @Test func redoAfterReplacingTheTextNeverPutsTheOldSpanOnTheNewText() throws {
    for newText in ["Rome.", "Lyon! is lovely in spring, said Kerry."] {
      let folder = try TemporaryDirectory()
      let db = try makeDatabase(folder, labelled: false)
      let tagged = try AnnoBinary.run([
        "--db", db, "--annotator", "ann1", "shell", "-c", "open doc-00001; tag LOC 0:5; undo",
      ])
      #expect(tagged.status == 0, "\(tagged.stderr)")
      let replacement = try folder.write(
        "new.jsonl", "{\"id\": \"doc-00001\", \"text\": \"\(newText)\"}\n")
      let replaced = try AnnoBinary.run(["--db", db, "import", "--replace", replacement])
      #expect(replaced.status == 0)
      #expect(
        replaced.stdout.contains(
          "replaced 'doc-00001': no labels removed; 1 undo step made on the old text no longer applies"
        ), "\(replaced.stdout)")
      let redo = try AnnoBinary.run(["--db", db, "--annotator", "ann1", "shell", "-c", "redo"])
      #expect(redo.status == 1)
      #expect(
        redo.stderr
          == "line 1: nothing to redo: 1 step left was made on an earlier text of 'doc-00001', replaced since (import --replace); it no longer applies\n"
      )
      #expect(try query(db, "SELECT count(*) FROM annotation") == "0")
      #expect(try AnnoBinary.run(["--db", db, "check"]).status == 0)
    }
  }

  @Test func undoPassesOverStepsMadeOnAnEarlierTextAndReplaceCountsWhatItRemoves() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder, labelled: false)
    try AnnoBinary.prepare([
      "--db", db, "--annotator", "ann1", "shell", "-c",
      "open doc-00002; tag LOC Berlin; open doc-00001; tag LOC Paris; tag PER Kerry",
    ])
    let replacement = try folder.write(
      "new.jsonl", "{\"id\": \"doc-00001\", \"text\": \"Paris, again.\"}\n")
    let replaced = try AnnoBinary.run(["--db", db, "import", "--replace", replacement])
    #expect(
      replaced.stdout.contains(
        "replaced 'doc-00001': 2 labels of 1 annotator removed; 2 undo steps made on the old text no longer apply"
      ), "\(replaced.stdout)")
    let undo = try AnnoBinary.run(["--db", db, "--annotator", "ann1", "shell", "-c", "undo"])
    #expect(undo.status == 0, "\(undo.stderr)")
    #expect(
      undo.stdout
        == """
        undone: tag LOC #1 "Berlin" 0:6 (on doc-00002; 'open doc-00002' to see it)
          passed over 2 newer steps made on an earlier text of 'doc-00001' (replaced since by import --replace); they no longer apply

        """)
    let again = try AnnoBinary.run(["--db", db, "--annotator", "ann1", "shell", "-c", "undo"])
    #expect(again.stderr.hasPrefix("line 1: nothing to undo: 2 steps left were made on an earlier"))
    #expect(try AnnoBinary.run(["--db", db, "check"]).status == 0)
  }

  @Test func aShellRefusesEditsOnATextReplacedWhileItWasOpen() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder, labelled: false)
    let replacement = try folder.write(
      "new.jsonl", "{\"id\": \"doc-00001\", \"text\": \"Rome.\"}\n")
    // Another process replaces the text while this shell has the document open.
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: AnnoBinary.path)
    shell.arguments = ["--db", db, "--annotator", "ann1", "shell"]
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    shell.environment = environment
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    shell.standardInput = input
    shell.standardOutput = output
    shell.standardError = errors
    try shell.run()
    input.fileHandleForWriting.write(Data("open doc-00001\n".utf8))
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains("opened doc-00001") {
      let chunk = output.fileHandleForReading.availableData
      try #require(!chunk.isEmpty, "the shell ended before opening the document")
      seen += chunk
    }
    #expect(try AnnoBinary.run(["--db", db, "import", "--replace", replacement]).status == 0)
    input.fileHandleForWriting.write(Data("tag LOC 0:5\n".utf8))
    try input.fileHandleForWriting.close()
    shell.waitUntilExit()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(shell.terminationStatus == 1)
    #expect(
      stderr
        == "line 2: 'doc-00001' has a new text since it was opened (import --replace); nothing was saved: 'open doc-00001' shows the new text\n"
    )
    #expect(try query(db, "SELECT count(*) FROM annotation") == "0")
    // The shell's own import reloads the open document.
    let own = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "-c",
      "open doc-00001; import --replace \(try folder.write("back.jsonl", Self.documents)); tag LOC 0:5",
    ])
    #expect(own.status == 0, "\(own.stderr)")
    #expect(own.stdout.contains("tagged [Paris]LOC#1 0:5"))
  }

  @Test func checkFindsSpansMadeOnAnotherVersionOfTheText() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    // The same length: every span still fits, but labels other characters.
    try _ = query(
      db, "UPDATE document SET text = 'Lyon! is lovely in spring, said Perry.' WHERE id = 1")
    let check = try AnnoBinary.run(["--db", db, "check"])
    #expect(check.status == 1)
    #expect(check.stdout.contains("ok       offsets: every span fits its document"))
    #expect(
      check.stdout.contains(
        "annotation 1 on 'doc-00001' by 'ann1': 0:5 was made on \"Paris\" but the text there reads \"Lyon!\""
      ), "\(check.stdout)")
    // The event log knows which text each change was made on.
    try _ = query(db, "UPDATE document SET contentHash = 'another text' WHERE id = 1")
    let logged = try AnnoBinary.run(["--db", db, "check"])
    #expect(
      logged.stdout.contains(
        "annotation 2 on 'doc-00001' by 'ann1' (entity 32:37): last changed by event 4, made on an earlier text of the document"
      ), "\(logged.stdout)")
  }

  // MARK: - 3. Token lists

  @Test func aTokenRangePastTheEndIsAnErrorEverywhere() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder, labelled: false)
    let input = try folder.write(
      "tokens.jsonl",
      """
      {"id":"tk","text":"abc def","tokens":[[0,3],[4,99]]}
      {"id":"ok","text":"abc def","tokens":[[0,3],[4,7]]}

      """)
    for arguments in [["import", input], ["import", "--skip-invalid", input]] {
      let result = try AnnoBinary.run(["--db", db] + arguments)
      #expect(result.status == 1)
      #expect(
        result.stderr.hasPrefix(
          "\(input):1: document 'tk': tokens[1]: token 4..<99 must be non-empty, in order, not overlapping and inside the text (length 7)\n"
        ), "\(result.stderr)")
      #expect(!result.stderr.contains("Fatal error"))
    }
    #expect(try query(db, "SELECT externalId FROM document WHERE tokens IS NOT NULL") == "ok")
    let shell = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "-c", "import \(input); open ok",
    ])
    #expect(shell.status == 1)
    #expect(shell.stdout.contains("opened ok"), "the shell went on after the failed import")
  }

  @Test func agreementInputsThatCouldReachAPreconditionAreErrors() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder, labelled: false)
    let none = try AnnoBinary.run(["--db", db, "agree"])
    #expect(none.status == 1)
    #expect(none.stderr.hasPrefix("Error: no document was finished by two annotators"))
    let replicates = try AnnoBinary.run(["--db", db, "agree", "--bootstrap", "99999999999"])
    #expect(replicates.status != 0)
    #expect(replicates.stderr.hasPrefix("Error: --bootstrap takes at most 100000 replicates"))
    let ratings = try folder.write("twice.csv", "unit,a,a\n1,x,y\n")
    let twice = try AnnoBinary.run(["--db", db, "agree", "--ratings", ratings])
    #expect(twice.status == 1)
    #expect(
      twice.stderr
        == "Error: \(ratings):1: rater 'a' appears twice in the header; give each column its own name\n"
    )
  }

  @Test func pathsAndMarkersThatCouldReachATrapAreErrors() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    for (path, reason) in [
      (".", "it is a folder; give the database file"), ("", "the path is empty; pass --db PATH"),
    ] {
      let result = try AnnoBinary.run(["--db", path, "stats"], in: folder.path)
      #expect(result.status == 1)
      #expect(result.stderr == "Error: cannot open database '\(path)': \(reason)\n")
    }
    // An export marker is a file anyone can edit.
    let out = folder.file("hfe")
    #expect(try AnnoBinary.run(["--db", db, "export", "--format", "hf", "--out", out]).status == 0)
    let marker = out + "/.anno-export"
    try (String(contentsOfFile: marker, encoding: .utf8) + "file .\nfile ..\nfile /\nfile \n")
      .write(toFile: marker, atomically: true, encoding: .utf8)
    let again = try AnnoBinary.run(["--db", db, "export", "--format", "hf", "--out", out])
    #expect(again.status == 0, "\(again.stderr)")
  }

  // MARK: - 4. Names that become file names

  @Test func schemaNamesCannotMakeAnExportWriteOutsideItsFolder() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let hostile = BundledGuidelines.schemaYAML.replacingOccurrences(
      of: "- name: topic", with: "- name: ../../../../x")
    try #require(hostile != BundledGuidelines.schemaYAML)
    let schema = try folder.write("hostile/schema.yaml", hostile)
    let load = try AnnoBinary.run(["--db", db, "schema", "load", schema])
    #expect(load.status == 1)
    #expect(
      load.stderr.contains("field name '../../../../x' may use only letters, digits, '_' and '-'"),
      "\(load.stderr)")
    let fresh = try AnnoBinary.run([
      "--db", folder.file("b.sqlite"), "--schema", schema, "stats",
    ])
    #expect(fresh.status == 1)
    let export = try AnnoBinary.run([
      "--db", db, "export", "--format", "hf", "--out", folder.file("out/hfe"),
    ])
    #expect(export.status == 0, "\(export.stderr)")
    let written = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
    #expect(!written.contains { $0.hasSuffix("x/train.jsonl") && !$0.hasPrefix("out/hfe/") })
  }

  // MARK: - 5. The gold version

  @Test func goldIsWrittenOnlyByAdjudicationAndKeepsTheProvenanceOfImports() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder, labelled: false)
    let shell = try AnnoBinary.run([
      "--db", db, "--annotator", "gold", "shell", "-c", "open doc-00001; tag PER 0:5; done",
    ])
    #expect(shell.status == 1)
    #expect(
      shell.stderr
        == "Error: 'gold' is the adjudicated version: only 'anno adjudicate' and reviewers in review mode write it; annotate under your own name (--annotator NAME)\n"
    )
    #expect(try query(db, "SELECT count(*) FROM annotation") == "0")
    let export = try AnnoBinary.run(["--db", db, "export", "--gold"])
    #expect(export.status == 1)
    #expect(export.stdout.isEmpty)
    let gold = try folder.write(
      "gold.jsonl",
      #"{"id": "doc-00001", "annotator": "gold", "status": "done", "entities": [{"start": 0, "end": 5, "label": "LOC"}]}"#
        + "\n")
    #expect(try AnnoBinary.run(["--db", db, "import", gold]).status == 0)
    #expect(try query(db, "SELECT DISTINCT originDetail FROM annotation") == "import:\(gold)")
  }

  // MARK: - 6. Export folders

  @Test func reExportingKeepsFilesAUserPutInTheFolder() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let out = folder.file("hfe")
    #expect(try AnnoBinary.run(["--db", db, "export", "--format", "hf", "--out", out]).status == 0)
    #expect(try AnnoBinary.run(["--db", db, "export", "--format", "hf", "--out", out]).status == 0)
    let notes = try folder.write("hfe/NOTES.md", "how we labelled\n")
    try folder.write("hfe/data/mine/keep.txt", "x")
    let again = try AnnoBinary.run(["--db", db, "export", "--format", "hf", "--out", out])
    #expect(again.status == 1)
    #expect(
      again.stderr
        == "Error: '\(out)' holds files Anno did not write: 'NOTES.md', 'data/mine'; move them, choose another folder, or pass --force to replace the folder (deleting them)\n"
    )
    #expect(try String(contentsOfFile: notes, encoding: .utf8) == "how we labelled\n")
    let forced = try AnnoBinary.run([
      "--db", db, "export", "--format", "hf", "--force", "--out", out,
    ])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(!FileManager.default.fileExists(atPath: notes))
  }

  // MARK: - 7. Files that are not Anno databases

  @Test(arguments: ["DELETE", "WAL"])
  func openingAFileThatIsNotAnAnnoDatabaseChangesNothing(journal: String) throws {
    let folder = try TemporaryDirectory()
    let other = folder.file("other.db")
    _ = try query(
      other, "PRAGMA journal_mode = \(journal); CREATE TABLE t (x); INSERT INTO t VALUES (1);")
    let before = try hash(other)
    for command in [["stats"], ["check"], ["export"], ["shell", "-c", "list"]] {
      let result = try AnnoBinary.run(["--db", other] + command)
      #expect(result.status == 1)
      #expect(
        result.stderr
          == "Error: '\(other)' is not an Anno database; pass another path with --db or ANNO_DB\n")
    }
    #expect(try hash(other) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["other.db"])
  }

  /// The interactive shell opens a second store for its suggestions: opening it must not
  /// drop the locks that tell other processes the shell has the database open, or the next
  /// command of another process would delete the write-ahead log under the shell.
  @Test func anotherProcessLeavesTheLogOfAnOpenInteractiveShellAlone() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let script = """
      import os, subprocess, sys, pexpect
      anno, db = sys.argv[1], sys.argv[2]
      shell = pexpect.spawn(anno, ["--db", db, "--annotator", "ann4", "shell"], encoding="utf-8",
                            env=dict(os.environ, NO_COLOR="1"), timeout=20)
      shell.expect("> ")
      shell.sendline("open doc-00002")
      shell.expect("> ")
      shell.sendline("tag LOC Berlin")
      shell.expect("tagged")
      shell.expect("> ")
      subprocess.run([anno, "--db", db, "stats"], check=True, stdout=subprocess.DEVNULL)
      if not os.path.exists(db + "-wal"):
          sys.exit("the log of the open shell was removed")
      shell.sendline("sentiment negative")
      shell.expect("> ")
      shell.sendline("quit")
      shell.expect(pexpect.EOF)
      print("ok")
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, AnnoBinary.path, db]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(output)")
    let check = try AnnoBinary.run(["--db", db, "check"])
    #expect(check.status == 0, "\(check.stdout)")
    #expect(
      try query(
        db,
        "SELECT count(*) FROM annotation WHERE annotatorId = (SELECT id FROM annotator WHERE name = 'ann4')"
      ) == "2")
  }

  // MARK: - 8. Backup targets

  @Test func backupRefusesTheDatabasesOwnFilesAndNamesSQLiteManages() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let before = try labels(db)
    let wal = try AnnoBinary.run(["--db", db, "backup", db + "-wal", "--force"])
    #expect(wal.status == 1)
    #expect(
      wal.stderr
        == "Error: cannot write '\(db)-wal': it is the write-ahead log of the database '\(db)'; nothing was written, choose another path\n"
    )
    let journal = try AnnoBinary.run(["--db", db, "backup", folder.file("copy.sqlite-journal")])
    #expect(journal.status == 1)
    #expect(journal.stderr.contains("SQLite manages files whose names end in '-journal'"))
    try folder.write("copy.sqlite-wal", "pages of another database")
    let beside = try AnnoBinary.run(["--db", db, "backup", folder.file("copy.sqlite")])
    #expect(beside.status == 1)
    #expect(beside.stderr.contains("'\(folder.file("copy.sqlite-wal"))' lies beside it"))
    #expect(!FileManager.default.fileExists(atPath: folder.file("copy.sqlite")))
    #expect(try labels(db) == before)
  }

  // MARK: - 9. Smaller findings

  @Test func aCommandWhoseOutputCannotBeWrittenExitsOne() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let ratings = try folder.write("ratings.csv", "unit,a,b\n1,x,x\n2,x,y\n")
    for arguments in [
      ["stats"], ["check"], ["export"], ["agree", "--ratings", ratings],
      ["--annotator", "ann1", "shell", "-c", "open doc-00001; show"],
    ] {
      let result = try AnnoBinary.run(["--db", db] + arguments, standardOutput: "/dev/full")
      #expect(result.status == 1, "\(arguments)")
      #expect(!result.stderr.contains("Fatal error"), "\(arguments): \(result.stderr)")
    }
    let stats = try AnnoBinary.run(["--db", db, "stats"], standardOutput: "/dev/full")
    #expect(stats.stderr == "Error: cannot write to standard output: No space left on device\n")
    let shell = try AnnoBinary.run(
      ["--db", db, "--annotator", "ann1", "shell", "-c", "open doc-00001"],
      standardOutput: "/dev/full")
    #expect(shell.stderr == "line 1: cannot write to standard output: No space left on device\n")
  }

  @Test func aNumericIdIsStoredAsTextAndTheImportSaysSo() throws {
    let folder = try TemporaryDirectory()
    let input = try folder.write(
      "doccano.jsonl",
      """
      {"id": 5, "text": "Moscow answered.", "label": [[0, 6, "LOC"]]}
      {"id": 6, "text": "Kyiv replied."}

      """)
    let db = folder.file("a.sqlite")
    let result = try AnnoBinary.run(["--db", db, "import", input])
    #expect(result.status == 0)
    #expect(
      result.stderr
        == "\(input):1: note: the id 5 is a number; it is stored as the text \"5\", as are the other numeric ids in this file\n"
    )
    #expect(try query(db, "SELECT externalId FROM document ORDER BY id") == "5\n6")
  }

  @Test func blankAnnotatorNamesAreRefused() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder, labelled: false)
    for name in ["   ", "", " ann1", "ann\u{1B}[31m"] {
      let result = try AnnoBinary.run([
        "--db", db, "--annotator", name, "shell", "-c", "open doc-00001; tag LOC Paris",
      ])
      #expect(result.status == 1, "'\(name)'")
      #expect(result.stderr.hasPrefix("Error: annotator name "), "\(result.stderr)")
    }
    let record = try folder.write(
      "blank.jsonl", #"{"id": "doc-00001", "annotator": "  ", "entities": []}"# + "\n")
    let imported = try AnnoBinary.run(["--db", db, "import", record])
    #expect(imported.status == 1)
    #expect(imported.stderr.hasPrefix("\(record):1: 'annotator' \"  \" is blank\n"))
    #expect(try query(db, "SELECT count(*) FROM annotator") == "0")
  }

  @Test func aDatabaseInAReadOnlyFolderOpensReadOnly() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    // Closed cleanly (no -wal or -shm beside it), as a database copied into a read-only place.
    #expect(try AnnoBinary.run(["--db", db, "stats"]).status == 0)
    #expect(!FileManager.default.fileExists(atPath: db + "-shm"))
    // Root may write anywhere: then the commands run as nobody, for whom the folder is read-only.
    let launcher =
      getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    if getuid() == 0 {
      try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
    defer {
      try? FileManager.default.setAttributes(
        [.posixPermissions: 0o755], ofItemAtPath: folder.path)
    }
    let stats = try AnnoBinary.run(["--db", db, "stats"], launcher: launcher)
    #expect(stats.status == 0, "\(stats.stderr)")
    #expect(stats.stdout.contains("documents    2\n"), "\(stats.stdout)")
    let export = try AnnoBinary.run(["--db", db, "export"], launcher: launcher)
    #expect(export.status == 0)
    #expect(export.stdout.contains("\"Paris\""))
    let tag = try AnnoBinary.run(
      ["--db", db, "--annotator", "ann2", "shell", "-c", "open doc-00002; tag LOC Berlin"],
      launcher: launcher)
    #expect(tag.status == 1)
    #expect(
      tag.stderr
        == "line 2: database '\(db)' is read-only; check its permissions and those of its folder\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == files)
  }

  @Test func spreadsheetSafeCSVNeutralisesFormulaCells() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let input = try folder.write(
      "docs.jsonl",
      #"{"id": "=HYPERLINK(\"http://x\")", "text": "Paris.", "annotator": "@ann", "sentiment": "positive"}"#
        + "\n")
    #expect(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    let raw = try AnnoBinary.run(["--db", db, "export", "--format", "csv"])
    #expect(raw.stdout.contains("\r\n\"=HYPERLINK(\"\"http://x\"\")\",@ann,positive,"))
    let safe = try AnnoBinary.run([
      "--db", db, "export", "--format", "csv", "--spreadsheet-safe",
    ])
    #expect(safe.status == 0)
    #expect(safe.stdout.contains("\r\n\"'=HYPERLINK(\"\"http://x\"\")\",\"'@ann\",positive,"))
    let misused = try AnnoBinary.run(["--db", db, "export", "--spreadsheet-safe"])
    #expect(misused.status != 0)
    #expect(misused.stderr.contains("--spreadsheet-safe applies to --format csv only"))
  }

  @Test func aCommandThatFailsAfterParsingPrintsNoUsageLine() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "-c",
      "export --out \(folder.file("no/such/folder/x.jsonl")); export --bogus",
    ])
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 3, "\(result.stderr)")
    #expect(lines.first?.hasPrefix("line 1: cannot write") == true)
    #expect(lines.dropFirst().first?.hasPrefix("line 2: ") == true)
    #expect(lines.last?.hasPrefix("  usage: export") == true)
  }
}
