import AnnoCore
import GRDB

/// Which schema and guideline text are in force: what statistics and reports are tied to.
public struct SchemaVersion: Hashable, Sendable, CustomStringConvertible {
  /// The schema's name (`anno-news`).
  public var name: String
  /// Its version, bumped when a decision changes.
  public var version: Int
  /// The stored guidelines' digest (`Store.guidelineDigest`), or `nil` when none are stored.
  public var guidelines: String?

  /// Creates a version.
  public init(name: String, version: Int, guidelines: String?) {
    self.name = name
    self.version = version
    self.guidelines = guidelines
  }

  /// `schema anno-news v2, guidelines 3f9a0c41d2e7`.
  public var description: String {
    "schema \(name) v\(version)" + (guidelines.map { ", guidelines \($0)" } ?? "")
  }
}

extension Store {
  /// The name and version of the schema in force with its guidelines' digest, or `nil` when
  /// no schema is loaded.
  public func schemaVersion() throws -> SchemaVersion? {
    try read { db in try Store.schemaVersion(db) }
  }

  static func schemaVersion(_ db: Database) throws -> SchemaVersion? {
    guard let row = try Row.fetchOne(db, sql: "SELECT name, version FROM labelSchema WHERE id = 1")
    else { return nil }
    return SchemaVersion(name: row[0], version: row[1], guidelines: try guidelineDigest(db))
  }

  /// The label schema in force, or `nil` when none has been loaded.
  public func schema() throws -> LabelSchema? {
    try read { db in try Store.schema(db) }
  }

  static func schema(_ db: Database) throws -> LabelSchema? {
    guard let yaml = try String.fetchOne(db, sql: "SELECT yaml FROM labelSchema WHERE id = 1")
    else { return nil }
    do {
      return try LabelSchema(yaml: yaml, file: "stored schema")
    } catch {
      throw StoreError.invalid("the schema stored in the database is invalid: \(error)")
    }
  }

  /// The YAML of the schema in force.
  public func schemaYAML() throws -> String? {
    try read { db in try String.fetchOne(db, sql: "SELECT yaml FROM labelSchema WHERE id = 1") }
  }

  /// A guideline file stored with the schema (`entities.md`), if any.
  public func guideline(file: String) throws -> String? {
    try read { db in
      try String.fetchOne(
        db, sql: "SELECT markdown FROM guideline WHERE file = ?", arguments: [file])
    }
  }

