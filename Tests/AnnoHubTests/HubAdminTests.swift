import AnnoCore
import AnnoHubTestSupport
import AnnoStore
import Foundation
import PostgresNIO
import Testing

@testable import AnnoHub

@Suite(.timeLimit(.minutes(3))) struct HubAdminTests {
  /// A local database with `documents` documents (d01…), a schema, guidelines, a team of two
  /// annotators and a reviewer, and every document assigned to both annotators.
  static func makeStore(documents: Int, text: (Int) -> String = { "Text of document \($0)." })
    throws -> Store
  {
    let store = try Store(path: nil)
    _ = try store.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil,
      guidelines: ["notes.md": "# Notes\n\nTag people.\n"])
    _ = try store.importRecords(source: "test", replace: false) { transaction in
      for i in 1...documents {
        let id = ExternalID(String(format: "d%02d", i))
        try transaction.importRecord(
          document: Document(
            externalID: id, text: text(i), title: i == 1 ? "First" : nil,
            meta: i == 2 ? ["lang": .string("en")] : nil,
            tokens: i == 3 ? [Token(start: 0, end: 4)] : nil),
          externalID: id, annotations: nil)
      }
    }
    try store.addTeamMember("ann1", role: .annotator)
    try store.addTeamMember("rev", role: .reviewer)
    _ = try store.assign(AssignmentRule(annotators: ["ann1", "ann2"], overlap: 1, seed: 7))
    return store
  }

  static func count(_ hub: HubConnection, _ sql: String) async throws -> Int {
    try await hub.query(PostgresQuery(unsafeSQL: sql)).first!.decode(Int.self)
  }

  @Test func initUploadsDocumentsSchemaTeamAndAssignmentOnceAndAgainAddsNothing() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    defer { Task { await hub.close() } }
    let store = try Self.makeStore(documents: 1_234)
    let prefix = url.database + "_"
    let reported = LockedBox<[Int]>([])
    let summary = try await HubAdmin.initialise(hub, from: store, loginPrefix: prefix) { done in
      reported.withLockedValue { $0.append(done) }
    }
    #expect(summary.migrations == HubSchema.migrations.map(\.name))
    #expect(summary.documentsAdded == 1_234 && summary.documentsPresent == 0)
    #expect(reported.withLockedValue { $0 } == [500, 1_000, 1_234])
    #expect(summary.schemaWritten)
    #expect(summary.guidelines == 1)
    #expect(summary.membersAdded == ["ann1", "rev", "ann2"])
    #expect(summary.assignments == 2 * 1_234)
    #expect(try await Self.count(hub, "SELECT count(*) FROM anno.document") == 1_234)
    #expect(try await Self.count(hub, "SELECT count(*) FROM anno.assignment") == 2 * 1_234)

    // The documents arrive as stored: text, title, metadata, content hash and tokens.
    for i in [1, 2, 3, 1_234] {
      let id = String(format: "d%02d", i)
      let local = try store.documentsToUpload(after: Int64(i - 1), limit: 1)[0]
      let row = try await hub.query(
        "SELECT text, title, meta::text, content_hash, tokens FROM anno.document WHERE external_id = \(id)"
      ).first!.decode((String, String?, String?, String, Data?).self)
      #expect(row.0 == local.text && row.1 == local.title && row.3 == local.contentHash)
      #expect(
        row.2.map { try? JSONParser.parse($0) } == local.meta.map { try? JSONParser.parse($0) })
      #expect(row.4.map { [UInt8]($0) } == local.tokens)
    }
    #expect(
      try await hub.query("SELECT value FROM anno.setting WHERE key = 'schema.yaml'").first!
        .decode(String.self) == store.schemaYAML())
    let queue = try await hub.query(
      """
      SELECT d.external_id, a.position, a.kind FROM anno.assignment a
      JOIN anno.document d ON d.id = a.document_id WHERE a.annotator = 'ann2' ORDER BY a.position
      """
    ).map { try $0.decode((String, Int, String).self) }
    let localQueue = try store.assignmentsToUpload().filter { $0.annotator == "ann2" }
    #expect(queue.map(\.0) == localQueue.map(\.externalID))
    #expect(queue.map(\.1) == localQueue.map(\.position))

    let again = try await HubAdmin.initialise(hub, from: store, loginPrefix: prefix)
    #expect(again.migrations.isEmpty && again.documentsAdded == 0)
    #expect(again.documentsPresent == 1_234 && again.membersAdded.isEmpty && !again.schemaWritten)
    #expect(try await Self.count(hub, "SELECT count(*) FROM anno.document") == 1_234)

    let status = try await HubAdmin.status(hub)
    #expect(status.documents == 1_234 && status.assignments == 2 * 1_234)
    #expect(status.members.map(\.name) == ["ann1", "ann2", "rev"])
    #expect(status.members.map(\.assigned) == [1_234, 1_234, 0])
    #expect(status.members.allSatisfy { !$0.canLogIn && $0.lastSync == nil })
    #expect(status.members.map(\.login) == ["ann1", "ann2", "rev"].map { prefix + $0 })
  }

  @Test func initRefusesOtherTextsUnderTheSameIdsAndUploadsNothing() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    defer { Task { await hub.close() } }
    let prefix = url.database + "_"
    try await HubAdmin.initialise(hub, from: Self.makeStore(documents: 3), loginPrefix: prefix)
    let other = try Self.makeStore(documents: 700) {
      $0 == 2 ? "Another text." : "Text of document \($0)."
    }
    do {
      try await HubAdmin.initialise(hub, from: other, loginPrefix: prefix)
      Issue.record("other texts under the same ids were accepted")
    } catch {
      #expect("\(error.localizedDescription)".contains("other texts under the same ids: 'd02'"))
    }
    #expect(try await Self.count(hub, "SELECT count(*) FROM anno.document") == 3)
  }

  @Test func statusShowsEachMembersProgressAndLastSync() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    defer { Task { await hub.close() } }
    let prefix = url.database + "_"
    try await HubAdmin.initialise(hub, from: Self.makeStore(documents: 4), loginPrefix: prefix)
    try await HubAdmin.addMember(hub, name: "ann1", role: .annotator, with: .password("pw"))
    try await hub.execute([
      """
      INSERT INTO anno.annotation_set (document_id, annotator, status, annotated_kinds,
        annotations, latest_change, revision, updated_by)
      SELECT id, 'ann1', CASE WHEN id <= 3 THEN 'done' ELSE 'in_progress' END, 1, '[]', 1, 0, 'ann1'
      FROM anno.document
      """,
      """
      INSERT INTO anno.sync_log (member, origin, last_push, last_pull) VALUES
        ('ann1', gen_random_uuid(), '2026-01-02 03:04:05+00', '2026-01-02 03:04:01+00'),
        ('ann1', gen_random_uuid(), '2026-01-01 00:00:00+00', NULL)
      """,
    ])
    let status = try await HubAdmin.status(hub)
    let ann1 = try #require(status.members.first { $0.name == "ann1" })
    #expect(ann1.done == 3 && ann1.assigned == 4 && ann1.canLogIn)
    #expect(ann1.lastSync == 1_767_323_045)
    #expect(status.annotationSets == 4)
  }
}
