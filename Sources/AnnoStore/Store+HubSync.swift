import AnnoCore
import Foundation
import GRDB

extension Store {
  /// This database's hub state.
  public func hubSyncState() throws -> HubSyncState {
    try read { db in try Store.hubSyncState(db) }
  }

  static func hubSyncState(_ db: Database) throws -> HubSyncState {
    guard let row = try GRDB.Row.fetchOne(db, sql: "SELECT * FROM hubSync WHERE id = 1") else {
      throw StoreError.database("the hubSync row is missing; run 'anno check'")
    }
    return HubSyncState(
      origin: row["origin"], hubURL: row["hubURL"], member: row["member"],
      pushedEvent: row["pushedEvent"], pushedDecisionAt: row["pushedDecisionAt"],
      pulledDocument: row["pulledDocument"], pulledRevision: row["pulledRevision"],
      lastSync: row["lastSync"])
  }

  /// Remembers the hub and member this database syncs with. Another hub or member than the
  /// one remembered starts over: every cursor back to the beginning, every set unexchanged
  /// (the hub's upserts make sending again harmless).
  ///
  /// - Throws: `StoreError.invalid` for a URL that holds a password (passwords come from
  ///   `~/.pgpass` or `PGPASSWORD`, never from this file).
  /// - Returns: whether the hub or member changed.
  @discardableResult
  public func rememberHub(url: String, member: String) throws -> Bool {
    if let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
      url[scheme.upperBound..<at].contains(":")
    {
      throw StoreError.invalid(
        "the hub URL holds a password; put it in ~/.pgpass or PGPASSWORD, not in the URL that is remembered"
      )
    }
    return try write { db in
      let state = try Store.hubSyncState(db)
      guard state.hubURL != url || state.member != member else { return false }
      try db.execute(
        sql: """
          UPDATE hubSync SET hubURL = ?, member = ?, pushedEvent = 0, pushedDecisionAt = 0, pulledDocument = 0,
            pulledRevision = 0, lastSync = NULL WHERE id = 1
          """, arguments: [url, member])
      try db.execute(sql: "DELETE FROM hubSet")
      return true
    }
  }

  /// Gives this database a new origin, for a database whose origin another database (a copy)
  /// or another member already used on the hub: `member`'s events the hub holds (up to the
  /// push cursor) keep their global ids under the old origin; the events not pushed yet are
  /// pushed under the new one.
  ///
  /// - Returns: the new origin.
  @discardableResult
  public func takeNewOrigin(member: String) throws -> String {
    try write { db in
      let state = try Store.hubSyncState(db)
      let origin = UUID().uuidString.lowercased()
      try db.execute(
        sql: """
          UPDATE event SET origin = ?, sequence = id
          WHERE origin IS NULL AND id <= ? AND annotatorId = (SELECT id FROM annotator WHERE name = ?)
          """, arguments: [state.origin.lowercased(), state.pushedEvent, member])
      try db.execute(sql: "UPDATE hubSync SET origin = ? WHERE id = 1", arguments: [origin])
      return origin
    }
  }

  /// Records that the hub has every local event up to `event` (after the hub's transaction
  /// committed). Cursors only move forward.
  public func recordPushedEvents(through event: Int64) throws {
    try write { db in
      try db.execute(
        sql: "UPDATE hubSync SET pushedEvent = max(pushedEvent, ?) WHERE id = 1", arguments: [event]
      )
    }
  }

  /// Records that the hub has the gold decisions made here up to `time`.
  public func recordPushedDecisions(through time: Double) throws {
    try write { db in
      try db.execute(
        sql: "UPDATE hubSync SET pushedDecisionAt = max(pushedDecisionAt, ?) WHERE id = 1",
        arguments: [time])
    }
  }

  /// Records the end of a sync.
  public func recordSyncFinished() throws {
    try write { db in
      try db.execute(sql: "UPDATE hubSync SET lastSync = ? WHERE id = 1", arguments: [Store.now()])
    }
  }

  // MARK: Push

