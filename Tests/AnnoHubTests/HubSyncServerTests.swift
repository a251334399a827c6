import AnnoCore
import AnnoFormats
import AnnoHubTestSupport
import AnnoPipeline
import AnnoTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import AnnoHub
@testable import AnnoStore

/// `anno sync` against a real PostgreSQL hub: a scripted study by three annotators and a
/// reviewer on four local databases, checked against one database that received the same
/// commands, and syncs interrupted by the server.
@Suite(.timeLimit(.minutes(5))) struct HubSyncServerTests {
  static let texts = [
    "d1": "John Kerry met Sergei Lavrov in Sochi.",
    "d2": "Angela Merkel spoke in Berlin on Monday.",
    "d3": "The United Nations met in Geneva.",
    "d4": "Paris and Rome signed the treaty.",
  ]

  /// A hub initialised from a manager's database holding the documents, with members ann1,
  /// ann2, ann3 (annotators) and rev (reviewer).
  struct Team: @unchecked Sendable {
    let admin: HubConnection
    let url: HubURL
    let folder: TemporaryDirectory
    var passwords: [String: String] = [:]

    static func make(blind: Bool = false, cluster: ThrowawayPostgres? = nil) async throws -> Team {
      let server: ThrowawayPostgres
      if let cluster { server = cluster } else { server = try await ThrowawayPostgres.shared() }
      let url = try await server.makeDatabase()
      let admin = try await HubConnection.connect(to: url)
      var team = Team(admin: admin, url: url, folder: try TemporaryDirectory())
      let manager = try HubSyncServerTests.makeStore(team.folder.file("manager.sqlite"))
      try HubSyncServerTests.importDocuments(manager)
      try await HubAdmin.initialise(admin, from: manager, loginPrefix: "\(url.database)_")
      try await admin.execute([
        "INSERT INTO anno.setting (key, value) VALUES ('study.blind', '\(blind)') ON CONFLICT (key) DO UPDATE SET value = excluded.value"
      ])
      for (name, role) in [
        ("ann1", HubRole.annotator), ("ann2", .annotator), ("ann3", .annotator), ("rev", .reviewer),
      ] {
        let password = HubAdmin.generatePassword()
        try await HubAdmin.addMember(
          admin, name: name, role: role, login: "\(url.database)_\(name)",
          with: .password(password))
        team.passwords[name] = password
      }
      return team
    }

    func connect(as name: String) async throws -> HubConnection {
      try await HubConnection.connect(
        to: url.loggingIn(as: "\(url.database)_\(name)", password: passwords[name]),
        credentials: HubCredentials(environment: [:]))
    }

    /// Syncs `store` as `name`, in batches of `batch`.
    @discardableResult
    func sync(
      _ store: Store, as name: String, batch: Int = 2,
      afterBatch: @escaping @Sendable (HubSyncProgress) async -> Void = { _ in }
    ) async throws -> HubSyncSummary {
      let hub = try await connect(as: name)
      do {
        var sync = HubSync(store: store, hub: hub)
        sync.batchSize = batch
        let summary = try await sync.run(progress: afterBatch)
        await hub.close()
        return summary
      } catch {
        await hub.close()
        throw error
      }
    }

    func count(_ sql: String) async throws -> Int {
      Int(
        try await admin.query(PostgresQuery(unsafeSQL: sql)).first?.decode(Int64.self, what: sql)
          ?? -1)
    }

    func close() async { await admin.close() }
  }

  static func makeStore(_ path: String) throws -> Store {
    let store = try Store(path: path)
    _ = try store.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    return store
  }

  static func importDocuments(_ store: Store) throws {
    _ = try store.importRecords(source: "t", replace: false) { t in
      for (id, text) in texts.sorted(by: { $0.key < $1.key }) {
        try t.importRecord(
          document: Document(externalID: ExternalID(id), text: text), externalID: ExternalID(id),
          annotations: nil)
      }
    }
  }

  /// One step of the scripted study: who does what, on which document, at which time.
  struct Step {
    var annotator: String
    var document: String
    var edits: [Edit]
    var owner: String?
    var time: Double
  }

  static let study: [Step] = [
    Step(
      annotator: "ann1", document: "d1", edits: [.add(.entity, range: 0..<10, value: "PER")],
      time: 1000),
    Step(
      annotator: "ann1", document: "d1", edits: [.add(.entity, range: 15..<28, value: "PER")],
      time: 1001),
    Step(
      annotator: "ann1", document: "d1", edits: [.add(.sentiment, value: "neutral")], time: 1002),
    Step(
      annotator: "ann1", document: "d1", edits: [.setStatus(.done, flagReason: nil)], time: 1003),
    Step(
      annotator: "ann2", document: "d1", edits: [.add(.entity, range: 0..<10, value: "PER")],
      time: 1010),
    Step(
      annotator: "ann2", document: "d1", edits: [.add(.entity, range: 32..<37, value: "LOC")],
      time: 1011),
    Step(
      annotator: "ann2", document: "d1", edits: [.setStatus(.done, flagReason: nil)], time: 1012),
    Step(
      annotator: "ann2", document: "d2", edits: [.add(.entity, range: 0..<13, value: "PER")],
      time: 1013),
    Step(
      annotator: "ann3", document: "d2", edits: [.add(.entity, range: 0..<13, value: "PER")],
      time: 1020),
    Step(
      annotator: "ann3", document: "d2", edits: [.add(.entity, range: 23..<29, value: "LOC")],
      time: 1021),
    Step(
      annotator: "ann3", document: "d2", edits: [.setStatus(.done, flagReason: nil)], time: 1022),
    Step(
      annotator: "ann3", document: "d3", edits: [.add(.entity, range: 4..<18, value: "ORG")],
      time: 1023),
    Step(
      annotator: "rev", document: "d1",
      edits: [
        .add(.entity, range: 0..<10, value: "PER"), .add(.entity, range: 32..<37, value: "LOC"),
      ],
      owner: Store.goldAnnotator, time: 1030),
    Step(
      annotator: "rev", document: "d1", edits: [.setStatus(.done, flagReason: nil)],
      owner: Store.goldAnnotator, time: 1031),
  ]

  static func apply(_ step: Step, to store: Store) throws {
    let document = try #require(try store.document(externalID: ExternalID(step.document)))
    try Store.$fixedTime.withValue(step.time) {
      try store.apply(
        step.edits, to: document.id, by: step.annotator, onBehalfOf: step.owner,
        summary: "step at \(Int(step.time))")
    }
  }

  /// The anno-format export of every set, as bytes.
  static func export(_ store: Store, _ folder: TemporaryDirectory, _ name: String) throws -> Data {
    let path = folder.file(name)
    let schema = try #require(try store.schema())
    _ = try ExportJob(
      options: ExportOptions(format: .anno), destination: .path(path), annotators: nil,
      statuses: nil
    ).run(store: store, schema: schema)
    return try Data(contentsOf: URL(fileURLWithPath: path))
  }

  /// Every set with its status, rows and short ids, as comparable lines.
  static func sets(_ store: Store) throws -> [String] {
    try store.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT d.externalId || ' ' || a.name || ' ' || ifnull(s.status, '-') || ' '
            || ifnull((SELECT group_concat(x, ';') FROM (SELECT n.kind || ':' || ifnull(n.start, '') || '-'
              || ifnull(n."end", '') || ':' || n.value || ':#' || ifnull(n.localId, '') AS x FROM annotation n
              WHERE n.documentId = d.id AND n.annotatorId = a.id ORDER BY x)), '')
          FROM document d JOIN annotator a
          LEFT JOIN documentStatus s ON s.documentId = d.id AND s.annotatorId = a.id
          WHERE s.status IS NOT NULL OR EXISTS (SELECT 1 FROM annotation n WHERE n.documentId = d.id AND n.annotatorId = a.id)
          ORDER BY 1
          """)
    }
  }

  @Test func threeAnnotatorsAndAReviewerConvergeOnWhatOneDatabaseHolds() async throws {
    let team = try await Team.make()
    let folder = team.folder
    // The reference: one database that received every command.
    let single = try Self.makeStore(folder.file("single.sqlite"))
    try Self.importDocuments(single)
    for step in Self.study { try Self.apply(step, to: single) }

    var stores: [String: Store] = [:]
    for name in ["ann1", "ann2", "ann3", "rev"] {
      let store = try Store(path: folder.file("\(name).sqlite"))
      let first = try await team.sync(store, as: name)
      #expect(first.pulled.documentsAdded == 4)
      #expect(try store.documentCount() == 4)
      stores[name] = store
    }
    for step in Self.study where step.owner == nil {
      try Self.apply(step, to: try #require(stores[step.annotator]))
    }
    for name in ["ann1", "ann2", "ann3"] {
      try await team.sync(try #require(stores[name]), as: name)
    }
    let reviewer = try #require(stores["rev"])
    try await team.sync(reviewer, as: "rev")
    for step in Self.study where step.owner != nil { try Self.apply(step, to: reviewer) }
    let pushed = try await team.sync(reviewer, as: "rev")
    #expect(pushed.setsPushed == 1 && pushed.pulled.conflicts.isEmpty)
    for name in ["ann1", "ann2", "ann3"] {
      try await team.sync(try #require(stores[name]), as: name)
    }

    // The hub holds every set once and every member's events once.
    let memberEvents = Self.study.count
    #expect(try await team.count("SELECT count(*) FROM anno.annotation_set") == 6)
    #expect(
      try await team.count("SELECT count(*) FROM anno.event WHERE annotator IS NOT NULL")
        == memberEvents)
    // The reviewer's database, which sees everything, exports what the single database does.
    #expect(try Self.sets(reviewer) == (try Self.sets(single)))
    #expect(
      try Self.export(reviewer, folder, "reviewer.jsonl")
        == (try Self.export(single, folder, "single.jsonl")))
    // An open study: every annotator ends with every set too.
    for name in ["ann1", "ann2", "ann3"] {
      #expect(try Self.sets(try #require(stores[name])) == (try Self.sets(single)))
    }

    // Syncing again changes nothing anywhere.
    let before = try await team.count("SELECT max(revision) FROM anno.event")
    for (name, store) in stores {
      let again = try await team.sync(store, as: name)
      #expect(again.eventsPushed == 0 && again.setsPushed == 0)
      #expect(again.pulled.setsAdded + again.pulled.setsReplaced + again.pulled.eventsAdded == 0)
    }
    #expect(try await team.count("SELECT max(revision) FROM anno.event") == before)
    await team.close()
  }

  @Test func aConnectionKilledMidBatchAndTwoSyncsAtOnceConverge() async throws {
    let team = try await Team.make()
    let store = try Store(path: team.folder.file("ann1.sqlite"))
    try await team.sync(store, as: "ann1")
    let document = try #require(try store.document(externalID: "d1"))
    for (index, start) in [0, 15, 32].enumerated() {
      let end = [10, 28, 37][index]
      try store.apply(
        [.add(.entity, range: start..<end, value: "LOC")], to: document.id, by: "ann1",
        summary: "tag \(index)")
    }
    // The administrator ends the member's session after the first batch of events.
    let admin = team.admin
    let login = "\(team.url.database)_ann1"
    await #expect(throws: HubError.self) {
      try await team.sync(store, as: "ann1", batch: 1) { progress in
        guard progress.step == "push events" else { return }
        _ = try? await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = \(login)")
      }
    }
    let pushedBefore = try store.hubSyncState().pushedEvent
    #expect(pushedBefore > 0)
    // Two syncs of the same member at once, then one more: the hub holds each event once.
    async let first = team.sync(store, as: "ann1", batch: 1)
    async let second = team.sync(store, as: "ann1", batch: 1)
    _ = try await (first, second)
    try await team.sync(store, as: "ann1")
    #expect(try await team.count("SELECT count(*) FROM anno.event WHERE annotator = 'ann1'") == 3)
    #expect(try await team.count("SELECT count(DISTINCT (origin, sequence)) FROM anno.event") == 3)
    #expect(try await team.count("SELECT count(*) FROM anno.annotation_set") == 1)
    #expect(
      try await team.count(
        "SELECT jsonb_array_length(annotations -> 'rows')::int8 FROM anno.annotation_set") == 3)
    #expect(try store.check().isClean)
    await team.close()
  }

  @Test func aDatabaseDeletedAndRecreatedFromTheHubHasEverythingOnce() async throws {
    let team = try await Team.make(blind: true)
    let path = team.folder.file("ann1.sqlite")
    var store: Store? = try Store(path: path)
    try await team.sync(try #require(store), as: "ann1")
    for step in Self.study where step.annotator == "ann1" {
      try Self.apply(step, to: try #require(store))
    }
    try await team.sync(try #require(store), as: "ann1")
    let expected = try Self.sets(try #require(store))
    store = nil
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: path + suffix)
    }
    let again = try Store(path: team.folder.file("ann1-again.sqlite"))
    let pulled = try await team.sync(again, as: "ann1")
    #expect(pulled.pulled.setsAdded == 1)
    let authored = try again.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE author = 'ann1'")
    }
    #expect(authored == 4)
    #expect(try Self.sets(again) == expected)
    #expect(try await team.count("SELECT count(*) FROM anno.event WHERE annotator = 'ann1'") == 4)
    // A blind study: ann2's labels are not on ann1's machine.
    #expect(try Self.sets(again).allSatisfy { $0.contains(" ann1 ") })
    await team.close()
  }

  @Test func aServerStoppedDuringASyncConvergesOnceItIsBack() async throws {
    let cluster = try ThrowawayPostgres.dedicated()
    defer { cluster.stop() }
    let team = try await Team.make(cluster: cluster)
    let store = try Store(path: team.folder.file("ann1.sqlite"))
    try await team.sync(store, as: "ann1")
    for step in Self.study where step.annotator == "ann1" { try Self.apply(step, to: store) }
    // The server goes down as soon as the first of ann1's events reached it.
    let watcher = try await HubConnection.connect(to: team.url)
    await #expect(throws: HubError.self) {
      try await team.sync(store, as: "ann1", batch: 1) { progress in
        guard progress.step == "push events" else { return }
        let held = try? await watcher.query(
          "SELECT count(*) FROM anno.event WHERE annotator = 'ann1'"
        ).first?.decode(Int64.self, what: "events")
        if held == 1 { cluster.stop() }
      }
    }
    await watcher.close()
    try cluster.restart()
    let admin = try await HubConnection.connect(to: team.url)
    let finished = try await team.sync(store, as: "ann1", batch: 1)
    #expect(finished.eventsPushed == 3)
    let count = { (sql: String) in
      Int(
        try await admin.query(PostgresQuery(unsafeSQL: sql)).first?.decode(Int64.self, what: sql)
          ?? -1)
    }
    #expect(try await count("SELECT count(*) FROM anno.event WHERE annotator = 'ann1'") == 4)
    #expect(
      try await count("SELECT count(*) FROM anno.annotation_set WHERE annotator = 'ann1'") == 1)
    #expect(
      try await count(
        "SELECT jsonb_array_length(annotations -> 'rows')::int8 FROM anno.annotation_set") == 3)
    await admin.close()
  }

  @Test func aDatabaseCopiedToAnotherMemberOrMachineKeepsEveryEvent() async throws {
    let team = try await Team.make()
    let folder = team.folder
    let first = try Store(path: folder.file("ann1.sqlite"))
    try await team.sync(first, as: "ann1")
    // The same member's database copied to a second machine; both label, then both sync.
    _ = try first.backup(to: folder.file("ann1-laptop.sqlite"), overwrite: false)
    let laptop = try Store(path: folder.file("ann1-laptop.sqlite"))
    let d1 = try #require(try first.document(externalID: "d1"))
    let d2 = try #require(try laptop.document(externalID: "d2"))
    try first.apply(
      [.add(.entity, range: 0..<10, value: "PER")], to: d1.id, by: "ann1", summary: "desk 1")
    try first.apply(
      [.add(.entity, range: 15..<28, value: "PER")], to: d1.id, by: "ann1", summary: "desk 2")
    try laptop.apply(
      [.add(.entity, range: 0..<13, value: "PER")], to: d2.id, by: "ann1", summary: "laptop 1")
    let desk = try await team.sync(first, as: "ann1")
    #expect(!desk.tookNewOrigin && desk.eventsPushed == 2)
    let away = try await team.sync(laptop, as: "ann1")
    #expect(away.tookNewOrigin && away.eventsPushed == 1)
    #expect(try await team.count("SELECT count(*) FROM anno.event WHERE annotator = 'ann1'") == 3)
    #expect(try await team.count("SELECT count(DISTINCT origin) FROM anno.event") == 2)
    // Each machine then holds both machines' sets and events.
    try await team.sync(first, as: "ann1")
    #expect(try Self.sets(first) == (try Self.sets(laptop)))

    // A copy handed to another member: its origin is ann1's, so ann2 takes a new one.
    _ = try first.backup(to: folder.file("ann2.sqlite"), overwrite: false)
    let second = try Store(path: folder.file("ann2.sqlite"))
    try second.apply(
      [.add(.entity, range: 32..<37, value: "LOC")], to: d1.id, by: "ann2", summary: "ann2")
    let other = try await team.sync(second, as: "ann2")
    #expect(other.tookNewOrigin && other.eventsPushed == 1)
    #expect(try await team.count("SELECT count(*) FROM anno.event WHERE annotator = 'ann2'") == 1)
    await team.close()
  }

  @Test func noMemberPushesEventsUnderAnotherMembersOrigin() async throws {
    let team = try await Team.make()
    let store = try Store(path: team.folder.file("ann1.sqlite"))
    try await team.sync(store, as: "ann1")
    let origin = try store.hubSyncState().origin
    let ann2 = try await team.connect(as: "ann2")
    // Plain SQL as ann2: an event under ann1's origin, and a claim in ann1's name.
    for statement in [
      """
      INSERT INTO anno.event (id, origin, sequence, annotator, action, summary, payload, created_at)
      VALUES (gen_random_uuid(), '\(origin)', 999, 'ann2', 'tag', 'forged', '{}', 0)
      """,
      "INSERT INTO anno.origin (origin, member) VALUES (gen_random_uuid(), 'ann1')",
    ] {
      await #expect {
        try await ann2.query(PostgresQuery(unsafeSQL: statement))
      } throws: { error in
        "\(error)".contains("violates row-level security policy")
      }
    }
    await ann2.close()
    #expect(try await team.count("SELECT count(*) FROM anno.event WHERE summary = 'forged'") == 0)
    await team.close()
  }
}
