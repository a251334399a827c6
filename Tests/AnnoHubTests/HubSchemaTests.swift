import AnnoHubTestSupport
import PostgresNIO
import Testing

@testable import AnnoHub

@Suite(.timeLimit(.minutes(3))) struct HubSchemaTests {
  @Test func migrationsCreateEveryTableOnceAndRecordTheirVersions() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    defer { Task { await hub.close() } }
    #expect(try await HubSchema.version(of: hub) == 0)
    let applied = try await HubSchema.migrate(hub)
    #expect(applied.map(\.version) == HubSchema.migrations.map(\.version))
    #expect(try await HubSchema.version(of: hub) == HubSchema.latestVersion)
    #expect(try await HubSchema.migrate(hub).isEmpty)

    var tables: [String] = []
    for row in try await hub.query(
      "SELECT tablename::text FROM pg_tables WHERE schemaname = 'anno' ORDER BY 1")
    {
      tables.append(try row.decode(String.self))
    }
    #expect(
      tables == [
        "annotation_set", "assignment", "document", "event", "gold_decision", "guideline",
        "member", "migration", "origin", "setting", "sync_log",
      ])
    var secured: [String] = []
    for row in try await hub.query(
      "SELECT relname::text FROM pg_class WHERE relnamespace = 'anno'::regnamespace AND relrowsecurity ORDER BY 1"
    ) {
      secured.append(try row.decode(String.self))
    }
    #expect(
      secured == [
        "annotation_set", "assignment", "document", "event", "gold_decision", "guideline",
        "member", "origin", "setting", "sync_log",
      ])
    var names: [String] = []
    for row in try await hub.query("SELECT name FROM anno.migration ORDER BY version") {
      names.append(try row.decode(String.self))
    }
    #expect(names == HubSchema.migrations.map(\.name))
  }

  @Test func aHubNewerThanThisAnnoIsRefusedBeforeAnythingIsWritten() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    defer { Task { await hub.close() } }
    try await HubSchema.migrate(hub)
    let future = HubSchema.latestVersion + 1
    try await hub.query("INSERT INTO anno.migration (version, name) VALUES (\(future), 'future')")
    await #expect(throws: HubError.newerHub(hub: url.description, version: future)) {
      try await HubSchema.migrate(hub)
    }
  }

  @Test func theEventLogRefusesUpdatesAndDeletesEvenFromItsOwner() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    defer { Task { await hub.close() } }
    try await HubSchema.migrate(hub)
    try await hub.query(
      """
      INSERT INTO anno.event (id, origin, sequence, action, summary, payload, created_at)
      VALUES (gen_random_uuid(), gen_random_uuid(), 1, 'change', 's', '{}', 0)
      """)
    for statement in [
      "UPDATE anno.event SET summary = 'x'", "DELETE FROM anno.event", "TRUNCATE anno.event",
    ] {
      do {
        try await hub.query(PostgresQuery(unsafeSQL: statement))
        Issue.record("\(statement) was accepted")
      } catch {
        #expect(error.errorDescription?.contains("the event log is append-only") == true)
      }
    }
    let count = try await hub.query("SELECT count(*) FROM anno.event").first?.decode(
      Int.self, what: "count")
    #expect(count == 1)
  }

  @Test func revisionsGrowWithEveryWriteOfALabelSet() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    defer { Task { await hub.close() } }
    try await HubSchema.migrate(hub)
    try await hub.query(
      "INSERT INTO anno.document (external_id, text, content_hash) VALUES ('d1', 'Text.', 'h')")
    func revision() async throws -> Int {
      try await hub.query("SELECT revision FROM anno.annotation_set").first!.decode(
        Int.self, what: "revision")
    }
    try await hub.query(
      """
      INSERT INTO anno.annotation_set (document_id, annotator, status, annotated_kinds,
        annotations, latest_change, revision, updated_by)
      VALUES (1, 'ann1', 'in_progress', 0, '[]', 1, 0, 'ann1')
      """)
    let first = try await revision()
    #expect(first > 0)
    try await hub.query("UPDATE anno.annotation_set SET status = 'done', revision = 0")
    #expect(try await revision() > first)
  }
}
