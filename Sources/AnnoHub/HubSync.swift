import AnnoCore
import AnnoStore
import Foundation
import PostgresNIO

/// What one `anno sync` did.
public struct HubSyncSummary: Sendable {
  /// The hub, without its password.
  public var hub: String
  /// The member this database synced as.
  public var member: String
  public var eventsPushed = 0
  public var setsPushed = 0
  /// Sets the hub kept its own (newer) version of; that version was pulled.
  public var setsRefused = 0
  /// Sets of documents the hub does not hold (or the member may not see): not pushed.
  public var setsWithoutDocument = 0
  public var decisionsPushed = 0
  /// Whether this database took a new origin (it was copied from another that synced).
  public var tookNewOrigin = false
  /// What pulling did.
  public var pulled = HubPullSummary()

  /// Creates an empty summary.
  public init(hub: String, member: String) {
    self.hub = hub
    self.member = member
  }
}

/// Why a push stops short, inside a sync.
enum HubSyncFailure: Error, LocalizedError {
  /// The hub holds other events under this database's event ids.
  case originShared

  var errorDescription: String? {
    "the hub holds other events under this database's event ids even after it took a new origin; nothing of the batch was stored, run 'anno sync' again"
  }
}

/// Progress of a sync, reported per batch: the step and how much of it is done.
public struct HubSyncProgress: Sendable {
  /// `push events`, `push sets`, `pull documents`, `pull`.
  public var step: String
  public var done: Int
  public var total: Int
}

/// Syncs one local database with a hub, as the member the connection logs in as: pushes the
/// member's own events, annotation sets and (reviewers) gold decisions in batches, then pulls
/// the schema, new documents, assignments, and the sets, events and decisions the member may
/// see (the server's row-level security decides).
///
/// Every batch is one hub transaction; a local cursor moves only after its transaction
/// committed, and pulled batches are applied with their cursor in one local transaction. So a
/// sync interrupted anywhere is finished by running it again, and nothing is stored twice.
public struct HubSync: Sendable {
  public let store: Store
  public let hub: HubConnection
  /// Rows per batch.
  public var batchSize = 500

  /// A sync of `store` through `hub`.
  public init(store: Store, hub: HubConnection) {
    self.store = store
    self.hub = hub
  }

  /// The member the connection logs in as.
  ///
  /// - Throws: `HubError.invalid` when the login is not a member of the hub.
  public func member() async throws(HubError) -> String {
    let row = try await hub.query("SELECT anno.current_member()").first
    guard let name = try row?.decode(String?.self, what: "member") else {
      throw .invalid(
        "'\(hub.url.user)' is not a member of hub \(hub.url); a hub administrator adds members with 'anno hub add-member'"
      )
    }
    return name
  }

  /// Pushes, then pulls. `progress` is called after every batch.
  public func run(progress: @Sendable (HubSyncProgress) async -> Void = { _ in }) async throws
    -> HubSyncSummary
  {
    let member = try await member()
    let roleRow = try await hub.query("SELECT anno.current_role_kind()").first
    let role = try roleRow?.decode(String?.self, what: "role") ?? "annotator"
    try store.rememberHub(url: hub.url.description, member: member)
    var summary = HubSyncSummary(hub: hub.url.description, member: member)
    let owners = role == "annotator" ? [member] : [member, Store.goldAnnotator]
    if try await !claimOrigin() {
      // Another member synced from a copy of this database first: its event ids are theirs.
      try store.takeNewOrigin(member: member)
      summary.tookNewOrigin = true
      guard try await claimOrigin() else {
        throw HubError.invalid("the hub refused this database's new origin; run 'anno sync' again")
      }
    }
    do {
      try await pushEvents(member: member, into: &summary, progress: progress)
    } catch HubSyncFailure.originShared {
      // A copy of this database, synced as the same member, pushed other events under the
      // same ids first: the events not pushed from here go under a new origin.
      try store.takeNewOrigin(member: member)
      summary.tookNewOrigin = true
      guard try await claimOrigin() else {
        throw HubError.invalid("the hub refused this database's new origin; run 'anno sync' again")
      }
      try await pushEvents(member: member, into: &summary, progress: progress)
    }
    try await pushSets(owners: owners, into: &summary, progress: progress)
    if role != "annotator" { try await pushDecisions(into: &summary) }
    try await pullSchema(into: &summary)
    try await pullDocuments(into: &summary, progress: progress)
    try await pullAssignments(member: member, into: &summary)
    try await pullRevisions(into: &summary, progress: progress)
    let origin = try store.hubSyncState().origin
    try await hub.query(
      """
      INSERT INTO anno.sync_log (member, origin, last_push, last_pull, pushed_events)
      VALUES (anno.current_member(), \(origin)::uuid, now(), now(), \(Int64(summary.eventsPushed)))
      ON CONFLICT (member, origin) DO UPDATE SET last_push = now(), last_pull = now(),
        pushed_events = anno.sync_log.pushed_events + excluded.pushed_events
      """)
    try store.recordSyncFinished()
    return summary
  }

