import AnnoHubTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import AnnoHub

/// The hub's security is the server's: each member logs in as their own PostgreSQL role and
/// runs plain SQL, as a client that skips Anno's checks would; what their role may not do is
/// refused by PostgreSQL itself.
@Suite(.timeLimit(.minutes(3))) struct HubSecurityTests {
  /// A blind study on a fresh hub: documents d1 (ann1 and ann2), d2 (ann1), d3 (ann2); ann2
  /// finished d1, ann1 has not; the gold version of d1 exists; each annotator has an event.
  struct Study {
    let admin: HubConnection
    let url: HubURL
    var passwords: [String: String] = [:]

    static func make() async throws -> Study {
      let url = try await ThrowawayPostgres.shared().makeDatabase()
      let admin = try await HubConnection.connect(to: url)
      try await HubSchema.migrate(admin)
      var study = Study(admin: admin, url: url)
      try await admin.execute([
        "INSERT INTO anno.setting (key, value) VALUES ('study.blind', 'true')",
        """
        INSERT INTO anno.document (external_id, text, content_hash)
        VALUES ('d1', 'One.', 'h1'), ('d2', 'Two.', 'h2'), ('d3', 'Three.', 'h3')
        """,
      ])
      for (name, role) in [
        ("ann1", HubRole.annotator), ("ann2", .annotator), ("rev", .reviewer), ("man", .manager),
      ] {
        let password = HubAdmin.generatePassword()
        try await HubAdmin.addMember(
          admin, name: name, role: role, login: study.login(name), with: .password(password))
        study.passwords[name] = password
      }
      try await admin.execute([
        """
        INSERT INTO anno.assignment (document_id, annotator, position, kind)
        SELECT d.id, a.annotator, a.position, 'single' FROM (VALUES
          ('d1', 'ann1', 0), ('d2', 'ann1', 1), ('d1', 'ann2', 0), ('d3', 'ann2', 1))
          AS a(external_id, annotator, position) JOIN anno.document d USING (external_id)
        """,
        """
        INSERT INTO anno.annotation_set (document_id, annotator, status, annotated_kinds,
          annotations, latest_change, revision, updated_by)
        SELECT d.id, s.annotator, s.status, 1, '[]', 1, 0, s.annotator FROM (VALUES
          ('d1', 'ann1', 'in_progress'), ('d1', 'ann2', 'done'), ('d3', 'ann2', 'done'),
          ('d1', 'gold', 'done')) AS s(external_id, annotator, status)
          JOIN anno.document d USING (external_id)
        """,
        """
        INSERT INTO anno.event (id, origin, sequence, annotator, document_external_id, action,
          summary, payload, created_at)
        VALUES (gen_random_uuid(), gen_random_uuid(), 1, 'ann1', 'd1', 'change', 'ann1 tags', '{}', 1),
          (gen_random_uuid(), gen_random_uuid(), 1, 'ann2', 'd1', 'change', 'ann2 tags', '{}', 1),
          (gen_random_uuid(), gen_random_uuid(), 1, 'ann2', 'd3', 'change', 'ann2 tags d3', '{}', 1)
        """,
      ])
      return study
    }

    /// Member logins carry the database's name: roles are shared by the whole cluster.
    func login(_ name: String) -> String { "\(url.database)_\(name)" }

    /// A connection logged in as the member, with their password.
    func connect(as name: String) async throws -> HubConnection {
      try await HubConnection.connect(
        to: url.loggingIn(as: login(name), password: passwords[name]),
        credentials: HubCredentials(environment: [:]))
    }

    func strings(_ connection: HubConnection, _ sql: String) async throws -> [String] {
      try await connection.query(PostgresQuery(unsafeSQL: sql)).map { try $0.decode(String.self) }
    }

    func close() async { await admin.close() }
  }

  /// Runs `sql` as `connection` and expects the server to refuse it with `message`.
  func expectRefused(
    _ connection: HubConnection, _ sql: String, _ message: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async {
    do {
      try await connection.query(PostgresQuery(unsafeSQL: sql))
      Issue.record("accepted: \(sql)", sourceLocation: sourceLocation)
    } catch {
      let text = error.errorDescription ?? ""
      #expect(text.contains(message), "\(sql): \(text)", sourceLocation: sourceLocation)
    }
  }

  /// Attempts every member must be refused, whatever their role.
  func expectNobodyDeletesEventsOrChangesTheSchema(_ member: HubConnection, study: Study) async {
    await expectRefused(member, "DELETE FROM anno.event", "permission denied for table event")
    await expectRefused(
      member, "UPDATE anno.event SET summary = 'forged'", "permission denied for table event")
    await expectRefused(member, "TRUNCATE anno.event", "permission denied for table event")
    await expectRefused(
      member, "ALTER TABLE anno.annotation_set ADD COLUMN note text",
      "must be owner of table annotation_set")
    await expectRefused(
      member, "ALTER TABLE anno.annotation_set DISABLE ROW LEVEL SECURITY",
      "must be owner of table annotation_set")
    await expectRefused(
      member, "DROP POLICY read ON anno.annotation_set", "must be owner of relation annotation_set")
    await expectRefused(member, "DROP TABLE anno.event", "must be owner of table event")
    await expectRefused(
      member, "CREATE TABLE anno.shadow (x int)", "permission denied for schema anno")
    await expectRefused(
      member, "CREATE FUNCTION anno.current_member() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$",
      "permission denied for schema anno")
    await expectRefused(
      member, "CREATE TABLE public.shadow (x int)", "permission denied for schema public")
    await expectRefused(
      member, "INSERT INTO anno.migration (version, name) VALUES (99, 'forged')",
      "permission denied for table migration")
    await expectRefused(
      member, "INSERT INTO anno.member (name, role, pg_role) VALUES ('x', 'manager', 'x')",
      "permission denied for table member")
    await expectRefused(
      member, "UPDATE anno.member SET role = 'manager'", "permission denied for table member")
    await expectRefused(member, "SET ROLE \(study.url.user)", "permission denied to set role")
    await expectRefused(member, "CREATE ROLE intruder LOGIN", "permission denied to create role")
  }

  @Test func anAnnotatorReadsOnlyTheirDocumentsAndTheirOwnLabelsUntilDone() async throws {
    let study = try await Study.make()
    defer { Task { await study.close() } }
    let ann1 = try await study.connect(as: "ann1")
    defer { Task { await ann1.close() } }
    #expect(try await ann1.usesTLS())
    #expect(
      try await study.strings(ann1, "SELECT external_id FROM anno.document ORDER BY 1")
        == ["d1", "d2"])
    #expect(
      try await study.strings(ann1, "SELECT annotator FROM anno.annotation_set ORDER BY 1")
        == ["ann1"])
    #expect(
      try await study.strings(ann1, "SELECT annotator FROM anno.event ORDER BY 1") == ["ann1"])
    #expect(
      try await study.strings(ann1, "SELECT annotator FROM anno.assignment ORDER BY 1")
        == ["ann1", "ann1"])
    // Once ann1 finishes d1, the study lets them see colleagues' labels and the gold version
    // of d1, and ann2's events on it; d3 (not theirs) stays hidden.
    try await ann1.query(
      "UPDATE anno.annotation_set SET status = 'done', updated_by = 'ann1' WHERE annotator = 'ann1'"
    )
    #expect(
      try await study.strings(
        ann1, "SELECT annotator || ':' || document_id FROM anno.annotation_set ORDER BY 1")
        == ["ann1:1", "ann2:1", "gold:1"])
    #expect(
      try await study.strings(ann1, "SELECT summary FROM anno.event ORDER BY 1")
        == ["ann1 tags", "ann2 tags"])
  }

  @Test func anOpenStudyShowsAnnotatorsEveryLabelOnTheirDocuments() async throws {
    let study = try await Study.make()
    defer { Task { await study.close() } }
    try await study.admin.query("UPDATE anno.setting SET value = 'false' WHERE key = 'study.blind'")
    let ann1 = try await study.connect(as: "ann1")
    defer { Task { await ann1.close() } }
    #expect(
      try await study.strings(ann1, "SELECT annotator FROM anno.annotation_set ORDER BY 1")
        == ["ann1", "ann2", "gold"])
  }

  @Test func anAnnotatorCannotWriteAnotherMembersRowsNorTheGoldVersion() async throws {
    let study = try await Study.make()
    defer { Task { await study.close() } }
    let ann1 = try await study.connect(as: "ann1")
    defer { Task { await ann1.close() } }
    let rls = "new row violates row-level security policy"
    for annotator in ["ann2", "gold"] {
      await expectRefused(
        ann1,
        """
        INSERT INTO anno.annotation_set (document_id, annotator, status, annotated_kinds,
          annotations, latest_change, revision, updated_by)
        VALUES (2, '\(annotator)', 'done', 0, '[]', 1, 0, 'ann1')
        """, rls)
    }
    // Their own row, but claiming someone else wrote it, or moved to another annotator.
    await expectRefused(
      ann1, "UPDATE anno.annotation_set SET updated_by = 'ann2' WHERE annotator = 'ann1'", rls)
    await expectRefused(
      ann1, "UPDATE anno.annotation_set SET annotator = 'ann2' WHERE annotator = 'ann1'", rls)
    // A document not assigned to them.
    await expectRefused(
      ann1,
      """
      INSERT INTO anno.annotation_set (document_id, annotator, status, annotated_kinds,
        annotations, latest_change, revision, updated_by)
      VALUES (3, 'ann1', 'done', 0, '[]', 1, 0, 'ann1')
      """, rls)
    // Rows they cannot see cannot be changed: the update touches nothing.
    try await ann1.query(
      "UPDATE anno.annotation_set SET status = 'flagged', updated_by = 'ann1' WHERE annotator = 'ann2'"
    )
    #expect(
      try await study.strings(
        study.admin, "SELECT status FROM anno.annotation_set WHERE annotator = 'ann2' ORDER BY 1")
        == ["done", "done"])
    await expectRefused(
      ann1,
      """
      INSERT INTO anno.event (id, origin, sequence, annotator, action, summary, payload, created_at)
      VALUES (gen_random_uuid(), gen_random_uuid(), 9, 'ann2', 'change', 'forged', '{}', 1)
      """, rls)
    await expectRefused(
      ann1,
      """
      INSERT INTO anno.event (id, origin, sequence, annotator, action, summary, payload, created_at,
        pushed_by)
      VALUES (gen_random_uuid(), gen_random_uuid(), 9, 'ann1', 'change', 'x', '{}', 1,
        '\(study.login("ann2"))')
      """, rls)
    await expectRefused(
      ann1,
      "INSERT INTO anno.gold_decision (document_id, item, decided_by, decided_at, revision, updated_by) VALUES (1, 'i', 'reviewer:ann1', 1, 0, 'ann1')",
      "permission denied for table gold_decision")
    await expectRefused(
      ann1, "INSERT INTO anno.document (external_id, text, content_hash) VALUES ('x', 'x', 'x')",
      "permission denied for table document")
    await expectRefused(
      ann1, "UPDATE anno.setting SET value = 'false' WHERE key = 'study.blind'",
      "permission denied for table setting")
    await expectRefused(
      ann1, "INSERT INTO anno.sync_log (member, origin) VALUES ('ann2', gen_random_uuid())", rls)
    // What they may write, they can: an event under an origin they claimed.
    let origin = UUID().uuidString.lowercased()
    try await ann1.query(
      "INSERT INTO anno.origin (origin, member) VALUES (\(origin)::uuid, anno.current_member())")
    try await ann1.query(
      """
      INSERT INTO anno.event (id, origin, sequence, annotator, action, summary, payload, created_at)
      VALUES (gen_random_uuid(), \(origin)::uuid, 2, 'ann1', 'change', 'mine', '{}', 2)
      """)
    try await ann1.query(
      "INSERT INTO anno.sync_log (member, origin, last_push) VALUES ('ann1', gen_random_uuid(), now())"
    )
    await expectNobodyDeletesEventsOrChangesTheSchema(ann1, study: study)
  }

  @Test func aReviewerReadsEverythingAndWritesOnlyTheGoldVersion() async throws {
    let study = try await Study.make()
    defer { Task { await study.close() } }
    let reviewer = try await study.connect(as: "rev")
    defer { Task { await reviewer.close() } }
    #expect(
      try await study.strings(reviewer, "SELECT annotator FROM anno.annotation_set ORDER BY 1")
        == ["ann1", "ann2", "ann2", "gold"])
    #expect(
      try await study.strings(reviewer, "SELECT external_id FROM anno.document ORDER BY 1")
        == ["d1", "d2", "d3"])
    try await reviewer.query(
      "UPDATE anno.annotation_set SET status = 'in_progress', updated_by = 'rev' WHERE annotator = 'gold'"
    )
    try await reviewer.query(
      "INSERT INTO anno.gold_decision (document_id, item, decided_by, decided_at, revision, updated_by) VALUES (1, 'i', 'reviewer:rev', 1, 0, 'rev')"
    )
    let rls = "new row violates row-level security policy"
    await expectRefused(
      reviewer,
      """
      INSERT INTO anno.annotation_set (document_id, annotator, status, annotated_kinds,
        annotations, latest_change, revision, updated_by)
      VALUES (2, 'ann1', 'done', 0, '[]', 1, 0, 'rev')
      """, rls)
    try await reviewer.query(
      "UPDATE anno.annotation_set SET status = 'flagged', updated_by = 'rev' WHERE annotator = 'ann1'"
    )
    #expect(
      try await study.strings(
        study.admin, "SELECT status FROM anno.annotation_set WHERE annotator = 'ann1'")
        == ["in_progress"])
    await expectRefused(
      reviewer,
      "INSERT INTO anno.gold_decision (document_id, item, decided_by, decided_at, revision, updated_by) VALUES (1, 'j', 'reviewer:rev', 1, 0, 'man')",
      rls)
    await expectRefused(
      reviewer, "DELETE FROM anno.gold_decision", "permission denied for table gold_decision")
    await expectRefused(
      reviewer,
      "INSERT INTO anno.document (external_id, text, content_hash) VALUES ('x', 'x', 'x')",
      "permission denied for table document")
    await expectNobodyDeletesEventsOrChangesTheSchema(reviewer, study: study)
  }

  @Test func aManagerManagesDocumentsButWritesNoAnnotatorsLabels() async throws {
    let study = try await Study.make()
    defer { Task { await study.close() } }
    let manager = try await study.connect(as: "man")
    defer { Task { await manager.close() } }
    #expect(
      try await study.strings(manager, "SELECT annotator FROM anno.annotation_set ORDER BY 1")
        == ["ann1", "ann2", "ann2", "gold"])
    try await manager.query(
      "INSERT INTO anno.document (external_id, text, content_hash) VALUES ('d4', 'Four.', 'h4')")
    try await manager.query(
      "INSERT INTO anno.assignment (document_id, annotator, position, kind) SELECT id, 'ann1', 2, 'single' FROM anno.document WHERE external_id = 'd4'"
    )
    await expectRefused(
      manager,
      """
      INSERT INTO anno.annotation_set (document_id, annotator, status, annotated_kinds,
        annotations, latest_change, revision, updated_by)
      VALUES (2, 'ann1', 'done', 0, '[]', 1, 0, 'man')
      """, "new row violates row-level security policy")
    await expectRefused(
      manager,
      """
      INSERT INTO anno.event (id, origin, sequence, annotator, action, summary, payload, created_at)
      VALUES (gen_random_uuid(), gen_random_uuid(), 9, 'ann1', 'change', 'forged', '{}', 1)
      """, "new row violates row-level security policy")
    await expectNobodyDeletesEventsOrChangesTheSchema(manager, study: study)
    // The new document reached ann1's view through the assignment.
    let ann1 = try await study.connect(as: "ann1")
    defer { Task { await ann1.close() } }
    #expect(
      try await study.strings(ann1, "SELECT external_id FROM anno.document ORDER BY 1")
        == ["d1", "d2", "d4"])
  }

  @Test func aRoleOfAnotherHubCannotEvenConnect() async throws {
    let study = try await Study.make()
    defer { Task { await study.close() } }
    let other = try await Study.make()
    defer { Task { await other.close() } }
    do {
      _ = try await HubConnection.connect(
        to: study.url.loggingIn(as: other.login("ann1"), password: other.passwords["ann1"]),
        credentials: HubCredentials(environment: [:]))
      Issue.record("a member of another hub connected")
    } catch {
      #expect(
        error.errorDescription?.contains("permission denied for database") == true,
        "\(error.errorDescription ?? "")")
    }
  }

  @Test func addMemberSendsNoPasswordToTheServerAndTheMemberLogsInWithIt() async throws {
    let study = try await Study.make()
    defer { Task { await study.close() } }
    let logFile = try await ThrowawayPostgres.shared().folder + "/server.log"
    try await study.admin.query(
      PostgresQuery(unsafeSQL: "ALTER DATABASE \(study.url.database) SET log_statement = 'all'"))
    // A new session picks the setting up.
    let admin = try await HubConnection.connect(to: study.url)
    defer { Task { await admin.close() } }
    let password = "pw-\(UUID().uuidString)"
    try await HubAdmin.addMember(
      admin, name: "ann3", role: .annotator, login: study.login("ann3"), with: .password(password))
    let member = try await HubConnection.connect(
      to: study.url.loggingIn(as: study.login("ann3"), password: password),
      credentials: HubCredentials(environment: [:]))
    #expect(try await study.strings(member, "SELECT anno.current_member()") == ["ann3"])
    await member.close()
    let log = try String(contentsOfFile: logFile, encoding: .utf8)
    #expect(log.contains("CREATE ROLE \"\(study.login("ann3"))\" LOGIN PASSWORD 'SCRAM-SHA-256$"))
    #expect(!log.contains(password))
    await #expect(throws: HubError.self) {
      try await HubConnection.connect(
        to: study.url.loggingIn(as: study.login("ann3"), password: "wrong"),
        credentials: HubCredentials(environment: [:]))
    }
  }

  @Test func changingAMembersRoleMovesThemToTheOtherGroup() async throws {
    let study = try await Study.make()
    defer { Task { await study.close() } }
    let isNew = try await HubAdmin.addMember(
      study.admin, name: "ann1", role: .reviewer, with: .password(study.passwords["ann1"]!))
    #expect(!isNew)
    let ann1 = try await study.connect(as: "ann1")
    defer { Task { await ann1.close() } }
    #expect(
      try await study.strings(ann1, "SELECT annotator FROM anno.annotation_set ORDER BY 1")
        == ["ann1", "ann2", "ann2", "gold"])
    let groups = try await study.strings(
      study.admin,
      "SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '\(study.login("ann1"))'"
    )
    #expect(groups == [HubSchema.groupRole(.reviewer, database: study.url.database)])
  }
}
