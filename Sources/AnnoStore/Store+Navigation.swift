import AnnoCore
import GRDB

/// One line of `list`.
public struct DocumentListing: Hashable, Sendable {
  /// The document's row id.
  public var id: DocumentID
  /// Its external id.
  public var externalID: ExternalID
  /// Its title.
  public var title: String?
  /// The annotator's status on it.
  public var status: DocumentStatus
}

/// One hit of a full-text search: the document and a snippet with the match marked by
/// U+0001 … U+0002 (the shell turns those into highlighting).
public struct SearchHit: Hashable, Sendable {
  /// The document's external id.
  public var externalID: ExternalID
  /// A snippet around the match.
  public var snippet: String
}

/// Which documents `list` shows.
public enum DocumentFilter: String, Sendable, CaseIterable {
  case todo, done, flagged, all
}

extension Store {
  /// The document with this row id.
  public func document(id: DocumentID) throws -> StoredDocument? {
    try read { db in
      try Row.fetchOne(
        db.cachedStatement(sql: "SELECT * FROM document WHERE id = ?"), arguments: [id]
      ).map(Store.storedDocument)
    }
  }

  /// The next document the annotator has not finished (done or skipped) after `id`,
  /// wrapping around to the start; `nil` when every document is finished.
  ///
  /// - Complexity: an index walk from `id`; it steps over the annotator's finished
  ///   documents only.
  public func nextUnfinished(after id: DocumentID?, by annotator: String) throws -> StoredDocument?
  {
    try read { db in
      let annotatorID =
        try Int64.fetchOne(
          db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [annotator]) ?? -1
      let sql = """
        SELECT * FROM document d WHERE d.id > ? AND NOT EXISTS (
          SELECT 1 FROM documentStatus s WHERE s.documentId = d.id AND s.annotatorId = ? AND s.status IN ('done', 'skipped'))
        ORDER BY d.id LIMIT 1
        """
      if let row = try Row.fetchOne(
        db.cachedStatement(sql: sql), arguments: [id ?? DocumentID(0), annotatorID])
      {
        return Store.storedDocument(row)
      }
      return try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [0, annotatorID]).map(
        Store.storedDocument)
    }
  }

  /// The document before `id` in import order, if any.
  public func previousDocument(before id: DocumentID) throws -> StoredDocument? {
    try read { db in
      try Row.fetchOne(
        db.cachedStatement(sql: "SELECT * FROM document WHERE id < ? ORDER BY id DESC LIMIT 1"),
        arguments: [id]
      ).map(Store.storedDocument)
    }
  }

  /// How many documents the annotator has finished (status `done`).
  ///
  /// - Complexity: an index range scan over the annotator's finished documents only; the
  ///   shell's prompt calls it for every line, so it never counts the whole corpus.
  public func finishedCount(of annotator: String) throws -> Int {
    try read { db in
      try Int.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT count(*) FROM documentStatus s JOIN annotator a ON a.id = s.annotatorId
            WHERE a.name = ? AND s.status = 'done'
            """), arguments: [annotator]) ?? 0
    }
  }

  /// Documents with the annotator's status, in import order; in a study that assigns the
  /// annotator documents, their queue in its order.
  public func listDocuments(
    _ filter: DocumentFilter, by annotator: String, limit: Int, offset: Int = 0
  ) throws -> [DocumentListing] {
    try read { db in
      let annotatorID =
        try Int64.fetchOne(
          db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [annotator]) ?? -1
      let inQueue =
        try Bool.fetchOne(
          db, sql: "SELECT EXISTS (SELECT 1 FROM assignment WHERE annotatorId = ?)",
          arguments: [annotatorID]) ?? false
      let condition: String
      switch filter {
      case .all: condition = "1"
      case .todo: condition = "ifnull(s.status, 'todo') IN ('todo', 'in_progress')"
      case .done: condition = "s.status = 'done'"
      case .flagged: condition = "s.status = 'flagged'"
      }
      return try Row.fetchAll(
        db,
        sql: """
          SELECT d.id, d.externalId, d.title, ifnull(s.status, 'todo') AS status FROM document d
          \(inQueue ? "JOIN assignment a ON a.documentId = d.id AND a.annotatorId = ?1" : "")
          LEFT JOIN documentStatus s ON s.documentId = d.id AND s.annotatorId = ?1
          WHERE \(condition) ORDER BY \(inQueue ? "a.position" : "d.id") LIMIT ?2 OFFSET ?3
          """, arguments: [annotatorID, limit, offset]
      ).map {
        DocumentListing(
          id: $0["id"], externalID: $0["externalId"], title: $0["title"],
          status: DocumentStatus(rawValue: $0["status"]) ?? .todo)
      }
    }
  }

  /// Full-text search over titles and texts, in corpus order.
  ///
  /// Every word must occur (each quoted, so punctuation is literal), case- and
  /// accent-insensitively. NB: ranking by relevance would score every match before
  /// returning the first; on a large corpus a common word then takes far longer than the
  /// shell's 10 ms budget, so hits come in corpus order.
  public func search(_ query: String, limit: Int) throws -> [SearchHit] {
    let words = query.split(whereSeparator: { $0.isWhitespace }).map {
      "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    guard !words.isEmpty else { return [] }
    return try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT d.externalId, snippet(documentSearch, 1, char(1), char(2), '…', 16) AS snippet
          FROM documentSearch JOIN document d ON d.id = documentSearch.rowid
          WHERE documentSearch MATCH ? LIMIT ?
          """, arguments: [words.joined(separator: " "), limit]
      ).map { SearchHit(externalID: $0["externalId"], snippet: $0["snippet"]) }
    }
  }

  /// The annotator's stored annotations on a document, with row ids.
  public func storedAnnotations(documentID: DocumentID, annotator: String) throws
    -> [StoredAnnotation]
  {
    try read { db in
      try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT n.* FROM annotation n JOIN annotator a ON a.id = n.annotatorId
            WHERE n.documentId = ? AND a.name = ? ORDER BY n.start, n."end", n.kind, n.value
            """), arguments: [documentID, annotator]
      ).compactMap(StoredAnnotation.init(row:))
    }
  }

  /// Every annotator's annotations on a document, by annotator name.
  public func allAnnotations(documentID: DocumentID) throws -> [String: [StoredAnnotation]] {
    try read { db in
      var result: [String: [StoredAnnotation]] = [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT n.*, a.name AS annotatorName FROM annotation n JOIN annotator a ON a.id = n.annotatorId
          WHERE n.documentId = ? ORDER BY a.name, n.start, n."end", n.kind, n.value
          """, arguments: [documentID])
      {
        if let annotation = StoredAnnotation(row: row) {
          result[row["annotatorName"], default: []].append(annotation)
        }
      }
      return result
    }
  }

  /// The annotator's status on a document (`todo` when never touched) and flag reason.
  public func status(documentID: DocumentID, annotator: String) throws -> (
    status: DocumentStatus, flagReason: String?
  ) {
    try read { db in
      guard
        let annotatorID = try Int64.fetchOne(
          db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [annotator]),
        let state = try Store.status(db, documentID: documentID, annotatorID: annotatorID)
      else { return (.todo, nil) }
      return (state.status, state.flagReason)
    }
  }

  /// Document ids starting with `prefix`, for completion.
  public func documentIDs(withPrefix prefix: String, limit: Int) throws -> [ExternalID] {
    try read { db in
      try ExternalID.fetchAll(
        db,
        sql:
          "SELECT externalId FROM document WHERE externalId >= ? AND externalId < ? ORDER BY externalId LIMIT ?",
        arguments: [prefix, prefix + "\u{10FFFF}", limit])
    }
  }
}
