import Foundation
import GRDB
import GRDBSQLite

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a database file is opened: who it belongs to, read-write or read-only.
extension Store {
  /// Refuses a file that is not an Anno database before SQLite opens it, reading its header
  /// with plain `read` calls: SQLite may write to a file it opens (a hot journal rolled back,
  /// a WAL checkpointed when the last connection closes), and a file that is not ours must
  /// not change by one byte.
  ///
  /// A missing or empty file passes (it becomes a new database), so does a file whose header
  /// carries Anno's `application_id`, and an SQLite database without tables and without an
  /// `application_id` (a new database another process is creating, or `sqlite3 x 'VACUUM'`).
  /// When such an empty main file has a write-ahead log beside it, what it holds is decided
  /// through a read-only connection, which never checkpoints.
  ///
  /// NB: only for a file this process does not hold open (see
  /// `ProtectedFiles.holdsDatabase`): closing the descriptor drops the process's locks on it.
  static func refuseForeignFile(at path: String) throws {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    // A file we cannot read is for SQLite to report.
    guard descriptor >= 0 else { return }
    var header = [UInt8](repeating: 0, count: 108)
    let count = header.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    guard count != 0 else { return }
    let magic = Array("SQLite format 3\u{0}".utf8)
    guard count == header.count, Array(header[0..<16]) == magic else {
      throw StoreError.notAnAnnoDatabase(path: path)
    }
    let applicationID = header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    if applicationID == UInt32(bitPattern: Store.applicationID) { return }
    guard applicationID == 0 else { throw StoreError.notAnAnnoDatabase(path: path) }
    // The schema table's root is page 1: a leaf (0x0D) with no cells means no tables.
    let schemaCells = Int(header[103]) << 8 | Int(header[104])
    guard header[100] == 0x0D, schemaCells == 0 else {
      throw StoreError.notAnAnnoDatabase(path: path)
    }
    let isWAL = header[18] == 2 || header[19] == 2
    var wal = stat()
    guard isWAL, stat(path + "-wal", &wal) == 0, wal.st_size > 0 else { return }
    var configuration = Configuration()
    configuration.readonly = true
    do {
      let probe = try DatabaseQueue(path: path, configuration: configuration)
      defer { try? probe.close() }
      let (foundID, tables) = try probe.read { db in
        (
          try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
          try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        )
      }
      guard foundID == Store.applicationID || (foundID == 0 && tables == 0) else {
        throw StoreError.notAnAnnoDatabase(path: path)
      }
    } catch let error as DatabaseError {
      throw Store.translate(error, path: path)
    }
  }

  /// Opens an existing or new database read-write, or, when its file or folder cannot be
  /// written, an existing one read-only (so `stats`, `export` and `agree` work on a database
  /// in a read-only folder or mount, and every write says the database is read-only).
  ///
  /// The identity check comes before WAL is switched on, so opening a file that turns out not
  /// to be an Anno database writes nothing to it.
  static func openFile(path: String, configuration: Configuration) throws -> (
    DatabaseQueue, isReadOnly: Bool
  ) {
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      try checkIdentity(queue, path: path, mayInitialize: true)
      if try !queue.read(isReadOnly) {
        try useWAL(queue)
        return (queue, false)
      }
      try queue.close()
    } catch let error as DatabaseError {
      guard isAccessProblem(error), FileManager.default.fileExists(atPath: path) else {
        throw error
      }
    }
    return (try openReadOnly(path: path, configuration: configuration), true)
  }

  /// Whether SQLite refused because a file or folder cannot be written or created.
  private static func isAccessProblem(_ error: DatabaseError) -> Bool {
    switch error.resultCode {
    case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: true
    default: false
    }
  }

  /// Whether the connection to the main database is read-only.
  private static func isReadOnly(_ db: Database) -> Bool {
    sqlite3_db_readonly(db.sqliteConnection, "main") == 1
  }

  /// A read-only connection; `immutable` when there is no write-ahead log and no `-shm` can
  /// be made beside the file (a read-only folder or mount, where nobody can write it either).
  private static func openReadOnly(path: String, configuration: Configuration) throws
    -> DatabaseQueue
  {
    // NB: without the read-write setup, whose pragmas a read-only file refuses.
    var readOnly = Configuration()
    readOnly.readonly = true
    readOnly.busyMode = configuration.busyMode
    var queue: DatabaseQueue
    do {
      queue = try DatabaseQueue(path: path, configuration: readOnly)
      _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
    } catch let error as DatabaseError
      where (error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY)
      && !FileManager.default.fileExists(atPath: path + "-wal")
    {
      queue = try DatabaseQueue(path: immutableURI(path), configuration: readOnly)
    }
    try checkIdentity(queue, path: path, mayInitialize: false)
    guard try queue.read(migrator.hasCompletedMigrations) else {
      throw StoreError.invalid(
        "'\(path)' needs an upgrade to this version of Anno, which needs write access; check its permissions and those of its folder"
      )
    }
    return queue
  }

  /// `file:PATH?immutable=1`, the path percent-encoded (SQLite is built with URI file names).
  static func immutableURI(_ path: String) -> String {
    let absolute =
      path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var encoded = ""
    for byte in absolute.utf8 {
      let isLetterOrDigit =
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
      if isLetterOrDigit || "/-._~".utf8.contains(byte) {
        encoded.unicodeScalars.append(UnicodeScalar(byte))
      } else {
        encoded += String(format: "%%%02X", byte)
      }
    }
    return "file:" + encoded + "?immutable=1"
  }

  /// Puts the database in WAL mode, with `synchronous = FULL` so that a label the shell
  /// acknowledged survives a power loss, not just a crash (each commit waits for an fsync).
  ///
  /// NB: set here rather than with GRDB's `journalMode = .wal`, which also writes and drops a
  /// table whenever the WAL file is missing or empty (for its pools' read-only connections; a
  /// store has one read-write connection). SQLite deletes the WAL file when the last
  /// connection closes, so every command, reads included, wrote the database and synced it
  /// four times.
  private static func useWAL(_ queue: DatabaseQueue) throws {
    try queue.writeWithoutTransaction { db in
      let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
      guard mode == "wal" else {
        throw DatabaseError(
          message: "could not put the database in WAL mode (journal mode: \(mode ?? "none"))")
      }
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
  }

  /// Refuses files that are not Anno databases or were written by a newer Anno, and marks a
  /// new, empty database as Anno's (when `mayInitialize`).
  static func checkIdentity(_ writer: any DatabaseWriter, path: String, mayInitialize: Bool)
    throws
  {
    func verify(_ db: Database) throws -> Bool {
      let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
      let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
      if applicationID == 0 && tableCount == 0 { return false }
      guard applicationID == Store.applicationID else {
        throw StoreError.notAnAnnoDatabase(path: path)
      }
      if try migrator.hasBeenSuperseded(db) {
        let applied = try migrator.appliedIdentifiers(db)
        let unknown = applied.subtracting(migrator.migrations).sorted().first ?? "?"
        throw StoreError.newerDatabase(path: path, migration: unknown)
      }
      return true
    }
    if try writer.read(verify) { return }
    guard mayInitialize else { throw StoreError.readOnly(path: path) }
    // One immediate transaction, so that processes creating the same new file at once take
    // turns instead of one seeing the other's half-initialised database.
    try writer.writeWithoutTransaction { db in
      try db.inTransaction(.immediate) {
        if try !verify(db) {
          try db.execute(sql: "PRAGMA application_id = \(Store.applicationID)")
        }
        return .commit
      }
    }
  }
}
