import AnnoTestSupport
import Foundation
import Testing

/// Scripts reach the shell however they are given: `anno < file`, a pipe into `anno`, or
/// `anno shell < file`, all alike.
@Suite struct ShellScriptInputTests {
  func makeDatabase(_ folder: TemporaryDirectory) throws -> String {
    let db = folder.file("s.sqlite")
    let input = try folder.write(
      "docs.jsonl", #"{"id": "kerry", "text": "John Kerry met Sergei Lavrov in Sochi."}"# + "\n")
    try #require(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    return db
  }

  static let session = """
    open kerry
    tag PER "John Kerry"
    clear
    show spans
    tag PERSON Lavrov
    undo

    """

  @Test func annoWithoutASubcommandRunsAScriptOnStandardInputLikeAnnoShell() throws {
    let folder = try TemporaryDirectory()
    let viaShell = try AnnoBinary.run(
      ["--db", try makeDatabase(folder), "shell"], stdin: Self.session)
    let other = try TemporaryDirectory()
    let viaAnno = try AnnoBinary.run(["--db", try makeDatabase(other)], stdin: Self.session)
    #expect(viaShell.status == 1)
    #expect(viaAnno.status == viaShell.status)
    #expect(viaAnno.stdout == viaShell.stdout)
    #expect(viaAnno.stderr == viaShell.stderr)
    #expect(
      viaAnno.stdout == """
        opened kerry
        tagged [John Kerry]PER#1 0:10
        #   label  offsets  text          sentiment  stance
        #1  PER    0:10     "John Kerry"
        undone: tag PER #1 "John Kerry" 0:10

        """)
    #expect(
      viaAnno.stderr
        == "line 5: unknown label 'PERSON'; did you mean 'PER'? (expected one of PER, ORG, LOC, MISC)\n"
    )
  }

  @Test func aPipeIntoAnnoRunsLiveAndSetUpNoticesGoToStandardError() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("new.sqlite")
    // A new database in a folder with no Corpus/: the notices are not the script's output.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", "printf 'stats\\nquit\\nstats\\n' | '\(AnnoBinary.path)' --db '\(db)'",
    ]
    process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
    var environment = ProcessInfo.processInfo.environment
    environment["ANNO_ANNOTATOR"] = "tester"
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(stderr)")
    // One 'stats' ran, then 'quit' left.
    #expect(stdout.components(separatedBy: "documents    0\n").count == 2, "\(stdout)")
    #expect(stderr.contains("created \(db) with schema"))
    #expect(stderr.contains("there is no Corpus/ folder here"))
  }

  @Test func emptyStandardInputStillPrintsTheSummary() throws {
    let folder = try TemporaryDirectory()
    let result = try AnnoBinary.run(["--db", try makeDatabase(folder)], stdin: "")
    #expect(result.status == 0)
    #expect(result.stdout.contains("documents    1\n"))
    #expect(result.stdout.contains("(run 'anno shell' to annotate)"))
  }

  @Test func clearDoesNothingInAScript() throws {
    let folder = try TemporaryDirectory()
    let result = try AnnoBinary.run(
      ["--db", try makeDatabase(folder), "shell", "-c", "clear; open kerry"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "opened kerry\n")
  }
}
