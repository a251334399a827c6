import GRDB
import GRDBSQLite
import Testing

@testable import AnnoStore

/// Rows read through SQLite's C API tell NULL from the empty text and from zero; values bound
/// through it are refused loudly, not left NULL.
@Suite struct RawRowTests {
  @Test func nullEmptyZeroAndValuesReadAsStored() throws {
    let queue = try DatabaseQueue()
    try queue.write { db in
      try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT, n INTEGER)")
      try db.execute(
        sql:
          "INSERT INTO t VALUES (1, NULL, NULL), (2, '', 0), (3, 'Київ', -7), (4, 'a' || char(0) || 'b', 5)"
      )
      var read: [String] = []
      try RawStatement(try db.makeStatement(sql: "SELECT s, n FROM t ORDER BY k")).forEachRow(db) {
        row in
        read.append(
          "\(row.text(0).map { "'\($0)'" } ?? "nil") \(row.int(1).map(String.init) ?? "nil")")
      }
      #expect(read == ["nil nil", "'' 0", "'Київ' -7", "'a\u{0}b' 5"])
    }
  }

  /// A text over SQLite's length limit, and a parameter the statement lacks, throw SQLite's
  /// error instead of leaving the parameter NULL; text within the limit (empty, non-ASCII,
  /// constant) and the other types are bound as given.
  @Test func bindsSQLiteRefusesThrowAndTheRestAreStored() throws {
    let queue = try DatabaseQueue()
    try queue.write { db in
      try db.execute(sql: "CREATE TABLE t (k INTEGER, s TEXT, c TEXT, d REAL, n INTEGER)")
      let insert = RawStatement(try db.makeStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?)"))
      try insert.bind(1, Int64(1))
      try insert.bind(2, "Київ")
      try insert.bind(3, "constant" as StaticString)
      try insert.bind(4, 2.5)
      try insert.bind(5, nil as Int?)
      try insert.execute(db)
      try insert.bind(1, Int64(2))
      try insert.bind(2, "")
      try insert.execute(db)
      let stored = try Row.fetchAll(db, sql: "SELECT k, s, c, d, n FROM t ORDER BY k").map {
        "\($0)"
      }
      #expect(
        stored == [
          #"[k:1 s:"Київ" c:"constant" d:2.5 n:NULL]"#, #"[k:2 s:"" c:NULL d:NULL n:NULL]"#,
        ])

      #expect(throws: DatabaseError.self) { try insert.bind(6, Int64(0)) }
      sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_LENGTH, 100)
      let error = #expect(throws: DatabaseError.self) {
        try insert.bind(2, String(repeating: "x", count: 101))
      }
      #expect(error?.resultCode == .SQLITE_TOOBIG)
      try insert.bind(2, String(repeating: "x", count: 100))
    }
  }
}
