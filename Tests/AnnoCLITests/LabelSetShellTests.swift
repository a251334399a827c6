import AnnoCore
import AnnoShell
import AnnoStore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoCLI

/// `label FIELD ...` on a set-valued field (`multiple: true`), its completion and `show`.
@Suite struct LabelSetShellTests {
  final class Transcript {
    var text = ""
  }

  let folder: TemporaryDirectory
  let context: ShellContext
  let transcript = Transcript()

  init() throws {
    folder = try TemporaryDirectory()
    let schema = folder.file("schema.yaml")
    try MultiLabelSchema.yaml.write(toFile: schema, atomically: true, encoding: .utf8)
    let session = try Session(
      options: try GlobalOptions.parse([
        "--db", folder.file("t.sqlite"), "--annotator", "ann1", "--schema", schema,
      ]))
    _ = try session.store.importRecords(source: "test", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "d", text: "Markets fell after the cup final."),
        externalID: "d", annotations: nil)
    }
    let transcript = self.transcript
    context = try ShellContext(
      session: session, palette: Palette(isEnabled: false), isInteractive: false, width: 80,
      write: { transcript.text += $0 })
    #expect(ShellCommands.evaluate("open d", in: context) == .success)
  }

  func run(_ lines: [String]) -> String {
    transcript.text = ""
    for line in lines {
      transcript.text += "> \(line)\n"
      if case .failure(let message) = ShellCommands.evaluate(line, in: context) {
        transcript.text += "error: \(message)\n"
      }
    }
    return transcript.text
  }

  @Test func addsRemovesSetsAndClearsValues() throws {
    let output = run([
      "label topic +economy +SPORT",
      "label topic +economy -sport",
      "label topic -sport",
      "label topic politics,economy",
      "label topic -",
      "undo",
      "show",
    ])
    #expect(
      output == """
        > label topic +economy +SPORT
        topic: economy, sport
        > label topic +economy -sport
        topic already has economy
        topic: economy
        > label topic -sport
        error: topic does not have 'sport' (it has economy); nothing was changed
        > label topic politics,economy
        topic: politics, economy
        > label topic -
        topic: none
        > undo
        undone: label topic cleared
        > show
        d
        status: in_progress · topic: politics, economy

        1 │ Markets fell after the cup final.

        """)
    let set = try #require(try context.store.annotations(of: "d", by: "ann1"))
    #expect(set.labelSets == ["topic": ["economy", "politics"]])
  }

  @Test func refusesUndeclaredValuesMixedRequestsAndSignsOnSingleFields() throws {
    let output = run([
      "label topic +sprot",
      "label topic economy,economy",
      "label topic economy -sport",
      "label urgency +3",
      "label urgency 3 4",
      "label urgency 3,4",
      "label urgency 3",
      "label urgency -",
    ])
    #expect(
      output == """
        > label topic +sprot
        error: unknown value of topic 'sprot'; did you mean 'sport'? (expected one of diplomacy, politics, business, economy, sport, science, technology, health, culture, other)
        > label topic economy,economy
        error: 'economy' is given twice; give each value of topic once
        > label topic economy -sport
        error: either set the values (label topic a,b) or add and remove them (label topic +a -b), not both
        > label urgency +3
        error: field 'urgency' is not multiple: +VALUE and -VALUE add to and remove from a set; give one value (label urgency 1) or '-' to clear
        > label urgency 3 4
        error: field 'urgency' is not multiple: it takes one value, not 2 (label urgency 1)
        > label urgency 3,4
        error: field 'urgency' is not multiple: it takes one value, not 2 (label urgency 3)
        > label urgency 3
        urgency: 3
        > label urgency -
        urgency: cleared (was 3)

        """)
    #expect(try context.store.annotations(of: "d", by: "ann1")?.labelSets?["topic"] == nil)
  }

  @Test func completionOffersValuesToAddAndValuesToRemove() throws {
    _ = run(["label topic economy,sport"])
    let completion = ShellCompletion(context: context) { _ in [] }
    func complete(_ line: String) -> [String]? {
      let start = line.lastIndex(of: " ").map { line.index(after: $0) } ?? line.startIndex
      return completion.completions(
        linePrefix: String(line[..<start]), word: String(line[start...]))
    }
    #expect(complete("label topic -") == ["-economy", "-sport"])
    #expect(complete("label topic +s") == ["+science"])
    #expect(complete("label topic +economy -s") == ["-sport"])
    #expect(complete("label topic economy,s") == ["economy,science", "economy,sport"])
    #expect(complete("label urgency ") == ["1", "2", "3", "4", "5"])
    #expect(complete("label urgency 3 ") == [])
  }
}