  /// Pulls everything the login may see into `store` (a new database) without pushing or
  /// recording a sync: the manager views (`agree --hub`, `report study --hub`, `export
  /// --hub`) read this copy, streamed in batches to disk.
  public func pullAll(progress: @Sendable (HubSyncProgress) async -> Void = { _ in }) async throws
    -> HubPullSummary
  {
    let member = try await member()
    var summary = HubSyncSummary(hub: hub.url.description, member: member)
    try await pullSchema(into: &summary)
    try await pullDocuments(into: &summary, progress: progress)
    try await pullAssignments(member: member, into: &summary)
    try await pullRevisions(into: &summary, progress: progress)
    return summary.pulled
  }

  // MARK: Push

  /// Claims this database's origin for the member (the first member to sync from a database
  /// claims it); whether the member holds it.
  private func claimOrigin() async throws -> Bool {
    let origin = try store.hubSyncState().origin
    try await hub.query(
      """
      INSERT INTO anno.origin (origin, member) VALUES (\(origin)::uuid, anno.current_member())
      ON CONFLICT DO NOTHING
      """)
    return try await hub.query("SELECT anno.owns_origin(\(origin)::uuid)").first?.decode(
      Bool.self, what: "origin claim") ?? false
  }

  private func pushEvents(
    member: String, into summary: inout HubSyncSummary,
    progress: (HubSyncProgress) async -> Void
  ) async throws {
    var cursor = try store.hubSyncState().pushedEvent
    let total = try store.hubEventCount(after: cursor)
    var done = 0
    while true {
      let (events, last) = try store.hubEventsToPush(
        member: member, after: cursor, limit: batchSize)
      guard last > cursor else { break }
      if !events.isEmpty {
        let json = JSONWriter.string(
          for: .array(
            events.map { event in
              .object([
                "id": .string(event.id), "origin": .string(event.origin),
                "sequence": .int(event.sequence),
                "annotator": event.annotator.map(JSONValue.string) ?? .null,
                "document_external_id": event.documentExternalID.map(JSONValue.string) ?? .null,
                "action": .string(event.action), "summary": .string(event.summary),
                "payload": .string(event.payload), "created_at": .double(event.createdAt),
              ])
            }))
        try await hub.transaction { hub in
          let inserted = try await hub.query(
            """
            INSERT INTO anno.event (id, origin, sequence, annotator, document_external_id, action, summary, payload,
              created_at)
            SELECT x.id, x.origin, x.sequence, x.annotator, x.document_external_id, x.action, x.summary,
              x.payload::jsonb, x.created_at
            FROM jsonb_to_recordset(\(json)::jsonb) AS x(id uuid, origin uuid, sequence bigint, annotator text,
              document_external_id text, action text, summary text, payload text, created_at double precision)
            ON CONFLICT DO NOTHING
            RETURNING sequence
            """
          ).map { row throws(HubError) in try row.decode(Int64.self, what: "pushed event") }
          // An event the hub already holds must be this one (a push that committed before
          // its cursor moved here); any other event under its id came from a copy of this
          // database, and the batch is rolled back.
          let taken = Set(inserted)
          let held = events.filter { !taken.contains($0.sequence) }
          if !held.isEmpty {
            let same =
              try await hub.query(
                """
                SELECT count(*) FROM anno.event e
                JOIN jsonb_to_recordset(\(json)::jsonb) AS x(id uuid, action text, summary text,
                  created_at double precision)
                ON e.id = x.id AND e.action = x.action AND e.summary = x.summary AND e.created_at = x.created_at
                """
              ).first?.decode(Int64.self, what: "held events") ?? 0
            if same != Int64(events.count) { throw HubSyncFailure.originShared }
          }
        }
      }
      // The hub's transaction committed: the cursor may move.
      try store.recordPushedEvents(through: last)
      summary.eventsPushed += events.count
      done += Int(last - cursor)
      cursor = last
      await progress(HubSyncProgress(step: "push events", done: done, total: total))
    }
  }

