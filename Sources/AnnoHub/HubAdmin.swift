import AnnoCore
import AnnoStore
import Foundation
import PostgresNIO

/// What `anno hub init` did.
public struct HubInitSummary: Hashable, Sendable {
  /// Migrations applied (none when the hub was up to date).
  public var migrations: [String] = []
  /// Documents uploaded, and those the hub had already (same content).
  public var documentsAdded = 0
  /// Documents the hub had already, with the same content.
  public var documentsPresent = 0
  /// Whether the schema was written (false: the hub had the same one).
  public var schemaWritten = false
  /// Guideline files written.
  public var guidelines = 0
  /// Members created from the local team and the assignment's annotators (without a login).
  public var membersAdded: [String] = []
  /// Queue entries uploaded.
  public var assignments = 0

  /// An empty summary.
  public init() {}
}

/// One member of the hub, as `anno hub status` shows them.
public struct HubMemberStatus: Hashable, Sendable {
  /// The name they annotate under.
  public var name: String
  /// Their role.
  public var role: HubRole
  /// The PostgreSQL role they log in as.
  public var login: String
  /// Whether that role may log in (members created by `hub init` cannot until `add-member`).
  public var canLogIn: Bool
  /// Documents assigned to them.
  public var assigned: Int
  /// Annotation sets they marked done on the hub.
  public var done: Int
  /// Their last sync from any machine (seconds since 1970), if they ever synced.
  public var lastSync: Double?
}

/// What `anno hub status` shows.
public struct HubStatus: Hashable, Sendable {
  /// The hub, without password.
  public var url: String
  /// The schema version of the hub's tables.
  public var schemaVersion: Int
  /// The label schema's name and version (from its YAML), if one was uploaded.
  public var labelSchema: String?
  /// Whether annotators work blind.
  public var isBlind: Bool
  /// Documents on the hub.
  public var documents: Int
  /// Queue entries.
  public var assignments: Int
  /// Annotation sets (gold included) and events.
  public var annotationSets: Int
  /// Events in the log.
  public var events: Int
  /// The members, by role then name.
  public var members: [HubMemberStatus]
}

/// How a new member logs in.
public enum MemberLogin: Hashable, Sendable {
  /// With this password (sent to the server as a SCRAM verifier).
  case password(String)
  /// With a client certificate (the server's pg_hba.conf must say `cert` for them).
  case certificate
}

/// The hub's administration: initialise, inspect, add members. Run by the hub's owner (a
/// role that may create roles), except `status`, which any member may run.
public enum HubAdmin {
  /// Rows per upload statement.
  public static let batchSize = 500

  /// Creates or updates the hub's schema and uploads what the local database has: documents,
  /// the label schema and guidelines, team members and the assignment, in one transaction.
  ///
  /// - Parameters:
  ///   - loginPrefix: put before each member's name to make their PostgreSQL role (roles are
  ///     per server, so two hubs on one server can each have an `ann1`).
  ///   - progress: called after each batch of documents with the count so far.
  @discardableResult
  public static func initialise(
    _ hub: HubConnection, from store: Store, loginPrefix: String = "",
    progress: @Sendable (Int) -> Void = { _ in }
  ) async throws -> HubInitSummary {
    var summary = HubInitSummary()
    summary.migrations = try await HubSchema.migrate(hub).map(\.name)
    return try await hub.transaction { hub in
      try await uploadSchema(hub, store: store, summary: &summary)
      try await uploadDocuments(hub, store: store, summary: &summary, progress: progress)
      try await uploadTeam(hub, store: store, loginPrefix: loginPrefix, summary: &summary)
      return summary
    }
  }

