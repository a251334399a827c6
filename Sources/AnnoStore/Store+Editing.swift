import AnnoCore
import GRDB

/// What an undo or redo did.
public struct Reversal: Hashable, Sendable {
  /// The summary of the change that was undone or redone.
  public var summary: String
  /// The document it concerned.
  public var documentExternalID: ExternalID?
  /// Newer steps passed over because they were made on an earlier text of their document.
  public var skipped: [Store.SkippedStep] = []
}

extension Store {
  /// Applies a command's edits to one document for one annotator, in one transaction, and
  /// appends them to the event log (which `undo` and `redo` replay).
  ///
  /// The annotator's status becomes `in_progress` on the first change to a document.
  ///
  /// - Parameters:
  ///   - textHash: the content hash of the text the edits were made on (the shell's open
  ///     document); they are refused if the stored text is another one by now.
  /// - Returns: the event id.
  /// - Throws: `StoreError.invalid` when an edit would duplicate an annotation or names one
  ///   that no longer exists, when the document's text is no longer `textHash`, or when
  ///   `annotator` is `gold` editing its own labels (the gold version is written by
  ///   adjudication and by reviewers on its behalf); nothing is written then.
  @discardableResult
  public func apply(
    _ edits: [Edit], to documentID: DocumentID, by annotator: String,
    onBehalfOf owner: String? = nil,
    madeOn textHash: String? = nil, summary: String
  ) throws -> Int64 {
    try apply(edits, to: documentID, by: annotator, onBehalfOf: owner, madeOn: textHash) { _ in
      summary
    }
  }

  /// `apply`, with the summary written once the new spans have their short ids.
  ///
  /// - Parameter summarize: the summary, from the short ids given to the entity spans the
  ///   edits add, in the edits' order.
  @discardableResult
  public func apply(
    _ edits: [Edit], to documentID: DocumentID, by annotator: String,
    onBehalfOf owner: String? = nil,
    madeOn textHash: String? = nil, summarize: ([LocalID]) -> String
  ) throws -> Int64 {
    if annotator == Store.goldAnnotator && owner == nil {
      throw StoreError.invalid(AnnotatorName.goldRefusal)
    }
    return try write { db in
      if let textHash { try Store.requireText(db, textHash, of: documentID) }
      return try Store.applyEdits(
        db, edits, to: documentID, by: annotator, onBehalfOf: owner, summarize: summarize)
    }
  }

  /// `apply`, inside a transaction the caller holds.
  @discardableResult
  static func applyEdits(
    _ db: Database, _ edits: [Edit], to documentID: DocumentID, by annotator: String,
    onBehalfOf owner: String?, summary: String
  ) throws -> Int64 {
    try applyEdits(db, edits, to: documentID, by: annotator, onBehalfOf: owner) { _ in summary }
  }

