import AnnoCore
import Foundation
import GRDB

/// A document as stored, with its row id.
public struct StoredDocument: Hashable, Sendable {
  /// The row id, stable for the life of the database.
  public var id: DocumentID
  /// The document.
  public var document: Document
}

/// Counts for `anno stats`.
public struct StoreStatistics: Hashable, Sendable {
  /// Number of documents.
  public var documents: Int
  /// The annotators' names, sorted: everyone with labels of their own (the gold version and
  /// reviewers who only adjudicate are not annotators).
  public var annotators: [String]
  /// The reviewers' names, sorted: everyone who adjudicated (some may annotate too).
  public var reviewers: [String] = []
  /// Annotation counts by kind (`entity`, `sentiment`, ...).
  public var annotationsByKind: [String: Int]
  /// Entity counts by label.
  public var entitiesByLabel: [String: Int]
  /// Per annotator, and for the gold version once it has any: counts of documents by status
  /// (documents never opened count as todo).
  public var progress: [String: [DocumentStatus: Int]]
  /// The schema and guidelines in force, or `nil` when no schema is loaded.
  public var schema: SchemaVersion?
  /// Stance annotations by target, as stored.
  public var stanceTargets: [String: Int]
  /// The annotator whose labels alone the counts by kind, label and target cover, or `nil`
  /// when they cover everyone's (and the gold version's).
  public var labelsOf: String?
}

extension Store {
  /// The number of documents.
  public func documentCount() throws -> Int {
    try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM document") ?? 0 }
  }

  /// The document with this external id, if stored.
  public func document(externalID: ExternalID) throws -> StoredDocument? {
    try read { db in
      try Row.fetchOne(
        db.cachedStatement(sql: "SELECT * FROM document WHERE externalId = ?"),
        arguments: [externalID]
      ).map(Store.storedDocument)
    }
  }

  static func storedDocument(_ row: Row) -> StoredDocument {
    storedDocument(
      id: row["id"], externalID: row["externalId"], text: row["text"], title: row["title"],
      source: row["source"],
      metaJSON: row["meta"],
      tokenRanges: (row["tokens"] as Data?).map { $0.withUnsafeBytes(PackedTokens.ranges) })
  }

  /// The columns `documentColumns` names, read through SQLite's C API.
  static func storedDocument(_ row: RawRow) -> StoredDocument {
    storedDocument(
      id: DocumentID(row.int64(0)), externalID: ExternalID(row.text(1) ?? ""),
      text: row.text(2) ?? "", title: row.text(3),
      source: row.text(4), metaJSON: row.text(5), tokenRanges: row.blob(6, PackedTokens.ranges))
  }

  /// The document columns `storedDocument(_: RawRow)` reads, in its order.
  static let documentColumns = "id, externalId, text, title, source, meta, tokens"

  private static func storedDocument(
    id: DocumentID, externalID: ExternalID, text: String, title: String?, source: String?,
    metaJSON: String?,
    tokenRanges: [Range<Int>]?
  ) -> StoredDocument {
    var meta: [String: JSONValue]?
    if let metaJSON, case .object(let object)? = try? JSONParser.parse(metaJSON) {
      meta = object
    }
    let tokens = tokenRanges.flatMap { [Token].fromRanges($0, in: Array(text.unicodeScalars)) }
    return StoredDocument(
      id: id,
      document: Document(
        externalID: externalID, text: text, title: title, source: source, meta: meta, tokens: tokens
      ))
  }

  /// The annotation set of `annotator` on the document with `externalID`, or `nil` when the
  /// annotator never touched it.
  public func annotations(of externalID: ExternalID, by annotator: String) throws -> AnnotationSet?
  {
    try read { db in
      guard
        let documentID = try DocumentID.fetchOne(
          db, sql: "SELECT id FROM document WHERE externalId = ?", arguments: [externalID]),
        let annotatorID = try Int64.fetchOne(
          db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [annotator])
      else { return nil }
      return try Store.annotationSet(
        db, documentID: documentID, annotatorID: annotatorID, annotatorName: annotator)
    }
  }

  /// The names with labels of their own (a status on some document), sorted: the annotators,
  /// and the gold version once it has any. A reviewer who only adjudicates is not among them.
  public func annotatorNames() throws -> [String] {
    try read { db in try String.fetchAll(db, sql: Store.labelOwnersSQL) }
  }