  private static func uploadSchema(
    _ hub: HubConnection, store: Store, summary: inout HubInitSummary
  ) async throws {
    guard let yaml = try store.schemaYAML(), let schema = try store.schema() else { return }
    let existing = try await hub.query("SELECT value FROM anno.setting WHERE key = 'schema.yaml'")
      .first?.decode(String.self, what: "schema")
    if let existing, existing != yaml {
      let theirs =
        (try? LabelSchema(yaml: existing)).map { "'\($0.name)' v\($0.version)" } ?? "another schema"
      throw HubError.invalid(
        "hub \(hub.url) has \(theirs), this database '\(schema.name)' v\(schema.version): "
          + "nothing was uploaded; initialise from a database with the hub's schema, or a new hub")
    }
    if existing == nil {
      try await hub.query(
        "INSERT INTO anno.setting (key, value) VALUES ('schema.yaml', \(yaml))")
      summary.schemaWritten = true
    }
    let blind = schema.study.isBlind ? "true" : "false"
    try await hub.query(
      """
      INSERT INTO anno.setting (key, value) VALUES ('study.blind', \(blind))
      ON CONFLICT (key) DO UPDATE SET value = excluded.value
      """)
    for (file, markdown) in try store.guidelineFiles().sorted(by: { $0.key < $1.key }) {
      try await hub.query(
        """
        INSERT INTO anno.guideline (file, markdown) VALUES (\(file), \(markdown))
        ON CONFLICT (file) DO UPDATE SET markdown = excluded.markdown
        """)
      summary.guidelines += 1
    }
  }

  private static func uploadDocuments(
    _ hub: HubConnection, store: Store, summary: inout HubInitSummary,
    progress: @Sendable (Int) -> Void
  ) async throws {
    var cursor: Int64 = 0
    while true {
      let batch = try store.documentsToUpload(after: cursor, limit: batchSize)
      guard let last = batch.last else { break }
      cursor = last.localID
      // One statement per batch: the rows as one JSON parameter, expanded server-side.
      let json = JSONWriter.string(
        for: .array(
          batch.map { document in
            var object: [String: JSONValue] = [
              "external_id": .string(document.externalID), "text": .string(document.text),
              "content_hash": .string(document.contentHash),
            ]
            if let title = document.title { object["title"] = .string(title) }
            if let source = document.source { object["source"] = .string(source) }
            if let meta = document.meta { object["meta"] = .string(meta) }
            if let tokens = document.tokens {
              object["tokens"] = .string(Data(tokens).base64EncodedString())
            }
            return .object(object)
          }))
      let rows = try await hub.query(
        """
        WITH incoming AS (
          SELECT external_id, text, title, source, meta::jsonb AS meta, content_hash,
            decode(tokens, 'base64') AS tokens
          FROM jsonb_to_recordset(\(json)::jsonb) AS i(external_id text, text text, title text,
            source text, meta text, content_hash text, tokens text)),
        added AS (
          INSERT INTO anno.document (external_id, text, title, source, meta, content_hash, tokens)
          SELECT * FROM incoming ON CONFLICT (external_id) DO NOTHING RETURNING external_id)
        SELECT (SELECT count(*) FROM added),
          (SELECT array_agg(i.external_id ORDER BY i.external_id) FROM incoming i
             JOIN anno.document d USING (external_id) WHERE d.content_hash <> i.content_hash)
        """)
      let (added, conflicts) = try rows.first!.decode((Int, [String]?).self)
      if let conflicts, !conflicts.isEmpty {
        throw HubError.invalid(
          "hub \(hub.url) has other texts under the same ids: "
            + conflicts.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            + (conflicts.count > 5 ? " and \(conflicts.count - 5) more" : "")
            + "; nothing was uploaded")
      }
      summary.documentsAdded += added
      summary.documentsPresent += batch.count - added
      progress(summary.documentsAdded + summary.documentsPresent)
    }
  }