  /// `apply`, inside a transaction the caller holds, with the summary from the new spans' ids.
  @discardableResult
  static func applyEdits(
    _ db: Database, _ edits: [Edit], to documentID: DocumentID, by annotator: String,
    onBehalfOf owner: String?, summarize: ([LocalID]) -> String
  ) throws -> Int64 {
    do {
      let now = Store.now()
      let actorID = try Store.annotatorID(db, name: annotator, now: now)
      // The rows belong to the owner (the gold version, when a reviewer edits it); the event
      // belongs to whoever made the change, so their undo finds it.
      let annotatorID = try owner.map { try Store.annotatorID(db, name: $0, now: now) } ?? actorID
      // Editing someone else's labels (the gold version) is reviewing, not annotating.
      if owner != nil && owner != annotator {
        try db.cachedStatement(
          sql: "UPDATE annotator SET role = 'reviewer' WHERE id = ? AND role <> 'reviewer'"
        ).execute(arguments: [actorID])
      }
      var ops: [JSONValue] = []
      let before = try Store.status(db, documentID: documentID, annotatorID: annotatorID)
      var kinds = AnnotatedKinds(rawValue: before?.kinds ?? 0)
      var status = before?.status ?? .inProgress
      var flagReason = before?.flagReason
      if before?.status == .todo { status = .inProgress }
      var localIDs = LocalIDAllocator(documentID: documentID, annotatorID: annotatorID)
      var newSpanIDs: [LocalID] = []
      for edit in edits {
        switch edit {
        case .add(let kind, let range, let target, let value, let origin, let detail):
          let localID = kind.hasLocalID ? try localIDs.next(db, kind) : nil
          if kind == .entity, let localID { newSpanIDs.append(LocalID(localID)) }
          do {
            try db.execute(
              sql: """
                INSERT INTO annotation (documentId, annotatorId, kind, start, "end", target, value, origin, originDetail, createdAt, updatedAt, localId)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
              arguments: [
                documentID, annotatorID, kind.rawValue, range?.lowerBound, range?.upperBound,
                target, value, origin, detail,
                now, now, localID,
              ])
          } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError.invalid(
              "that \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) is already there")
          }
          let row = StoredAnnotation(
            id: db.lastInsertedRowID, kind: kind, range: range, target: target, value: value,
            origin: origin,
            originDetail: detail, localID: localID.map { LocalID($0) })
          ops.append(
            .object([
              "op": .string("insert"),
              "row": row.json(documentID: documentID, annotatorID: annotatorID),
            ]))
          kinds.insert(AnnotatedKinds(kind))
        case .remove(let id):
          guard
            let row = try Store.annotation(
              db, id: id, documentID: documentID, annotatorID: annotatorID)
          else {
            throw StoreError.invalid("annotation \(id) is not on this document any more")
          }
          if row.kind.hasLocalID { try localIDs.note(db, row.kind) }
          try db.execute(sql: "DELETE FROM annotation WHERE id = ?", arguments: [id])
          ops.append(
            .object([
              "op": .string("delete"),
              "row": row.json(documentID: documentID, annotatorID: annotatorID),
            ]))
        case .update(let id, let range, let value):
          guard
            let row = try Store.annotation(
              db, id: id, documentID: documentID, annotatorID: annotatorID)
          else {
            throw StoreError.invalid("annotation \(id) is not on this document any more")
          }
          var after = row
          after.range = range
          after.value = value
          do {
            try db.execute(
              sql:
                #"UPDATE annotation SET start = ?, "end" = ?, value = ?, updatedAt = ?, spanText = NULL WHERE id = ?"#,
              arguments: [range?.lowerBound, range?.upperBound, value, now, id])
          } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError.invalid("an identical \(row.kind.rawValue) is already there")
          }
          ops.append(
            .object([
              "op": .string("update"),
              "row": row.json(documentID: documentID, annotatorID: annotatorID),
              "after": after.json(documentID: documentID, annotatorID: annotatorID),
            ]))
        case .setStatus(let newStatus, let reason):
          status = newStatus
          flagReason = newStatus == .flagged ? reason : nil
          if newStatus == .done { kinds = .all }
        case .decide(let item, let value, let decidedBy):
          let before = try Store.decision(db, documentID: documentID, item: item)
          let after = GoldDecision(item: item, value: value, decidedBy: decidedBy, decidedAt: now)
          try Store.setDecision(db, after, documentID: documentID)
          ops.append(
            Store.decisionOp(documentID: documentID, item: item, before: before, after: after))
        case .rejectSuggestion(let range, let label):
          try db.execute(
            sql:
              #"INSERT OR IGNORE INTO rejectedSuggestion (documentId, annotatorId, start, "end", label) VALUES (?, ?, ?, ?, ?)"#,
            arguments: [documentID, annotatorID, range.lowerBound, range.upperBound, label])
          if db.changesCount > 0 {
            ops.append(
              Store.rejectionOp(
                "reject", documentID: documentID, annotatorID: annotatorID, range: range,
                label: label))
          }
        case .reopen(let item):
          let before = try Store.decision(db, documentID: documentID, item: item)
          guard before != nil else { continue }
          try Store.clearDecision(db, documentID: documentID, item: item)
          ops.append(
            Store.decisionOp(documentID: documentID, item: item, before: before, after: nil))
        }
      }
      try localIDs.save(db)
      let after = StatusState(status: status, kinds: kinds.rawValue, flagReason: flagReason)
      if before != after {
        try Store.setStatus(db, after, documentID: documentID, annotatorID: annotatorID, now: now)
        ops.append(
          .object([
            "op": .string("status"), "document": .int(documentID.rawValue),
            "annotator": .int(annotatorID),
            "before": before.json,
            "after": after.json,
          ]))
      }
      // The document's adjudication state changes with any decision, and with any change to
      // the labels or status of an annotator who finished it (or just did).
      if edits.contains(where: \.isDecision) || before?.status == .done || after.status == .done {
        try Store.refreshGoldProgress(db, documentID: documentID)
      }
      try Store.fillSpanTexts(db, documentID: documentID)
      return try Store.appendEvent(
        db, action: "change", annotatorID: actorID, documentID: documentID, reverts: nil,
        summary: summarize(newSpanIDs), ops: ops,
        now: now)
    }
  }

  /// Undoes the annotator's latest change that is not undone yet (across documents and
  /// sessions), recording the undo in the event log. Changes made on an earlier text of their
  /// document (before `import --replace`) are passed over and listed in the result.
  ///
  /// - Returns: what was undone, or `nil` when there is nothing to undo.
  /// - Throws: `StoreError.invalid` when the only steps left were made on earlier texts.
  public func undo(by annotator: String) throws -> Reversal? {
    try replayNewest(
      "undo", by: annotator,
      sql: """
        SELECT id, documentId, summary, payload, createdAt FROM event e
        WHERE annotatorId = ? AND action IN ('change', 'redo')
          AND NOT EXISTS (SELECT 1 FROM event u WHERE u.reverts = e.id AND u.action = 'undo')
        ORDER BY id DESC
        """, revertsColumn: "id", ops: { $0.reversed().map(Store.inverse) })
  }

  /// Redoes the annotator's latest undo, unless a new change came after it. Undone changes
  /// made on an earlier text of their document are passed over, as `undo` does.
  ///
  /// - Returns: what was redone, or `nil` when there is nothing to redo.
  /// - Throws: `StoreError.invalid` when the only steps left were made on earlier texts.
  public func redo(by annotator: String) throws -> Reversal? {
    // The undo, with the summary, payload and time of the change it undid (what is replayed).
    try replayNewest(
      "redo", by: annotator,
      sql: """
        SELECT u.id AS undoId, u.documentId, o.summary, o.payload, o.createdAt FROM event u
        JOIN event o ON o.id = u.reverts
        WHERE u.annotatorId = ? AND u.action = 'undo'
          AND NOT EXISTS (SELECT 1 FROM event r WHERE r.reverts = u.id AND r.action = 'redo')
          AND NOT EXISTS (SELECT 1 FROM event c WHERE c.annotatorId = u.annotatorId AND c.action = 'change' AND c.id > u.id)
        ORDER BY u.id DESC
        """, revertsColumn: "undoId", ops: { $0 })
  }

  /// Replays the newest step `sql` finds for the annotator (its payload's ops, through `ops`)
  /// and logs the replay as `action`, reverting the row in `revertsColumn`: what `undo` and
  /// `redo` share.
  private func replayNewest(
    _ action: String, by annotator: String, sql: String, revertsColumn: String,
    ops transform: @escaping ([JSONValue]) -> [JSONValue]
  ) throws -> Reversal? {
    try write { db in
      guard
        let annotatorID = try Int64.fetchOne(
          db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [annotator])
      else { return nil }
      let (found, skipped) = try Store.newestReplayable(db, sql: sql, arguments: [annotatorID])
      guard let step = found else {
        if skipped.isEmpty { return nil }
        throw Store.nothingReplayable(action, skipped: skipped)
      }
      let documentID: DocumentID? = step["documentId"]
      let ops = transform(try Store.ops(in: step["payload"]))
      try Store.replay(db, ops, annotatorID: annotatorID)
      let summary: String = step["summary"]
      try Store.appendEvent(
        db, action: action, annotatorID: annotatorID, documentID: documentID,
        reverts: step[revertsColumn], summary: summary, ops: ops, now: Store.now())
      return Reversal(
        summary: summary, documentExternalID: try Store.externalID(db, documentID: documentID),
        skipped: skipped)
    }
  }

  /// The annotator's recent events, newest first.
  public func history(of annotator: String, limit: Int) throws -> [HistoryEntry] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT e.id, e.action, e.summary, e.createdAt, d.externalId FROM event e
          JOIN annotator a ON a.id = e.annotatorId LEFT JOIN document d ON d.id = e.documentId
          WHERE a.name = ? ORDER BY e.id DESC LIMIT ?
          """, arguments: [annotator, limit]
      ).map {
        HistoryEntry(
          id: $0["id"], action: $0["action"], summary: $0["summary"],
          documentExternalID: $0["externalId"], time: $0["createdAt"])
      }
    }
  }

  // MARK: - Replaying operations

  static func ops(in payload: String) throws -> [JSONValue] {
    guard case .array(let ops)? = (try? JSONParser.parse(payload))?["ops"] else {
      throw StoreError.invalid("the event log holds an unreadable entry")
    }
    return ops
  }

  static func inverse(_ op: JSONValue) -> JSONValue {
    switch op["op"]?.stringValue {
    case "insert": return .object(["op": .string("delete"), "row": op["row"] ?? .null])
    case "delete": return .object(["op": .string("insert"), "row": op["row"] ?? .null])
    case "update":
      return .object([
        "op": .string("update"), "row": op["after"] ?? .null, "after": op["row"] ?? .null,
      ])
    case "reject":
      return .object((op.objectValue ?? [:]).merging(["op": .string("unreject")]) { _, new in new })
    case "unreject":
      return .object((op.objectValue ?? [:]).merging(["op": .string("reject")]) { _, new in new })
    case "decision":
      return .object([
        "op": .string("decision"), "document": op["document"] ?? .null, "item": op["item"] ?? .null,
        "before": op["after"] ?? .null, "after": op["before"] ?? .null,
      ])
    default:
      var inverse: [String: JSONValue] = [
        "op": .string("status"), "document": op["document"] ?? .null,
        "before": op["after"] ?? .null,
        "after": op["before"] ?? .null,
      ]
      if let annotator = op["annotator"] { inverse["annotator"] = annotator }
      return .object(inverse)
    }
  }

  /// Applies logged operations, checking that each finds the state it expects.
  static func replay(_ db: Database, _ ops: [JSONValue], annotatorID: Int64) throws {
    let conflict = StoreError.invalid(
      "cannot replay: the annotation was changed since; nothing was undone or redone")
    let now = Store.now()
    for op in ops {
      switch op["op"]?.stringValue {
      case "insert":
        guard let (row, documentID, owner) = op["row"].flatMap(StoredAnnotation.fromLogged) else {
          throw conflict
        }
        let annotatorID = owner ?? annotatorID
        // The row comes back with the short id it had (one logged before short ids existed
        // gets a new one).
        var localID = row.localID?.rawValue
        if row.kind.hasLocalID {
          var localIDs = LocalIDAllocator(documentID: documentID, annotatorID: annotatorID)
          if let localID {
            guard try !Store.localIDIsTaken(db, localID, of: row.kind, documentID, annotatorID)
            else { throw conflict }
            try localIDs.note(db, row.kind, id: localID)
          } else {
            localID = try localIDs.next(db, row.kind)
          }
          try localIDs.save(db)
        }
        do {
          try db.execute(
            sql: """
              INSERT INTO annotation (id, documentId, annotatorId, kind, start, "end", target, value, origin, originDetail, createdAt, updatedAt, localId)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              """,
            arguments: [
              row.id, documentID, annotatorID, row.kind.rawValue, row.range?.lowerBound,
              row.range?.upperBound, row.target,
              row.value, row.origin, row.originDetail, now, now, localID,
            ])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
          throw conflict
        }
      case "delete":
        guard let (row, documentID, owner) = op["row"].flatMap(StoredAnnotation.fromLogged) else {
          throw conflict
        }
        if row.kind.hasLocalID {
          var localIDs = LocalIDAllocator(
            documentID: documentID, annotatorID: owner ?? annotatorID)
          try localIDs.note(db, row.kind)
          try localIDs.save(db)
        }
        try db.execute(sql: "DELETE FROM annotation WHERE id = ?", arguments: [row.id])
        guard db.changesCount == 1 else { throw conflict }
      case "update":
        guard let (row, _) = op["row"].flatMap(StoredAnnotation.from(json:)),
          let (after, _) = op["after"].flatMap(StoredAnnotation.from(json:))
        else { throw conflict }
        try db.execute(
          sql:
            #"UPDATE annotation SET start = ?, "end" = ?, value = ?, updatedAt = ?, spanText = NULL WHERE id = ?"#,
          arguments: [after.range?.lowerBound, after.range?.upperBound, after.value, now, row.id])
        guard db.changesCount == 1 else { throw conflict }
      case "status":
        guard let documentID = op["document"]?.intValue else { throw conflict }
        let annotatorID = op["annotator"]?.intValue.map(Int64.init) ?? annotatorID
        if let state = StatusState(json: op["after"]) {
          try setStatus(
            db, state, documentID: DocumentID(Int64(documentID)), annotatorID: annotatorID, now: now
          )
        } else {
          try db.execute(
            sql: "DELETE FROM documentStatus WHERE documentId = ? AND annotatorId = ?",
            arguments: [documentID, annotatorID])
        }
      case "reject", "unreject":
        guard let documentID = op["document"]?.intValue, let owner = op["annotator"]?.intValue,
          let start = op["start"]?.intValue, let end = op["end"]?.intValue,
          let label = op["label"]?.stringValue
        else { throw conflict }
        if op["op"]?.stringValue == "reject" {
          try db.execute(
            sql:
              #"INSERT OR IGNORE INTO rejectedSuggestion (documentId, annotatorId, start, "end", label) VALUES (?, ?, ?, ?, ?)"#,
            arguments: [documentID, owner, start, end, label])
        } else {
          try db.execute(
            sql:
              #"DELETE FROM rejectedSuggestion WHERE documentId = ? AND annotatorId = ? AND start = ? AND "end" = ? AND label = ?"#,
            arguments: [documentID, owner, start, end, label])
        }
      case "decision":
        guard let documentID = op["document"]?.intValue.map({ DocumentID(Int64($0)) }),
          let item = op["item"]?.stringValue
        else {
          throw conflict
        }
        if let after = GoldDecision(item: item, json: op["after"]) {
          try setDecision(db, after, documentID: documentID)
        } else {
          try clearDecision(db, documentID: documentID, item: item)
        }
      default:
        throw conflict
      }
      if let documentID = op["row"]?["document"]?.intValue {
        try fillSpanTexts(db, documentID: DocumentID(Int64(documentID)))
      }
    }
    // Undoing or redoing a change keeps the adjudication state of its documents current.
    var touched: Set<DocumentID> = []
    for op in ops {
      if let id = op["document"]?.intValue ?? op["row"]?["document"]?.intValue {
        touched.insert(DocumentID(Int64(id)))
      }
    }
    for documentID in touched.sorted() { try refreshGoldProgress(db, documentID: documentID) }
  }

}
