import AnnoCore
import GRDB

/// Which version of a document's text an edit was made on.
///
/// Every event of the shell's edits records the content hash of its document's text
/// (`text_hash` in the payload). `import --replace` gives a document a new text; the steps
/// made on the old one no longer apply: `undo` and `redo` pass over them (never replaying
/// them onto the new text) and say so, the import counts them, and `anno check` reports any
/// annotation whose last change was made on another text. Events logged before hashes were
/// recorded are judged by time: made before the document's text was last imported, they
/// belong to an earlier text.
extension Store {
  /// A step `undo` or `redo` passed over because it was made on an earlier text.
  public struct SkippedStep: Hashable, Sendable {
    /// What the step did.
    public var summary: String
    /// The document whose text changed.
    public var documentExternalID: ExternalID
  }

  /// The key of the text hash in an event's payload.
  static let textHashKey = "text_hash"

  /// A document's current content hash and the time its text was last imported.
  static func textVersion(_ db: Database, documentID: DocumentID) throws -> (
    hash: String, importedAt: Double
  )? {
    try Row.fetchOne(
      db.cachedStatement(sql: "SELECT contentHash, importedAt FROM document WHERE id = ?"),
      arguments: [documentID]
    ).map { ($0[0], $0[1]) }
  }

  /// Whether an event was made on its document's current text (an event without a document
  /// always is).
  static func wasMadeOnCurrentText(
    _ db: Database, documentID: DocumentID?, payload: JSONValue?, createdAt: Double
  ) throws -> Bool {
    guard let documentID else { return true }
    guard let current = try textVersion(db, documentID: documentID) else { return false }
    if let hash = payload?[textHashKey]?.stringValue { return hash == current.hash }
    return createdAt >= current.importedAt
  }

  /// The newest of the candidate events `sql` selects (newest first; columns `id`,
  /// `documentId`, `summary`, `payload`, `createdAt` of the event whose operations would be
  /// replayed, plus any others the caller reads) that was made on its document's current
  /// text, and the newer ones passed over because they were not.
  static func newestReplayable(_ db: Database, sql: String, arguments: StatementArguments)
    throws -> (row: Row?, skipped: [SkippedStep])
  {
    var skipped: [SkippedStep] = []
    let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
    while let row = try rows.next() {
      let documentID: DocumentID? = row["documentId"]
      let payload = (row["payload"] as String?).flatMap { try? JSONParser.parse($0) }
      if try wasMadeOnCurrentText(
        db, documentID: documentID, payload: payload, createdAt: row["createdAt"])
      {
        return (row.copy(), skipped)
      }
      skipped.append(
        SkippedStep(
          summary: row["summary"],
          documentExternalID: try externalID(db, documentID: documentID) ?? "?"))
    }
    return (nil, skipped)
  }

  /// Refuses edits made on a text the document no longer has (another process replaced it
  /// while a shell had it open).
  static func requireText(_ db: Database, _ textHash: String, of documentID: DocumentID) throws {
    guard let current = try textVersion(db, documentID: documentID), current.hash != textHash
    else { return }
    let id = try externalID(db, documentID: documentID) ?? "?"
    throw StoreError.invalid(
      "'\(id)' has a new text since it was opened (import --replace); nothing was saved: 'open \(id)' shows the new text"
    )
  }

  /// The error for an undo or redo that found only steps made on earlier texts.
  static func nothingReplayable(_ verb: String, skipped: [SkippedStep]) -> StoreError {
    let documents = Array(Set(skipped.map(\.documentExternalID))).sorted()
    let names = documents.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
    return .invalid(
      "nothing to \(verb): \(skipped.count) step\(skipped.count == 1 ? "" : "s") left \(skipped.count == 1 ? "was" : "were") made on an earlier text of \(names)\(documents.count > 3 ? " and others" : ""), replaced since (import --replace); \(skipped.count == 1 ? "it no longer applies" : "they no longer apply")"
    )
  }

