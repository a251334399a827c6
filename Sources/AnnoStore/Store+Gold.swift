import AnnoCore
import GRDB

/// An adjudication decision on one item of a document.
public struct GoldDecision: Hashable, Sendable {
  /// The item's key (see `AdjudicationItem.key`).
  public var item: String
  /// The chosen value (`present` for a span), or `nil` for "none".
  public var value: String?
  /// `auto:STRATEGY` or `reviewer:NAME`.
  public var decidedBy: String
  /// When (seconds since 1970).
  public var decidedAt: Double

  /// Creates a decision.
  public init(item: String, value: String?, decidedBy: String, decidedAt: Double) {
    self.item = item
    self.value = value
    self.decidedBy = decidedBy
    self.decidedAt = decidedAt
  }

  init?(item: String, json: JSONValue?) {
    guard let json, case .object = json, let by = json["by"]?.stringValue, let at = json["at"]
    else { return nil }
    let time: Double
    switch at {
    case .double(let d): time = d
    case .int(let i): time = Double(i)
    default: return nil
    }
    self.init(item: item, value: json["value"]?.stringValue, decidedBy: by, decidedAt: time)
  }

  var json: JSONValue {
    .object([
      "value": value.map { .string($0) } ?? .null, "by": .string(decidedBy),
      "at": .double(decidedAt),
    ])
  }

  /// Whether a reviewer (not a strategy) made it.
  public var isByReviewer: Bool { decidedBy.hasPrefix("reviewer:") }
}

/// A document as the reviewer sees it: who finished it, what they proposed, what is decided.
public struct DocumentReview: Sendable {
  /// The annotators who finished the document (the gold version excluded).
  public var annotators: [String]
  /// Every item they proposed.
  public var items: [AdjudicationItem]
  /// Decisions by item key.
  public var decisions: [String: GoldDecision]

  /// The items with no decision yet.
  public var openItems: [AdjudicationItem] { items.filter { decisions[$0.key] == nil } }
}

/// Counts for adjudication progress.
public struct GoldProgress: Hashable, Sendable {
  /// Documents with at least one finished annotator.
  public var documents = 0
  /// Documents with open items.
  public var openDocuments = 0
  /// Open items (not yet decided) across documents: disagreements, and items every finished
  /// annotator agrees on that are not yet in the gold version.
  public var openItems = 0
  /// Open items the finished annotators disagree on.
  public var disputedItems = 0
  /// Documents with open disagreements.
  public var disputedDocuments = 0
  /// Open items every finished annotator agrees on: no disagreement, only not yet written to
  /// the gold version (review settles them as it opens a document).
  public var agreedItems: Int { openItems - disputedItems }
  /// Items decided by a strategy.
  public var autoItems = 0
  /// Items decided by a reviewer.
  public var reviewedItems = 0
  /// Documents whose gold version is done.
  public var goldDone = 0

  /// Empty counts.
  public init() {}
}

/// What an automatic adjudication run changed.
public struct AutoAdjudication: Hashable, Sendable {
  /// Documents looked at.
  public var documents = 0
  /// Decisions made or changed by this run.
  public var decided = 0
  /// Earlier automatic decisions withdrawn because the annotations changed.
  public var reopened = 0
  /// Reviewer decisions left as they were.
  public var keptReviewerDecisions = 0
  /// Items still open after the run.
  public var open = 0
  /// The automatic decisions the run withdrew, in document order.
  public var withdrawn: [WithdrawnDecision] = []
  /// Documents the strategy cannot settle anything on (a threshold above their annotators).
  public var beyondStrategy = 0
}

extension Edit {
  var isDecision: Bool {
    switch self {
    case .decide, .reopen: true
    default: false
    }
  }
}

extension Store {
  /// The reserved annotator name of the adjudicated version.
  public static let goldAnnotator = AnnotatorName.gold

  static func decision(_ db: Database, documentID: DocumentID, item: String) throws -> GoldDecision?
  {
    try Row.fetchOne(
      db.cachedStatement(sql: "SELECT * FROM goldDecision WHERE documentId = ? AND item = ?"),
      arguments: [documentID, item]
    ).map {
      GoldDecision(
        item: $0["item"], value: $0["value"], decidedBy: $0["decidedBy"], decidedAt: $0["decidedAt"]
      )
    }
  }

  static func decisions(_ db: Database, documentID: DocumentID) throws -> [String: GoldDecision] {
    var result: [String: GoldDecision] = [:]
    for row in try Row.fetchAll(
      db.cachedStatement(sql: "SELECT * FROM goldDecision WHERE documentId = ?"),
      arguments: [documentID])
    {
      let decision = GoldDecision(
        item: row["item"], value: row["value"], decidedBy: row["decidedBy"],
        decidedAt: row["decidedAt"])
      result[decision.item] = decision
    }
    return result
  }