  /// How many local events come after event `after` (an upper bound of what a push sends).
  public func hubEventCount(after: Int64) throws -> Int {
    try read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE id > ?", arguments: [after]) ?? 0
    }
  }

  /// The next batch of events made here by `member` after local event `after`, oldest first,
  /// with the id of the last event looked at (events of others, and events pulled from the
  /// hub, are passed over: the hub takes only a member's own events).
  public func hubEventsToPush(member: String, after: Int64, limit: Int) throws -> (
    events: [HubEvent], last: Int64
  ) {
    try read { db in
      let origin = try Store.hubSyncState(db).origin
      var events: [HubEvent] = []
      var last = after
      let rows = try GRDB.Row.fetchCursor(
        db,
        sql: """
          SELECT e.id, e.origin, a.name, d.externalId, e.action, e.summary, e.payload, e.createdAt
          FROM event e LEFT JOIN annotator a ON a.id = e.annotatorId LEFT JOIN document d ON d.id = e.documentId
          WHERE e.id > ? ORDER BY e.id LIMIT ?
          """, arguments: [after, limit])
      while let row = try rows.next() {
        last = row[0]
        guard row[1] as String? == nil, row[2] as String? == member else { continue }
        events.append(
          HubEvent(
            origin: origin, sequence: row[0], annotator: row[2], documentExternalID: row[3],
            action: row[4], summary: row[5], payload: row[6], createdAt: row[7]))
      }
      return (events, last)
    }
  }

  /// The next batch of `annotators`' sets that differ from the version last exchanged with the
  /// hub, in document order from local document id `after`, with the last document id looked
  /// at (`nil` once every set was looked at).
  public func hubSetsToPush(annotators: [String], after: Int64, limit: Int) throws -> (
    sets: [HubAnnotationSet], next: Int64?
  ) {
    try read { db in
      var sets: [HubAnnotationSet] = []
      let ids = try annotators.compactMap { name in
        try Int64.fetchOne(db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [name])
          .map { ($0, name) }
      }
      guard !ids.isEmpty else { return ([], nil) }
      let names = Dictionary(uniqueKeysWithValues: ids)
      let list = ids.map { String($0.0) }.joined(separator: ", ")
      let pairs = try GRDB.Row.fetchCursor(
        db,
        sql: """
          SELECT s.documentId, s.annotatorId, d.externalId, h.canonical FROM (
            SELECT documentId, annotatorId FROM documentStatus WHERE annotatorId IN (\(list)) AND documentId > ?1
            UNION SELECT documentId, annotatorId FROM annotation WHERE annotatorId IN (\(list)) AND documentId > ?1) s
          JOIN document d ON d.id = s.documentId
          LEFT JOIN hubSet h ON h.documentId = s.documentId AND h.annotatorId = s.annotatorId
          ORDER BY s.documentId, s.annotatorId
          """, arguments: [after])
      var lastDocument = after
      while let pair = try pairs.next() {
        let document: Int64 = pair[0]
        // A batch ends between documents, so the next one starts after a whole document.
        if sets.count >= limit && document != lastDocument { return (sets, lastDocument) }
        lastDocument = document
        let annotator: Int64 = pair[1]
        let content = try HubSetContent.read(db, document: document, annotator: annotator)
        let canonical = content.state.canonical
        guard canonical != pair[3] as String? else { continue }
        let latest = try SetState.latestChange(
          db, "main", document: document, annotator: annotator)
        sets.append(
          HubAnnotationSet(
            documentExternalID: pair[2], annotator: names[annotator] ?? "?", content: content,
            latestChange: latest))
      }
      return (sets, nil)
    }
  }

  /// Records that the hub has these versions of the sets (after the hub's transaction
  /// committed): they are not sent again until they change.
  ///
  /// `replaced` holds the versions the hub held before, where it held one. One that is
  /// neither the version pushed nor the one last exchanged from here was made by the same
  /// annotator on another machine: a conflict, settled for the version pushed (the hub took it
  /// as the newer), listed, and the version not kept is logged in an `import` event (summary
  /// `sync HUB`), as `merge` logs it.
  @discardableResult
  public func recordPushedSets(
    _ sets: [HubAnnotationSet], replacing replaced: [HubAnnotationSet] = [], hub: String = ""
  ) throws -> [MergeConflict] {
    let held = Dictionary(
      replaced.map { ("\($0.documentExternalID)\u{0}\($0.annotator)", $0) },
      uniquingKeysWith: { a, _ in a })
    return try write { db in
      var conflicts: [(MergeConflict, SetState)] = []
      for set in sets {
        if let before = held["\(set.documentExternalID)\u{0}\(set.annotator)"],
          before.canonical != set.canonical
        {
          let exchanged = try String.fetchOne(
            db.cachedStatement(
              sql: """
                SELECT h.canonical FROM hubSet h JOIN document d ON d.id = h.documentId
                JOIN annotator a ON a.id = h.annotatorId WHERE d.externalId = ? AND a.name = ?
                """), arguments: [set.documentExternalID, set.annotator])
          if exchanged != before.canonical {
            let state = try HubSetContent(
              json: before.annotations, document: set.documentExternalID
            )
            .state
            conflicts.append(
              (
                MergeConflict(
                  document: ExternalID(set.documentExternalID), annotator: set.annotator,
                  winner: .ours,
                  oursLatest: set.latestChange, theirsLatest: before.latestChange), state
              ))
          }
        }
        try Store.recordExchanged(
          db, documentExternalID: set.documentExternalID, annotator: set.annotator,
          canonical: set.canonical, latestChange: set.latestChange)
      }
      try Store.logSyncConflicts(db, conflicts, hub: hub)
      return conflicts.map(\.0)
    }
  }

  /// Logs settled conflicts with the version not kept (`dropped`), in one `import` event.
  fileprivate static func logSyncConflicts(
    _ db: Database, _ conflicts: [(conflict: MergeConflict, dropped: SetState)], hub: String
  ) throws {
    guard !conflicts.isEmpty else { return }
    let entries: [JSONValue] = conflicts.map { conflict, dropped in
      .object([
        "document": .string(conflict.document.rawValue), "annotator": .string(conflict.annotator),
        "kept": .string(conflict.winner.rawValue), "ours_latest": .double(conflict.oursLatest),
        "theirs_latest": .double(conflict.theirsLatest),
        "dropped_status": dropped.status.map(JSONValue.string) ?? .null,
        "dropped_rows": .array(dropped.rows.map(JSONValue.string)),
      ])
    }
    try db.execute(
      sql: "INSERT INTO event (action, summary, payload, createdAt) VALUES ('import', ?, ?, ?)",
      arguments: [
        "sync \(hub)",
        JSONWriter.string(for: .object(["sync": .string(hub), "conflicts": .array(entries)])),
        Store.now(),
      ])
  }

  private static func recordExchanged(
    _ db: Database, documentExternalID: String, annotator: String, canonical: String,
    latestChange: Double
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO hubSet (documentId, annotatorId, canonical, latestChange)
        SELECT d.id, a.id, ?3, ?4 FROM document d, annotator a WHERE d.externalId = ?1 AND a.name = ?2
        ON CONFLICT (documentId, annotatorId) DO UPDATE SET canonical = excluded.canonical,
          latestChange = excluded.latestChange
        """
    ).execute(arguments: [documentExternalID, annotator, canonical, latestChange])
  }

  /// The gold decisions made here at or after `since`, oldest first, at most `limit` of them
  /// after the first `offset`.
  public func hubDecisionsToPush(since: Double, offset: Int, limit: Int) throws -> [HubDecision] {
    try read { db in
      try GRDB.Row.fetchAll(
        db,
        sql: """
          SELECT d.externalId, g.item, g.value, g.decidedBy, g.decidedAt FROM goldDecision g
          JOIN document d ON d.id = g.documentId WHERE g.decidedAt >= ?
          ORDER BY g.decidedAt, g.documentId, g.item LIMIT ? OFFSET ?
          """, arguments: [since, limit, offset]
      ).map {
        HubDecision(
          documentExternalID: $0[0],
          decision: GoldDecision(item: $0[1], value: $0[2], decidedBy: $0[3], decidedAt: $0[4]))
      }
    }
  }

  // MARK: Pull

  /// Adds the hub's documents this database lacks, and moves the document cursor to the
  /// batch's last one, in one transaction. A document held here with the same text is left
  /// as it is; one with another text is listed and left as it is here.
  public func applyHubDocuments(_ documents: [HubDocument]) throws -> HubPullSummary {
    try write { db in
      var summary = HubPullSummary()
      let now = Store.now()
      for document in documents {
        if let text = try String.fetchOne(
          db.cachedStatement(sql: "SELECT text FROM document WHERE externalId = ?"),
          arguments: [document.externalID])
        {
          if text == document.text {
            summary.documentsPresent += 1
          } else {
            summary.documentConflicts.append(document.externalID)
          }
          continue
        }
        try db.cachedStatement(
          sql: """
            INSERT INTO document (externalId, text, title, source, meta, contentHash, length, tokens, importedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).execute(arguments: [
          document.externalID, document.text, document.title, document.source, document.meta,
          document.contentHash, Document.scalarCount(of: document.text),
          document.tokens.map { Data($0) }, now,
        ])
        summary.documentsAdded += 1
      }
      if let last = documents.map(\.hubID).max() {
        try db.execute(
          sql: "UPDATE hubSync SET pulledDocument = max(pulledDocument, ?) WHERE id = 1",
          arguments: [last])
      }
      return summary
    }
  }

  /// Takes the hub's schema and guidelines when they differ from this database's.
  ///
  /// - Returns: whether anything changed.
  /// - Throws: what ``loadSchema(yaml:file:sourcePath:guidelines:)`` throws.
  public func applyHubSchema(yaml: String, guidelines: [String: String]) throws -> Bool {
    guard try schemaYAML() != yaml || guidelineFiles() != guidelines else { return false }
    _ = try loadSchema(yaml: yaml, file: "schema.yaml", sourcePath: nil, guidelines: guidelines)
    return true
  }

  /// Makes the queues of the annotators named in `assignments`, and `member`'s own, those the
  /// hub holds, in one transaction (assignments of documents this database lacks are left out).
  public func replaceHubAssignments(_ assignments: [HubAssignment], member: String) throws -> Int {
    try write { db in
      let now = Store.now()
      var annotators: [String: Int64] = [:]
      for name in Set(assignments.map(\.annotator)).union([member]) {
        annotators[name] = try Store.annotatorID(db, name: name, now: now)
      }
      for id in annotators.values {
        try db.execute(sql: "DELETE FROM assignment WHERE annotatorId = ?", arguments: [id])
      }
      var written = 0
      for assignment in assignments {
        guard
          let document = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM document WHERE externalId = ?"),
            arguments: [assignment.documentExternalID]),
          let annotator = annotators[assignment.annotator]
        else { continue }
        try db.cachedStatement(
          sql:
            "INSERT INTO assignment (documentId, annotatorId, position, kind) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [document, annotator, assignment.position, assignment.kind])
        written += 1
      }
      return written
    }
  }

  /// The study's assignment rule as one JSON object of its stored columns (`nil` without a
  /// study), for the hub's `assignment.rule` setting.
  public func hubAssignmentRule() throws -> String? {
    try read { db in
      try String.fetchOne(
        db,
        sql: """
          SELECT json_object('annotators', json(annotators), 'perDocument', perDocument, 'overlap', overlap,
            'perOverlapDocument', perOverlapDocument, 'seed', seed, 'documentPattern', documentPattern,
            'goldRate', goldRate, 'documents', documents, 'overlapDocuments', overlapDocuments,
            'generatorState', generatorState, 'createdAt', createdAt)
          FROM assignmentRule WHERE id = 1
          """)
    }
  }

  /// Makes the study's assignment rule the hub's (`json` from ``hubAssignmentRule()``): the
  /// study report and queues then read the rule the hub's assignments were made by.
  ///
  /// - Throws: `StoreError.invalid` for JSON that is not a rule.
  public func applyHubAssignmentRule(_ json: String) throws {
    try write { db in
      do {
        try db.execute(
          sql: """
            INSERT OR REPLACE INTO assignmentRule (id, annotators, perDocument, overlap, perOverlapDocument, seed,
              documentPattern, goldRate, documents, overlapDocuments, generatorState, createdAt)
            SELECT 1, json_extract(j, '$.annotators'), json_extract(j, '$.perDocument'),
              json_extract(j, '$.overlap'), json_extract(j, '$.perOverlapDocument'), json_extract(j, '$.seed'),
              json_extract(j, '$.documentPattern'), json_extract(j, '$.goldRate'), json_extract(j, '$.documents'),
              json_extract(j, '$.overlapDocuments'), json_extract(j, '$.generatorState'),
              json_extract(j, '$.createdAt')
            FROM (SELECT ? AS j)
            """, arguments: [json])
      } catch let error as DatabaseError {
        throw StoreError.invalid(
          "the hub's assignment rule is not one: \(error.message ?? "\(error)")")
      }
    }
  }

  /// Applies one batch of the hub's annotation sets, events and gold decisions, and moves the
  /// revision cursor to `revision`, in one transaction. Applying the same batch again changes
  /// nothing.
  ///
  /// - A set this database lacks is added; a set that differs is settled as `merge` settles
  ///   one annotator's two versions (the newer latest change wins, a tie goes to the greater
  ///   form) and listed as a conflict when the hub's version is not the one last exchanged.
  ///   When conflicts were settled, an `import` event (summary `sync HUB`) keeps every
  ///   version not kept.
  /// - Events keep their global id and their author's name, without an annotator (undo and
  ///   redo never replay them); events already here are passed over.
  /// - A gold decision replaces this database's when it is later (merge's rule).
  public func applyHubBatch(
    sets: [HubAnnotationSet], events: [HubEvent], decisions: [HubDecision], revision: Int64,
    hub: String
  ) throws -> HubPullSummary {
    try write { db in
      var summary = HubPullSummary()
      let now = Store.now()
      let origin = try Store.hubSyncState(db).origin
      var touched = Set<Int64>()
      var losers: [(MergeConflict, SetState)] = []
      for set in sets {
        guard
          let document = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM document WHERE externalId = ?"),
            arguments: [set.documentExternalID])
        else {
          summary.setsWithoutDocument += 1
          continue
        }
        let annotator = try Store.annotatorID(db, name: set.annotator, now: now)
        let theirs = try HubSetContent(json: set.annotations, document: set.documentExternalID)
        let ours = try HubSetContent.read(db, document: document, annotator: annotator)
        let (oursState, theirsState) = (ours.state, theirs.state)
        let exchanged = try GRDB.Row.fetchOne(
          db.cachedStatement(
            sql:
              "SELECT canonical, latestChange FROM hubSet WHERE documentId = ? AND annotatorId = ?"
          ), arguments: [document, annotator])
        if oursState == theirsState {
          summary.setsUnchanged += 1
        } else if oursState.isEmpty {
          try theirs.write(db, document: document, annotator: annotator)
          summary.setsAdded += 1
          touched.insert(document)
        } else {
          // This database's latest change counts the time the hub gave the version it holds
          // when that is still the version here (a deletion leaves no row with its time).
          var oursLatest = try SetState.latestChange(
            db, "main", document: document, annotator: annotator)
          if let exchanged, exchanged["canonical"] == oursState.canonical {
            oursLatest = max(oursLatest, exchanged["latestChange"])
          }
          let theirsWin = SetState.theirsWin(
            ours: oursState, oursLatest: oursLatest, theirs: theirsState,
            theirsLatest: set.latestChange)
          // Ours is only a conflict when it changed since the last exchange: otherwise the
          // hub's is simply the newer version.
          let oursChanged = exchanged?["canonical"] != oursState.canonical
          if oursChanged {
            let conflict = MergeConflict(
              document: ExternalID(set.documentExternalID), annotator: set.annotator,
              winner: theirsWin ? .theirs : .ours, oursLatest: oursLatest,
              theirsLatest: set.latestChange)
            summary.conflicts.append(conflict)
            losers.append((conflict, theirsWin ? oursState : theirsState))
          }
          guard theirsWin else { continue }
          try theirs.write(db, document: document, annotator: annotator)
          summary.setsReplaced += 1
          touched.insert(document)
        }
        try Store.recordExchanged(
          db, documentExternalID: set.documentExternalID, annotator: set.annotator,
          canonical: theirsState.canonical, latestChange: set.latestChange)
      }
      for event in events {
        if event.origin.lowercased() == origin.lowercased() {
          summary.eventsPresent += 1
          continue
        }
        let present =
          try Bool.fetchOne(
            db.cachedStatement(
              sql: "SELECT EXISTS (SELECT 1 FROM event WHERE origin = ? AND sequence = ?)"),
            arguments: [event.origin.lowercased(), event.sequence]) ?? false
        if present {
          summary.eventsPresent += 1
          continue
        }
        let document = try event.documentExternalID.flatMap {
          try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM document WHERE externalId = ?"),
            arguments: [$0])
        }
        try db.cachedStatement(
          sql: """
            INSERT INTO event (annotatorId, documentId, action, reverts, summary, payload, createdAt, origin, sequence,
              author) VALUES (NULL, ?, ?, NULL, ?, ?, ?, ?, ?, ?)
            """
        ).execute(arguments: [
          document, event.action, event.summary, event.payload, event.createdAt,
          event.origin.lowercased(), event.sequence, event.annotator,
        ])
        summary.eventsAdded += 1
      }
      for incoming in decisions {
        guard
          let document = try DocumentID.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM document WHERE externalId = ?"),
            arguments: [incoming.documentExternalID])
        else { continue }
        let ours = try Store.decision(db, documentID: document, item: incoming.decision.item)
        if let ours {
          guard ours != incoming.decision, HubDecision.theirsWin(incoming.decision, over: ours)
          else { continue }
          summary.decisionsReplaced += 1
        } else {
          summary.decisionsAdded += 1
        }
        try Store.setDecision(db, incoming.decision, documentID: document)
        touched.insert(document.rawValue)
      }
      for document in touched.sorted() {
        try Store.refreshGoldProgress(db, documentID: DocumentID(document))
      }
      try Store.logSyncConflicts(db, losers, hub: hub)
      try db.execute(
        sql: "UPDATE hubSync SET pulledRevision = max(pulledRevision, ?) WHERE id = 1",
        arguments: [revision])
      return summary
    }
  }
}
