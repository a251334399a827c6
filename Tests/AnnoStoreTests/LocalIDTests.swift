import AnnoCore
import AnnoTestSupport
import Foundation
import GRDB
import Testing

@testable import AnnoStore

/// Short ids of spans and notes (`#7`, `n2`): given at creation, kept, never given twice.
@Suite struct LocalIDTests {
  static let text = "John Kerry met Sergei Lavrov in Sochi. Lavrov left."

  static func makeStore(path: String? = nil) throws -> (Store, DocumentID) {
    let store = try StoreTests.makeStore(path: path)
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: Document(externalID: "k", text: text), externalID: "k", annotations: nil)
    }
    return (store, try #require(try store.document(externalID: "k")).id)
  }

  /// `#id label start:end` of the annotator's spans, in id order.
  static func spans(_ store: Store, _ document: DocumentID, _ annotator: String = "ann1") throws
    -> [String]
  {
    try store.storedAnnotations(documentID: document, annotator: annotator)
      .filter { $0.kind == .entity }
      .sorted { ($0.localID ?? 0) < ($1.localID ?? 0) }
      .map { "#\($0.localID ?? 0) \($0.value) \($0.range!.lowerBound):\($0.range!.upperBound)" }
  }

  @Test func idsFollowCreationAndAreNeverGivenTwice() throws {
    let (store, document) = try Self.makeStore()
    func tag(_ range: Range<Int>, _ label: String = "PER") throws {
      try store.apply(
        [.add(.entity, range: range, value: label)], to: document, by: "ann1", summary: "tag")
    }
    // Tagged out of text order, spans keep the ids they were given.
    try tag(15..<28)
    try tag(0..<10)
    #expect(try Self.spans(store, document) == ["#1 PER 15:28", "#2 PER 0:10"])
    // The newest span undone, the next one gets a new id: #2 is never given again.
    _ = try store.undo(by: "ann1")
    try tag(32..<37, "LOC")
    #expect(try Self.spans(store, document) == ["#1 PER 15:28", "#3 LOC 32:37"])
    // A removed span taken out and brought back by undo has its own id again.
    let first = try #require(
      try store.storedAnnotations(documentID: document, annotator: "ann1").first {
        $0.localID == 1
      })
    try store.apply([.remove(id: first.id)], to: document, by: "ann1", summary: "untag")
    try tag(39..<45)
    _ = try store.undo(by: "ann1")
    _ = try store.undo(by: "ann1")
    #expect(try Self.spans(store, document) == ["#1 PER 15:28", "#3 LOC 32:37"])
    _ = try store.redo(by: "ann1")
    _ = try store.redo(by: "ann1")
    #expect(try Self.spans(store, document) == ["#3 LOC 32:37", "#4 PER 39:45"])
    // A relabel keeps the id.
    let located = try #require(
      try store.storedAnnotations(documentID: document, annotator: "ann1").first {
        $0.localID == 3
      })
    try store.apply(
      [.update(id: located.id, range: 32..<37, value: "ORG")], to: document, by: "ann1",
      summary: "relabel")
    #expect(try Self.spans(store, document) == ["#3 ORG 32:37", "#4 PER 39:45"])
    // Another annotator's ids are their own.
    try store.apply(
      [.add(.entity, range: 0..<10, value: "PER")], to: document, by: "ann2", summary: "tag")
    #expect(try Self.spans(store, document, "ann2") == ["#1 PER 0:10"])
    #expect(try store.check().isClean)
  }

  @Test func notesHaveIdsOfTheirOwn() throws {
    let (store, document) = try Self.makeStore()
    try store.apply(
      [
        .add(.entity, range: 0..<10, value: "PER"), .add(.note, value: "first"),
        .add(.note, range: 0..<10, value: "second"),
      ], to: document, by: "ann1", summary: "x")
    let notes = try store.storedAnnotations(documentID: document, annotator: "ann1")
      .filter { $0.kind == .note }.map { "n\($0.localID ?? 0) \($0.value)" }.sorted()
    #expect(notes == ["n1 first", "n2 second"])
  }

  @Test func importsNumberSpansInTextOrderAndAReplacementKeepsTheSameSpansIDs() throws {
    let (store, document) = try Self.makeStore()
    func load(_ spans: [EntitySpan], replace: Bool) throws {
      _ = try store.importRecords(source: "t", replace: replace) {
        try $0.importRecord(
          document: nil, externalID: "k",
          annotations: AnnotationSet(annotator: "ann1", entities: spans))
      }
    }
    try load(
      [
        EntitySpan(start: 32, end: 37, label: "LOC"), EntitySpan(start: 0, end: 10, label: "PER"),
        EntitySpan(start: 15, end: 28, label: "PER"),
      ], replace: false)
    #expect(try Self.spans(store, document) == ["#1 PER 0:10", "#2 PER 15:28", "#3 LOC 32:37"])
    // Replaced by a set without Sochi and with the second Lavrov: Kerry and Lavrov keep #1
    // and #2, the new span gets #4 (#3 is never given again).
    try load(
      [
        EntitySpan(start: 0, end: 10, label: "PER"), EntitySpan(start: 15, end: 28, label: "PER"),
        EntitySpan(start: 39, end: 45, label: "PER"),
      ], replace: true)
    #expect(try Self.spans(store, document) == ["#1 PER 0:10", "#2 PER 15:28", "#4 PER 39:45"])
    // The shell's next span goes on from there.
    try store.apply(
      [.add(.entity, range: 32..<37, value: "LOC")], to: document, by: "ann1", summary: "tag")
    #expect(try Self.spans(store, document).last == "#5 LOC 32:37")
  }

  @Test func aMergedSetKeepsItsIdsAndNeitherSideGivesAnIdTwice() throws {
    let folder = try TemporaryDirectory()
    let (ours, document) = try Self.makeStore(path: folder.file("ours.sqlite"))
    let (theirs, theirDocument) = try Self.makeStore(path: folder.file("theirs.sqlite"))
    // Theirs: three spans, the third undone (so their sequence remembers #3).
    for range in [15..<28, 0..<10, 39..<45] {
      try theirs.apply(
        [.add(.entity, range: range, value: "PER")], to: theirDocument, by: "ann2", summary: "tag")
    }
    _ = try theirs.undo(by: "ann2")
    _ = try ours.merge(from: folder.file("theirs.sqlite"))
    #expect(try Self.spans(ours, document, "ann2") == ["#1 PER 15:28", "#2 PER 0:10"])
    try ours.apply(
      [.add(.entity, range: 32..<37, value: "LOC")], to: document, by: "ann2", summary: "tag")
    #expect(try Self.spans(ours, document, "ann2").last == "#4 LOC 32:37")
  }

  @Test func theMigrationNumbersExistingSpansAsTheShellListedThem() throws {
    let folder = try TemporaryDirectory()
    let path = folder.file("old.sqlite")
    do {
      let (store, document) = try Self.makeStore(path: path)
      // Created in this order; the shell listed them by start, longest first, then label.
      for (range, label) in [(15..<28, "PER"), (0..<10, "PER"), (0..<10, "MISC"), (15..<21, "PER")]
      {
        try store.apply(
          [.add(.entity, range: range, value: label)], to: document, by: "ann1", summary: "tag")
      }
      // As if the database predated short ids.
      try store.write { db in
        try db.execute(
          sql: """
            ALTER TABLE annotation DROP COLUMN localId; DROP TABLE localIdSequence;
            DELETE FROM grdb_migrations WHERE identifier LIKE 'v7 %';
            """)
      }
    }
    let reopened = try Store(path: path)
    let document = try #require(try reopened.document(externalID: "k")).id
    #expect(
      try Self.spans(reopened, document) == [
        "#1 MISC 0:10", "#2 PER 0:10", "#3 PER 15:28", "#4 PER 15:21",
      ])
    #expect(try reopened.check().isClean)
  }
}