  /// Every guideline file stored with the schema, by name.
  public func guidelineFiles() throws -> [String: String] {
    try read { db in
      var files: [String: String] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT file, markdown FROM guideline") {
        files[row[0]] = row[1]
      }
      return files
    }
  }

  /// The first 12 hex digits of the SHA-256 of the stored guideline files (each name, a NUL,
  /// its text and a NUL, in name order), or `nil` when none are stored: it changes with any
  /// edit to the guidelines, so a report can say which text was in force.
  public func guidelineDigest() throws -> String? {
    try read { db in try Store.guidelineDigest(db) }
  }

  static func guidelineDigest(_ db: Database) throws -> String? {
    var bytes: [UInt8] = []
    for row in try Row.fetchAll(db, sql: "SELECT file, markdown FROM guideline ORDER BY file") {
      bytes += Array((row[0] as String).utf8) + [0] + Array((row[1] as String).utf8) + [0]
    }
    return bytes.isEmpty ? nil : String(SHA256.hexDigest(of: bytes).prefix(12))
  }

  /// Replaces the schema in force and its guideline files.
  ///
  /// - Throws: `StoreError.invalid` for a schema that cannot be read or a worked decision in
  ///   the guidelines that does not fit the schema, a heading, or a stored article's text;
  ///   `StoreError.schemaConflict` listing every label, value, target or field that stored
  ///   annotations use and the new schema no longer declares. Nothing changes then.
  public func loadSchema(
    yaml: String, file: String, sourcePath: String?, guidelines: [String: String]
  ) throws -> LabelSchema {
    let schema: LabelSchema
    let decisions: [WorkedDecision]
    do {
      schema = try LabelSchema(yaml: yaml, file: file)
      decisions = try WorkedDecision.all(in: guidelines)
    } catch {
      throw StoreError.invalid(error.description)
    }
    return try write { db in
      // Articles the store does not hold (the corpus is imported later) are not checked.
      let problems = WorkedDecision.problems(
        decisions, schema: schema, files: guidelines, requiresArticles: false
      ) { id in
        try? String.fetchOne(
          db, sql: "SELECT text FROM document WHERE externalId = ?", arguments: [id])
      }
      guard problems.isEmpty else {
        throw StoreError.invalid(
          "the guidelines' worked decisions do not fit the schema:\n"
            + problems.joined(separator: "\n"))
      }
      let uses = try Store.undeclaredUses(db, schema: schema)
      guard uses.isEmpty else { throw StoreError.schemaConflict(uses) }
      try db.execute(
        sql: """
          INSERT INTO labelSchema (id, name, version, yaml, sourcePath, loadedAt) VALUES (1, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version, yaml = excluded.yaml,
            sourcePath = excluded.sourcePath, loadedAt = excluded.loadedAt
          """,
        arguments: [schema.name, schema.version, yaml, sourcePath, Store.now()])
      try db.execute(sql: "DELETE FROM guideline")
      for (name, markdown) in guidelines {
        try db.execute(
          sql: "INSERT INTO guideline (file, markdown) VALUES (?, ?)", arguments: [name, markdown])
      }
      try db.execute(
        sql: "INSERT INTO event (action, summary, payload, createdAt) VALUES ('schema', ?, ?, ?)",
        arguments: [
          "schema \(schema.name) v\(schema.version)",
          JSONWriter.string(
            for: .object([
              "name": .string(schema.name), "version": .int(Int64(schema.version)),
              "guidelines_sha256": try Store.guidelineDigest(db).map(JSONValue.string) ?? .null,
            ])),
          Store.now(),
        ])
      return schema
    }
  }

  /// The distinct stance targets stored, with how many annotations use each, by anyone or
  /// by one annotator: what the shell and an import resolve new names against, and what
  /// `anno check` compares.
  public func stanceTargetsInUse(by annotator: String? = nil) throws -> [(
    target: String, count: Int
  )] {
    try read { db in try Store.stanceTargetsInUse(db, by: annotator) }
  }

  static func stanceTargetsInUse(_ db: Database, by annotator: String?) throws -> [(
    target: String, count: Int
  )] {
    let rows = try Row.fetchAll(db, sql: stanceTargetsSQL, arguments: [annotator])
    return rows.map { (target: $0[0], count: $0[1]) }
  }

  /// The stance targets of one annotator (`?1`, a name) or of everyone (`?1` NULL), with
  /// their counts. Per annotator id, so SQLite reads the stance rows from the index
  /// annotationStanceTargets (annotatorId, kind, target) alone.
  static let stanceTargetsSQL = """
    SELECT target, count(*) FROM annotation
    WHERE annotatorId IN (SELECT id FROM annotator WHERE ?1 IS NULL OR name = ?1)
      AND kind = 'stance'
    GROUP BY target ORDER BY target
    """

  /// Labels, values, targets and fields that annotations use but `schema` does not declare,
  /// as readable lines with counts.
  public func undeclaredUses(in schema: LabelSchema) throws -> [String] {
    try read { db in try Store.undeclaredUses(db, schema: schema) }
  }

  static func undeclaredUses(_ db: Database, schema: LabelSchema) throws -> [String] {
    var uses: [String] = []
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT kind, target, value, count(*) AS n FROM annotation
        WHERE kind <> 'note' GROUP BY kind, target, value ORDER BY kind, target, value
        """)
    for row in rows {
      let kind: String = row["kind"]
      let target: String? = row["target"]
      let value: String = row["value"]
      let count: Int = row["n"]
      let plural = count == 1 ? "annotation" : "annotations"
      switch AnnotationKind(rawValue: kind) {
      case .entity where schema.entityLabel(named: value) == nil:
        uses.append("entity label '\(value)' (\(count) \(plural))")
      case .sentiment where !schema.sentiment.values.contains(value),
        .spanSentiment where !schema.sentiment.values.contains(value):
        uses.append(
          "\(kind.replacingOccurrences(of: "_", with: " ")) value '\(value)' (\(count) \(plural))")
      case .stance:
        if !schema.stance.values.contains(value) {
          uses.append("stance value '\(value)' (\(count) \(plural))")
        }
        if let target, !Self.isStored(target: target, under: schema) {
          uses.append("stance target '\(target)' (\(count) \(plural))")
        }
      case .label, .choice:
        if let target, let field = schema.field(named: target) {
          if field.canonicalValue(value) == nil {
            uses.append("value '\(value)' of field '\(target)' (\(count) \(plural))")
          } else if field.isMultiple != (kind == "choice") {
            uses.append(
              "value '\(value)' of field '\(target)' stored as \(field.isMultiple ? "a single value" : "one of a set"), but the field is \(field.isMultiple ? "" : "not ")multiple (\(count) \(plural))"
            )
          }
        } else {
          uses.append("field '\(target ?? "")' (\(count) \(plural))")
        }
      case .noValue:
        if let target, let field = schema.field(named: target) {
          if field.isMultiple {
            uses.append(
              "no value of field '\(target)' stored as a single-valued answer, but the field is multiple (\(count) \(plural))"
            )
          }
        } else {
          uses.append("field '\(target ?? "")' (\(count) \(plural))")
        }
      default:
        break
      }
    }
    return uses
  }

  /// Whether a stored stance target is one `schema` would store as it is: a declared or
  /// admitted target under its own name, or an ad-hoc target the schema allows.
  static func isStored(target: String, under schema: LabelSchema) -> Bool {
    guard let resolved = try? StanceTargets(schema: schema).resolve(target, creating: true) else {
      return false
    }
    return resolved.source == .created || resolved.name == target
  }
}
