import GRDB
import Testing

@testable import AnnoStore

/// Rows read through SQLite's C API tell NULL from the empty text and from zero.
@Suite struct RawRowTests {
  @Test func nullEmptyZeroAndValuesReadAsStored() throws {
    let queue = try DatabaseQueue()
    try queue.write { db in
      try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT, n INTEGER)")
      try db.execute(
        sql: "INSERT INTO t VALUES (1, NULL, NULL), (2, '', 0), (3, 'Київ', -7), (4, 'a' || char(0) || 'b', 5)")
      var read: [String] = []
      try RawStatement(try db.makeStatement(sql: "SELECT s, n FROM t ORDER BY k")).forEachRow(db) { row in
        read.append("\(row.text(0).map { "'\($0)'" } ?? "nil") \(row.int(1).map(String.init) ?? "nil")")
      }
      #expect(read == ["nil nil", "'' 0", "'Київ' -7", "'a\u{0}b' 5"])
    }
  }
}