  private func pushSets(
    owners: [String], into summary: inout HubSyncSummary, progress: (HubSyncProgress) async -> Void
  ) async throws {
    var after: Int64 = 0
    while true {
      let (sets, next) = try store.hubSetsToPush(annotators: owners, after: after, limit: batchSize)
      if !sets.isEmpty {
        let json = JSONWriter.string(
          for: .array(
            sets.map { set in
              .object([
                "document": .string(set.documentExternalID), "annotator": .string(set.annotator),
                "status": .string(set.status), "annotated_kinds": .int(Int64(set.annotatedKinds)),
                "annotations": .string(set.annotations), "latest_change": .double(set.latestChange),
              ])
            }))
        let (held, taken) = try await hub.transaction { hub in
          // The hub's versions before this push: another machine's version it replaces is a
          // conflict, listed; where it keeps its own, that version is pulled now.
          let held = try await hubSets(
            hub, documents: sets.map(\.documentExternalID), annotators: sets.map(\.annotator))
          let taken = try await hub.query(
            """
            INSERT INTO anno.annotation_set AS s (document_id, annotator, status, flag_reason, annotated_kinds,
              annotations, latest_change, revision, updated_by)
            SELECT d.id, x.annotator, x.status, x.annotations::jsonb #>> '{status,flag_reason}', x.annotated_kinds,
              x.annotations::jsonb, x.latest_change, 0, anno.current_member()
            FROM jsonb_to_recordset(\(json)::jsonb) AS x(document text, annotator text, status text,
              annotated_kinds int, annotations text, latest_change double precision)
            JOIN anno.document d ON d.external_id = x.document
            ON CONFLICT (document_id, annotator) DO UPDATE SET status = excluded.status,
              flag_reason = excluded.flag_reason, annotated_kinds = excluded.annotated_kinds,
              annotations = excluded.annotations, latest_change = excluded.latest_change,
              updated_by = excluded.updated_by
            WHERE excluded.latest_change > s.latest_change
              OR (excluded.latest_change = s.latest_change AND excluded.annotations::text > s.annotations::text)
            RETURNING (SELECT external_id FROM anno.document WHERE id = s.document_id), s.annotator
            """
          ).map { row throws(HubError) in
            try row.columns((String, String).self, what: "pushed set")
          }
          return (held, taken)
        }
        let key = { (document: String, annotator: String) in "\(document)\u{0}\(annotator)" }
        let accepted = Set(taken.map { key($0.0, $0.1) })
        let pushed = sets.filter { accepted.contains(key($0.documentExternalID, $0.annotator)) }
        summary.pulled.conflicts += try store.recordPushedSets(
          pushed, replacing: held, hub: hub.url.description)
        summary.setsPushed += pushed.count
        let kept = held.filter { !accepted.contains(key($0.documentExternalID, $0.annotator)) }
        summary.setsRefused += kept.count
        summary.setsWithoutDocument += sets.count - pushed.count - kept.count
        if !kept.isEmpty {
          let state = try store.hubSyncState()
          summary.pulled.add(
            try store.applyHubBatch(
              sets: kept, events: [], decisions: [], revision: state.pulledRevision,
              hub: hub.url.description))
        }
        await progress(
          HubSyncProgress(step: "push sets", done: summary.setsPushed, total: summary.setsPushed))
      }
      guard let next else { break }
      after = next
    }
  }

