import AnnoCore
import Foundation
import GRDB

/// This database's side of a team hub: its origin, the hub it syncs with, as whom, and how
/// far the last sync got.
public struct HubSyncState: Hashable, Sendable {
  /// The database's origin: a UUID made once, with which its events' ids are global.
  public var origin: String
  /// The hub's URL, without a password; `nil` before the first sync.
  public var hubURL: String?
  /// The member this database syncs as.
  public var member: String?
  /// The id of the last local event the hub has (or that was passed over as not the member's).
  public var pushedEvent: Int64
  /// The newest decision time of the gold decisions the hub has from here.
  public var pushedDecisionAt: Double
  /// The hub id of the last document pulled.
  public var pulledDocument: Int64
  /// The hub revision of the last annotation set, event or decision pulled.
  public var pulledRevision: Int64
  /// When the last sync finished (seconds since 1970).
  public var lastSync: Double?
}

/// An event in the hub's shape: a global id (origin and sequence), who, where, what.
public struct HubEvent: Hashable, Sendable {
  /// The global id, a UUID derived from `origin` and `sequence`.
  public var id: String
  /// The database the event was made in.
  public var origin: String
  /// The event's id in that database.
  public var sequence: Int64
  /// Who made it, if anyone.
  public var annotator: String?
  /// The document's external id, if the event concerns one.
  public var documentExternalID: String?
  /// `change`, `undo`, `redo`, `import` or `schema`.
  public var action: String
  /// The event's one-line summary.
  public var summary: String
  /// The event's payload, JSON text.
  public var payload: String
  /// When (seconds since 1970).
  public var createdAt: Double

  /// Creates an event; its id is derived from `origin` and `sequence`.
  public init(
    origin: String, sequence: Int64, annotator: String?, documentExternalID: String?,
    action: String, summary: String, payload: String, createdAt: Double
  ) {
    self.id = Self.globalID(origin: origin, sequence: sequence)
    self.origin = origin
    self.sequence = sequence
    self.annotator = annotator
    self.documentExternalID = documentExternalID
    self.action = action
    self.summary = summary
    self.payload = payload
    self.createdAt = createdAt
  }

  /// The UUID of event `sequence` of `origin`: the first 16 bytes of the SHA-256 of
  /// `origin:sequence`, marked as a version 8 (custom) UUID. The same event always gets the
  /// same id, so pushing it twice stores it once.
  public static func globalID(origin: String, sequence: Int64) -> String {
    var bytes = Array(
      SHA256.digest(of: Array("\(origin.lowercased()):\(sequence)".utf8)).prefix(16))
    bytes[6] = (bytes[6] & 0x0F) | 0x80
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
      hex[
        hex.index(
          hex.startIndex, offsetBy: range.lowerBound)..<hex.index(
            hex.startIndex, offsetBy: range.upperBound)]
    }
    return parts.joined(separator: "-")
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}

/// One annotator's annotation set on one document, in the hub's shape.
///
/// `annotations` is JSON text: `{"status": {"status", "annotated_kinds", "flag_reason",
/// "updated_at"} or null, "rows": [{"kind", "start", "end", "target", "value", "origin",
/// "origin_detail", "created_at", "updated_at", "local_id"}]}`, every row as stored, so a set
/// pulled into another database is the same set there.
public struct HubAnnotationSet: Hashable, Sendable {
  /// The document's external id.
  public var documentExternalID: String
  /// Whose set it is (`gold` for the adjudicated version).
  public var annotator: String
  /// The status (`todo` when the set has no status row).
  public var status: String
  /// The status's annotated kinds (0 without a status row).
  public var annotatedKinds: Int
  /// The status and rows, JSON text (see the type's description).
  public var annotations: String
  /// The newest change to the set (seconds since 1970): what settles two versions of it.
  public var latestChange: Double
  /// The set's comparable form, as merging compares sets.
  var canonical: String

  /// A set from the hub's columns.
  ///
  /// - Throws: `StoreError.invalid` when `annotations` is not a set's JSON.
  public init(
    documentExternalID: String, annotator: String, status: String, annotatedKinds: Int,
    annotations: String, latestChange: Double
  ) throws {
    self.documentExternalID = documentExternalID
    self.annotator = annotator
    self.status = status
    self.annotatedKinds = annotatedKinds
    self.annotations = annotations
    self.latestChange = latestChange
    canonical = try HubSetContent(json: annotations, document: documentExternalID).state.canonical
  }

  init(
    documentExternalID: String, annotator: String, content: HubSetContent, latestChange: Double
  ) {
    self.documentExternalID = documentExternalID
    self.annotator = annotator
    status = content.status?.status ?? DocumentStatus.todo.rawValue
    annotatedKinds = content.status?.kinds ?? 0
    annotations = content.json
    self.latestChange = latestChange
    canonical = content.state.canonical
  }
}

/// A document in the hub's shape.
public struct HubDocument: Hashable, Sendable {
  /// The hub's id: the pull cursor.
  public var hubID: Int64
  public var externalID: String
  public var text: String
  public var title: String?
  public var source: String?
  /// JSON text.
  public var meta: String?
  public var contentHash: String
  /// Packed tokens (`PackedTokens`), if the document has explicit ones.
  public var tokens: [UInt8]?

