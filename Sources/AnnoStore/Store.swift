import AnnoCore
import Foundation
import GRDB

/// Anno's SQLite database: documents, annotators, annotations, statuses, the event log and
/// the label schema in force.
///
/// One file, in WAL mode, shared safely by several annotators' processes: writes are
/// immediate transactions that wait (busy timeout) rather than fail while another process
/// writes. Every write method is one transaction.
public struct Store: Sendable {
  let writer: any DatabaseWriter
  /// The database path, or `nil` for a private in-memory store.
  public let path: String?
  /// Background WAL checkpoints, once ``checkpointInBackground()`` has started them.
  let checkpointer = WALCheckpointer()

  /// SQLite's `application_id` for Anno databases ("ANNO").
  static let applicationID: Int32 = 0x414E_4E4F

  /// How long a write waits for another process's transaction before giving up.
  public static let busyTimeout: TimeInterval = 30

  /// Opens (creating and migrating if needed) the database at `path`, or an in-memory
  /// database when `path` is `nil`.
  ///
  /// - Throws: `StoreError` for a file that is not an Anno database, one written by a newer
  ///   Anno, a missing folder, or a read-only location.
  public init(path: String?) throws {
    self.path = path
    Store.ignoresFileSizeSignal
    var config = Configuration()
    config.busyMode = .timeout(Store.busyTimeout)
    config.foreignKeysEnabled = true
    config.prepareDatabase { db in
      // New databases use 8 KiB pages (SQLite's default is 4 KiB): half the pages, so half the
      // WAL frames for one large import, whose WAL index is mapped into the process until it
      // commits. An existing database keeps its page size (this does nothing once it has one).
      try db.execute(sql: "PRAGMA page_size = 8192")
      // Statement journals (for statements that fire triggers) stay in memory, not in temp files.
      try db.execute(sql: "PRAGMA temp_store = MEMORY")
      // NB: WAL set here rather than with GRDB's `journalMode = .wal`, which also writes and
      // drops a table whenever the WAL file is missing or empty (for its pools' read-only
      // connections; a store has one read-write connection). SQLite deletes the WAL file when
      // the last connection closes, so every command, reads included, wrote the database and
      // synced it four times.
      if path != nil {
        let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        guard mode == "wal" else {
          throw DatabaseError(
            message: "could not put the database in WAL mode (journal mode: \(mode ?? "none"))")
        }
        // FULL: a label the shell acknowledged survives a power loss, not just a crash (each
        // commit waits for an fsync). (An in-memory store has nothing to sync.)
        try db.execute(sql: "PRAGMA synchronous = FULL")
      }
    }
    do {
      if let path {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
          throw StoreError.cannotOpen(path: path, reason: "the folder '\(folder)' does not exist")
        }
        writer = try DatabaseQueue(path: path, configuration: config)
      } else {
        writer = try DatabaseQueue(configuration: config)
      }
      try Store.checkIdentity(writer, path: path ?? ":memory:")
      try Store.migrate(writer)
    } catch let error as StoreError {
      throw error
    } catch let error as DatabaseError {
      throw Store.translate(error, path: path ?? ":memory:")
    }
  }

  /// Refuses files that are not Anno databases or were written by a newer Anno.
  /// Applies the migrations this database lacks. Some rebuild a table and its indexes: SQLite
  /// sorts the index entries in temporary storage, so while they run temporary storage is on
  /// disk, not in memory as usual (a 5-million-row rebuild held 650 MB in memory).
  private static func migrate(_ writer: any DatabaseWriter) throws {
    guard try !writer.read(migrator.hasCompletedMigrations) else { return }
    try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA temp_store = FILE") }
    defer {
      try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA temp_store = MEMORY")
      }
    }
    try migrator.migrate(writer)
  }

  private static func checkIdentity(_ writer: any DatabaseWriter, path: String) throws {
    // One immediate transaction, so that processes creating the same new file at once take
    // turns instead of one seeing the other's half-initialised database.
    try writer.writeWithoutTransaction { db in
      try db.inTransaction(.immediate) {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        if applicationID == 0 && tableCount == 0 {
          try db.execute(sql: "PRAGMA application_id = \(Store.applicationID)")
          return .commit
        }
        guard applicationID == Store.applicationID else {
          throw StoreError.notAnAnnoDatabase(path: path)
        }
        if try migrator.hasBeenSuperseded(db) {
          let applied = try migrator.appliedIdentifiers(db)
          let unknown = applied.subtracting(migrator.migrations).sorted().first ?? "?"
          throw StoreError.newerDatabase(path: path, migration: unknown)
        }
        return .commit
      }
    }
  }

  /// Maps SQLite failures to the errors users should see.
  static func translate(_ error: DatabaseError, path: String) -> StoreError {
    if let fault = translateFault(error, path: path) { return fault }
    switch error.resultCode {
    case .SQLITE_READONLY: return .readOnly(path: path)
    case .SQLITE_FULL: return .diskFull(path: path)
    case .SQLITE_NOTADB: return .notAnAnnoDatabase(path: path)
    case .SQLITE_CANTOPEN: return .cannotOpen(path: path, reason: error.message ?? "unable to open")
    default: return .database("database error: \(error.message ?? "\(error.resultCode)")")
    }
  }

  /// Runs a write transaction, translating database errors.
  func write<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      let result = try writer.write(body)
      checkpointer.afterCommit()
      return result
    } catch let error as DatabaseError {
      throw Store.translate(error, path: path ?? ":memory:")
    }
  }

  /// Runs a read transaction (a consistent snapshot), translating database errors.
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try writer.read(body)
    } catch let error as DatabaseError {
      throw Store.translate(error, path: path ?? ":memory:")
    }
  }

  /// The current time, as stored (seconds since 1970).
  static func now() -> Double { Date().timeIntervalSince1970 }
}