  private func pushDecisions(into summary: inout HubSyncSummary) async throws {
    let since = try store.hubSyncState().pushedDecisionAt
    var offset = 0
    var newest = since
    while true {
      let decisions = try store.hubDecisionsToPush(since: since, offset: offset, limit: batchSize)
      guard !decisions.isEmpty else { break }
      let json = JSONWriter.string(
        for: .array(
          decisions.map { d in
            .object([
              "document": .string(d.documentExternalID), "item": .string(d.decision.item),
              "value": d.decision.value.map(JSONValue.string) ?? .null,
              "decided_by": .string(d.decision.decidedBy),
              "decided_at": .double(d.decision.decidedAt),
            ])
          }))
      _ = try await hub.transaction { hub in
        try await hub.query(
          """
          INSERT INTO anno.gold_decision AS g (document_id, item, value, decided_by, decided_at, revision, updated_by)
          SELECT d.id, x.item, x.value, x.decided_by, x.decided_at, 0, anno.current_member()
          FROM jsonb_to_recordset(\(json)::jsonb) AS x(document text, item text, value text, decided_by text,
            decided_at double precision)
          JOIN anno.document d ON d.external_id = x.document
          ON CONFLICT (document_id, item) DO UPDATE SET value = excluded.value, decided_by = excluded.decided_by,
            decided_at = excluded.decided_at, updated_by = excluded.updated_by
          WHERE excluded.decided_at > g.decided_at OR (excluded.decided_at = g.decided_at
            AND coalesce(excluded.value, '') || chr(1) || excluded.decided_by > coalesce(g.value, '') || chr(1) || g.decided_by)
          """)
      }
      summary.decisionsPushed += decisions.count
      newest = max(newest, decisions.map(\.decision.decidedAt).max() ?? newest)
      offset += decisions.count
    }
    if newest > since { try store.recordPushedDecisions(through: newest) }
  }

  // MARK: Pull

  private func pullSchema(into summary: inout HubSyncSummary) async throws {
    guard
      let yaml = try await hub.query("SELECT value FROM anno.setting WHERE key = 'schema.yaml'")
        .first?.decode(String.self, what: "schema")
    else { return }
    var guidelines: [String: String] = [:]
    for row in try await hub.query("SELECT file, markdown FROM anno.guideline") {
      let (file, markdown) = try row.columns((String, String).self, what: "guideline")
      guidelines[file] = markdown
    }
    if try store.applyHubSchema(yaml: yaml, guidelines: guidelines) {
      summary.pulled.schemaChanged = true
    }
  }

  private func pullDocuments(
    into summary: inout HubSyncSummary, progress: (HubSyncProgress) async -> Void
  ) async throws {
    var cursor = try store.hubSyncState().pulledDocument
    let total =
      try await hub.query("SELECT count(*) FROM anno.document WHERE id > \(cursor)").first?
      .decode(Int64.self, what: "document count") ?? 0
    var done = 0
    while true {
      let documents = try await hub.query(
        """
        SELECT id, external_id, text, title, source, meta::text, content_hash, tokens FROM anno.document
        WHERE id > \(cursor) ORDER BY id LIMIT \(Int64(batchSize))
        """
      ).map(Self.document)
      guard !documents.isEmpty else { break }
      summary.pulled.add(try store.applyHubDocuments(documents))
      cursor = documents.map(\.hubID).max() ?? cursor
      done += documents.count
      await progress(HubSyncProgress(step: "pull documents", done: done, total: Int(total)))
    }
  }

