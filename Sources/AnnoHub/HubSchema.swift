import PostgresNIO

/// One step of the hub's schema: its version, name and statements, run in one transaction.
public struct HubMigration: Sendable {
  /// The version it brings the hub to (1, 2, ...; `anno.migration.version`).
  public var version: Int
  /// What it does, e.g. `v1 tables`.
  public var name: String
  /// The statements, in order.
  public var statements: [String]
}

/// The hub's PostgreSQL schema `anno`: versioned migrations, applied in order, each in one
/// transaction, by the role that initialises the hub (its owner and administrator).
public enum HubSchema {
  /// Every migration. Append only: never edit one after it has shipped.
  public static let migrations: [HubMigration] = [
    HubMigration(version: 1, name: "v1 tables", statements: tables),
    HubMigration(
      version: 2, name: "v2 roles, privileges and row-level security", statements: security),
    HubMigration(version: 3, name: "v3 origins belong to members", statements: origins),
    HubMigration(
      version: 4, name: "v4 read policies ask who the member is once per statement",
      statements: readPolicies),
  ]

  /// The newest version this Anno knows.
  public static var latestVersion: Int { migrations.last!.version }

  /// The hub's schema version: 0 when it has none yet.
  public static func version(of hub: HubConnection) async throws(HubError) -> Int {
    let exists =
      try await hub.query("SELECT to_regclass('anno.migration') IS NOT NULL").first?
      .decode(Bool.self, what: "migration table") ?? false
    guard exists else { return 0 }
    return try await hub.query("SELECT coalesce(max(version), 0)::int8 FROM anno.migration")
      .first?.decode(Int.self, what: "schema version") ?? 0
  }

  /// Brings the hub's schema up to date, in one transaction; returns the migrations it applied.
  ///
  /// Concurrent callers are serialised by an advisory lock; a hub newer than this Anno is
  /// refused before anything is written.
  @discardableResult
  public static func migrate(_ hub: HubConnection) async throws(HubError) -> [HubMigration] {
    do {
      return try await hub.transaction { hub in
        try await hub.query("SELECT pg_advisory_xact_lock(hashtext('anno.migrate'))")
        try await hub.execute([
          "CREATE SCHEMA IF NOT EXISTS anno",
          """
          CREATE TABLE IF NOT EXISTS anno.migration (
            version int PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now())
          """,
        ])
        let current = try await version(of: hub)
        if current > latestVersion {
          throw HubError.newerHub(hub: hub.url.description, version: current)
        }
        var applied: [HubMigration] = []
        for migration in migrations where migration.version > current {
          do {
            try await hub.execute(migration.statements)
            try await hub.query(
              "INSERT INTO anno.migration (version, name) VALUES (\(migration.version), \(migration.name))"
            )
          } catch let error as HubError {
            throw HubError.server(
              hub: hub.url.description,
              message: "migration '\(migration.name)' failed: \(error.serverMessage)")
          }
          applied.append(migration)
        }
        return applied
      }
    } catch let error as HubError {
      throw error
    } catch {
      throw hub.translate(error)
    }
  }

  /// The group role every member of a kind belongs to, on the hub `database`
  /// (`<database>_annotator`, ...): group roles are per cluster, hubs are per database.
  public static func groupRole(_ kind: HubRole, database: String) -> String {
    "\(database)_\(kind.rawValue)"
  }

