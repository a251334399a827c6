import AnnoShell
import AnnoTestSupport
import Foundation
import Testing

@Suite struct TerminalOutputTests {
  final class Screen {
    var text = ""
    var rows = 10
    var columns = 30
  }

  func output(pager: String?, _ screen: Screen) -> TerminalOutput {
    TerminalOutput(
      pager: pager, size: { (screen.rows, screen.columns) }, write: { screen.text += $0 })
  }

  @Test func holdsACommandsOutputAndWrapsItToTheWidthOfTheMoment() {
    let screen = Screen()
    let out = output(pager: nil, screen)
    out.append("a line that is longer than the terminal is wide\n")
    #expect(screen.text.isEmpty)
    screen.columns = 20  // resized before the command ends
    #expect(out.finish() == false)
    #expect(screen.text == "a line that is\nlonger than the\nterminal is wide\n")
  }

  @Test func pagesOutputTallerThanTheTerminalAndWritesTheRest() throws {
    let folder = try TemporaryDirectory()
    let paged = folder.file("paged.txt")
    let screen = Screen()
    let out = output(pager: "cat > '\(paged)'", screen)
    out.append("short\n")
    #expect(out.finish() == false)
    #expect(screen.text == "short\n")
    // Ten lines on a ten-row terminal leave no room for the prompt: paged.
    let tall = (1...10).map { "line \($0)\n" }.joined()
    out.append(tall)
    #expect(out.finish() == true)
    #expect(screen.text == "short\n")
    #expect(try String(contentsOfFile: paged, encoding: .utf8) == tall)
  }

  @Test func whatIsHeldBelowStaysOnTheScreenWhenTheRestIsPaged() throws {
    let folder = try TemporaryDirectory()
    let paged = folder.file("paged.txt")
    let screen = Screen()
    let out = output(pager: "cat > '\(paged)'", screen)
    let tall = (1...10).map { "line \($0)\n" }.joined()
    // Ten lines do not fit ten rows with the prompt: the text is paged, the table written after.
    out.append(tall)
    out.appendBelow("1  accept me\n2  or me\n")
    #expect(out.finish() == true)
    #expect(try String(contentsOfFile: paged, encoding: .utf8) == tall)
    #expect(screen.text == "1  accept me\n2  or me\n")
    // Text that fits is not paged because of what is below it: both are written, in order.
    screen.text = ""
    let short = (1...5).map { "line \($0)\n" }.joined()
    let table = (1...8).map { "\($0)  version\n" }.joined()
    out.append(short)
    out.appendBelow(table)
    #expect(out.finish() == false)
    #expect(screen.text == short + table)
  }

  @Test func countsWrappedLinesWhenDecidingToPage() throws {
    let folder = try TemporaryDirectory()
    let paged = folder.file("paged.txt")
    let screen = Screen()
    screen.rows = 4
    let out = output(pager: "cat > '\(paged)'", screen)
    // Two lines of text, but four on a 30-column terminal: no room left for the prompt.
    out.append(String(repeating: "word ", count: 18) + "\nend\n")
    #expect(out.finish() == true)
  }

  @Test func printsItselfWhenThePagerCannotStart() {
    let screen = Screen()
    let out = output(pager: "no-such-pager-anywhere 2>/dev/null", screen)
    let tall = (1...12).map { "line \($0)\n" }.joined()
    out.append(tall)
    #expect(out.finish() == false)
    #expect(screen.text == tall)
  }

  @Test func thePagerIsPagerOrLessAndNeverWhenOff() {
    #expect(Pager.command(environment: [:], enabled: true) == "less -R")
    #expect(Pager.command(environment: ["PAGER": "most"], enabled: true) == "most")
    #expect(Pager.command(environment: ["PAGER": ""], enabled: true) == nil)
    #expect(Pager.command(environment: [:], enabled: false) == nil)
  }
}
