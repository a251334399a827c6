import AnnoCore
import GRDB

/// A document as stored, with its row id.
public struct StoredDocument: Hashable, Sendable {
  /// The row id, stable for the life of the database.
  public var id: Int64
  /// The document.
  public var document: Document
}

/// Counts for `anno stats`.
public struct StoreStatistics: Hashable, Sendable {
  /// Number of documents.
  public var documents: Int
  /// Annotator names, sorted.
  public var annotators: [String]
  /// Annotation counts by kind (`entity`, `sentiment`, ...).
  public var annotationsByKind: [String: Int]
  /// Entity counts by label.
  public var entitiesByLabel: [String: Int]
  /// Per annotator: counts of documents by status (documents never opened count as todo).
  public var progress: [String: [DocumentStatus: Int]]
}

extension Store {
  /// The number of documents.
  public func documentCount() throws -> Int {
    try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM document") ?? 0 }
  }

  /// The document with this external id, if stored.
  public func document(externalID: String) throws -> StoredDocument? {
    try read { db in
      try Row.fetchOne(
        db.cachedStatement(sql: "SELECT * FROM document WHERE externalId = ?"), arguments: [externalID]
      ).map(Store.storedDocument)
    }
  }

  static func storedDocument(_ row: Row) -> StoredDocument {
    var meta: [String: JSONValue]?
    if let text: String = row["meta"], case .object(let object)? = try? JSONParser.parse(text) {
      meta = object
    }
    var tokens: [Token]?
    let text: String = row["text"]
    if let tokenJSON: String = row["tokens"], case .array(let pairs)? = try? JSONParser.parse(tokenJSON) {
      let ranges: [Range<Int>] = pairs.compactMap { pair in
        guard let start = pair.arrayValue?.first?.intValue, let end = pair.arrayValue?.last?.intValue, end > start else {
          return nil
        }
        return start..<end
      }
      tokens = [Token].fromRanges(ranges, in: Array(text.unicodeScalars))
    }
    return StoredDocument(
      id: row["id"],
      document: Document(
        externalID: row["externalId"], text: text, title: row["title"], source: row["source"], meta: meta,
        tokens: tokens))
  }

  /// The annotation set of `annotator` on the document with `externalID`, or `nil` when the
  /// annotator never touched it.
  public func annotations(of externalID: String, by annotator: String) throws -> AnnotationSet? {
    try read { db in
      guard
        let documentID = try Int64.fetchOne(db, sql: "SELECT id FROM document WHERE externalId = ?", arguments: [externalID]),
        let annotatorID = try Int64.fetchOne(db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [annotator])
      else { return nil }
      return try Store.annotationSet(db, documentID: documentID, annotatorID: annotatorID, annotatorName: annotator)
    }
  }

  /// The annotator names, sorted.
  public func annotatorNames() throws -> [String] {
    try read { db in try String.fetchAll(db, sql: "SELECT name FROM annotator ORDER BY name") }
  }

