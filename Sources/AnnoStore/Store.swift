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

  /// Whether the database was opened read-only (its file or folder cannot be written): reads
  /// work, and every write fails with `StoreError.readOnly`.
  public let isReadOnly: Bool

  /// Opens (creating and migrating if needed) the database at `path`, or an in-memory
  /// database when `path` is `nil`.
  ///
  /// A file that is not an Anno database is refused before anything is written to it. An
  /// existing database whose file or folder cannot be written opens read-only.
  ///
  /// - Throws: `StoreError` for a file that is not an Anno database, one written by a newer
  ///   Anno, a missing folder, or a read-only location for a new database.
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
    }
    do {
      if let path {
        guard !path.isEmpty else {
          throw StoreError.cannotOpen(path: path, reason: "the path is empty; pass --db PATH")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue
        {
          throw StoreError.cannotOpen(path: path, reason: "it is a folder; give the database file")
        }
        let folder = FilePaths.split(path).parent
        if !FileManager.default.fileExists(atPath: folder) {
          throw StoreError.cannotOpen(path: path, reason: "the folder '\(folder)' does not exist")
        }
        // A database this process has open already passed; its file must not be opened again.
        if !ProtectedFiles.holdsDatabase(path) { try Store.refuseForeignFile(at: path) }
        (writer, isReadOnly) = try Store.openFile(path: path, configuration: config)
        ProtectedFiles.register(database: path, heldBy: writer as AnyObject)
      } else {
        writer = try DatabaseQueue(configuration: config)
        isReadOnly = false
        try Store.checkIdentity(writer, path: ":memory:", mayInitialize: true)
      }
      if !isReadOnly { try Store.migrate(writer) }
    } catch let error as StoreError {
      throw error
    } catch let error as DatabaseError {
      throw Store.translate(error, path: path ?? ":memory:")
    }
  }

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

  /// The current time, as stored (seconds since 1970): the clock, or ``fixedTime`` when a
  /// caller set one.
  static func now() -> Double { fixedTime ?? Date().timeIntervalSince1970 }

  /// A time that every write of the current task records instead of the clock's, for
  /// fixtures whose event log needs exact timestamps (`Store.$fixedTime.withValue(t) { … }`).
  @TaskLocal package static var fixedTime: Double?
}
