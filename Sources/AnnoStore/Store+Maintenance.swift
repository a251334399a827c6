import AnnoCore
import Foundation
import GRDB

/// One check of `anno check`: its name and what it found.
public struct CheckResult: Hashable, Sendable {
  /// What was checked (`integrity`, `foreign keys`, ...).
  public var name: String
  /// How many problems it found; `0` means the check passed.
  public var problemCount: Int
  /// The first problems, as readable lines (at most `CheckReport.listedProblems`).
  public var problems: [String]
  /// What a passing check covered, for the `ok` line ("1,204 events readable").
  public var detail: String

  /// Whether the check passed.
  public var isOK: Bool { problemCount == 0 }
}

/// What `anno check` found: every check, and the sizes of the main tables.
public struct CheckReport: Hashable, Sendable {
  /// How many problems each check lists; the rest are only counted.
  public static let listedProblems = 50

  /// The checks, in the order they ran.
  public var results: [CheckResult]
  /// Row counts: `documents`, `annotators`, `annotations`, `statuses`, `events`.
  public var counts: [String: Int]

  /// Whether every check passed.
  public var isClean: Bool { results.allSatisfy(\.isOK) }
  /// The number of problems over all checks.
  public var problemCount: Int { results.reduce(0) { $0 + $1.problemCount } }
}

/// Collects one check's problems, listing the first few and counting the rest.
struct ProblemList {
  var count = 0
  var lines: [String] = []

  mutating func add(_ line: String) {
    count += 1
    if lines.count < CheckReport.listedProblems { lines.append(line) }
  }

  func result(_ name: String, detail: String) -> CheckResult {
    CheckResult(name: name, problemCount: count, problems: lines, detail: detail)
  }
}

extension Store {
  /// Checks the database: SQLite's integrity and foreign keys, annotations without their
  /// annotator, document or status row, offsets past the end of their document, spans made on
  /// another text of their document, labels the schema no longer declares, stance targets
  /// spelt in two ways, and a readable, protected event log.
  ///
  /// Runs in one read transaction, so it sees a consistent snapshot and blocks no writer.
  ///
  /// - Complexity: reads the whole database once (`integrity_check` and the event log).
  public func check() throws -> CheckReport {
    try read { db in
      var results: [CheckResult] = []
      results.append(try Store.checkIntegrity(db))
      results.append(try Store.checkForeignKeys(db))
      results.append(try Store.checkOrphans(db))
      results.append(try Store.checkOffsets(db))
      results.append(try Store.checkTextVersions(db))
      results.append(try Store.checkLocalIDs(db))
      results.append(try Store.checkSchemaUses(db))
      results.append(try Store.checkStanceTargetVariants(db))
      results.append(try Store.checkEventLog(db))
      var counts: [String: Int] = [:]
      for (name, table) in [
        ("documents", "document"), ("annotators", "annotator"), ("annotations", "annotation"),
        ("statuses", "documentStatus"), ("events", "event"),
      ] {
        counts[name] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
      }
      return CheckReport(results: results, counts: counts)
    }
  }

  private static func checkIntegrity(_ db: Database) throws -> CheckResult {
    var problems = ProblemList()
    for line in try String.fetchAll(db, sql: "PRAGMA integrity_check(100)") where line != "ok" {
      problems.add(line)
    }
    return problems.result("integrity", detail: "SQLite integrity_check passed")
  }

