import AnnoCore
import GRDB

extension AnnotationKind {
  /// Whether rows of this kind get a short id within their document and annotator: entity
  /// spans (`#7`) and notes (`n2`).
  public var hasLocalID: Bool { self == .entity || self == .note }
}

/// Gives spans and notes their short ids within one document and annotator, inside a write
/// transaction.
///
/// The next id is one above the highest ever given: the larger of the rows' highest id and
/// `localIdSequence.last`. The sequence row is brought up to date before an id is given or
/// taken away (a delete, an undo, a replaced set), so an id removed from the table is never
/// given again.
struct LocalIDAllocator {
  let documentID: DocumentID
  let annotatorID: Int64
  /// The highest id given so far, per kind, once read.
  private var highest: [AnnotationKind: Int] = [:]

  init(documentID: DocumentID, annotatorID: Int64) {
    self.documentID = documentID
    self.annotatorID = annotatorID
  }

  /// The highest id of this kind ever given on the document by the annotator.
  mutating func highestGiven(_ db: Database, _ kind: AnnotationKind) throws -> Int {
    if let known = highest[kind] { return known }
    let stored =
      try Int.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT max(ifnull((SELECT last FROM localIdSequence WHERE documentId = ?1 AND annotatorId = ?2 AND kind = ?3), 0),
              ifnull((SELECT max(localId) FROM annotation WHERE documentId = ?1 AND annotatorId = ?2 AND kind = ?3), 0))
            """), arguments: [documentID, annotatorID, kind.rawValue]) ?? 0
    highest[kind] = stored
    return stored
  }

  /// A new id for a row of this kind.
  mutating func next(_ db: Database, _ kind: AnnotationKind) throws -> Int {
    let id = try highestGiven(db, kind) + 1
    highest[kind] = id
    return id
  }

  /// Notes that a row of this kind is about to be removed or was written with an id of its
  /// own (an undo, a redo, an import keeping ids), so the sequence covers it.
  mutating func note(_ db: Database, _ kind: AnnotationKind, id: Int? = nil) throws {
    let known = try highestGiven(db, kind)
    if let id, id > known { highest[kind] = id }
  }

  /// Writes the highest ids given to `localIdSequence`.
  func save(_ db: Database) throws {
    for (kind, last) in highest {
      try db.cachedStatement(
        sql: """
          INSERT INTO localIdSequence (documentId, annotatorId, kind, last) VALUES (?, ?, ?, ?)
          ON CONFLICT (documentId, annotatorId, kind) DO UPDATE SET last = max(last, excluded.last)
          """
      ).execute(arguments: [documentID, annotatorID, kind.rawValue, last])
    }
  }
}

extension Store {
  /// Records the highest span and note ids of a document's rows (one annotator's, or
  /// everyone's) in `localIdSequence`, before those rows are deleted wholesale.
  static func recordLocalIDs(_ db: Database, documentID: DocumentID, annotatorID: Int64? = nil)
    throws
  {
    try db.execute(
      sql: """
        INSERT INTO localIdSequence (documentId, annotatorId, kind, last)
        SELECT documentId, annotatorId, kind, max(localId) FROM annotation
        WHERE documentId = ?1 AND (?2 IS NULL OR annotatorId = ?2) AND localId IS NOT NULL
        GROUP BY documentId, annotatorId, kind
        ON CONFLICT (documentId, annotatorId, kind) DO UPDATE SET last = max(last, excluded.last)
        """, arguments: [documentID, annotatorID])
  }

  /// Whether a row of this kind already has this short id on the document for the annotator.
  static func localIDIsTaken(
    _ db: Database, _ localID: Int, of kind: AnnotationKind, _ documentID: DocumentID,
    _ annotatorID: Int64
  ) throws -> Bool {
    try Bool.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT EXISTS (SELECT 1 FROM annotation WHERE documentId = ? AND annotatorId = ? AND kind = ? AND localId = ?)
          """), arguments: [documentID, annotatorID, kind.rawValue, localID]) ?? false
  }
}
