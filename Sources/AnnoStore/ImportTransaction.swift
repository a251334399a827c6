import AnnoCore
import Foundation
import GRDB

/// Counts of what an import did.
public struct ImportSummary: Hashable, Sendable {
  public var documentsAdded = 0
  public var documentsUnchanged = 0
  public var documentsReplaced = 0
  public var annotationSetsAdded = 0
  public var annotationSetsUnchanged = 0
  public var annotationSetsReplaced = 0
  public var annotationsAdded = 0
  public var recordsSkipped = 0
  public var recordsInvalid = 0

  /// An empty summary.
  public init() {}

  /// Whether nothing at all changed.
  public var changedNothing: Bool {
    documentsAdded + documentsReplaced + annotationSetsAdded + annotationSetsReplaced == 0
  }
}

/// A record refused by the store, with the sentence to show after `FILE:LINE: `.
public struct ImportRejection: Error, Hashable, Sendable {
  /// What is wrong and what to do.
  public var message: String

  /// Creates a rejection.
  public init(message: String) {
    self.message = message
  }
}

/// A document's text as stored, seen from inside an import.
public struct StoredDocumentText: Sendable {
  /// The text.
  public var text: String
  /// Whether this same import added it.
  public var isFromThisImport: Bool
}

/// One import, inside one write transaction: documents and annotation sets are added record
/// by record, each record all or nothing.
public final class ImportTransaction {
  let db: Database
  let importID: Int64
  let replace: Bool
  let now: Double
  /// What the import did so far.
  public private(set) var summary = ImportSummary()
  private var annotatorIDs: [String: Int64] = [:]

  init(db: Database, importID: Int64, replace: Bool) {
    self.db = db
    self.importID = importID
    self.replace = replace
    self.now = Store.now()
  }

  /// Counts a record that was skipped on purpose (e.g. a rejected Prodigy answer).
  public func countSkipped() { summary.recordsSkipped += 1 }

  /// Counts a record refused as invalid (with `--skip-invalid`).
  public func countInvalid() { summary.recordsInvalid += 1 }

  /// The stored text of a document, if the store (or this import) has it.
  public func storedText(of externalID: String) throws -> StoredDocumentText? {
    guard
      let row = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT text, importId FROM document WHERE externalId = ?"), arguments: [externalID])
    else { return nil }
    return StoredDocumentText(text: row["text"], isFromThisImport: row["importId"] == importID)
  }

  /// Imports one record: its document (when it carries the text) and its annotation set
  /// (when it carries labels), all or nothing.
  ///
  /// - Throws: `ImportRejection` when the record conflicts with the store or with an earlier
  ///   record of this import; nothing of the record is written then.
  public func importRecord(document: Document?, externalID: String, annotations: AnnotationSet?, text: ScalarText? = nil) throws {
    var outcome = summary
    try db.inSavepoint {
      if let document {
        try importDocument(document, summary: &outcome)
      }
      if let annotations {
        try importAnnotations(annotations, on: externalID, text: text, summary: &outcome)
      }
      return .commit
    }
    summary = outcome
  }