  /// Creates a document.
  public init(
    hubID: Int64, externalID: String, text: String, title: String?, source: String?,
    meta: String?, contentHash: String, tokens: [UInt8]?
  ) {
    self.hubID = hubID
    self.externalID = externalID
    self.text = text
    self.title = title
    self.source = source
    self.meta = meta
    self.contentHash = contentHash
    self.tokens = tokens
  }
}

/// A document in an annotator's queue, in the hub's shape.
public struct HubAssignment: Hashable, Sendable {
  public var documentExternalID: String
  public var annotator: String
  public var position: Int
  /// `single`, `overlap` or `gold`.
  public var kind: String

  /// Creates an assignment.
  public init(documentExternalID: String, annotator: String, position: Int, kind: String) {
    self.documentExternalID = documentExternalID
    self.annotator = annotator
    self.position = position
    self.kind = kind
  }
}

/// A gold decision in the hub's shape.
public struct HubDecision: Hashable, Sendable {
  public var documentExternalID: String
  public var decision: GoldDecision

  /// Creates a decision.
  public init(documentExternalID: String, decision: GoldDecision) {
    self.documentExternalID = documentExternalID
    self.decision = decision
  }

  /// Whether `theirs` replaces `ours` (as merging decides): the later decision wins; on a
  /// tie, the greater value and decider.
  static func theirsWin(_ theirs: GoldDecision, over ours: GoldDecision) -> Bool {
    if theirs.decidedAt != ours.decidedAt { return theirs.decidedAt > ours.decidedAt }
    return (theirs.value ?? "") + "\u{0}" + theirs.decidedBy > (ours.value ?? "") + "\u{0}"
      + ours.decidedBy
  }
}

/// What applying data pulled from a hub did.
public struct HubPullSummary: Hashable, Sendable {
  public var documentsAdded = 0
  public var documentsPresent = 0
  /// External ids the hub holds with another text than here: left as they are here.
  public var documentConflicts: [String] = []
  public var setsAdded = 0
  public var setsUnchanged = 0
  public var setsReplaced = 0
  /// Sets of documents this database does not hold, left out.
  public var setsWithoutDocument = 0
  /// One annotator's two different versions of a set, and which one was kept.
  public var conflicts: [MergeConflict] = []
  public var eventsAdded = 0
  public var eventsPresent = 0
  public var decisionsAdded = 0
  public var decisionsReplaced = 0
  public var assignments = 0
  public var schemaChanged = false

  /// Creates an empty summary.
  public init() {}

  /// Adds another batch's counts.
  public mutating func add(_ other: HubPullSummary) {
    documentsAdded += other.documentsAdded
    documentsPresent += other.documentsPresent
    documentConflicts += other.documentConflicts
    setsAdded += other.setsAdded
    setsUnchanged += other.setsUnchanged
    setsReplaced += other.setsReplaced
    setsWithoutDocument += other.setsWithoutDocument
    conflicts += other.conflicts
    eventsAdded += other.eventsAdded
    eventsPresent += other.eventsPresent
    decisionsAdded += other.decisionsAdded
    decisionsReplaced += other.decisionsReplaced
    assignments += other.assignments
    schemaChanged = schemaChanged || other.schemaChanged
  }
}

/// A set's status and rows, read from this database or from a set's JSON.
struct HubSetContent {
  struct Status {
    var status: String
    var kinds: Int
    var flagReason: String?
    var updatedAt: Double
  }
  struct Row {
    var kind: String
    var start: Int64?
    var end: Int64?
    var target: String?
    var value: String
    var origin: String
    var originDetail: String?
    var createdAt: Double
    var updatedAt: Double
    var localID: Int64?
  }
  var status: Status?
  var rows: [Row]

  var state: SetState {
    SetState(
      status: status.map {
        SetState.statusLine(status: $0.status, kinds: $0.kinds, flagReason: $0.flagReason)
      },
      rows: rows.map {
        SetState.rowLine(
          kind: $0.kind, start: $0.start, end: $0.end, target: $0.target, value: $0.value)
      }.sorted())
  }

  var json: String {
    let status: JSONValue =
      self.status.map {
        .object([
          "status": .string($0.status), "annotated_kinds": .int(Int64($0.kinds)),
          "flag_reason": $0.flagReason.map(JSONValue.string) ?? .null,
          "updated_at": .double($0.updatedAt),
        ])
      } ?? .null
    let rows: [JSONValue] = rows.map { row in
      .object([
        "kind": .string(row.kind), "start": row.start.map(JSONValue.int) ?? .null,
        "end": row.end.map(JSONValue.int) ?? .null,
        "target": row.target.map(JSONValue.string) ?? .null, "value": .string(row.value),
        "origin": .string(row.origin),
        "origin_detail": row.originDetail.map(JSONValue.string) ?? .null,
        "created_at": .double(row.createdAt), "updated_at": .double(row.updatedAt),
        "local_id": row.localID.map(JSONValue.int) ?? .null,
      ])
    }
    return JSONWriter.string(for: .object(["status": status, "rows": .array(rows)]))
  }