  /// How many steps of a document `undo` and `redo` could still replay, by anyone: changes
  /// and redos not undone, and undos not redone that no later change of theirs has cleared.
  static func replayableSteps(_ db: Database, documentID: DocumentID) throws -> Int {
    try Int.fetchOne(
      db,
      sql: """
        SELECT
          (SELECT count(*) FROM event e WHERE e.documentId = ?1 AND e.annotatorId IS NOT NULL
             AND e.action IN ('change', 'redo')
             AND NOT EXISTS (SELECT 1 FROM event u WHERE u.reverts = e.id AND u.action = 'undo'))
          + (SELECT count(*) FROM event u WHERE u.documentId = ?1 AND u.annotatorId IS NOT NULL
             AND u.action = 'undo'
             AND NOT EXISTS (SELECT 1 FROM event r WHERE r.reverts = u.id AND r.action = 'redo')
             AND NOT EXISTS (SELECT 1 FROM event c WHERE c.annotatorId = u.annotatorId
               AND c.action = 'change' AND c.id > u.id))
        """, arguments: [documentID]) ?? 0
  }
}

extension Store {
  /// `anno check`'s "text versions": annotations whose last change (in the event log) was made
  /// on an earlier text of their document, and entity spans whose stored text (`spanText`,
  /// kept from when they were made) differs from what the text holds at their offsets.
  static func checkTextVersions(_ db: Database) throws -> CheckResult {
    var problems = ProblemList()
    // Annotation ids whose latest write was made on another text, with that event.
    var stale: [Int64: Int64] = [:]
    let events = try Row.fetchCursor(
      db,
      sql: """
        SELECT id, documentId, payload, createdAt FROM event
        WHERE action IN ('change', 'undo', 'redo') AND annotatorId IS NOT NULL ORDER BY id
        """)
    while let event = try events.next() {
      guard let documentID: DocumentID = event["documentId"],
        let payload = (event["payload"] as String?).flatMap({ try? JSONParser.parse($0) }),
        let ops = payload["ops"]?.arrayValue
      else { continue }
      let isCurrent = try wasMadeOnCurrentText(
        db, documentID: documentID, payload: payload, createdAt: event["createdAt"])
      for op in ops {
        guard let id = op["row"]?["id"]?.intValue.map(Int64.init) else { continue }
        switch op["op"]?.stringValue {
        case "insert", "update":
          stale[id] = isCurrent ? nil : event["id"]
        case "delete":
          stale[id] = nil
        default:
          break
        }
      }
    }
    let ids = stale.keys.sorted()
    for start in stride(from: 0, to: ids.count, by: 500) {
      let chunk = ids[start..<min(ids.count, start + 500)]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT n.id, d.externalId, ifnull(a.name, '#' || n.annotatorId) AS annotator, n.kind, n.start, n."end"
          FROM annotation n JOIN document d ON d.id = n.documentId LEFT JOIN annotator a ON a.id = n.annotatorId
          WHERE n.id IN (\(chunk.map(String.init).joined(separator: ","))) ORDER BY n.id
          """)
      {
        let id: Int64 = row["id"]
        let start: Int? = row["start"]
        let end: Int? = row["end"]
        let range = start.flatMap { s in end.map { " \(s):\($0)" } } ?? ""
        problems.add(
          "annotation \(id) on '\(row["externalId"] as String)' by '\(row["annotator"] as String)' (\(row["kind"] as String)\(range)): "
            + "last changed by event \(stale[id] ?? 0), made on an earlier text of the document")
      }
    }
    let documents = try Row.fetchCursor(
      db, sql: "SELECT id, externalId, text FROM document ORDER BY id")
    while let document = try documents.next() {
      let spans = try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT n.id, ifnull(a.name, '#' || n.annotatorId) AS annotator, n.start, n."end", n.spanText
            FROM annotation n LEFT JOIN annotator a ON a.id = n.annotatorId
            WHERE n.documentId = ? AND n.kind = 'entity' AND n.spanText IS NOT NULL
            """), arguments: [document["id"] as Int64])
      guard !spans.isEmpty else { continue }
      let text = ScalarText(document["text"] as String)
      for span in spans {
        let start: Int = span["start"]
        let end: Int = span["end"]
        // "offsets" reports a range outside the text.
        guard TextRange(start: start, end: end).isSpan(inTextOfLength: text.count) else { continue }
        let stored: String = span["spanText"]
        let now = text[start..<end]
        if stored != now {
          problems.add(
            "annotation \(span["id"] as Int64) on '\(document["externalId"] as String)' by '\(span["annotator"] as String)': "
              + "\(start):\(end) was made on \(AnnotationSet.quoted(stored)) but the text there reads \(AnnotationSet.quoted(now))"
          )
        }
      }
    }
    return problems.result(
      "text versions", detail: "every span was made on its document's current text")
  }
}
