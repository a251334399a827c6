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
      for id in try DocumentID.fetchAll(db, sql: "SELECT documentId FROM goldProgress") {
        let count = try Store.review(db, documentID: id).openItems.filter(\.isDisputed).count
        disputed.items += count
        disputed.documents += count > 0 ? 1 : 0
      }
    }
    #expect(work.items == disputed.items && work.documents == disputed.documents, "\(step)")
    #expect(summary.disputedItems == disputed.items, "\(step)")
    #expect(summary.agreedItems == summary.openItems - disputed.items, "\(step)")
  }

  /// Each document's goldProgress row holds the counts of its review (the items, sorted and
  /// whole, with the decisions), and every document someone finished has a row.
  static func expectRowsMatchReviews(_ store: Store, _ step: String) throws {
    let rows = try store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT documentId, annotators, openItems, autoItems, reviewedItems, disputedItems
          FROM goldProgress ORDER BY documentId
          """)
    }
    for row in rows {
      let review = try store.review(of: row[0])
      let keys = Set(review.items.map(\.key))
      let decided = review.decisions.values.filter { keys.contains($0.item) }
      let counts: [Int] = [
        review.annotators.count, review.openItems.count, decided.filter { !$0.isByReviewer }.count,
        decided.filter(\.isByReviewer).count, review.openItems.filter(\.isDisputed).count,
      ]
      let stored: [Int] = (1...5).map { row[$0] }
      let documentID: DocumentID = row[0]
      #expect(stored == counts, "\(step): document \(documentID)")
    }
    let finished = try store.read { db in
      try DocumentID.fetchAll(
        db,
        sql: """
          SELECT DISTINCT s.documentId FROM documentStatus s JOIN annotator a ON a.id = s.annotatorId
          WHERE s.status = 'done' AND a.name <> 'gold' ORDER BY 1
          """)
    }
    #expect(Set(finished).isSubset(of: rows.map { $0[0] as DocumentID }), "\(step)")
  }

  @Test func summaryEqualsTheRowsAfterImportAdjudicationDecisionsReimportAndDeletion() throws {
    let store = try Self.makeStore()
    try Self.expectSummaryMatchesRows(store, "after import")
    try Self.expectRowsMatchReviews(store, "after import")
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
    try Self.expectRowsMatchReviews(store, "after majority")
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
    try Self.expectRowsMatchReviews(store, "after a re-import")
    try store.write { db in
      try db.execute(sql: "DELETE FROM document WHERE externalId IN ('d2', 'd3')")
    }
    try Self.expectSummaryMatchesRows(store, "after deleting documents")
  }

  /// An import writes the adjudication state of a document its records keep to from the
  /// sets it wrote, and refreshes one its records come back to from the store; either way the
  /// rows hold the documents' reviews, with the gold version, a reviewer, unfinished and
  /// merged sets, and a document imported before.
  @Test func importedRowsMatchReviewsWhateverTheRecordOrder() throws {
    let store = try Self.makeStore()
    _ = try store.addTeamMember("rev", role: .reviewer)
    let text = "Anna Berg met Otto Kern at Acme in Oslo."
    func set(_ annotator: String, _ label: String, status: DocumentStatus = .done) -> AnnotationSet
    {
      AnnotationSet(
        annotator: annotator, status: status,
        entities: [EntitySpan(start: 0, end: 9, label: label)], sentiment: "neutral")
    }
    let secondSpan = AnnotationSet(
      annotator: "ann1", entities: [EntitySpan(start: 14, end: 23, label: "PER")])
    _ = try store.importRecords(source: "t", replace: false) { transaction in
      for d in 0..<6 {
        try transaction.importRecord(
          document: Document(externalID: "e\(d)", text: text), externalID: "e\(d)",
          annotations: set("ann1", "PER"))
        try transaction.importRecord(
          document: nil, externalID: "e\(d)", annotations: set("gold", "ORG"))
        try transaction.importRecord(
          document: nil, externalID: "e\(d)", annotations: set("rev", "LOC"))
        try transaction.importRecord(
          document: nil, externalID: "e\(d)", annotations: set("ann2", "ORG", status: .inProgress))
        if d == 3 {
          try transaction.importRecord(
            document: nil, externalID: "e3", annotations: secondSpan, merging: .last)
        }
      }
      // Back to documents the records had left: e1 gains a finished set, ann1's set on e2
      // a span from a merged task, and d0, imported before, a further annotator.
      try transaction.importRecord(
        document: nil, externalID: "e1", annotations: set("ann3", "ORG"))
      try transaction.importRecord(
        document: nil, externalID: "e2", annotations: secondSpan, merging: .last)
      try transaction.importRecord(
        document: nil, externalID: "d0", annotations: set("ann4", "LOC"))
      // A document whose only sets are the gold version's and a reviewer's.
      try transaction.importRecord(
        document: Document(externalID: "e9", text: text), externalID: "e9",
        annotations: set("gold", "PER"))
      try transaction.importRecord(
        document: nil, externalID: "e9", annotations: set("rev", "PER"))
    }
    try Self.expectSummaryMatchesRows(store, "after the second import")
    try Self.expectRowsMatchReviews(store, "after the second import")
    let counts = try store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT d.externalId, p.annotators, p.openItems, p.disputedItems FROM goldProgress p
          JOIN document d ON d.id = p.documentId WHERE d.externalId IN ('e0', 'e1', 'e2', 'e3', 'e9')
          ORDER BY d.externalId
          """
      ).map { row -> [String] in
        let counts: [Int] = (1...3).map { row[$0] }
        return [row[0], counts.map(String.init).joined(separator: " ")]
      }
    }
    // e0: ann1 alone (the gold version, the reviewer and the unfinished ann2 do not count);
    // e1: ann1 and ann3 disagree on the range; e2 and e3: ann1 alone with a second span
    // merged in; e9: finished by nobody who counts.
    #expect(
      counts == [
        ["e0", "1 2 0"], ["e1", "2 2 1"], ["e2", "1 3 0"], ["e3", "1 3 0"], ["e9", "0 0 0"],
      ])
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
      try DocumentID.fetchAll(
        db,
        sql:
          "SELECT documentId FROM goldProgress WHERE openItems > 0 ORDER BY openItems DESC, documentId"
      )
    }
    #expect(expected.count > 3)
    var visited: [DocumentID] = []
    var current: DocumentID? = nil
    for _ in 0..<(expected.count + 2) {
      let next = try #require(try store.nextDocumentToReview(after: current))
      visited.append(next.id)
      current = next.id
    }
    #expect(visited == expected + expected.prefix(2))
    // From a document with nothing open: the first in order.
    let settled = try store.read { db in
      try DocumentID.fetchOne(db, sql: "SELECT documentId FROM goldProgress WHERE openItems = 0")
    }
    if let settled { #expect(try store.nextDocumentToReview(after: settled)?.id == expected[0]) }
  }
}