  private func importDocument(_ document: Document, summary: inout ImportSummary) throws {
    let existing = try Row.fetchOne(
      db.cachedStatement(sql: "SELECT id, text, importId FROM document WHERE externalId = ?"),
      arguments: [document.externalID])
    let tokens = document.tokens.map { tokens in
      "[" + tokens.map { "[\($0.start),\($0.end)]" }.joined(separator: ",") + "]"
    }
    let meta = document.meta.map { JSONWriter.string(for: .object($0)) }
    let length = document.length
    guard let existing else {
      try db.cachedStatement(
        sql: """
          INSERT INTO document (externalId, text, title, source, meta, contentHash, length, tokens, importId, importedAt)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [
        document.externalID, document.text, document.title, document.source, meta, document.contentHash, length,
        tokens, importID, now,
      ])
      summary.documentsAdded += 1
      return
    }
    let storedText: String = existing["text"]
    if storedText == document.text {
      summary.documentsUnchanged += 1
      return
    }
    if existing["importId"] == importID {
      throw ImportRejection(
        message: "document '\(document.externalID)' appears earlier in this input with a different text")
    }
    guard replace else {
      throw ImportRejection(
        message:
          "document '\(document.externalID)' already exists with a different text; use --replace to replace it (its annotations are removed)"
      )
    }
    let documentID: Int64 = existing["id"]
    try db.execute(sql: "DELETE FROM annotation WHERE documentId = ?", arguments: [documentID])
    try db.execute(sql: "DELETE FROM documentStatus WHERE documentId = ?", arguments: [documentID])
    try db.execute(
      sql: """
        UPDATE document SET text = ?, title = ?, source = ?, meta = ?, contentHash = ?, length = ?, tokens = ?,
          importId = ?, importedAt = ?
        WHERE id = ?
        """,
      arguments: [
        document.text, document.title, document.source, meta, document.contentHash, length, tokens, importID, now,
        documentID,
      ])
    summary.documentsReplaced += 1
  }

  private func importAnnotations(_ set: AnnotationSet, on externalID: String, text: ScalarText?, summary: inout ImportSummary) throws {
    guard
      let documentID = try Int64.fetchOne(
        db.cachedStatement(sql: "SELECT id FROM document WHERE externalId = ?"), arguments: [externalID])
    else {
      throw ImportRejection(
        message: "no document with id '\(externalID)' in the database or earlier in this input; include its 'text'")
    }
    let annotatorID: Int64
    if let known = annotatorIDs[set.annotator] {
      annotatorID = known
    } else {
      annotatorID = try Store.annotatorID(db, name: set.annotator, now: now)
      annotatorIDs[set.annotator] = annotatorID
    }
    let existing = try Row.fetchOne(
      db.cachedStatement(sql: "SELECT importId FROM documentStatus WHERE documentId = ? AND annotatorId = ?"),
      arguments: [documentID, annotatorID])
    let incoming = set.normalized()
    if let existing {
      if existing["importId"] == importID {
        throw ImportRejection(
          message: "a second record for document '\(externalID)' by annotator '\(set.annotator)' in this input")
      }
      let stored = try Store.annotationSet(db, documentID: documentID, annotatorID: annotatorID, annotatorName: set.annotator)
      if stored == incoming {
        summary.annotationSetsUnchanged += 1
        return
      }
      guard replace else {
        throw ImportRejection(
          message:
            "annotator '\(set.annotator)' already has different annotations on '\(externalID)'; use --replace to overwrite them"
        )
      }
      try db.execute(
        sql: "DELETE FROM annotation WHERE documentId = ? AND annotatorId = ?", arguments: [documentID, annotatorID])
      summary.annotationSetsReplaced += 1
    } else {
      summary.annotationSetsAdded += 1
    }
    let rows = AnnotationRow.rows(of: incoming)
    try Store.insert(rows, db, documentID: documentID, annotatorID: annotatorID, origin: "imported", now: now, text: text)
    summary.annotationsAdded += rows.count
    try db.cachedStatement(
      sql: """
        INSERT INTO documentStatus (documentId, annotatorId, status, annotatedKinds, flagReason, importId, updatedAt)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (documentId, annotatorId) DO UPDATE SET
          status = excluded.status, annotatedKinds = excluded.annotatedKinds, flagReason = excluded.flagReason,
          importId = excluded.importId, updatedAt = excluded.updatedAt
        """
    ).execute(arguments: [
      documentID, annotatorID, incoming.status.rawValue, AnnotatedKinds(of: incoming).rawValue, incoming.flagReason,
      importID, now,
    ])
  }
}

/// Thrown by an import body to roll the whole import back.
public struct ImportAborted: Error, Sendable {
  /// Creates the signal.
  public init() {}
}

extension Store {
  /// Runs an import in one write transaction and records it in the event log.
  ///
  /// - Parameters:
  ///   - source: what was imported (file names), for the event log.
  ///   - replace: whether records may replace stored documents and annotation sets.
  ///   - body: feeds records to the transaction; throwing rolls the whole import back.
  /// - Returns: what the import did.
  public func importRecords(
    source: String, replace: Bool, _ body: (ImportTransaction) throws -> Void
  ) throws -> ImportSummary {
    try write { db in
      let importID = (try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) + 1 FROM event")) ?? 1
      let transaction = ImportTransaction(db: db, importID: importID, replace: replace)
      try body(transaction)
      let summary = transaction.summary
      let payload = JSONWriter.string(
        for: .object([
          "source": .string(source),
          "documents_added": .int(Int64(summary.documentsAdded)),
          "documents_replaced": .int(Int64(summary.documentsReplaced)),
          "annotation_sets_added": .int(Int64(summary.annotationSetsAdded)),
          "annotation_sets_replaced": .int(Int64(summary.annotationSetsReplaced)),
          "annotations_added": .int(Int64(summary.annotationsAdded)),
        ]))
      try db.execute(
        sql: "INSERT INTO event (id, action, summary, payload, createdAt) VALUES (?, 'import', ?, ?, ?)",
        arguments: [importID, "import \(source)", payload, transaction.now])
      return summary
    }
  }
}