  private static func document(_ row: PostgresRow) throws(HubError) -> HubDocument {
    let (id, externalID, text, title, source, meta, hash, tokens) = try row.columns(
      (Int64, String, String, String?, String?, String?, String, ByteBuffer?).self,
      what: "document")
    return HubDocument(
      hubID: id, externalID: externalID, text: text, title: title, source: source, meta: meta,
      contentHash: hash, tokens: tokens.map { Array($0.readableBytesView) })
  }

  private func pullAssignments(member: String, into summary: inout HubSyncSummary) async throws {
    let assignments = try await hub.query(
      """
      SELECT d.external_id, a.annotator, a.position, a.kind FROM anno.assignment a
      JOIN anno.document d ON d.id = a.document_id ORDER BY a.annotator, a.position
      """
    ).map { row throws(HubError) in
      let (document, annotator, position, kind) = try row.columns(
        (String, String, Int32, String).self, what: "assignment")
      return HubAssignment(
        documentExternalID: document, annotator: annotator, position: Int(position), kind: kind)
    }
    // Documents assigned after the document cursor passed them (they were not visible then).
    let missing = try assignments.map(\.documentExternalID).filter {
      try store.document(externalID: ExternalID($0)) == nil
    }
    for start in stride(from: 0, to: missing.count, by: batchSize) {
      let names = Array(missing[start..<min(start + batchSize, missing.count)])
      let found = try await hub.query(
        """
        SELECT id, external_id, text, title, source, meta::text, content_hash, tokens FROM anno.document
        WHERE external_id = ANY(\(names))
        """
      ).map(Self.document)
      summary.pulled.add(try store.applyHubDocuments(found))
    }
    summary.pulled.assignments = try store.replaceHubAssignments(assignments, member: member)
    let rule = try await hub.query("SELECT value FROM anno.setting WHERE key = 'assignment.rule'")
      .first?.decode(String.self, what: "assignment rule")
    if let rule { try store.applyHubAssignmentRule(rule) }
    // The team's roles: who is counted as an annotator, who reviews or manages.
    for row in try await hub.query("SELECT name, role FROM anno.member ORDER BY name") {
      let (name, role) = try row.columns((String, String).self, what: "member")
      if let role = TeamRole(rawValue: role), try store.teamRole(of: name) != role {
        try store.addTeamMember(name, role: role)
      }
    }
  }

  /// The hub's versions of the given sets (pairs of document and annotator).
  private func hubSets(_ hub: HubConnection, documents: [String], annotators: [String])
    async throws(HubError) -> [HubAnnotationSet]
  {
    try await hub.query(
      """
      SELECT d.external_id, s.annotator, s.status, s.annotated_kinds, s.annotations::text, s.latest_change,
        s.revision
      FROM unnest(\(documents)::text[], \(annotators)::text[]) AS x(document, annotator)
      JOIN anno.document d ON d.external_id = x.document
      JOIN anno.annotation_set s ON s.document_id = d.id AND s.annotator = x.annotator
      """
    ).map { row throws(HubError) in try Self.set(row).set }
  }

  private static func set(_ row: PostgresRow) throws(HubError) -> (
    set: HubAnnotationSet, revision: Int64
  ) {
    let (document, annotator, status, kinds, annotations, latest, revision) = try row.columns(
      (String, String, String, Int32, String, Double, Int64).self, what: "annotation set")
    do {
      return (
        try HubAnnotationSet(
          documentExternalID: document, annotator: annotator, status: status,
          annotatedKinds: Int(kinds), annotations: annotations, latestChange: latest), revision
      )
    } catch {
      throw .invalid("\(error)")
    }
  }

