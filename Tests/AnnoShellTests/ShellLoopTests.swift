import AnnoShell
import Testing

@Suite struct ShellLoopTests {
  func run(_ lines: [String], strict: Bool = false) -> (
    evaluated: [String], errors: [String], failures: Int
  ) {
    var editor = ScriptLines(lines: lines)
    var loop = ShellLoop()
    var evaluated: [String] = []
    var errors: [String] = []
    loop.run(
      editor: &editor, prompt: { "> " }, strict: strict, reportError: { errors.append($0) },
      evaluate: { line in
        evaluated.append(line)
        if line == "quit" { return .quit }
        return line.hasPrefix("bad") ? .failure(CommandFailure("\(line) failed")) : .success
      })
    return (evaluated, errors, loop.failures)
  }

  @Test func reportsScriptErrorsWithTheirLineNumberAndGoesOn() {
    let result = run(["good", "", "# a comment", "bad one", "good", "bad two"])
    #expect(result.evaluated == ["good", "bad one", "good", "bad two"])
    #expect(result.errors == ["line 4: bad one failed", "line 6: bad two failed"])
    #expect(result.failures == 2)
  }

  @Test func strictStopsAtTheFirstError() {
    let result = run(["good", "bad one", "good"], strict: true)
    #expect(result.evaluated == ["good", "bad one"])
    #expect(result.failures == 1)
  }

  @Test func quitEndsTheLoop() {
    #expect(run(["good", "quit", "good"]).evaluated == ["good", "quit"])
  }
}
