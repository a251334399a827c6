import AnnoCore
import GRDB

/// An annotator's status on a document, as logged before and after a change.
struct StatusState: Hashable {
  var status: DocumentStatus
  var kinds: Int
  var flagReason: String?

  init(status: DocumentStatus, kinds: Int, flagReason: String?) {
    self.status = status
    self.kinds = kinds
    self.flagReason = flagReason
  }

  init?(json: JSONValue?) {
    guard let json, let status = json["status"]?.stringValue.flatMap(DocumentStatus.init(rawValue:))
    else { return nil }
    self.init(
      status: status, kinds: json["kinds"]?.intValue ?? 0,
      flagReason: json["flag_reason"]?.stringValue)
  }

  var json: JSONValue {
    var object: [String: JSONValue] = [
      "status": .string(status.rawValue), "kinds": .int(Int64(kinds)),
    ]
    if let flagReason { object["flag_reason"] = .string(flagReason) }
    return .object(object)
  }
}

extension Optional where Wrapped == StatusState {
  /// `null` for "no status row", as logged.
  var json: JSONValue { self?.json ?? .null }
}

extension AnnotatedKinds {
  /// The list kind an annotation kind belongs to (none for document sentiment).
  init(_ kind: AnnotationKind) {
    switch kind {
    case .entity: self = .entities
    case .spanSentiment: self = .spanSentiments
    case .stance: self = .stances
    case .note: self = .notes
    case .label, .noValue: self = .labels
    case .choice: self = .labelSets
    case .sentiment: self = []
    }
  }
}

extension Store {
  static func status(_ db: Database, documentID: DocumentID, annotatorID: Int64) throws
    -> StatusState?
  {
    try Row.fetchOne(
      db.cachedStatement(
        sql:
          "SELECT status, annotatedKinds, flagReason FROM documentStatus WHERE documentId = ? AND annotatorId = ?"
      ),
      arguments: [documentID, annotatorID]
    ).flatMap { row in
      DocumentStatus(rawValue: row["status"]).map {
        StatusState(status: $0, kinds: row["annotatedKinds"], flagReason: row["flagReason"])
      }
    }
  }

  static func setStatus(
    _ db: Database, _ state: StatusState, documentID: DocumentID, annotatorID: Int64, now: Double
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO documentStatus (documentId, annotatorId, status, annotatedKinds, flagReason, updatedAt)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (documentId, annotatorId) DO UPDATE SET status = excluded.status,
          annotatedKinds = excluded.annotatedKinds, flagReason = excluded.flagReason, updatedAt = excluded.updatedAt
        """
    ).execute(arguments: [
      documentID, annotatorID, state.status.rawValue, state.kinds, state.flagReason, now,
    ])
  }

  static func annotation(_ db: Database, id: Int64, documentID: DocumentID, annotatorID: Int64)
    throws
    -> StoredAnnotation?
  {
    try Row.fetchOne(
      db.cachedStatement(
        sql: "SELECT * FROM annotation WHERE id = ? AND documentId = ? AND annotatorId = ?"),
      arguments: [id, documentID, annotatorID]
    ).flatMap(StoredAnnotation.init(row:))
  }

  @discardableResult
  static func appendEvent(
    _ db: Database, action: String, annotatorID: Int64?, documentID: DocumentID?, reverts: Int64?,
    summary: String,
    ops: [JSONValue], now: Double
  ) throws -> Int64 {
    // The text the edit was made on, so that it is never replayed onto another one.
    var payload: [String: JSONValue] = ["ops": .array(ops)]
    if let documentID, let version = try textVersion(db, documentID: documentID) {
      payload[textHashKey] = .string(version.hash)
    }
    try db.cachedStatement(
      sql: """
        INSERT INTO event (annotatorId, documentId, action, reverts, summary, payload, createdAt)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      annotatorID, documentID, action, reverts, summary,
      JSONWriter.string(for: .object(payload)), now,
    ])
    return db.lastInsertedRowID
  }

  static func externalID(_ db: Database, documentID: DocumentID?) throws -> ExternalID? {
    guard let documentID else { return nil }
    return try ExternalID.fetchOne(
      db, sql: "SELECT externalId FROM document WHERE id = ?", arguments: [documentID])
  }
}
