import AnnoTestSupport
import Foundation
import Testing

/// Types into the real readline shell in a pseudo-terminal (through Python's pexpect, which
/// forks it with a controlling terminal so Ctrl-C is a real SIGINT).
@Suite struct ShellTerminalTests {
  @Test func completionHistoryCtrlCAndColourWorkInARealTerminal() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("pty.sqlite")
    let input = try folder.write(
      "d.jsonl", #"{"id": "kerry", "text": "John Kerry met Sergei Lavrov in Sochi."}"# + "\n")
    try #require(try AnnoBinary.run(["--db", db, "import", input]).status == 0)
    let script = AnnoBinary.repositoryRoot + "/Tests/AnnoCLITests/Scripts/shell_pty_check.py"
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
    let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    #expect(process.terminationStatus == 0, "\(log)")
    #expect(log.hasSuffix("pty checks passed\n"), "\(log)")
  }
}
