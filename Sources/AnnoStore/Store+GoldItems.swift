import AnnoCore
import GRDB

/// A gold question with the annotators' finished answers on it, for `anno report quality`.
public struct GoldQuestion: Sendable {
  /// The document's external id.
  public var externalID: ExternalID
  /// The known answer.
  public var answer: AnnotationSet
  /// The sets of the annotators who finished (done) the document, by annotator name.
  public var finished: [AnnotationSet]
}

extension ImportTransaction {
  /// Marks a document of the store (or of this import) as a gold question with the known
  /// `answer`, replacing the answer of one that is already a gold question.
  ///
  /// - Throws: `ImportRejection` when the document is not there or is assigned as work (a
  ///   gold question must be one nobody codes as a regular document).
  public func addGoldItem(externalID: ExternalID, answer: AnnotationSet, source: String) throws {
    guard
      let documentID = try DocumentID.fetchOne(
        db.cachedStatement(sql: "SELECT id FROM document WHERE externalId = ?"),
        arguments: [externalID])
    else {
      throw ImportRejection(message: "no document with id '\(externalID)'; include its 'text'")
    }
    try Store.addGoldItem(
      db, documentID: documentID, externalID: externalID, answer: answer,
      source: source, now: now)
  }
}

extension Store {
  /// Makes the finished gold versions of the documents matching `pattern` (all when `nil`)
  /// gold questions, their answers copied from the gold version as it is now.
  ///
  /// Under a study with a gold rate, the new gold questions enter the queues already assigned
  /// in the same transaction.
  ///
  /// - Returns: how many documents became (or were updated as) gold questions, and how many
  ///   gold questions entered each annotator's queue.
  /// - Throws: `StoreError.invalid` when a matching document is assigned as regular work, or
  ///   when no finished gold version matches.
  public func addGoldItemsFromGoldVersion(matching pattern: DocumentGlob?) throws -> (
    added: Int, placed: [String: Int]
  ) {
    try write { db in
      let now = Store.now()
      guard
        let goldID = try Int64.fetchOne(
          db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [Store.goldAnnotator])
      else {
        throw StoreError.invalid(
          "no document has a gold version yet; 'anno adjudicate' and 'review' make them")
      }
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT d.id, d.externalId FROM documentStatus s JOIN document d ON d.id = s.documentId
          WHERE s.annotatorId = ? AND s.status = 'done' ORDER BY d.id
          """, arguments: [goldID])
      var added = 0
      for row in rows {
        let externalID: ExternalID = row["externalId"]
        guard pattern?.matches(externalID.rawValue) ?? true else { continue }
        let documentID: DocumentID = row["id"]
        guard
          let answer = try Store.annotationSet(
            db, documentID: documentID, annotatorID: goldID, annotatorName: Store.goldAnnotator)
        else { continue }
        do {
          try Store.addGoldItem(
            db, documentID: documentID, externalID: externalID, answer: answer,
            source: "gold version", now: now)
        } catch let rejection as ImportRejection {
          throw StoreError.invalid(rejection.message)
        }
        added += 1
      }
      guard added > 0 else {
        throw StoreError.invalid(
          "no finished gold version matches\(pattern == nil ? "" : " --docs"); 'anno adjudicate' shows which documents have one"
        )
      }
      return (added, try Store.placeGoldQuestions(db))
    }
  }

  static func addGoldItem(
    _ db: Database, documentID: DocumentID, externalID: ExternalID, answer: AnnotationSet,
    source: String,
    now: Double
  ) throws {
    if let holder = try String.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT n.name FROM assignment a JOIN annotator n ON n.id = a.annotatorId
          WHERE a.documentId = ? AND a.kind <> 'gold' LIMIT 1
          """), arguments: [documentID])
    {
      throw ImportRejection(
        message:
          "document '\(externalID)' is assigned to '\(holder)' as regular work; a gold question must be a document nobody codes as work"
      )
    }
    try db.cachedStatement(
      sql: """
        INSERT INTO goldItem (documentId, position, source, addedAt)
        VALUES (?, (SELECT ifnull(max(position), -1) + 1 FROM goldItem), ?, ?)
        ON CONFLICT (documentId) DO UPDATE SET source = excluded.source, addedAt = excluded.addedAt
        """
    ).execute(arguments: [documentID, source, now])
    try db.cachedStatement(sql: "DELETE FROM goldAnswer WHERE documentId = ?").execute(
      arguments: [documentID])
    let insert = try db.cachedStatement(
      sql: """
        INSERT INTO goldAnswer (documentId, kind, start, "end", target, value) VALUES (?, ?, ?, ?, ?, ?)
        """)
    for row in AnnotationRow.rows(of: answer) where row.kind != .note {
      try insert.execute(
        arguments: [documentID, row.kind.rawValue, row.start, row.end, row.target, row.value])
    }
  }

  /// How many gold questions the store holds.
  public func goldItemCount() throws -> Int {
    try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM goldItem") ?? 0 }
  }

  /// Every gold question with its answer and the sets of the annotators who finished it, in
  /// document order.
  public func forEachGoldQuestion(_ body: (GoldQuestion) throws -> Void) throws {
    try read { db in
      let items = try Row.fetchAll(
        db,
        sql:
          "SELECT d.id, d.externalId FROM goldItem g JOIN document d ON d.id = g.documentId ORDER BY d.id"
      )
      for item in items {
        let documentID: DocumentID = item["id"]
        let rows = try Row.fetchAll(
          db.cachedStatement(
            sql: #"SELECT kind, start, "end", target, value FROM goldAnswer WHERE documentId = ?"#),
          arguments: [documentID]
        ).compactMap { row -> AnnotationRow? in
          guard let kind = AnnotationKind(rawValue: row["kind"]) else { return nil }
          return AnnotationRow(
            kind: kind, start: row["start"], end: row["end"], target: row["target"],
            value: row["value"])
        }
        let answer = Store.makeSet(
          annotator: "gold question", status: "done", kinds: AnnotatedKinds.all.rawValue,
          flagReason: nil, rows: rows)
        var finished: [AnnotationSet] = []
        for annotator in try Row.fetchAll(
          db.cachedStatement(
            sql: """
              SELECT n.id, n.name FROM documentStatus s JOIN annotator n ON n.id = s.annotatorId
              WHERE s.documentId = ? AND s.status = 'done' AND n.name <> ? ORDER BY n.name
              """), arguments: [documentID, Store.goldAnnotator])
        {
          if let set = try Store.annotationSet(
            db, documentID: documentID, annotatorID: annotator["id"],
            annotatorName: annotator["name"])
          {
            finished.append(set)
          }
        }
        try body(GoldQuestion(externalID: item["externalId"], answer: answer, finished: finished))
      }
    }
  }
}
