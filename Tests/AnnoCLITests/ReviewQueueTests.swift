import AnnoTestSupport
import Foundation
import Testing

/// Review cannot produce nonsense (issue 23, findings of the second point), through the
/// binary: natural order, adjudication state kept by every change, and a review that starts
/// from the open disagreements without touching the rest of the corpus.
@Suite struct ReviewQueueTests {
  static let text = "Anna met Boris in Kyiv."

  func record(_ id: String, _ annotator: String, _ spans: [(Int, Int, String)], text: Bool)
    -> String
  {
    let entities = spans.map { #"{"start": \#($0.0), "end": \#($0.1), "label": "\#($0.2)"}"# }
    return #"{"id": "\#(id)", "#
      + (text ? #""text": "\#(Self.text)", "# : "")
      + #""annotator": "\#(annotator)", "status": "done", "entities": [\#(entities.joined(separator: ", "))]}"#
  }

  func makeDatabase(_ folder: TemporaryDirectory, _ lines: [String]) throws -> String {
    let db = folder.file("r.sqlite")
    let imported = try AnnoBinary.run([
      "--db", db, "import", try folder.write("r.jsonl", lines.joined(separator: "\n") + "\n"),
    ])
    try #require(imported.status == 0, "\(imported.stderr)")
    return db
  }

  @Test func documentsAndItemsComeInNaturalOrder() throws {
    let folder = try TemporaryDirectory()
    // Each document has one disputed range (PER or ORG); ids and offsets sort differently as
    // text (1045 < 140, 18 < 9).
    var lines: [String] = []
    for id in ["1045", "140", "doc-10", "doc-9"] {
      lines.append(record(id, "ann1", [(18, 22, "LOC"), (9, 14, "PER")], text: true))
      lines.append(record(id, "ann2", [(18, 22, "LOC"), (9, 14, "ORG")], text: false))
    }
    let db = try makeDatabase(folder, lines)
    let review = try AnnoBinary.run(
      ["--db", db, "--annotator", "rev", "shell"], stdin: "review\nnext\nnext\nnext\nshow\n")
    #expect(review.status == 0, "\(review.stderr)")
    let opened = review.stdout.split(separator: "\n").filter { $0.hasPrefix("opened ") }
    #expect(opened == ["opened 140", "opened 1045", "opened doc-9", "opened doc-10"])
    // The agreed LOC was settled as the document opened; the two versions of 9:14 are left.
    #expect(review.stdout.contains("disagreements: 1 open, 1 settled"), "\(review.stdout)")
    #expect(
      review.stdout.contains("1  ORG \"Boris\" 9:14  ann2#1\n2  PER \"Boris\" 9:14  ann1#1\n"))
  }

  @Test func progressAndTheQueueFollowEveryChangeWithoutAdjudicating() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("s.sqlite")
    let corpus = try folder.write(
      "c.jsonl", #"{"id": "d", "text": "Anna met Boris in Kyiv."}"# + "\n")
    try #require(try AnnoBinary.run(["--db", db, "import", corpus]).status == 0)
    for (name, label) in [("ann1", "PER"), ("ann2", "ORG")] {
      let result = try AnnoBinary.run([
        "--db", db, "--annotator", name, "shell", "-c", "open d; tag \(label) Anna; done",
      ])
      try #require(result.status == 0, "\(result.stderr)")
    }
    let progress = try AnnoBinary.run(["--db", db, "adjudicate"])
    #expect(progress.stdout.contains("open: 1 disagreement in 1 document"), "\(progress.stdout)")
    let queue = try AnnoBinary.run(["--db", db, "--annotator", "rev", "shell", "-c", "review"])
    #expect(queue.stdout.contains("opened d"), "\(queue.stdout)")
    // ann2 agrees after all: the disagreement is gone at once, with no adjudicate run.
    let agreed = try AnnoBinary.run([
      "--db", db, "--annotator", "ann2", "shell", "-c", "open d; relabel #1 PER",
    ])
    try #require(agreed.status == 0, "\(agreed.stderr)")
    let empty = try AnnoBinary.run(["--db", db, "--annotator", "rev", "shell", "-c", "review"])
    #expect(empty.stdout.contains("no disagreements are open"), "\(empty.stdout)")
    // Undo brings it back, in the same transaction as the label.
    let undone = try AnnoBinary.run([
      "--db", db, "--annotator", "ann2", "shell", "-c", "undo",
    ])
    try #require(undone.status == 0, "\(undone.stderr)")
    let again = try AnnoBinary.run(["--db", db, "--annotator", "rev", "shell", "-c", "review"])
    #expect(again.stdout.contains("opened d"), "\(again.stdout)")
  }

  @Test func reviewStartsAtTheDisagreementsAndLeavesAgreedDocumentsAlone() throws {
    let folder = try TemporaryDirectory()
    var lines: [String] = []
    for i in 1...20 {
      lines.append(record("agreed-\(i)", "ann1", [(0, 4, "PER")], text: true))
      lines.append(record("agreed-\(i)", "ann2", [(0, 4, "PER")], text: false))
    }
    lines.append(record("x", "ann1", [(0, 4, "PER")], text: true))
    lines.append(record("x", "ann2", [(0, 4, "ORG")], text: false))
    let db = try makeDatabase(folder, lines)
    let review = try AnnoBinary.run(["--db", db, "--annotator", "rev", "shell", "-c", "review"])
    #expect(review.stdout.contains("opened x"), "\(review.stdout)")
    // Nothing was decided on the twenty agreed documents: review read none of them.
    let progress = try AnnoBinary.run(["--db", db, "adjudicate"])
    #expect(progress.stdout.contains("decided: 0 automatically"), "\(progress.stdout)")
  }
}
