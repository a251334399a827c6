import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoStore

/// The local side of hub sync: the origin, the change feed to push and the apply side for
/// pulled data, exchanged here through an in-memory stand-in for the hub's tables that keeps
/// the hub's rules (upsert by key, the newer latest change wins, events once per global id,
/// every write numbered by one revision sequence).
@Suite struct HubSyncTests {
  static let text = "John Kerry met Sergei Lavrov in Sochi."

  /// The hub's tables, in memory.
  final class Hub {
    var documents: [HubDocument] = []
    var sets: [String: (set: HubAnnotationSet, revision: Int64)] = [:]
    var events: [String: (event: HubEvent, revision: Int64)] = [:]
    var decisions: [String: (decision: HubDecision, revision: Int64)] = [:]
    var revision: Int64 = 0

    /// Upserts one set, as `ON CONFLICT ... DO UPDATE ... WHERE` the incoming one is newer;
    /// whether it was taken.
    static func key(_ set: HubAnnotationSet) -> String {
      "\(set.documentExternalID)\u{0}\(set.annotator)"
    }

    func upsert(_ set: HubAnnotationSet) -> Bool {
      let key = Self.key(set)
      if let held = sets[key]?.set {
        guard
          set.latestChange > held.latestChange
            || (set.latestChange == held.latestChange && set.annotations > held.annotations)
        else { return false }
      }
      revision += 1
      sets[key] = (set, revision)
      return true
    }

    func insert(_ event: HubEvent) {
      guard events[event.id] == nil else { return }
      revision += 1
      events[event.id] = (event, revision)
    }

    func upsert(_ decision: HubDecision) {
      let key = "\(decision.documentExternalID)\u{0}\(decision.decision.item)"
      if let held = decisions[key]?.decision.decision,
        !HubDecision.theirsWin(decision.decision, over: held)
      {
        return
      }
      revision += 1
      decisions[key] = (decision, revision)
    }
  }

  /// Pushes `member`'s events, sets and decisions in batches of `batch`, then pulls everything
  /// new, as `anno sync` does.
  @discardableResult
  static func sync(_ store: Store, _ hub: Hub, as member: String, batch: Int = 2) throws
    -> HubPullSummary
  {
    try store.rememberHub(url: "postgres://\(member)@127.0.0.1:5432/hub", member: member)
    var state = try store.hubSyncState()
    var summary = HubPullSummary()
    while true {
      let (events, last) = try store.hubEventsToPush(
        member: member, after: state.pushedEvent, limit: batch)
      guard last > state.pushedEvent else { break }
      events.forEach(hub.insert)
      try store.recordPushedEvents(through: last)
      state.pushedEvent = last
    }
    var after: Int64 = 0
    while true {
      let (sets, next) = try store.hubSetsToPush(
        annotators: [member, Store.goldAnnotator], after: after, limit: batch)
      let held = sets.compactMap { hub.sets[Hub.key($0)]?.set }
      let taken = sets.filter(hub.upsert)
      summary.conflicts += try store.recordPushedSets(taken, replacing: held, hub: "hub")
      // The hub kept its newer version of the rest: it is pulled now, settled here.
      let refused = sets.filter { !taken.contains($0) }.compactMap { hub.sets[Hub.key($0)]?.set }
      summary.add(
        try store.applyHubBatch(
          sets: refused, events: [], decisions: [], revision: state.pulledRevision, hub: "hub"))
      guard let next else { break }
      after = next
    }
    let decisions = try store.hubDecisionsToPush(
      since: state.pushedDecisionAt, offset: 0, limit: 1000)
    decisions.forEach(hub.upsert)
    if let newest = decisions.map(\.decision.decidedAt).max() {
      try store.recordPushedDecisions(through: newest)
    }
    let documents = hub.documents.filter { $0.hubID > state.pulledDocument }
    for start in stride(from: 0, to: documents.count, by: batch) {
      summary.add(
        try store.applyHubDocuments(Array(documents[start..<min(start + batch, documents.count)])))
    }
    let sets = hub.sets.values.filter { $0.revision > state.pulledRevision }
    let events = hub.events.values.filter { $0.revision > state.pulledRevision }
    let decided = hub.decisions.values.filter { $0.revision > state.pulledRevision }
    for revision in (state.pulledRevision + 1)...max(hub.revision, state.pulledRevision + 1) {
      let batchSets = sets.filter { $0.revision == revision }.map(\.set)
      let batchEvents = events.filter { $0.revision == revision }.map(\.event)
      let batchDecisions = decided.filter { $0.revision == revision }.map(\.decision)
      guard revision <= hub.revision else { break }
      summary.add(
        try store.applyHubBatch(
          sets: batchSets, events: batchEvents, decisions: batchDecisions, revision: revision,
          hub: "postgres://127.0.0.1:5432/hub"))
    }
    try store.recordSyncFinished()
    return summary
  }

