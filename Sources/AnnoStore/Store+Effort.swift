import AnnoCore
import GRDB

/// One annotation action from the event log, for effort accounting.
public struct LoggedAction: Hashable, Sendable {
  /// Who took it.
  public var annotator: String
  /// The document's external id.
  public var externalID: ExternalID
  /// When (seconds since 1970).
  public var time: Double
  /// The labels of the entity spans it added (empty for any other change, an undo or a redo).
  public var addedLabels: [String]
  /// Whether it changed someone else's labels (a reviewer editing the gold version): review,
  /// not annotation.
  public var isReview = false
}

extension Store {
  /// Every change, undo and redo of the event log that concerns a document, per annotator in
  /// the order it was logged (imports and schema changes are not annotators' actions).
  ///
  /// - Complexity: one walk of the `eventByAnnotator` index; each entity insert of a payload is
  ///   read by SQLite's JSON functions.
  public func forEachLoggedAction(_ body: (LoggedAction) throws -> Void) throws {
    try read { db in
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT n.name, d.externalId, e.createdAt,
            CASE WHEN e.action = 'change' THEN (
              SELECT json_group_array(json_extract(o.value, '$.row.value')) FROM json_each(e.payload, '$.ops') o
              WHERE json_extract(o.value, '$.op') = 'insert' AND json_extract(o.value, '$.row.kind') = 'entity'
            ) END AS labels,
            ifnull(coalesce(json_extract(e.payload, '$.ops[0].row.annotator'),
              json_extract(e.payload, '$.ops[0].annotator')) <> e.annotatorId, 0) AS review
          FROM event e JOIN annotator n ON n.id = e.annotatorId JOIN document d ON d.id = e.documentId
          WHERE e.annotatorId IS NOT NULL AND (e.action = 'change' OR e.action = 'undo' OR e.action = 'redo')
          ORDER BY e.annotatorId, e.id
          """)
      while let row = try rows.next() {
        var labels: [String] = []
        if let json: String = row["labels"], case .array(let values)? = try? JSONParser.parse(json)
        {
          labels = values.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        try body(
          LoggedAction(
            annotator: row["name"], externalID: row["externalId"], time: row["createdAt"],
            addedLabels: labels, isReview: row["review"]))
      }
    }
  }

  /// The documents each annotator has finished (status done), by name (the gold version
  /// left out).
  public func finishedDocuments() throws -> [String: [ExternalID]] {
    try read { db in
      var result: [String: [ExternalID]] = [:]
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT n.name, d.externalId FROM documentStatus s JOIN annotator n ON n.id = s.annotatorId
          JOIN document d ON d.id = s.documentId WHERE s.status = 'done' AND n.name <> ?
          ORDER BY n.name, d.id
          """, arguments: [Store.goldAnnotator])
      while let row = try rows.next() { result[row["name"], default: []].append(row["externalId"]) }
      return result
    }
  }
}
