import AnnoCore
import AnnoShell
import AnnoStore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoCLI

/// What Tab offers for each kind of argument (the pseudo-terminal test presses Tab for real).
@Suite struct ShellCompletionTests {
  let folder: TemporaryDirectory
  let context: ShellContext
  let completion: ShellCompletion

  init() throws {
    folder = try TemporaryDirectory()
    let session = try Session(
      options: try GlobalOptions.parse(["--db", folder.file("c.sqlite"), "--annotator", "ann1"]))
    _ = try session.store.importRecords(source: "test", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "kerry", text: "John Kerry met Sergei Lavrov in Sochi."),
        externalID: "kerry",
        annotations: AnnotationSet(
          annotator: "ann2", status: .done, entities: [EntitySpan(start: 0, end: 10, label: "PER")]
        ))
    }
    context = try ShellContext(
      session: session, palette: Palette(isEnabled: false), isInteractive: false, width: 80,
      write: { _ in })
    let store = session.store
    completion = ShellCompletion(context: context) {
      (try? store.documentIDs(withPrefix: $0, limit: 10).map(\.rawValue)) ?? []
    }
    for line in ["open kerry", #"tag PER "John Kerry""#, "tag LOC Sochi"] {
      #expect(ShellCommands.evaluate(line, in: context) == .success)
    }
    completion.documentOpened(
      id: "kerry", text: context.text, tokens: context.locator.tokens)
  }

  func complete(_ line: String) -> [String]? {
    // As readline finds it: after an open quote, else after the last space or quote.
    let quotes = line.indices.filter { line[$0] == "\"" }
    let start =
      quotes.count % 2 == 1
      ? line.index(after: quotes[quotes.count - 1])
      : line.lastIndex { $0 == " " || $0 == "\"" }.map { line.index(after: $0) } ?? line.startIndex
    return completion.completions(linePrefix: String(line[..<start]), word: String(line[start...]))
  }

  @Test func multiWordTargetsAreOfferedWhole() {
    // The line editor quotes a candidate with a space: stance "United States".
    #expect(complete("stance Uni") == ["United States"])
    #expect(complete("stance \"Uni") == ["United States"])
    #expect(complete("stance Russia ag") == ["against"])
  }

  @Test func formatsFollowFormatNotFileNames() {
    #expect(complete("export --format do") == ["doccano"])
    #expect(complete("export --format=sp") == ["--format=spacy", "--format=spacy-json"])
    #expect(complete("agree --format m") == ["markdown"])
    #expect(complete("export --misaligned ex") == ["expand"])
    #expect(complete("export --out ") == nil)  // a path: file names
    #expect(complete("export --st") == ["--status", "--stratify"])
  }

  @Test func annotatorsFollowAnnotatorAndListsCompleteTheirLastName() {
    #expect(complete("export --annotator ann") == ["ann1", "ann2"])
    #expect(complete("agree --annotators ann1,a") == ["ann1,ann2"])
    #expect(complete("agree --labels PER,L") == ["PER,LOC"])
    #expect(complete("agree --fields stance:Un") == ["stance:United States"])
    #expect(complete("compare ") == ["ann2"])
  }

  @Test func spanIDsFollowUntagAndRelabelAndAreListedWithTheirText() {
    #expect(complete("untag ") == ["#1", "#2"])
    #expect(complete("untag #1 ") == ["#2"])
    #expect(complete("relabel ") == ["#1", "#2"])
    #expect(complete("relabel #2 O") == ["ORG"])
    #expect(complete("relabel #1 #") == ["#2"])
    #expect(complete("relabel #1 #2 L") == ["LOC"])
    #expect(complete("sentiment negative #") == ["#1", "#2"])
    #expect(
      completion.listing(of: ["#1", "#2"])
        == ["[John Kerry]PER#1 0:10", "[Sochi]LOC#2 32:37"])
    #expect(completion.listing(of: ["on", "off"]) == nil)
  }

  @Test func textCompletesFromTheDocumentInsideQuotes() {
    #expect(complete("tag PER \"Sergei L") == ["Sergei Lavrov"])
    #expect(complete("untag \"Joh") == ["John", "John Kerry"])
    #expect(complete("tag PER Lav") == ["Lavrov"])
  }

  @Test func commandsAndTheCommandAfterASemicolon() {
    #expect(complete("cl") == ["clear"])
    #expect(complete("open kerry; ta") == ["tag"])
    #expect(complete("open ke") == ["kerry"])
  }
}