  /// A database with the schema and, when asked, document `kerry`.
  static func makeStore(_ folder: TemporaryDirectory, _ name: String, document: Bool = true)
    throws -> Store
  {
    let store = try Store(path: folder.file(name))
    _ = try store.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    if document {
      _ = try store.importRecords(source: "t", replace: false) { t in
        try t.importRecord(
          document: Document(externalID: "kerry", text: text), externalID: "kerry",
          annotations: nil)
      }
    }
    return store
  }

  static func hubWithKerry() -> Hub {
    let hub = Hub()
    hub.documents = [
      HubDocument(
        hubID: 1, externalID: "kerry", text: text, title: nil, source: nil, meta: nil,
        contentHash: Document(externalID: "kerry", text: text).contentHash, tokens: nil)
    ]
    return hub
  }

  static func tag(_ store: Store, _ annotator: String, _ range: Range<Int>, _ label: String)
    throws
  {
    let document = try #require(try store.document(externalID: "kerry"))
    try store.apply(
      [.add(.entity, range: range, value: label)], to: document.id, by: annotator,
      summary: "tag \(label)")
  }

  static func finish(_ store: Store, _ annotator: String) throws {
    let document = try #require(try store.document(externalID: "kerry"))
    try store.apply(
      [.setStatus(.done, flagReason: nil)], to: document.id, by: annotator, summary: "done")
  }