  // The tables. Row-level security and grants come in the next migration.
  static let tables = [
    """
    COMMENT ON SCHEMA anno IS 'Anno team hub: documents, labels and events shared by a team'
    """,
    // The pull cursor of labels, gold decisions and events (see `serialize_writes`).
    "CREATE SEQUENCE anno.revision",
    "CREATE TABLE anno.setting (key text PRIMARY KEY, value text NOT NULL)",
    "CREATE TABLE anno.guideline (file text PRIMARY KEY, markdown text NOT NULL)",
    """
    CREATE TABLE anno.member (
      name text PRIMARY KEY CHECK (length(name) > 0 AND name <> 'gold'),
      role text NOT NULL CHECK (role IN ('annotator', 'reviewer', 'manager')),
      pg_role name NOT NULL UNIQUE,
      added_at timestamptz NOT NULL DEFAULT now())
    """,
    """
    CREATE TABLE anno.document (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      external_id text NOT NULL UNIQUE CHECK (length(external_id) > 0),
      text text NOT NULL,
      title text,
      source text,
      meta jsonb,
      content_hash text NOT NULL,
      tokens bytea,
      added_at timestamptz NOT NULL DEFAULT now())
    """,
    """
    CREATE TABLE anno.assignment (
      document_id bigint NOT NULL REFERENCES anno.document ON DELETE CASCADE,
      annotator text NOT NULL REFERENCES anno.member ON UPDATE CASCADE,
      position int NOT NULL CHECK (position >= 0),
      kind text NOT NULL CHECK (kind IN ('single', 'overlap', 'gold')),
      PRIMARY KEY (document_id, annotator))
    """,
    "CREATE INDEX assignment_queue ON anno.assignment (annotator, position)",
    """
    CREATE TABLE anno.annotation_set (
      document_id bigint NOT NULL REFERENCES anno.document,
      annotator text NOT NULL CHECK (length(annotator) > 0),
      status text NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'skipped', 'flagged')),
      flag_reason text,
      annotated_kinds int NOT NULL CHECK (annotated_kinds >= 0),
      annotations jsonb NOT NULL CHECK (jsonb_typeof(annotations) IN ('object', 'array')),
      latest_change double precision NOT NULL,
      revision bigint NOT NULL,
      updated_by text NOT NULL,
      PRIMARY KEY (document_id, annotator))
    """,
    "CREATE INDEX annotation_set_revision ON anno.annotation_set (revision)",
    """
    CREATE TABLE anno.event (
      id uuid PRIMARY KEY,
      origin uuid NOT NULL,
      sequence bigint NOT NULL,
      annotator text,
      document_external_id text,
      action text NOT NULL,
      summary text NOT NULL,
      payload jsonb NOT NULL,
      created_at double precision NOT NULL,
      revision bigint NOT NULL DEFAULT nextval('anno.revision'),
      pushed_by name NOT NULL DEFAULT session_user,
      UNIQUE (origin, sequence))
    """,
    "CREATE INDEX event_revision ON anno.event (revision)",
    "CREATE INDEX event_annotator ON anno.event (annotator, revision)",
    """
    CREATE TABLE anno.gold_decision (
      document_id bigint NOT NULL REFERENCES anno.document ON DELETE CASCADE,
      item text NOT NULL,
      value text,
      decided_by text NOT NULL CHECK (decided_by LIKE 'auto:%' OR decided_by LIKE 'reviewer:%'),
      decided_at double precision NOT NULL,
      revision bigint NOT NULL,
      updated_by text NOT NULL,
      PRIMARY KEY (document_id, item))
    """,
    "CREATE INDEX gold_decision_revision ON anno.gold_decision (revision)",
    """
    CREATE TABLE anno.sync_log (
      member text NOT NULL,
      origin uuid NOT NULL,
      last_push timestamptz,
      last_pull timestamptz,
      pushed_events bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (member, origin))
    """,
    // Writers of pulled tables take one lock until they commit, so revisions (and document
    // ids) become visible in the order they were drawn: a reader that pulls everything above
    // its cursor never skips a row that commits later with a smaller number.
    """
    CREATE FUNCTION anno.serialize_writes() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, anno AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('anno.revision'));
      RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION anno.stamp_revision() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, anno AS $$
    BEGIN
      NEW.revision := nextval('anno.revision');
      RETURN NEW;
    END $$
    """,
    """
    CREATE FUNCTION anno.refuse_change() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, anno AS $$
    BEGIN
      RAISE EXCEPTION 'the event log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE TRIGGER serialize_writes BEFORE INSERT OR UPDATE ON anno.document
      FOR EACH STATEMENT EXECUTE FUNCTION anno.serialize_writes()
    """,
    """
    CREATE TRIGGER serialize_writes BEFORE INSERT OR UPDATE ON anno.annotation_set
      FOR EACH STATEMENT EXECUTE FUNCTION anno.serialize_writes()
    """,
    """
    CREATE TRIGGER serialize_writes BEFORE INSERT ON anno.event
      FOR EACH STATEMENT EXECUTE FUNCTION anno.serialize_writes()
    """,
    """
    CREATE TRIGGER serialize_writes BEFORE INSERT OR UPDATE ON anno.gold_decision
      FOR EACH STATEMENT EXECUTE FUNCTION anno.serialize_writes()
    """,
    """
    CREATE TRIGGER stamp_revision BEFORE INSERT OR UPDATE ON anno.annotation_set
      FOR EACH ROW EXECUTE FUNCTION anno.stamp_revision()
    """,
    """
    CREATE TRIGGER stamp_revision BEFORE INSERT OR UPDATE ON anno.gold_decision
      FOR EACH ROW EXECUTE FUNCTION anno.stamp_revision()
    """,
    """
    CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON anno.event
      FOR EACH ROW EXECUTE FUNCTION anno.refuse_change()
    """,
    """
    CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON anno.event
      FOR EACH STATEMENT EXECUTE FUNCTION anno.refuse_change()
    """,
  ]