  /// Calls `body` with every document and annotation set that matches, in document order
  /// then annotator name order, inside one read transaction (a consistent snapshot).
  ///
  /// Each document is read and decoded once, however many annotators it has; consecutive
  /// items of one document share the same `Document` value.
  ///
  /// - Parameters:
  ///   - annotators: the annotators to include, or `nil` for all.
  ///   - statuses: the statuses to include, or `nil` for all.
  public func forEachAnnotatedDocument(
    annotators: [String]?, statuses: Set<DocumentStatus>?, _ body: (AnnotatedDocument) throws -> Void
  ) throws {
    try read { db in
      var sql = """
        SELECT s.documentId, a.id AS annotatorRowId, a.name AS annotatorName, s.status, s.annotatedKinds, s.flagReason
        FROM documentStatus s JOIN annotator a ON a.id = s.annotatorId
        """
      var conditions: [String] = []
      var arguments: StatementArguments = []
      if let annotators {
        conditions.append("a.name IN (\(annotators.map { _ in "?" }.joined(separator: ",")))")
        _ = arguments.append(contentsOf: StatementArguments(annotators))
      }
      if let statuses {
        conditions.append("s.status IN (\(statuses.map { _ in "?" }.joined(separator: ",")))")
        _ = arguments.append(contentsOf: StatementArguments(statuses.map(\.rawValue).sorted()))
      }
      if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
      sql += " ORDER BY s.documentId, a.name"
      let documentStatement = try db.makeStatement(sql: "SELECT * FROM document WHERE id = ?")
      // One query per document for all its annotators' rows, grouped by annotator.
      // NB: read through SQLite's C API: about 50 rows per document, each decoded by GRDB's
      // generic row accessors, took a large part of an export's reading thread. The order is
      // annotationUnique's (a NULL start, end or target sorts as -1, -1 or ''), so SQLite
      // walks the index instead of sorting each document's rows.
      let rowsStatement = RawStatement(
        try db.makeStatement(
          sql: """
            SELECT kind, start, "end", target, value, annotatorId FROM annotation WHERE documentId = ?
            ORDER BY annotatorId, kind, ifnull(start, -1), ifnull("end", -1), ifnull(target, ''), value
            """))
      var current: StoredDocument?
      var rowsByAnnotator: [Int64: [AnnotationRow]] = [:]
      let statusRows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
      while let status = try statusRows.next() {
        let documentID: Int64 = status[0]
        if current?.id != documentID {
          // NB: a cursor's row is read in place (while the cursor lives); fetchOne would copy
          // it with its column names.
          let documentCursor = try Row.fetchCursor(documentStatement, arguments: [documentID])
          guard let documentRow = try documentCursor.next() else { continue }
          current = withExtendedLifetime(documentCursor) { Store.storedDocument(documentRow) }
          rowsByAnnotator.removeAll(keepingCapacity: true)
          rowsStatement.bind(1, documentID)
          try rowsStatement.forEachRow(db) { row in
            guard let annotation = AnnotationRow(row: row) else { return }
            rowsByAnnotator[row.int64(5), default: []].append(annotation)
          }
        }
        guard let stored = current else { continue }
        let set = Store.makeSet(
          annotator: status[2], status: status[3], kinds: status[4], flagReason: status[5],
          rows: rowsByAnnotator[status[1]] ?? [])
        try body(AnnotatedDocument(document: stored.document, annotations: set))
      }
    }
  }

  /// Counts for `anno stats`.
  public func statistics() throws -> StoreStatistics {
    try read { db in
      let documents = try Int.fetchOne(db, sql: "SELECT count(*) FROM document") ?? 0
      let annotators = try String.fetchAll(db, sql: "SELECT name FROM annotator ORDER BY name")
      var byKind: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT kind, count(*) FROM annotation GROUP BY kind") {
        byKind[row[0]] = row[1]
      }
      var byLabel: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT value, count(*) FROM annotation WHERE kind = 'entity' GROUP BY value") {
        byLabel[row[0]] = row[1]
      }
      var progress: [String: [DocumentStatus: Int]] = [:]
      for name in annotators { progress[name] = [:] }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT a.name, s.status, count(*) FROM documentStatus s JOIN annotator a ON a.id = s.annotatorId
          GROUP BY a.name, s.status
          """)
      {
        guard let status = DocumentStatus(rawValue: row[1]) else { continue }
        progress[row[0], default: [:]][status] = row[2]
      }
      for name in annotators {
        let counted = progress[name, default: [:]].filter { $0.key != .todo }.values.reduce(0, +)
        progress[name, default: [:]][.todo] = documents - counted
      }
      return StoreStatistics(
        documents: documents, annotators: annotators, annotationsByKind: byKind, entitiesByLabel: byLabel,
        progress: progress)
    }
  }
}
