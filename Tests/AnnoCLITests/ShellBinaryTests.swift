import AnnoTestSupport
import Foundation
import Testing

/// End-to-end tests of `anno shell` with scripts on standard input, `--script`, `-c`.
@Suite struct ShellBinaryTests {
  static let fixture = """
    {"id": "kerry", "text": "John Kerry met Sergei Lavrov in Sochi. Lavrov said no."}
    {"id": "second", "text": "Moscow answered."}

    """

  func makeDatabase(_ folder: TemporaryDirectory) throws -> String {
    let db = folder.file("s.sqlite")
    let input = try folder.write("docs.jsonl", Self.fixture)
    let result = try AnnoBinary.run(["--db", db, "import", input])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  @Test func aWholeSessionFromStandardInputIsSavedAndExported() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let script = """
      open kerry
      tag PER "John Kerry"
      tag PER "Sergei Lavrov"
      tag PER Lavrov #2
      tag LOC 32:37
      untag #4
      undo
      redo
      show spans
      sentiment negative
      stance Kremlin against #2
      label topic diplomacy
      label urgency 2
      done
      quit

      """
    let result = try AnnoBinary.run(["--db", db, "--annotator", "ann1", "shell"], stdin: script)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "")
    #expect(result.stdout.contains("done: kerry\nopened second\n"))
    let export = try AnnoBinary.run(["--db", db, "export"])
    #expect(
      export.stdout
        == #"{"annotator":"ann1","entities":[{"end":10,"label":"PER","start":0,"text":"John Kerry"},{"end":28,"label":"PER","start":15,"text":"Sergei Lavrov"},{"end":45,"label":"PER","start":39,"text":"Lavrov"}],"id":"kerry","labels":{"topic":"diplomacy","urgency":2},"notes":[],"offsets":"codepoint","sentiment":"negative","span_sentiments":[],"stances":[{"end":28,"start":15,"target":"Russia","text":"Sergei Lavrov","value":"against"}],"status":"done","text":"John Kerry met Sergei Lavrov in Sochi. Lavrov said no."}"#
        + "\n")
  }

  @Test func errorsCarryTheirLineNumberAndSetTheExitStatus() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run(
      ["--db", db, "shell"],
      stdin: "open kerry\ntag PERSON Kerry\n\ntag PER Kerry\nsentiment great\n")
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "line 2: unknown label 'PERSON'; did you mean 'PER'? (expected one of PER, ORG, LOC, MISC)\nline 5: unknown sentiment 'great' (expected one of negative, neutral, positive)\n"
    )
    #expect(result.stdout == "opened kerry\ntagged [Kerry]PER#1 5:10\n")
  }

  @Test func aStanceTargetWithANulIsRefusedLikeAnImportRefusesIt() throws {
    // Given an ad-hoc stance target holding U+0000 (found by the shell fuzz, seed 1795945573),
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run(
      ["--db", db, "shell"], stdin: "open kerry\nstance \"a\u{0}b\" favor\n")
    // the shell refuses it and stores nothing, so the database stays clean.
    #expect(result.status == 1)
    #expect(result.stderr == "line 2: the target contains U+0000 (NUL), which cannot be stored\n")
    let check = try AnnoBinary.run(["--db", db, "check"])
    #expect(check.status == 0, "\(check.stdout)")
  }

  @Test func strictStopsAtTheFirstError() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let script = try folder.write("s.anno", "open kerry\nbogus\ntag PER Kerry\n")
    let result = try AnnoBinary.run(["--db", db, "shell", "--strict", "--script", script])
    #expect(result.status == 1)
    #expect(result.stderr == "line 2: unknown command 'bogus' (type 'help' for the list)\n")
    #expect(result.stdout == "opened kerry\n")
  }

  @Test func dashCRunsSemicolonSeparatedCommands() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run([
      "--db", db, "shell", "-c", #"open second; tag LOC "Moscow"; show spans"#,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout
        == "opened second\ntagged [Moscow]LOC#1 0:6\n#   label  offsets  text      sentiment  stance\n#1  LOC    0:6      \"Moscow\"\n"
    )
  }

  @Test func twoShellsTaggingAtOnceKeepEveryWrite() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    // Two annotators tag and untag the same span 150 times each, at the same time.
    @Sendable func script(_ label: String) -> String {
      (["open kerry"] + (0..<150).flatMap { _ in ["tag \(label) Kerry", "undo"] } + ["redo"])
        .joined(separator: "\n") + "\n"
    }
    let group = DispatchGroup()
    let results = ResultBox()
    for (name, label) in [("ann1", "PER"), ("ann2", "ORG")] {
      group.enter()
      DispatchQueue.global().async {
        let result = try? AnnoBinary.run(
          ["--db", db, "--annotator", name, "shell"], stdin: script(label))
        results.append(result)
        group.leave()
      }
    }
    group.wait()
    for result in results.all {
      let result = try #require(result)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(!result.stderr.contains("locked"), "\(result.stderr)")
    }
    // Each ends with its span present; the log holds 150 tags, 150 undos and one redo each.
    let stats = try AnnoBinary.run(["--db", db, "stats", "--format", "json"])
    #expect(stats.stdout.contains(#""entities_by_label":{"ORG":1,"PER":1}"#))
    for name in ["ann1", "ann2"] {
      let history = try AnnoBinary.run([
        "--db", db, "--annotator", name, "shell", "-c", "history 1000",
      ])
      let rows = history.stdout.split(separator: "\n").dropFirst()
      #expect(rows.count == 301)
      #expect(rows.filter { $0.contains(" change ") }.count == 150)
      #expect(rows.filter { $0.contains(" undo ") }.count == 150)
      #expect(rows.filter { $0.contains(" redo ") }.count == 1)
    }
  }

  final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [AnnoBinary.Result?] = []
    func append(_ result: AnnoBinary.Result?) { lock.withLock { results.append(result) } }
    var all: [AnnoBinary.Result?] { lock.withLock { results } }
  }
}