  // Who may do what. Members log in as their own role, which belongs to one group role per
  // kind; the group holds the table privileges, the policies decide which rows. The owner
  // (who ran the migrations) is exempt from row-level security, so the SECURITY DEFINER
  // helpers below see every row while they decide for a member.
  static let security = [
    """
    DO $$
    DECLARE kind text;
    BEGIN
      FOREACH kind IN ARRAY ARRAY['annotator', 'reviewer', 'manager'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_database() || '_' || kind) THEN
          EXECUTE format('CREATE ROLE %I NOLOGIN', current_database() || '_' || kind);
        END IF;
      END LOOP;
      EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
      EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I, %I, %I', current_database(),
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
      EXECUTE 'REVOKE CREATE ON SCHEMA public FROM PUBLIC';
      EXECUTE format('GRANT USAGE ON SCHEMA anno TO %I, %I, %I',
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
      EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA anno TO %I, %I, %I',
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
      EXECUTE format('GRANT USAGE ON SEQUENCE anno.revision TO %I, %I, %I',
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
      EXECUTE format(
        'GRANT INSERT, UPDATE ON anno.annotation_set, anno.sync_log TO %I, %I, %I',
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
      EXECUTE format('GRANT INSERT ON anno.event TO %I, %I, %I',
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
      EXECUTE format('GRANT INSERT, UPDATE ON anno.gold_decision TO %I, %I',
        current_database() || '_reviewer', current_database() || '_manager');
      EXECUTE format(
        'GRANT INSERT, UPDATE, DELETE ON anno.document, anno.assignment, anno.setting, anno.guideline TO %I',
        current_database() || '_manager');
    END $$
    """,
    """
    CREATE FUNCTION anno.current_member() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, anno AS $$
      SELECT name FROM anno.member WHERE pg_role = session_user
    $$
    """,
    """
    CREATE FUNCTION anno.current_role_kind() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, anno AS $$
      SELECT role FROM anno.member WHERE pg_role = session_user
    $$
    """,
    // Reviewers and managers see every label; annotators and non-members do not.
    """
    CREATE FUNCTION anno.sees_everything() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, anno AS $$
      SELECT coalesce((SELECT role <> 'annotator' FROM anno.member WHERE pg_role = session_user), false)
    $$
    """,
    // Blind unless the schema's study block says `blind: false` (setting study.blind).
    """
    CREATE FUNCTION anno.is_blind() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, anno AS $$
      SELECT coalesce((SELECT value FROM anno.setting WHERE key = 'study.blind'), 'true') <> 'false'
    $$
    """,
    // A document an annotator may open: one assigned to them, or any while the hub has no
    // assignment at all.
    """
    CREATE FUNCTION anno.may_see_document(doc bigint) RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = pg_catalog, anno AS $$
      SELECT anno.sees_everything()
        OR (anno.current_member() IS NOT NULL AND (NOT EXISTS (SELECT 1 FROM anno.assignment)
          OR EXISTS (SELECT 1 FROM anno.assignment a
                     WHERE a.document_id = doc AND a.annotator = anno.current_member())))
    $$
    """,
    // Other annotators' labels and the gold version of a document: open studies show them,
    // blind ones once the member's own set for the document is done.
    """
    CREATE FUNCTION anno.may_read_others(doc bigint) RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = pg_catalog, anno AS $$
      SELECT anno.sees_everything()
        OR (anno.may_see_document(doc) AND (NOT anno.is_blind()
          OR EXISTS (SELECT 1 FROM anno.annotation_set s WHERE s.document_id = doc
                     AND s.annotator = anno.current_member() AND s.status = 'done')))
    $$
    """,
    """
    CREATE FUNCTION anno.may_read_others(external_id text) RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = pg_catalog, anno AS $$
      SELECT coalesce((SELECT anno.may_read_others(d.id) FROM anno.document d
                       WHERE d.external_id = $1), anno.sees_everything())
    $$
    """,
    // Rows written as a member: their own, or the gold version for reviewers and managers.
    """
    CREATE FUNCTION anno.may_write_as(annotator text) RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = pg_catalog, anno AS $$
      SELECT anno.current_member() IS NOT NULL AND ($1 = anno.current_member()
        OR ($1 = 'gold' AND anno.current_role_kind() IN ('reviewer', 'manager')))
    $$
    """,
    "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA anno FROM PUBLIC",
    """
    DO $$ BEGIN
      EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA anno TO %I, %I, %I',
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
    END $$
    """,

    "ALTER TABLE anno.setting ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY read ON anno.setting FOR SELECT USING (anno.current_member() IS NOT NULL)",
    """
    CREATE POLICY manage ON anno.setting FOR ALL
      USING (anno.current_role_kind() = 'manager') WITH CHECK (anno.current_role_kind() = 'manager')
    """,
    "ALTER TABLE anno.guideline ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY read ON anno.guideline FOR SELECT USING (anno.current_member() IS NOT NULL)",
    """
    CREATE POLICY manage ON anno.guideline FOR ALL
      USING (anno.current_role_kind() = 'manager') WITH CHECK (anno.current_role_kind() = 'manager')
    """,
    // Members are added by the owner (it takes CREATE ROLE); everyone may read the team.
    "ALTER TABLE anno.member ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY read ON anno.member FOR SELECT USING (anno.current_member() IS NOT NULL)",

    "ALTER TABLE anno.document ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY read ON anno.document FOR SELECT USING (anno.may_see_document(id))",
    """
    CREATE POLICY manage ON anno.document FOR ALL
      USING (anno.current_role_kind() = 'manager') WITH CHECK (anno.current_role_kind() = 'manager')
    """,
    "ALTER TABLE anno.assignment ENABLE ROW LEVEL SECURITY",
    """
    CREATE POLICY read ON anno.assignment FOR SELECT
      USING (annotator = anno.current_member() OR anno.sees_everything())
    """,
    """
    CREATE POLICY manage ON anno.assignment FOR ALL
      USING (anno.current_role_kind() = 'manager') WITH CHECK (anno.current_role_kind() = 'manager')
    """,

    "ALTER TABLE anno.annotation_set ENABLE ROW LEVEL SECURITY",
    """
    CREATE POLICY read ON anno.annotation_set FOR SELECT
      USING (annotator = anno.current_member() OR anno.may_read_others(document_id))
    """,
    """
    CREATE POLICY write ON anno.annotation_set FOR INSERT
      WITH CHECK (anno.may_write_as(annotator) AND updated_by = anno.current_member()
                  AND anno.may_see_document(document_id))
    """,
    """
    CREATE POLICY change ON anno.annotation_set FOR UPDATE
      USING (anno.may_write_as(annotator))
      WITH CHECK (anno.may_write_as(annotator) AND updated_by = anno.current_member()
                  AND anno.may_see_document(document_id))
    """,

    "ALTER TABLE anno.event ENABLE ROW LEVEL SECURITY",
    """
    CREATE POLICY read ON anno.event FOR SELECT
      USING (annotator = anno.current_member() OR anno.sees_everything()
             OR (annotator IS NULL AND anno.current_member() IS NOT NULL)
             OR (document_external_id IS NOT NULL AND anno.may_read_others(document_external_id)))
    """,
    """
    CREATE POLICY write ON anno.event FOR INSERT
      WITH CHECK (pushed_by = session_user AND (anno.may_write_as(annotator)
                  OR (annotator IS NULL AND anno.current_role_kind() = 'manager')))
    """,

    "ALTER TABLE anno.gold_decision ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY read ON anno.gold_decision FOR SELECT USING (anno.may_read_others(document_id))",
    """
    CREATE POLICY write ON anno.gold_decision FOR INSERT
      WITH CHECK (anno.current_role_kind() IN ('reviewer', 'manager')
                  AND updated_by = anno.current_member())
    """,
    """
    CREATE POLICY change ON anno.gold_decision FOR UPDATE
      USING (anno.current_role_kind() IN ('reviewer', 'manager'))
      WITH CHECK (anno.current_role_kind() IN ('reviewer', 'manager')
                  AND updated_by = anno.current_member())
    """,

    "ALTER TABLE anno.sync_log ENABLE ROW LEVEL SECURITY",
    """
    CREATE POLICY read ON anno.sync_log FOR SELECT
      USING (member = anno.current_member() OR anno.sees_everything())
    """,
    "CREATE POLICY write ON anno.sync_log FOR INSERT WITH CHECK (member = anno.current_member())",
    """
    CREATE POLICY change ON anno.sync_log FOR UPDATE
      USING (member = anno.current_member()) WITH CHECK (member = anno.current_member())
    """,
  ]
}