  init(status: Status?, rows: [Row]) {
    self.status = status
    self.rows = rows
  }

  /// Reads a set's JSON; the error names the document.
  init(json: String, document: String) throws {
    func bad(_ what: String) -> StoreError {
      StoreError.invalid("the hub's annotation set of '\(document)' is not valid: \(what)")
    }
    func number(_ value: JSONValue?) -> Double? {
      switch value {
      case .int(let i): Double(i)
      case .double(let d): d
      default: nil
      }
    }
    func integer(_ value: JSONValue?) -> Int64? {
      switch value {
      case .int(let i): i
      case .double(let d) where d.rounded() == d: Int64(exactly: d)
      default: nil
      }
    }
    let value: JSONValue
    do { value = try JSONParser.parse(json) } catch { throw bad("\(error)") }
    guard let object = value.objectValue, let rows = object["rows"]?.arrayValue else {
      throw bad("no rows")
    }
    if let status = object["status"]?.objectValue {
      guard let name = status["status"]?.stringValue,
        let kinds = integer(status["annotated_kinds"]),
        let updatedAt = number(status["updated_at"])
      else { throw bad("a status without status, annotated_kinds or updated_at") }
      self.status = Status(
        status: name, kinds: Int(kinds), flagReason: status["flag_reason"]?.stringValue,
        updatedAt: updatedAt)
    } else {
      self.status = nil
    }
    self.rows = try rows.map { row in
      guard let kind = row["kind"]?.stringValue, let value = row["value"]?.stringValue,
        let origin = row["origin"]?.stringValue, let createdAt = number(row["created_at"]),
        let updatedAt = number(row["updated_at"])
      else { throw bad("a row without kind, value, origin, created_at or updated_at") }
      return Row(
        kind: kind, start: integer(row["start"]), end: integer(row["end"]),
        target: row["target"]?.stringValue, value: value, origin: origin,
        originDetail: row["origin_detail"]?.stringValue, createdAt: createdAt,
        updatedAt: updatedAt, localID: integer(row["local_id"]))
    }
  }

  /// One annotator's set on one document, as stored.
  static func read(_ db: Database, document: Int64, annotator: Int64) throws -> HubSetContent {
    let status = try GRDB.Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT status, annotatedKinds, flagReason, updatedAt FROM documentStatus
          WHERE documentId = ? AND annotatorId = ?
          """), arguments: [document, annotator]
    ).map { Status(status: $0[0], kinds: $0[1], flagReason: $0[2], updatedAt: $0[3]) }
    let rows = try GRDB.Row.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT kind, start, "end", target, value, origin, originDetail, createdAt, updatedAt, localId
          FROM annotation WHERE documentId = ? AND annotatorId = ? ORDER BY id
          """), arguments: [document, annotator]
    ).map {
      Row(
        kind: $0[0], start: $0[1], end: $0[2], target: $0[3], value: $0[4], origin: $0[5],
        originDetail: $0[6], createdAt: $0[7], updatedAt: $0[8], localID: $0[9])
    }
    return HubSetContent(status: status, rows: rows)
  }

  /// Replaces one annotator's set on one document with this one, keeping the short ids of
  /// spans and notes (and never giving an id either version used again).
  func write(_ db: Database, document: Int64, annotator: Int64) throws {
    try Store.recordLocalIDs(db, documentID: DocumentID(document), annotatorID: annotator)
    try db.cachedStatement(sql: "DELETE FROM annotation WHERE documentId = ? AND annotatorId = ?")
      .execute(arguments: [document, annotator])
    try db.cachedStatement(
      sql: "DELETE FROM documentStatus WHERE documentId = ? AND annotatorId = ?"
    ).execute(arguments: [document, annotator])
    for row in rows {
      try db.cachedStatement(
        sql: """
          INSERT INTO annotation (documentId, annotatorId, kind, start, "end", target, value, origin, originDetail,
            createdAt, updatedAt, localId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [
        document, annotator, row.kind, row.start, row.end, row.target, row.value, row.origin,
        row.originDetail, row.createdAt, row.updatedAt, row.localID,
      ])
    }
    try db.cachedStatement(
      sql: """
        INSERT INTO localIdSequence (documentId, annotatorId, kind, last)
        SELECT documentId, annotatorId, kind, max(localId) FROM annotation
        WHERE documentId = ?1 AND annotatorId = ?2 AND localId IS NOT NULL GROUP BY kind
        ON CONFLICT (documentId, annotatorId, kind) DO UPDATE SET last = max(last, excluded.last)
        """
    ).execute(arguments: [document, annotator])
    if let status {
      try db.cachedStatement(
        sql: """
          INSERT INTO documentStatus (documentId, annotatorId, status, annotatedKinds, flagReason, updatedAt)
          VALUES (?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [
        document, annotator, status.status, status.kinds, status.flagReason, status.updatedAt,
      ])
    }
    try Store.fillSpanTexts(db, documentID: DocumentID(document))
  }
}
