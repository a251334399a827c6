import GRDB
import GRDBSQLite

/// A prepared statement bound and stepped through SQLite's C API, for the few statements run
/// millions of times (an import writes about 52 annotation rows per document).
///
/// GRDB's `execute(arguments:)` boxes each argument as a `DatabaseValueConvertible`
/// existential and validates the list on every call; binding integers, doubles and text
/// directly takes a fifth of an import's time off. The statement stays GRDB's (cached, and
/// finalized by GRDB); every use leaves it reset with its bindings cleared.
struct RawStatement {
  let statement: Statement
  private var handle: OpaquePointer { statement.sqliteStatement }

  init(_ statement: Statement) {
    self.statement = statement
  }

  /// Binds the value of 1-based parameter `index`.
  ///
  /// - Throws: `DatabaseError` when SQLite refuses the value (a text longer than its length
  ///   limit, a parameter the statement does not have): an unbound parameter would be NULL.
  func bind(_ index: Int32, _ value: Int64) throws {
    try check(sqlite3_bind_int64(handle, index, value))
  }

  func bind(_ index: Int32, _ value: Int?) throws {
    try check(
      value.map { sqlite3_bind_int64(handle, index, Int64($0)) } ?? sqlite3_bind_null(handle, index)
    )
  }

  func bind(_ index: Int32, _ value: Double) throws {
    try check(sqlite3_bind_double(handle, index, value))
  }

  func bind(_ index: Int32, _ value: String?) throws {
    guard var value else { return try check(sqlite3_bind_null(handle, index)) }
    let code = value.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { text in
        // NB: SQLITE_TRANSIENT: SQLite copies the text before this returns. An empty string
        // may have no storage; SQLite wants a pointer all the same. The 64-bit length lets
        // SQLite refuse an over-long text rather than the length overflow.
        guard let start = text.baseAddress else {
          return sqlite3_bind_text(handle, index, "", 0, RawStatement.transient)
        }
        return sqlite3_bind_text64(
          handle, index, start, UInt64(text.count), RawStatement.transient, UInt8(SQLITE_UTF8))
      }
    }
    try check(code)
  }

  /// Binds constant text: SQLite reads it in place instead of copying it.
  func bind(_ index: Int32, _ value: StaticString) throws {
    precondition(
      value.hasPointerRepresentation, "a single-scalar literal has no bytes to bind in place")
    // NB: SQLITE_STATIC (nil) is sound here: a StaticString's bytes live as long as the program.
    let text = UnsafeRawPointer(value.utf8Start).assumingMemoryBound(to: CChar.self)
    try check(sqlite3_bind_text(handle, index, text, Int32(value.utf8CodeUnitCount), nil))
  }

  /// Throws SQLite's error for a bind that did not return `SQLITE_OK`.
  private func check(_ code: Int32) throws {
    guard code != SQLITE_OK else { return }
    let message = sqlite3_db_handle(handle).map { String(cString: sqlite3_errmsg($0)) }
    throw DatabaseError(
      resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
  }

  /// Runs the bound statement to completion, then resets it and clears its bindings.
  ///
  /// - Throws: `DatabaseError` with SQLite's code and message (as GRDB would).
  func execute(_ db: Database) throws {
    let code = sqlite3_step(handle)
    defer {
      sqlite3_reset(handle)
      sqlite3_clear_bindings(handle)
    }
    guard code == SQLITE_DONE else { throw error(db) }
  }

  /// Steps through the rows of the bound statement, giving `body` each one to read, then
  /// resets the statement and clears its bindings.
  ///
  /// - Throws: `DatabaseError` with SQLite's code and message (as GRDB would); what `body` throws.
  func forEachRow(_ db: Database, _ body: (RawRow) throws -> Void) throws {
    defer {
      sqlite3_reset(handle)
      sqlite3_clear_bindings(handle)
    }
    while true {
      let code = sqlite3_step(handle)
      if code == SQLITE_DONE { return }
      guard code == SQLITE_ROW else { throw error(db) }
      try body(RawRow(handle: handle))
    }
  }

  private func error(_ db: Database) -> DatabaseError {
    let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
    return DatabaseError(
      resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)),
      message: message,
      sql: statement.sql)
  }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// The current row of a `RawStatement`, read through SQLite's C API (valid only inside
/// `forEachRow`'s body). Columns are 0-based.
struct RawRow {
  fileprivate let handle: OpaquePointer

  func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

  func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

  func int(_ column: Int32) -> Int? {
    isNull(column) ? nil : Int(sqlite3_column_int64(handle, column))
  }

  /// The column's UTF-8 bytes (empty for NULL), as SQLite stores them, for the time of `body`.
  func withUTF8<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T
  {
    // NB: sqlite3_column_text before sqlite3_column_bytes, as SQLite's documentation asks.
    guard let text = sqlite3_column_text(handle, column) else {
      return try body(UnsafeBufferPointer(start: nil, count: 0))
    }
    return try body(
      UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))))
  }

  /// `body` applied to the column's bytes as a BLOB, or nil for NULL.
  func blob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T? {
    guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
    let count = Int(sqlite3_column_bytes(handle, column))
    return body(UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, column), count: count))
  }

  /// The column's text, or nil for NULL. The whole stored value, even past a U+0000.
  func text(_ column: Int32) -> String? {
    withTextBytes(column) { String(decoding: $0, as: UTF8.self) }
  }

  /// The column's text, or nil for NULL, taken from `recent` when it was read lately.
  func text(_ column: Int32, recent: inout RecentTexts) -> String? {
    withTextBytes(column) { recent.text($0) }
  }

  /// The column's UTF-8 bytes for the time of `body`, or nil for NULL (whose text pointer is
  /// NULL, where an empty text's is not).
  private func withTextBytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T)
    rethrows -> T?
  {
    guard let text = sqlite3_column_text(handle, column) else { return nil }
    return try body(
      UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))))
  }
}

/// The last few short texts read, with their bytes: a text that comes again (a label, a
/// sentiment, a stance target) is found by comparing bytes instead of being decoded again.
struct RecentTexts {
  private var entries: [(bytes: [UInt8], text: String)] = []
  private var next = 0
  private static let capacity = 16
  private static let longest = 32

  /// The text these UTF-8 bytes spell (repaired as `String(decoding:as:)` does).
  mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    guard bytes.count <= Self.longest else { return String(decoding: bytes, as: UTF8.self) }
    for entry in entries where entry.bytes.count == bytes.count {
      if entry.bytes.withUnsafeBufferPointer({ stored in
        (0..<stored.count).allSatisfy { stored[$0] == bytes[$0] }
      }) {
        return entry.text
      }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    // NB: the oldest entry makes room, round-robin.
    if entries.count < Self.capacity {
      entries.append((Array(bytes), text))
    } else {
      entries[next] = (Array(bytes), text)
      next = (next + 1) % Self.capacity
    }
    return text
  }
}
