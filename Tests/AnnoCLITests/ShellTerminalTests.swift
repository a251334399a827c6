import AnnoTestSupport
import Foundation
import Testing

/// Types into the real readline shell in a pseudo-terminal (through Python's pexpect, which
/// forks it with a controlling terminal so Ctrl-C is a real SIGINT and a resize a real
/// SIGWINCH).
@Suite struct ShellTerminalTests {
  /// Runs a pexpect script from `Scripts/` against the binary and a database; returns its log.
  func runScript(_ name: String, db: String, folder: TemporaryDirectory) throws -> (
    status: Int32, log: String
  ) {
    let script = AnnoBinary.repositoryRoot + "/Tests/AnnoCLITests/Scripts/" + name
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, AnnoBinary.path, db, folder.file("state")]
    let output = folder.file("pty.log")
    _ = FileManager.default.createFile(atPath: output, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    return (process.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
  }

  @Test func completionHistoryCtrlCAndColourWorkInARealTerminal() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("pty.sqlite")
    let input = try folder.write(
      "d.jsonl", #"{"id": "kerry", "text": "John Kerry met Sergei Lavrov in Sochi."}"# + "\n")
    try #require(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    let (status, log) = try runScript("shell_pty_check.py", db: db, folder: folder)
    #expect(status == 0, "\(log)")
    #expect(log.hasSuffix("pty checks passed\n"), "\(log)")
  }

  /// A blind study typed in a real terminal: the blind prompt, `next` along the queue, the
  /// refusal before `done`, and the review prompt's count (issue 23).
  @Test func aBlindStudyWorksInARealTerminal() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("study.sqlite")
    // Four documents in the study (both annotators code each) and two outside it
    let input = try folder.write(
      "d.jsonl",
      (1...4).map {
        #"{"id": "s\#($0)", "text": "Anna Berg met Carl Dahl in Oslo on day \#($0)."}"#
      }
      .joined(separator: "\n") + "\n"
        + #"{"id": "x1", "text": "Not in the study."}"# + "\n"
        + #"{"id": "x2", "text": "Nor this one."}"# + "\n")
    try AnnoBinary.prepare(["--db", db, "import", input])
    for (name, role) in [("ann1", "annotator"), ("ann2", "annotator"), ("rev", "reviewer")] {
      try AnnoBinary.prepare(["--db", db, "team", "add", name, "--role", role])
    }
    try AnnoBinary.prepare([
      "--db", db, "assign", "--annotators", "ann1,ann2", "--overlap", "1", "--seed", "3", "--docs",
      "s*",
    ])
    let script = (1...4).map { "open s\($0); tag PER \"Anna Berg\"; tag LOC Oslo; done" }
      .joined(separator: "; ")
    try AnnoBinary.prepare(["--db", db, "--annotator", "ann1", "shell", "-c", script])
    let (status, log) = try runScript("study_pty_check.py", db: db, folder: folder)
    #expect(status == 0, "\(log)")
    #expect(log.hasSuffix("study pty checks passed\n"), "\(log)")
  }

  @Test func resizingTabForEveryArgumentAndThePagerWorkInARealTerminal() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("layout.sqlite")
    let long = (1...30).map {
      "Paragraph \($0) says that Sergei Lavrov met John Kerry in Sochi, where the talks went on for hours and ended with a statement."
    }.joined(separator: "\\n\\n")
    let input = try folder.write(
      "d.jsonl",
      #"{"id": "long", "text": "\#(long)"}"# + "\n"
        + #"{"id": "short", "text": "John Kerry met Sergei Lavrov in Sochi.", "annotator": "ann2", "entities": [{"start": 0, "end": 10, "label": "PER"}]}"#
        + "\n")
    let imported = try AnnoBinary.run(["--db", db, "import", input])
    try #require(imported.status == 0, "\(imported.stderr)")
    let (status, log) = try runScript("shell_pty_layout_check.py", db: db, folder: folder)
    #expect(status == 0, "\(log)")
    #expect(log.hasSuffix("pty layout checks passed\n"), "\(log)")
  }
}