  private static func checkForeignKeys(_ db: Database) throws -> CheckResult {
    var problems = ProblemList()
    for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
      let table: String = row[0]
      let rowID: Int64? = row[1]
      let parent: String = row[2]
      problems.add("\(table) row \(rowID.map(String.init) ?? "?") refers to a missing \(parent)")
    }
    return problems.result("foreign keys", detail: "every reference resolves")
  }

  private static func checkOrphans(_ db: Database) throws -> CheckResult {
    var problems = ProblemList()
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT n.id, n.annotatorId, n.documentId, a.id IS NULL AS noAnnotator, d.id IS NULL AS noDocument
        FROM annotation n LEFT JOIN annotator a ON a.id = n.annotatorId LEFT JOIN document d ON d.id = n.documentId
        WHERE a.id IS NULL OR d.id IS NULL ORDER BY n.id
        """)
    {
      let id: Int64 = row["id"]
      if row["noAnnotator"] as Bool {
        problems.add("annotation \(id): its annotator (#\(row["annotatorId"] as Int64)) is missing")
      }
      if row["noDocument"] as Bool {
        problems.add("annotation \(id): its document (#\(row["documentId"] as Int64)) is missing")
      }
    }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT ifnull(d.externalId, '#' || n.documentId) AS document, ifnull(a.name, '#' || n.annotatorId) AS annotator,
          count(*) AS n
        FROM annotation n LEFT JOIN document d ON d.id = n.documentId LEFT JOIN annotator a ON a.id = n.annotatorId
        WHERE NOT EXISTS (
          SELECT 1 FROM documentStatus s WHERE s.documentId = n.documentId AND s.annotatorId = n.annotatorId)
        GROUP BY n.documentId, n.annotatorId ORDER BY n.documentId, n.annotatorId
        """)
    {
      let count: Int = row["n"]
      problems.add(
        "'\(row["document"] as String)' by '\(row["annotator"] as String)': \(count) annotation\(count == 1 ? "" : "s") without a status row"
      )
    }
    return problems.result(
      "orphaned annotations", detail: "every annotation has its document, annotator and status")
  }

  private static func checkOffsets(_ db: Database) throws -> CheckResult {
    var problems = ProblemList()
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT n.id, d.externalId, ifnull(a.name, '#' || n.annotatorId) AS annotator, n.start, n."end", d.length
        FROM annotation n JOIN document d ON d.id = n.documentId LEFT JOIN annotator a ON a.id = n.annotatorId
        WHERE n."end" > d.length ORDER BY n.id
        """)
    {
      problems.add(
        "annotation \(row["id"] as Int64) on '\(row["externalId"] as String)' by '\(row["annotator"] as String)': "
          + "\(row["start"] as Int):\(row["end"] as Int) ends past the text (\(row["length"] as Int) code points)"
      )
    }
    // NB: SQLite's length() stops at a NUL, so its candidates are recounted here.
    for row in try Row.fetchAll(
      db,
      sql: "SELECT externalId, length, text FROM document WHERE length <> length(text) ORDER BY id")
    {
      let stored: Int = row["length"]
      let actual = (row["text"] as String).unicodeScalars.count
      if stored != actual {
        problems.add(
          "document '\(row["externalId"] as String)': stored length \(stored) but the text has \(actual) code points"
        )
      }
    }
    return problems.result("offsets", detail: "every span fits its document")
  }

  private static func checkLocalIDs(_ db: Database) throws -> CheckResult {
    var problems = ProblemList()
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT d.externalId, ifnull(a.name, '#' || n.annotatorId) AS annotator, n.kind, n.localId, count(*) AS copies
        FROM annotation n JOIN document d ON d.id = n.documentId LEFT JOIN annotator a ON a.id = n.annotatorId
        WHERE n.kind = 'entity' OR n.kind = 'note'
        GROUP BY n.documentId, n.annotatorId, n.kind, n.localId
        HAVING n.localId IS NULL OR count(*) > 1
        ORDER BY n.documentId, n.annotatorId, n.kind, n.localId
        """)
    {
      let kind = (row["kind"] as String) == "note" ? "note" : "span"
      let owner = "on '\(row["externalId"] as String)' by '\(row["annotator"] as String)'"
      if let id: Int = row["localId"] {
        problems.add("\(row["copies"] as Int) \(kind)s \(owner) share the id \(id)")
      } else {
        problems.add("\(row["copies"] as Int) \(kind)(s) \(owner) have no id")
      }
    }
    return problems.result(
      "span ids", detail: "every span and note has an id of its own in its document")
  }

  private static func checkSchemaUses(_ db: Database) throws -> CheckResult {
    var problems = ProblemList()
    let schema: LabelSchema?
    do {
      schema = try Store.schema(db)
    } catch {
      problems.add((error as? StoreError)?.errorDescription ?? "the stored schema cannot be read")
      return problems.result("schema", detail: "")
    }
    guard let schema else {
      problems.add("no label schema is stored; load one with 'anno schema load FILE'")
      return problems.result("schema", detail: "")
    }
    for use in try Store.undeclaredUses(db, schema: schema) {
      problems.add("\(use) not declared by schema '\(schema.name)' v\(schema.version)")
    }
    return problems.result(
      "schema", detail: "every label in use is declared by '\(schema.name)' v\(schema.version)")
  }

  /// Stored stance targets that compare equal (`StanceTargets.key`) but are spelt apart, such
  /// as two annotators' `China` and `china`: agreement counts them as one target, exports as two.
  private static func checkStanceTargetVariants(_ db: Database) throws -> CheckResult {
    var problems = ProblemList()
    var groups: [String: [(target: String, count: Int)]] = [:]
    var order: [String] = []
    let inUse = try Store.stanceTargetsInUse(db, by: nil)
    for entry in inUse {
      let key = LabelSchema.stanceTargetKey(entry.target)
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(entry)
    }
    for key in order {
      guard let group = groups[key], group.count > 1 else { continue }
      let listed = group.map {
        "'\($0.target)' (\($0.count) annotation\($0.count == 1 ? "" : "s"))"
      }
      problems.add(
        "stance targets \(listed.joined(separator: ", ")) differ only in case or a leading article "
          + "(agreement counts them as one target, exports as \(group.count))")
    }
    return problems.result(
      "stance targets",
      detail:
        "\(inUse.count) stance target\(inUse.count == 1 ? "" : "s") in use, no two spelt apart")
  }

  private static func checkEventLog(_ db: Database) throws -> CheckResult {
    var problems = ProblemList()
    let triggers = try Set(
      String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'"))
    for name in ["eventNoUpdate", "eventNoDelete"] where !triggers.contains(name) {
      problems.add("the trigger \(name) is missing: the event log is no longer append-only")
    }
    var count = 0
    let rows = try Row.fetchCursor(db, sql: "SELECT id, action, payload FROM event ORDER BY id")
    while let row = try rows.next() {
      count += 1
      let id: Int64 = row[0]
      let action: String = row[1]
      guard let payload: String = row[2], let value = try? JSONParser.parse(payload) else {
        problems.add("event \(id) (\(action)): its payload is not JSON")
        continue
      }
      // Edits must carry their operations, or undo and redo cannot replay them; events
      // copied by `merge` keep the original under `merged` and are never replayed.
      if ["change", "undo", "redo"].contains(action), value["merged"] == nil,
        value["ops"]?.arrayValue == nil
      {
        problems.add("event \(id) (\(action)): its payload has no list of operations")
      }
    }
    return problems.result(
      "event log", detail: "\(count) event\(count == 1 ? "" : "s") readable, append-only")
  }
}