extension HubSchema {
  // Every local database has an origin (a UUID) that, with its local event ids, makes global
  // event ids. The first member to sync from a database claims its origin; only that member
  // may push events under it, so no member can take another's event ids, and a database
  // copied to another member (who must take a new origin) is told apart.
  static let origins = [
    """
    CREATE TABLE anno.origin (
      origin uuid PRIMARY KEY,
      member text NOT NULL REFERENCES anno.member ON UPDATE CASCADE,
      claimed_at timestamptz NOT NULL DEFAULT now())
    """,
    // The origins members synced from before origins were claimed: the first to sync claims.
    """
    INSERT INTO anno.origin (origin, member)
    SELECT DISTINCT ON (l.origin) l.origin, l.member FROM anno.sync_log l
    JOIN anno.member m ON m.name = l.member
    ORDER BY l.origin, l.last_push NULLS LAST
    """,
    """
    CREATE FUNCTION anno.owns_origin(o uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, anno AS $$
      SELECT EXISTS (SELECT 1 FROM anno.origin WHERE origin = o AND member = anno.current_member())
    $$
    """,
    "REVOKE ALL ON FUNCTION anno.owns_origin(uuid) FROM PUBLIC",
    """
    DO $$ BEGIN
      EXECUTE format('GRANT EXECUTE ON FUNCTION anno.owns_origin(uuid) TO %I, %I, %I',
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
      EXECUTE format('GRANT SELECT, INSERT ON anno.origin TO %I, %I, %I',
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
    END $$
    """,
    "ALTER TABLE anno.origin ENABLE ROW LEVEL SECURITY",
    """
    CREATE POLICY read ON anno.origin FOR SELECT
      USING (member = anno.current_member() OR anno.sees_everything())
    """,
    "CREATE POLICY claim ON anno.origin FOR INSERT WITH CHECK (member = anno.current_member())",
    "DROP POLICY write ON anno.event",
    """
    CREATE POLICY write ON anno.event FOR INSERT
      WITH CHECK (pushed_by = session_user AND anno.owns_origin(origin)
                  AND (anno.may_write_as(annotator)
                       OR (annotator IS NULL AND anno.current_role_kind() = 'manager')))
    """,
  ]
}