  private static func uploadTeam(
    _ hub: HubConnection, store: Store, loginPrefix: String, summary: inout HubInitSummary
  ) async throws {
    var members: [(String, HubRole)] = try store.teamMembers().compactMap { member in
      HubRole(rawValue: member.role.rawValue).map { (member.name, $0) }
    }
    let assignments = try store.assignmentsToUpload()
    let named = Set(members.map { $0.0 })
    for name in Set(assignments.map(\.annotator)).subtracting(named).sorted() {
      members.append((name, .annotator))
    }
    for (name, role) in members {
      let exists = try await hub.query("SELECT 1 FROM anno.member WHERE name = \(name)")
      guard exists.isEmpty else { continue }
      try await createMember(hub, name: name, role: role, login: loginPrefix + name, with: nil)
      summary.membersAdded.append(name)
    }
    for start in stride(from: 0, to: assignments.count, by: batchSize) {
      let batch = assignments[start..<min(start + batchSize, assignments.count)]
      let externalIDs = batch.map(\.externalID)
      let annotators = batch.map(\.annotator)
      let positions = batch.map(\.position)
      let kinds = batch.map(\.kind)
      try await hub.query(
        """
        INSERT INTO anno.assignment (document_id, annotator, position, kind)
        SELECT d.id, a.annotator, a.position, a.kind
        FROM unnest(\(externalIDs)::text[], \(annotators)::text[], \(positions)::int[],
          \(kinds)::text[]) AS a(external_id, annotator, position, kind)
        JOIN anno.document d USING (external_id)
        ON CONFLICT (document_id, annotator) DO UPDATE SET position = excluded.position,
          kind = excluded.kind
        """)
      summary.assignments += batch.count
    }
    // The rule the assignments were made by: the study report reads it on every machine.
    if let rule = try store.hubAssignmentRule() {
      try await hub.query(
        """
        INSERT INTO anno.setting (key, value) VALUES ('assignment.rule', \(rule))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
        """)
    }
  }

  /// Adds a member who logs in as PostgreSQL role `login` (their name unless given), or gives
  /// an existing member (one `hub init` created without a login) their login and role.
  ///
  /// The role is created (or altered) with the password's SCRAM verifier, so the password is
  /// in no statement; it joins the role's group and leaves the others.
  ///
  /// - Returns: `true` when the member is new.
  @discardableResult
  public static func addMember(
    _ hub: HubConnection, name: String, role: HubRole, login: String? = nil,
    with credentials: MemberLogin
  ) async throws -> Bool {
    if let message = AnnotatorName.validationMessage(name) { throw HubError.invalid(message) }
    guard name != "gold" else {
      throw HubError.invalid(
        "'gold' is the adjudicated version, not a person; add the reviewers who write it")
    }
    guard try await HubSchema.version(of: hub) > 0 else {
      throw HubError.notInitialised(hub: hub.url.description)
    }
    return try await hub.transaction { hub in
      let existing = try await hub.query(
        "SELECT pg_role::text FROM anno.member WHERE name = \(name)"
      ).first?.decode(String.self, what: "member")
      if let existing {
        if let login, login != existing {
          throw HubError.invalid(
            "\(name) is already a member, logging in as '\(existing)'; leave out --login")
        }
        try await hub.query("UPDATE anno.member SET role = \(role.rawValue) WHERE name = \(name)")
        try await setLogin(hub, role: existing, kind: role, credentials: credentials, create: false)
        return false
      }
      try await createMember(hub, name: name, role: role, login: login ?? name, with: credentials)
      return true
    }
  }

  /// Creates the member row and their PostgreSQL role (without a login when `credentials` is
  /// `nil`).
  static func createMember(
    _ hub: HubConnection, name: String, role: HubRole, login: String,
    with credentials: MemberLogin?
  ) async throws {
    let taken = try await hub.query("SELECT 1 FROM pg_roles WHERE rolname = \(login)")
    guard taken.isEmpty else {
      throw HubError.invalid(
        "the server already has a role '\(login)': choose another login for \(name) "
          + "(--login ROLE, or --login-prefix PREFIX for hub init)")
    }
    try await hub.query(
      "INSERT INTO anno.member (name, role, pg_role) VALUES (\(name), \(role.rawValue), \(login))")
    try await setLogin(hub, role: login, kind: role, credentials: credentials, create: true)
  }