  static func setDecision(_ db: Database, _ decision: GoldDecision, documentID: DocumentID) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO goldDecision (documentId, item, value, decidedBy, decidedAt) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (documentId, item) DO UPDATE SET value = excluded.value, decidedBy = excluded.decidedBy,
          decidedAt = excluded.decidedAt
        """
    ).execute(arguments: [
      documentID, decision.item, decision.value, decision.decidedBy, decision.decidedAt,
    ])
  }

  static func clearDecision(_ db: Database, documentID: DocumentID, item: String) throws {
    try db.cachedStatement(sql: "DELETE FROM goldDecision WHERE documentId = ? AND item = ?")
      .execute(arguments: [documentID, item])
  }

  static func decisionOp(
    documentID: DocumentID, item: String, before: GoldDecision?, after: GoldDecision?
  ) -> JSONValue {
    .object([
      "op": .string("decision"), "document": .int(documentID.rawValue), "item": .string(item),
      "before": before?.json ?? .null,
      "after": after?.json ?? .null,
    ])
  }

  /// The annotation sets of the annotators who finished a document, gold and the team's
  /// reviewers and managers excluded.
  static func finishedSets(_ db: Database, documentID: DocumentID) throws -> [AnnotationSet] {
    let annotators = try Row.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT a.id, a.name FROM documentStatus s JOIN annotator a ON a.id = s.annotatorId
          WHERE s.documentId = ? AND s.status = 'done' AND a.name <> ?
            AND NOT EXISTS (SELECT 1 FROM teamMember t WHERE t.name = a.name AND t.role <> 'annotator')
          ORDER BY a.name
          """), arguments: [documentID, goldAnnotator])
    return try annotators.compactMap { row in
      try annotationSet(db, documentID: documentID, annotatorID: row[0], annotatorName: row[1])
    }
  }

  static func review(_ db: Database, documentID: DocumentID) throws -> DocumentReview {
    let sets = try finishedSets(db, documentID: documentID)
    return DocumentReview(
      annotators: sets.map(\.annotator), items: AdjudicationItems.items(from: sets),
      decisions: try decisions(db, documentID: documentID))
  }

  /// Recomputes a document's adjudication counts, inside the transaction that changed its
  /// annotations, statuses or decisions, so progress and the review queue are never stale.
  static func refreshGoldProgress(_ db: Database, documentID: DocumentID) throws {
    try writeGoldProgress(
      db, documentID: documentID, finishedSets: finishedSets(db, documentID: documentID))
  }

  /// Writes a document's adjudication counts from the sets of its finished annotators (those
  /// `finishedSets` reads, in any order) and its stored decisions: the counts of `review`'s
  /// items, without building them.
  static func writeGoldProgress(
    _ db: Database, documentID: DocumentID, finishedSets sets: [AnnotationSet]
  ) throws {
    let decisions = try decisions(db, documentID: documentID)
    let items: Int
    let decided: [GoldDecision]
    let disputed: Int
    if decisions.isEmpty {
      // Most documents (every new one an import writes): the counts alone, no item keys.
      let counts = AdjudicationItems.disputeCounts(from: sets)
      items = counts.items
      disputed = counts.disputed
      decided = []
    } else {
      let disputes = AdjudicationItems.disputes(from: sets)
      items = disputes.count
      decided = decisions.values.filter { disputes[$0.item] != nil }
      disputed = disputes.filter { $0.value && decisions[$0.key] == nil }.count
    }
    let externalID =
      try String.fetchOne(
        db.cachedStatement(sql: "SELECT externalId FROM document WHERE id = ?"),
        arguments: [documentID]) ?? ""
    try db.cachedStatement(
      sql: """
        INSERT INTO goldProgress (documentId, annotators, openItems, autoItems, reviewedItems, disputedItems, sortKey)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (documentId) DO UPDATE SET annotators = excluded.annotators, openItems = excluded.openItems,
          autoItems = excluded.autoItems, reviewedItems = excluded.reviewedItems,
          disputedItems = excluded.disputedItems, sortKey = excluded.sortKey
        """
    ).execute(arguments: [
      documentID, sets.count, items - decided.count,
      decided.filter { !$0.isByReviewer }.count,
      decided.filter(\.isByReviewer).count, disputed, NaturalOrder.key(externalID),
    ])
  }

  /// A document's review: finished annotators, their items, the decisions.
  public func review(of documentID: DocumentID) throws -> DocumentReview {
    try read { db in try Store.review(db, documentID: documentID) }
  }

  /// The document with the most open disagreements after `documentID` in that order (or
  /// the first such document), or `nil` when none is open. Documents with as many come in
  /// natural id order (140 before 1045).
  ///
  /// Items every finished annotator agrees on are no disagreement: review settles them as it
  /// opens a document.
  public func nextDocumentToReview(after documentID: DocumentID?) throws -> StoredDocument? {
    try read { db in
      // NB: both queries walk goldProgressQueue (disputedItems DESC, sortKey, documentId)
      // from a point: the cost does not depend on the size of the corpus.
      let first = """
        SELECT documentId FROM goldProgress WHERE disputedItems > 0
        ORDER BY disputedItems DESC, sortKey, documentId LIMIT 1
        """
      var id: DocumentID?
      if let documentID,
        let row = try Row.fetchOne(
          db,
          sql:
            "SELECT disputedItems, sortKey FROM goldProgress WHERE documentId = ? AND disputedItems > 0",
          arguments: [documentID])
      {
        let (open, key): (Int, String) = (row[0], row[1])
        id = try DocumentID.fetchOne(
          db,
          sql: """
            SELECT documentId FROM goldProgress
            WHERE disputedItems > 0 AND (disputedItems < ? OR (disputedItems = ? AND (sortKey > ?
              OR (sortKey = ? AND documentId > ?))))
            ORDER BY disputedItems DESC, sortKey, documentId LIMIT 1
            """, arguments: [open, open, key, key, documentID])
      }
      guard let id = try id ?? DocumentID.fetchOne(db, sql: first) else { return nil }
      return try Row.fetchOne(db, sql: "SELECT * FROM document WHERE id = ?", arguments: [id]).map(
        Store.storedDocument)
    }
  }

  /// Counts from a query giving documents, open documents, open items, automatic and reviewer
  /// decisions, in that order (goldDone left 0).
  private static func goldCounts(_ db: Database, sql: String) throws -> GoldProgress {
    var progress = GoldProgress()
    if let row = try Row.fetchOne(db, sql: sql) {
      (progress.documents, progress.openDocuments, progress.openItems) = (row[0], row[1], row[2])
      (progress.autoItems, progress.reviewedItems) = (row[3], row[4])
    }
    return progress
  }

  /// Open disagreements and the documents that have them, for the review prompt.
  ///
  /// - Complexity: a walk of the `goldProgressQueue` index, which holds the documents with
  ///   open disagreements only.
  public func openReviewWork() throws -> (items: Int, documents: Int) {
    try read { db in try Store.disputedCounts(db) }
  }

  static func disputedCounts(_ db: Database) throws -> (items: Int, documents: Int) {
    let row = try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT ifnull(sum(disputedItems), 0), count(*) FROM goldProgress INDEXED BY goldProgressQueue
          WHERE disputedItems > 0 AND annotators > 0
          """))
    return (row?[0] ?? 0, row?[1] ?? 0)
  }

  /// The corpus-wide counts summed from goldProgress itself, which goldSummary's triggers keep,
  /// with the disagreements summed over every row rather than through the review queue's index
  /// (for tests).
  func goldCountsSummedFromRows() throws -> GoldProgress {
    try read { db in
      var progress = try Store.goldCounts(
        db,
        sql: """
          SELECT count(*), ifnull(sum(openItems > 0), 0), ifnull(sum(openItems), 0), ifnull(sum(autoItems), 0),
            ifnull(sum(reviewedItems), 0) FROM goldProgress WHERE annotators > 0
          """)
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT ifnull(sum(disputedItems), 0), ifnull(sum(disputedItems > 0), 0) FROM goldProgress NOT INDEXED
          WHERE annotators > 0
          """)
      (progress.disputedItems, progress.disputedDocuments) = (row?[0] ?? 0, row?[1] ?? 0)
      return progress
    }
  }

  /// Adjudication counts across the corpus.
  public func goldProgress() throws -> GoldProgress {
    try read { db in
      var progress = try Store.goldCounts(
        db,
        sql: "SELECT documents, openDocuments, openItems, autoItems, reviewedItems FROM goldSummary"
      )
      (progress.disputedItems, progress.disputedDocuments) = try Store.disputedCounts(db)
      progress.goldDone =
        try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM documentStatus s JOIN annotator a ON a.id = s.annotatorId
            WHERE a.name = ? AND s.status = 'done'
            """, arguments: [Store.goldAnnotator]) ?? 0
      return progress
    }
  }
}