  /// Names with a status on some document, sorted by name.
  static let labelOwnersSQL = """
    SELECT name FROM annotator a
    WHERE EXISTS (SELECT 1 FROM documentStatus s WHERE s.annotatorId = a.id) ORDER BY name
    """

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
    annotators: [String]?, statuses: Set<DocumentStatus>?,
    _ body: (AnnotatedDocument) throws -> Void
  ) throws {
    try read { db in
      let (sql, arguments) = Store.statusQuery(annotators: annotators, statuses: statuses)
      // NB: read through SQLite's C API: about 50 rows per document, each decoded by GRDB's
      // generic row accessors, and the document's columns looked up by name, took a large
      // part of an export's reading thread. The rows are read from annotationUnique alone, in
      // its order: SQLite neither sorts them nor looks each up in the table.
      let statusStatement = RawStatement(try db.makeStatement(sql: sql))
      for (i, argument) in arguments.enumerated() {
        try statusStatement.bind(Int32(i + 1), argument)
      }
      let documentStatement = RawStatement(
        try db.makeStatement(sql: "SELECT \(Store.documentColumns) FROM document WHERE id = ?"))
      let rowsStatement = RawStatement(try db.makeStatement(sql: Store.documentRowsSQL))
      var reader = AnnotatedDocumentReader(
        documentStatement: documentStatement, rowsStatement: rowsStatement)
      try statusStatement.forEachRow(db) { status in try reader.add(status: status, db, body) }
      try reader.finishDocument(db, body)
    }
  }

  /// The status rows `forEachAnnotatedDocument` walks, in document order, with its arguments.
  ///
  /// NB: no plan may sort: ordering the rows by annotator name in SQL made SQLite sort every
  /// selected status row of the corpus in memory before yielding the first (about 200 MB at
  /// a million documents); each document's few sets are put in name order in Swift instead.
  /// One annotator with one status walks the `(annotatorId, status, documentId)` index, which
  /// is already in document order; anything else scans the table in its primary key's order
  /// `(documentId, annotatorId)`.
  static func statusQuery(annotators: [String]?, statuses: Set<DocumentStatus>?) -> (
    sql: String, arguments: [String]
  ) {
    let usesIndex = annotators?.count == 1 && statuses?.count == 1
    var sql =
      "SELECT s.documentId, a.id, a.name, s.status, s.annotatedKinds, s.flagReason "
      + (usesIndex
        ? "FROM annotator a CROSS JOIN documentStatus s ON a.id = s.annotatorId"
        : "FROM documentStatus s NOT INDEXED CROSS JOIN annotator a ON a.id = s.annotatorId")
    var conditions: [String] = []
    var arguments: [String] = []
    if let annotators {
      conditions.append("a.name IN (\(annotators.map { _ in "?" }.joined(separator: ",")))")
      arguments += annotators
    }
    if let statuses {
      conditions.append("s.status IN (\(statuses.map { _ in "?" }.joined(separator: ",")))")
      arguments += statuses.map(\.rawValue).sorted()
    }
    if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
    sql += " ORDER BY s.documentId, s.annotatorId"
    return (sql, arguments)
  }

  /// Counts for `anno stats`.
  ///
  /// - Parameters:
  ///   - labelsOf: count only this annotator's labels by kind, label and target (an annotator
  ///     in a blind study sees no one else's); everyone's when `nil`.
  public func statistics(labelsOf: String? = nil) throws -> StoreStatistics {
    try read { db in
      let documents = try Int.fetchOne(db, sql: "SELECT count(*) FROM document") ?? 0
      let owners = try String.fetchAll(db, sql: Store.labelOwnersSQL)
      // A team's reviewers and managers are never counted as annotators.
      let nonAnnotators = Set(
        try String.fetchAll(db, sql: "SELECT name FROM teamMember WHERE role <> 'annotator'"))
      let annotators = owners.filter { $0 != Store.goldAnnotator && !nonAnnotators.contains($0) }
      let reviewers = try String.fetchAll(
        db,
        sql: """
          SELECT name FROM annotator WHERE role = 'reviewer'
            AND name NOT IN (SELECT name FROM teamMember WHERE role = 'annotator')
          UNION SELECT name FROM teamMember WHERE role = 'reviewer' ORDER BY name
          """)
      // Everyone's labels, or one annotator's (no id matches a name nobody has used).
      let owner =
        try labelsOf.map { "WHERE annotatorId = \(try Store.existingAnnotatorID(db, $0) ?? -1)" }
        ?? ""
      var byKind: [String: Int] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT kind, count(*) FROM annotation \(owner) GROUP BY kind")
      {
        byKind[row[0]] = row[1]
      }
      var byLabel: [String: Int] = [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT value, count(*) FROM annotation \(owner.isEmpty ? "WHERE" : owner + " AND") kind = 'entity'
          GROUP BY value
          """)
      {
        byLabel[row[0]] = row[1]
      }
      var progress: [String: [DocumentStatus: Int]] = [:]
      for name in owners { progress[name] = [:] }
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
      for name in owners {
        let counted = progress[name, default: [:]].filter { $0.key != .todo }.values.reduce(0, +)
        progress[name, default: [:]][.todo] = documents - counted
      }
      let schema = try Store.schemaVersion(db)
      var targets: [String: Int] = [:]
      for entry in try Store.stanceTargetsInUse(db, by: labelsOf) {
        targets[entry.target] = entry.count
      }
      return StoreStatistics(
        documents: documents, annotators: annotators, reviewers: reviewers,
        annotationsByKind: byKind, entitiesByLabel: byLabel, progress: progress, schema: schema,
        stanceTargets: targets, labelsOf: labelsOf)
    }
  }
}

/// What `forEachAnnotatedDocument` keeps between status rows: the current document's sets,
/// and the storage its annotation rows are read into, reused from document to document.
///
/// NB: a struct mutated through its own methods: the same state captured by a local function
/// and its closures would be checked for exclusive access at run time on every row (a tenth of
/// the reading thread).
private struct AnnotatedDocumentReader {
  let documentStatement: RawStatement
  let rowsStatement: RawStatement
  private var documentID: DocumentID?
  private var sets:
    [(annotatorID: Int64, name: String, status: String, kinds: Int, flagReason: String?)] = []
  /// The document's annotation rows in annotator order, and each annotator's run of them.
  private var rows: [AnnotationRow] = []
  private var runs: [(annotatorID: Int64, rows: Range<Int>)] = []
  private var recent = RecentTexts()

  init(documentStatement: RawStatement, rowsStatement: RawStatement) {
    self.documentStatement = documentStatement
    self.rowsStatement = rowsStatement
  }

  /// Adds a status row; the previous document's sets go to `body` once its rows are over.
  mutating func add(status: RawRow, _ db: Database, _ body: (AnnotatedDocument) throws -> Void)
    throws
  {
    let id = DocumentID(status.int64(0))
    if id != documentID {
      try finishDocument(db, body)
      documentID = id
    }
    sets.append(
      (
        status.int64(1), status.text(2) ?? "", status.text(3) ?? "", status.int(4) ?? 0,
        status.text(5)
      ))
  }

  /// Reads the current document and its annotation rows and gives `body` each of its sets,
  /// in annotator name order.
  mutating func finishDocument(_ db: Database, _ body: (AnnotatedDocument) throws -> Void) throws {
    guard let documentID, !sets.isEmpty else { return }
    defer { sets.removeAll(keepingCapacity: true) }
    var stored: StoredDocument?
    try documentStatement.bind(1, documentID.rawValue)
    try documentStatement.forEachRow(db) { stored = Store.storedDocument($0) }
    guard let stored else { return }
    rows.removeAll(keepingCapacity: true)
    runs.removeAll(keepingCapacity: true)
    try rowsStatement.bind(1, documentID.rawValue)
    try rowsStatement.forEachRow(db) { row in addRow(row) }
    // Annotator names in SQLite's BINARY order: their UTF-8 bytes.
    sets.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    for entry in sets {
      let run = runs.first { $0.annotatorID == entry.annotatorID }?.rows ?? 0..<0
      let set = Store.makeSet(
        annotator: entry.name, status: entry.status, kinds: entry.kinds,
        flagReason: entry.flagReason,
        rows: rows[run])
      try body(AnnotatedDocument(document: stored.document, annotations: set))
    }
  }

  private mutating func addRow(_ row: RawRow) {
    guard let annotation = AnnotationRow(row: row, recent: &recent) else { return }
    let annotatorID = row.int64(5)
    if runs.last?.annotatorID != annotatorID { runs.append((annotatorID, rows.count..<rows.count)) }
    rows.append(annotation)
    runs[runs.count - 1].rows = runs[runs.count - 1].rows.lowerBound..<rows.count
  }
}