  private static func setLogin(
    _ hub: HubConnection, role login: String, kind: HubRole, credentials: MemberLogin?,
    create: Bool
  ) async throws {
    let identifier = quoteIdentifier(login)
    let loginClause: String
    switch credentials {
    case nil: loginClause = "NOLOGIN"
    case .certificate: loginClause = "LOGIN PASSWORD NULL"
    case .password(let password):
      loginClause = "LOGIN PASSWORD " + quoteLiteral(ScramVerifier.make(password: password))
    }
    try await hub.execute([
      (create ? "CREATE ROLE " : "ALTER ROLE ") + identifier + " " + loginClause
    ])
    for other in HubRole.allCases {
      let group = quoteIdentifier(HubSchema.groupRole(other, database: hub.url.database))
      if other == kind {
        try await hub.execute(["GRANT \(group) TO \(identifier)"])
      } else if !create {
        try await hub.execute(["REVOKE \(group) FROM \(identifier)"])
      }
    }
  }

  /// The hub's documents, members and their progress.
  public static func status(_ hub: HubConnection) async throws -> HubStatus {
    let version = try await HubSchema.version(of: hub)
    guard version > 0 else { throw HubError.notInitialised(hub: hub.url.description) }
    let counts = try await hub.query(
      """
      SELECT (SELECT count(*) FROM anno.document), (SELECT count(*) FROM anno.assignment),
        (SELECT count(*) FROM anno.annotation_set), (SELECT count(*) FROM anno.event),
        (SELECT value FROM anno.setting WHERE key = 'schema.yaml'),
        coalesce((SELECT value FROM anno.setting WHERE key = 'study.blind'), 'true') <> 'false'
      """
    ).first!.decode((Int, Int, Int, Int, String?, Bool).self)
    var members: [HubMemberStatus] = []
    for row in try await hub.query(
      """
      SELECT m.name, m.role, m.pg_role::text, coalesce(r.rolcanlogin, false),
        (SELECT count(*) FROM anno.assignment a WHERE a.annotator = m.name),
        (SELECT count(*) FROM anno.annotation_set s WHERE s.annotator = m.name AND s.status = 'done'),
        (SELECT extract(epoch FROM max(greatest(l.last_push, l.last_pull)))::float8
           FROM anno.sync_log l WHERE l.member = m.name)
      FROM anno.member m LEFT JOIN pg_roles r ON r.rolname = m.pg_role
      ORDER BY CASE m.role WHEN 'annotator' THEN 0 WHEN 'reviewer' THEN 1 ELSE 2 END, m.name
      """)
    {
      let (name, role, login, canLogIn, assigned, done, lastSync) = try row.decode(
        (String, String, String, Bool, Int, Int, Double?).self)
      members.append(
        HubMemberStatus(
          name: name, role: HubRole(rawValue: role) ?? .annotator, login: login,
          canLogIn: canLogIn, assigned: assigned, done: done, lastSync: lastSync))
    }
    let labelSchema = counts.4.flatMap { try? LabelSchema(yaml: $0) }.map {
      "\($0.name) v\($0.version)"
    }
    return HubStatus(
      url: hub.url.description, schemaVersion: version, labelSchema: labelSchema,
      isBlind: counts.5, documents: counts.0, assignments: counts.1, annotationSets: counts.2,
      events: counts.3, members: members)
  }

  /// A random password of 24 letters and digits.
  public static func generatePassword() -> String {
    let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
  }

  /// `"name"`, with inner quotes doubled.
  static func quoteIdentifier(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// `'text'`, with inner quotes doubled (standard_conforming_strings is on since 9.1).
  static func quoteLiteral(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }
}