extension HubSchema {
  // The read policies of the large tables, as set-based conditions: who the member is and
  // whether they see everything are asked once per statement (`(SELECT f())` is evaluated
  // once), and an annotator's documents are one lookup of their queue, so a pull costs no
  // function call per row of a large hub. What each role may read is what v2 allows.
  static let readPolicies = [
    """
    CREATE FUNCTION anno.has_assignments() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, anno AS $$
      SELECT EXISTS (SELECT 1 FROM anno.assignment)
    $$
    """,
    "REVOKE ALL ON FUNCTION anno.has_assignments() FROM PUBLIC",
    """
    DO $$ BEGIN
      EXECUTE format('GRANT EXECUTE ON FUNCTION anno.has_assignments() TO %I, %I, %I',
        current_database() || '_annotator', current_database() || '_reviewer',
        current_database() || '_manager');
    END $$
    """,
    "DROP POLICY read ON anno.document",
    """
    CREATE POLICY read ON anno.document FOR SELECT USING (
      (SELECT anno.sees_everything())
      OR ((SELECT anno.current_member()) IS NOT NULL
          AND (NOT (SELECT anno.has_assignments())
               OR id IN (SELECT a.document_id FROM anno.assignment a
                         WHERE a.annotator = (SELECT anno.current_member())))))
    """,
    "DROP POLICY read ON anno.assignment",
    """
    CREATE POLICY read ON anno.assignment FOR SELECT
      USING (annotator = (SELECT anno.current_member()) OR (SELECT anno.sees_everything()))
    """,
    "DROP POLICY read ON anno.annotation_set",
    """
    CREATE POLICY read ON anno.annotation_set FOR SELECT
      USING (annotator = (SELECT anno.current_member()) OR (SELECT anno.sees_everything())
             OR anno.may_read_others(document_id))
    """,
    "DROP POLICY read ON anno.event",
    """
    CREATE POLICY read ON anno.event FOR SELECT
      USING (annotator = (SELECT anno.current_member()) OR (SELECT anno.sees_everything())
             OR (annotator IS NULL AND (SELECT anno.current_member()) IS NOT NULL)
             OR (document_external_id IS NOT NULL AND anno.may_read_others(document_external_id)))
    """,
  ]
}

/// What a member of the hub does (the PostgreSQL group role they belong to).
public enum HubRole: String, Sendable, CaseIterable, Hashable {
  /// Labels assigned documents; reads only their own labels in a blind study.
  case annotator
  /// Reads every label; writes the gold version and gold decisions.
  case reviewer
  /// Reads everything; manages documents, assignments, the schema and guidelines.
  case manager
}

extension HubError {
  /// The server's message without the hub prefix.
  var serverMessage: String {
    switch self {
    case .server(_, let message): message
    default: errorDescription ?? "\(self)"
    }
  }
}