  /// Every annotation set with its status and short ids, as comparable text.
  static func sets(_ store: Store) throws -> [String] {
    try store.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT d.externalId || ' ' || a.name || ' ' || ifnull(s.status, '-') || ' ' || ifnull(s.annotatedKinds, '-')
            || ' ' || ifnull((SELECT group_concat(x, ';') FROM (SELECT n.kind || ':' || ifnull(n.start, '') || '-'
              || ifnull(n."end", '') || ':' || n.value || ':#' || ifnull(n.localId, '') AS x FROM annotation n
              WHERE n.documentId = d.id AND n.annotatorId = a.id ORDER BY x)), '')
          FROM document d JOIN annotator a
          LEFT JOIN documentStatus s ON s.documentId = d.id AND s.annotatorId = a.id
          WHERE s.status IS NOT NULL OR EXISTS (SELECT 1 FROM annotation n WHERE n.documentId = d.id AND n.annotatorId = a.id)
          ORDER BY 1
          """)
    }
  }

  static func eventCount(_ store: Store) throws -> Int {
    try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0 }
  }

  @Test func originIsAUUIDKeptAcrossOpeningsAndOwnToEachDatabase() throws {
    let folder = try TemporaryDirectory()
    let origin = try Store(path: folder.file("a.sqlite")).hubSyncState().origin
    #expect(try Store(path: folder.file("a.sqlite")).hubSyncState().origin == origin)
    #expect(try Store(path: folder.file("b.sqlite")).hubSyncState().origin != origin)
    #expect(UUID(uuidString: origin) != nil)
    #expect(origin == origin.lowercased())
    let id = HubEvent.globalID(origin: origin, sequence: 7)
    #expect(UUID(uuidString: id) != nil)
    #expect(id == HubEvent.globalID(origin: origin.uppercased(), sequence: 7))
    #expect(id != HubEvent.globalID(origin: origin, sequence: 8))
  }

  @Test func theRememberedHubNeverHoldsAPasswordAndAnotherHubStartsOver() throws {
    let store = try Store(path: nil)
    #expect(throws: StoreError.self) {
      try store.rememberHub(url: "postgres://ann:secret@db.example:5432/hub", member: "ann")
    }
    #expect(try store.hubSyncState().hubURL == nil)
    #expect(try store.rememberHub(url: "postgres://ann@db.example:5432/hub", member: "ann"))
    try store.recordPushedEvents(through: 5)
    try store.recordPushedEvents(through: 3)
    #expect(try store.hubSyncState().pushedEvent == 5)
    #expect(!(try store.rememberHub(url: "postgres://ann@db.example:5432/hub", member: "ann")))
    #expect(try store.hubSyncState().pushedEvent == 5)
    #expect(try store.rememberHub(url: "postgres://ann@db.example:5432/hub", member: "bob"))
    #expect(try store.hubSyncState().pushedEvent == 0)
    #expect(try store.hubSyncState().member == "bob")
  }

  @Test func theFeedHoldsTheMembersOwnEventsAndTheSetsChangedSinceTheLastPush() throws {
    let folder = try TemporaryDirectory()
    let store = try Self.makeStore(folder, "a.sqlite")
    try Self.tag(store, "ann", 0..<10, "PER")
    try Self.tag(store, "bob", 15..<28, "PER")
    try Self.tag(store, "ann", 32..<37, "LOC")
    let origin = try store.hubSyncState().origin
    let (events, last) = try store.hubEventsToPush(member: "ann", after: 0, limit: 100)
    #expect(events.map(\.summary) == ["tag PER", "tag LOC"])
    #expect(events.allSatisfy { $0.origin == origin && $0.annotator == "ann" })
    #expect(events.map(\.documentExternalID) == ["kerry", "kerry"])
    #expect(last == (try Self.eventCount(store)))
    // A batch ends at its limit; the next starts after the last event looked at.
    let (first, firstLast) = try store.hubEventsToPush(member: "ann", after: 0, limit: 3)
    #expect(first.count <= 1)
    let (rest, _) = try store.hubEventsToPush(member: "ann", after: firstLast, limit: 100)
    #expect((first + rest).map(\.sequence) == events.map(\.sequence))

    var (sets, next) = try store.hubSetsToPush(annotators: ["ann"], after: 0, limit: 10)
    #expect(next == nil)
    #expect(sets.map(\.annotator) == ["ann"])
    #expect(sets.first?.status == "in_progress")
    try store.recordPushedSets(sets)
    (sets, next) = try store.hubSetsToPush(annotators: ["ann"], after: 0, limit: 10)
    #expect(sets.isEmpty)
    try Self.finish(store, "ann")
    (sets, _) = try store.hubSetsToPush(annotators: ["ann"], after: 0, limit: 10)
    #expect(sets.map(\.status) == ["done"])
  }

  @Test func syncedDatabasesHoldTheSameSetsAndEventsWithNothingTwice() throws {
    let folder = try TemporaryDirectory()
    let hub = Self.hubWithKerry()
    let ann = try Self.makeStore(folder, "ann.sqlite")
    let bob = try Self.makeStore(folder, "bob.sqlite")
    let manager = try Self.makeStore(folder, "manager.sqlite", document: false)
    try Self.tag(ann, "ann", 0..<10, "PER")
    try Self.tag(ann, "ann", 32..<37, "LOC")
    try Self.finish(ann, "ann")
    try Self.tag(bob, "bob", 15..<28, "PER")
    try Self.sync(ann, hub, as: "ann")
    try Self.sync(bob, hub, as: "bob")
    try Self.sync(ann, hub, as: "ann")
    let pulled = try Self.sync(manager, hub, as: "manager")
    #expect(pulled.documentsAdded == 1)
    #expect(pulled.setsAdded == 2 && pulled.conflicts.isEmpty)
    #expect(pulled.eventsAdded == 4)
    let expected = try Self.sets(ann)
    #expect(expected.count == 2)
    #expect(try Self.sets(bob) == expected)
    #expect(try Self.sets(manager) == expected)
    #expect(
      try manager.annotations(of: "kerry", by: "ann")
        == (try ann.annotations(of: "kerry", by: "ann")))
    #expect(try manager.check().isClean)
    // Pulled events keep their global ids and authors and are never replayed by undo.
    #expect(try manager.undo(by: "ann") == nil)
    let authors = try manager.read { db in
      try String.fetchAll(
        db, sql: "SELECT author FROM event WHERE origin IS NOT NULL ORDER BY createdAt, id")
    }
    #expect(authors.sorted() == ["ann", "ann", "ann", "bob"])

    // Syncing again, everywhere, changes nothing.
    let counts = try [ann, bob, manager].map(Self.eventCount)
    for (store, member) in [(ann, "ann"), (bob, "bob"), (manager, "manager")] {
      let again = try Self.sync(store, hub, as: member)
      #expect(again.setsAdded + again.setsReplaced + again.eventsAdded == 0)
    }
    #expect(try [ann, bob, manager].map(Self.eventCount) == counts)
    #expect(hub.events.count == 4 && hub.sets.count == 2)

    // Applying a batch already applied (a sync interrupted before its cursor moved) is a no-op.
    let batch = hub.sets.values.map(\.set)
    let replay = try manager.applyHubBatch(
      sets: batch, events: hub.events.values.map(\.event), decisions: [], revision: 1, hub: "h")
    #expect(replay.setsUnchanged == 2 && replay.eventsPresent == 4 && replay.eventsAdded == 0)
    #expect(try Self.sets(manager) == expected)
  }

  @Test func aDatabaseRecreatedFromTheHubGetsItsSetsAndTheOldEventsOnce() throws {
    let folder = try TemporaryDirectory()
    let hub = Self.hubWithKerry()
    let first = try Self.makeStore(folder, "first.sqlite")
    try Self.tag(first, "ann", 0..<10, "PER")
    try Self.finish(first, "ann")
    try Self.sync(first, hub, as: "ann")
    let expected = try Self.sets(first)
    let again = try Self.makeStore(folder, "again.sqlite", document: false)
    try Self.sync(again, hub, as: "ann")
    #expect(try Self.sets(again) == expected)
    // The old database's events came back with the old origin; the new one pushes only its own.
    try Self.tag(again, "ann", 32..<37, "LOC")
    try Self.sync(again, hub, as: "ann")
    #expect(hub.events.count == 3)
    #expect(Set(hub.events.values.map(\.event.origin)).count == 2)
    let pulled = try Self.sync(first, hub, as: "ann")
    #expect(pulled.setsReplaced == 1 && pulled.conflicts.isEmpty)
    #expect(try Self.sets(first) == (try Self.sets(again)))
  }

  @Test func theSameAnnotatorOnTwoMachinesKeepsTheNewerSetAndListsTheConflict() throws {
    let folder = try TemporaryDirectory()
    let hub = Self.hubWithKerry()
    let laptop = try Self.makeStore(folder, "laptop.sqlite")
    let desktop = try Self.makeStore(folder, "desktop.sqlite")
    try Store.$fixedTime.withValue(100) { try Self.tag(laptop, "ann", 0..<10, "PER") }
    try Store.$fixedTime.withValue(200) { try Self.tag(desktop, "ann", 0..<10, "ORG") }
    #expect(try Self.sync(laptop, hub, as: "ann").conflicts.isEmpty)
    // The desktop's version is newer: the hub takes it, and the desktop lists the conflict
    // and logs the version not kept.
    let pushed = try Self.sync(desktop, hub, as: "ann")
    #expect(pushed.conflicts.map(\.winner) == [.ours])
    #expect(
      pushed.conflicts.first?.oursLatest == 200 && pushed.conflicts.first?.theirsLatest == 100)
    #expect(try desktop.annotations(of: "kerry", by: "ann")?.entities?.map(\.label) == ["ORG"])
    let logged = try desktop.read { db in
      try String.fetchOne(db, sql: "SELECT payload FROM event WHERE summary LIKE 'sync %'")
    }
    #expect(logged?.contains("PER") == true)
    // The laptop had not changed its version since it pushed it: it takes the newer one.
    let pulled = try Self.sync(laptop, hub, as: "ann")
    #expect(pulled.conflicts.isEmpty && pulled.setsReplaced == 1)
    #expect(try laptop.annotations(of: "kerry", by: "ann")?.entities?.map(\.label) == ["ORG"])
    #expect(try Self.sets(laptop) == (try Self.sets(desktop)))

    // An older local version pushed after the hub has a newer one is not taken by the hub.
    let old = try Self.makeStore(folder, "old.sqlite")
    try Store.$fixedTime.withValue(50) { try Self.tag(old, "ann", 0..<10, "LOC") }
    let resolved = try Self.sync(old, hub, as: "ann")
    #expect(resolved.conflicts.map(\.winner) == [.theirs])
    #expect(try old.annotations(of: "kerry", by: "ann")?.entities?.map(\.label) == ["ORG"])
    #expect(hub.sets.values.map(\.set.latestChange) == [200])
  }

  @Test func theLaterGoldDecisionWins() throws {
    let folder = try TemporaryDirectory()
    let ours = try Self.makeStore(folder, "ours.sqlite")
    let document = try #require(try ours.document(externalID: "kerry"))
    try Store.$fixedTime.withValue(100) {
      try ours.apply(
        [.decide(item: "sentiment", value: "positive", decidedBy: "reviewer:rev")],
        to: document.id, by: "rev", summary: "decide")
    }
    func decision(_ value: String, at time: Double) -> HubDecision {
      HubDecision(
        documentExternalID: "kerry",
        decision: GoldDecision(
          item: "sentiment", value: value, decidedBy: "reviewer:rev2", decidedAt: time))
    }
    let older = try ours.applyHubBatch(
      sets: [], events: [], decisions: [decision("negative", at: 50)], revision: 1, hub: "h")
    #expect(older.decisionsReplaced == 0)
    let newer = try ours.applyHubBatch(
      sets: [], events: [], decisions: [decision("neutral", at: 150)], revision: 2, hub: "h")
    #expect(newer.decisionsReplaced == 1)
    let stored = try ours.read { db in
      try Store.decision(db, documentID: document.id, item: "sentiment")
    }
    #expect(stored?.value == "neutral" && stored?.decidedBy == "reviewer:rev2")
    #expect(try ours.hubSyncState().pulledRevision == 2)
    let pushed = try ours.hubDecisionsToPush(since: 120, offset: 0, limit: 10)
    #expect(pushed.map(\.decision.value) == ["neutral"])
  }

  @Test func aDocumentWithAnotherTextOnTheHubIsListedAndLeftAlone() throws {
    let folder = try TemporaryDirectory()
    let store = try Self.makeStore(folder, "a.sqlite")
    let summary = try store.applyHubDocuments([
      HubDocument(
        hubID: 4, externalID: "kerry", text: "Another text.", title: nil, source: nil, meta: nil,
        contentHash: "x", tokens: nil),
      HubDocument(
        hubID: 5, externalID: "new", text: "Moscow answered.", title: "T", source: "s",
        meta: #"{"a":1}"#,
        contentHash: Document(externalID: "new", text: "Moscow answered.").contentHash,
        tokens: nil),
    ])
    #expect(summary.documentConflicts == ["kerry"] && summary.documentsAdded == 1)
    #expect(try store.document(externalID: "kerry")?.document.text == Self.text)
    #expect(try store.document(externalID: "new")?.document.title == "T")
    #expect(try store.hubSyncState().pulledDocument == 5)
    #expect(try store.check().isClean)
  }

  @Test func pulledAssignmentsReplaceTheQueuesTheyName() throws {
    let folder = try TemporaryDirectory()
    let store = try Self.makeStore(folder, "a.sqlite")
    let written = try store.replaceHubAssignments(
      [
        HubAssignment(documentExternalID: "kerry", annotator: "ann", position: 0, kind: "single"),
        HubAssignment(documentExternalID: "missing", annotator: "ann", position: 1, kind: "single"),
      ], member: "ann")
    #expect(written == 1)
    let queue = try store.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT d.externalId || ' ' || a.name || ' ' || s.position || ' ' || s.kind FROM assignment s
          JOIN document d ON d.id = s.documentId JOIN annotator a ON a.id = s.annotatorId
          """)
    }
    #expect(queue == ["kerry ann 0 single"])
    #expect(try store.replaceHubAssignments([], member: "ann") == 0)
    let rows = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM assignment") }
    #expect(rows == 0)
  }
}
