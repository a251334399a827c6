import AnnoCore
import AnnoTestSupport
import Foundation
import GRDB
import Testing

@testable import AnnoStore

/// The corpus-wide adjudication counts the review prompt shows come from one row that
/// triggers keep; after every kind of change they equal the sums over goldProgress itself, and
/// `next` in review mode walks the open documents in their order without reading them all.
@Suite struct GoldSummaryTests {
  static let labels = ["PER", "ORG", "LOC"]

  /// 40 documents, up to three annotators each with seeded disagreements, some unfinished.
  static func makeStore(path: String? = nil) throws -> Store {
    let store = try StoreTests.makeStore(path: path)
    var random = SplitMix(seed: 17)
    _ = try store.importRecords(source: "t", replace: false) { transaction in
      for d in 0..<40 {
        let text = "Anna Berg met Otto Kern at Acme in Oslo on day \(d)."
        try transaction.importRecord(
          document: Document(externalID: "d\(d)", text: text), externalID: "d\(d)", annotations: nil
        )
        for annotator in ["ann1", "ann2", "ann3"] where random.next() % 4 != 0 {
          let entities = [(0, 9), (14, 23), (27, 31), (35, 39)].compactMap { range -> EntitySpan? in
            guard random.next() % 5 != 0 else { return nil }
            let label = random.next() % 4 == 0 ? labels[Int(random.next() % 3)] : "PER"
            return EntitySpan(start: range.0, end: range.1, label: label)
          }
          let set = AnnotationSet(
            annotator: annotator, status: random.next() % 6 == 0 ? .inProgress : .done,
            entities: entities,
            sentiment: ["positive", "neutral", "negative"][Int(random.next() % 3)])
          try transaction.importRecord(document: nil, externalID: "d\(d)", annotations: set)
        }
      }
    }
    return store
  }

  static func expectSummaryMatchesRows(_ store: Store, _ step: String) throws {
    var summary = try store.goldProgress()
    summary.goldDone = 0
    #expect(summary == (try store.goldCountsSummedFromRows()), "\(step)")
    // The review prompt counts disagreements only: the disputed items of each document's review
    let work = try store.openReviewWork()
    var disputed = (items: 0, documents: 0)
    try store.read { db in
      for id in try Int64.fetchAll(db, sql: "SELECT documentId FROM goldProgress") {
        let count = try Store.review(db, documentID: id).openItems.filter(\.isDisputed).count
        disputed.items += count
        disputed.documents += count > 0 ? 1 : 0
      }
    }
    #expect(work.items == disputed.items && work.documents == disputed.documents, "\(step)")
    #expect(summary.disputedItems == disputed.items, "\(step)")
    #expect(summary.agreedItems == summary.openItems - disputed.items, "\(step)")
  }

  @Test func summaryEqualsTheRowsAfterImportAdjudicationDecisionsReimportAndDeletion() throws {
    let store = try Self.makeStore()
    try Self.expectSummaryMatchesRows(store, "after import")
    _ = try store.adjudicateAutomatically(.unanimous)
    try Self.expectSummaryMatchesRows(store, "after unanimous")
    #expect(try store.goldProgress().openItems > 0)
    // A reviewer settles every open item of three documents, one at a time.
    var document = try store.nextDocumentToReview(after: nil)
    for _ in 0..<3 {
      let current = try #require(document)
      for item in try store.review(of: current.id).openItems {
        _ = try store.decide(
          [(item.key, item.versions.values.first ?? nil)], documentID: current.id, reviewer: "rev",
          summary: "t")
        try Self.expectSummaryMatchesRows(
          store, "after a decision on \(current.document.externalID)")
      }
      document = try store.nextDocumentToReview(after: current.id)
    }
    _ = try store.adjudicateAutomatically(.majority)
    try Self.expectSummaryMatchesRows(store, "after majority")
    // An annotator's set replaced by an import, then a document deleted (goldProgress cascades).
    _ = try store.importRecords(source: "t", replace: true) { transaction in
      try transaction.importRecord(
        document: nil, externalID: "d1",
        annotations: AnnotationSet(
          annotator: "ann1", entities: [EntitySpan(start: 0, end: 4, label: "ORG")],
          sentiment: "negative"))
    }
    _ = try store.adjudicateAutomatically(.unanimous)
    try Self.expectSummaryMatchesRows(store, "after a re-import")
    try store.write { db in
      try db.execute(sql: "DELETE FROM document WHERE externalId IN ('d2', 'd3')")
    }
    try Self.expectSummaryMatchesRows(store, "after deleting documents")
  }

  /// An existing database gets its summary from the rows when the migration runs.
  @Test func theMigrationStartsTheSummaryFromExistingRows() throws {
    let folder = try TemporaryDirectory()
    let path = folder.file("gold.sqlite")
    do {
      let store = try Self.makeStore(path: path)
      _ = try store.adjudicateAutomatically(.unanimous)
      // As if the database predated the migration.
      try store.write { db in
        try db.execute(
          sql: """
            DROP TRIGGER goldSummaryAfterInsert; DROP TRIGGER goldSummaryAfterUpdate; DROP TRIGGER goldSummaryAfterDelete;
            DROP TABLE goldSummary; DELETE FROM grdb_migrations WHERE identifier LIKE 'v6 %';
            """)
      }
    }
    let reopened = try Store(path: path)
    #expect(try reopened.goldCountsSummedFromRows().openItems > 0)
    try Self.expectSummaryMatchesRows(reopened, "after the migration")
    // Migrations run with temporary storage on disk; afterwards it is back in memory (2).
    #expect(try reopened.read { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") } == 2)
  }

  /// `next` in review mode: most open items first, then by document, and round again.
  @Test func nextDocumentToReviewWalksTheOpenDocumentsInOrderAndWrapsAround() throws {
    let store = try Self.makeStore()
    _ = try store.adjudicateAutomatically(.unanimous)
    let expected = try store.read { db in
      try Int64.fetchAll(
        db,
        sql:
          "SELECT documentId FROM goldProgress WHERE openItems > 0 ORDER BY openItems DESC, documentId"
      )
    }
    #expect(expected.count > 3)
    var visited: [Int64] = []
    var current: Int64? = nil
    for _ in 0..<(expected.count + 2) {
      let next = try #require(try store.nextDocumentToReview(after: current))
      visited.append(next.id)
      current = next.id
    }
    #expect(visited == expected + expected.prefix(2))
    // From a document with nothing open: the first in order.
    let settled = try store.read { db in
      try Int64.fetchOne(db, sql: "SELECT documentId FROM goldProgress WHERE openItems = 0")
    }
    if let settled { #expect(try store.nextDocumentToReview(after: settled)?.id == expected[0]) }
  }
}