  private func pullRevisions(
    into summary: inout HubSyncSummary, progress: (HubSyncProgress) async -> Void
  ) async throws {
    var cursor = try store.hubSyncState().pulledRevision
    let limit = Int64(batchSize)
    var done = 0
    let totalRow = try await hub.query(
      """
      SELECT (SELECT count(*) FROM anno.annotation_set WHERE revision > \(cursor))
        + (SELECT count(*) FROM anno.event WHERE revision > \(cursor))
        + (SELECT count(*) FROM anno.gold_decision WHERE revision > \(cursor))
      """
    ).first
    let total = Int(try totalRow?.decode(Int64.self, what: "pull count") ?? 0)
    while true {
      let sets = try await hub.query(
        """
        SELECT d.external_id, s.annotator, s.status, s.annotated_kinds, s.annotations::text, s.latest_change,
          s.revision
        FROM anno.annotation_set s JOIN anno.document d ON d.id = s.document_id
        WHERE s.revision > \(cursor) ORDER BY s.revision LIMIT \(limit)
        """
      ).map { row throws(HubError) in try Self.set(row) }
      let events = try await hub.query(
        """
        SELECT origin::text, sequence, annotator, document_external_id, action, summary, payload::text, created_at,
          revision
        FROM anno.event WHERE revision > \(cursor) ORDER BY revision LIMIT \(limit)
        """
      ).map { row throws(HubError) in
        let (origin, sequence, annotator, document, action, text, payload, createdAt, revision) =
          try row.columns(
            (String, Int64, String?, String?, String, String, String, Double, Int64).self,
            what: "event")
        return (
          event: HubEvent(
            origin: origin, sequence: sequence, annotator: annotator,
            documentExternalID: document, action: action, summary: text, payload: payload,
            createdAt: createdAt), revision: revision
        )
      }
      let decisions = try await hub.query(
        """
        SELECT d.external_id, g.item, g.value, g.decided_by, g.decided_at, g.revision
        FROM anno.gold_decision g JOIN anno.document d ON d.id = g.document_id
        WHERE g.revision > \(cursor) ORDER BY g.revision LIMIT \(limit)
        """
      ).map { row throws(HubError) in
        let (document, item, value, by, at, revision) = try row.columns(
          (String, String, String?, String, Double, Int64).self, what: "gold decision")
        return (
          decision: HubDecision(
            documentExternalID: document,
            decision: GoldDecision(item: item, value: value, decidedBy: by, decidedAt: at)),
          revision: revision
        )
      }
      let lasts = [sets.last?.revision, events.last?.revision, decisions.last?.revision]
      guard let highest = lasts.compactMap({ $0 }).max() else { break }
      // A full batch may stop short of rows of the other tables with higher revisions; the
      // batch ends at the lowest revision a full batch reached.
      let fullLasts = [
        sets.count == batchSize ? sets.last?.revision : nil,
        events.count == batchSize ? events.last?.revision : nil,
        decisions.count == batchSize ? decisions.last?.revision : nil,
      ].compactMap { $0 }
      let bound = fullLasts.min() ?? highest
      let batchSets = sets.filter { $0.revision <= bound }.map(\.set)
      let batchEvents = events.filter { $0.revision <= bound }.map(\.event)
      let batchDecisions = decisions.filter { $0.revision <= bound }.map(\.decision)
      summary.pulled.add(
        try store.applyHubBatch(
          sets: batchSets, events: batchEvents, decisions: batchDecisions, revision: bound,
          hub: hub.url.description))
      done += batchSets.count + batchEvents.count + batchDecisions.count
      await progress(HubSyncProgress(step: "pull", done: done, total: total))
      cursor = bound
    }
  }
}

extension PostgresRow {
  /// The row's columns as a tuple, with a hub error naming `what` when they do not decode.
  func columns<each Column: PostgresDecodable>(
    _ type: (repeat each Column).Type, what: String
  ) throws(HubError) -> (repeat each Column) {
    do {
      return try decode(type)
    } catch {
      throw .invalid("unexpected value from the hub (\(what)): \(error)")
    }
  }
}
