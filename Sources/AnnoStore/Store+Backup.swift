import AnnoCore
import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `anno backup` wrote.
public struct BackupSummary: Hashable, Sendable {
  /// The path of the copy.
  public var path: String
  /// Its size in bytes.
  public var bytes: Int
  /// Documents, annotations and events in the copy (read back from it).
  public var documents: Int
  /// Annotations in the copy.
  public var annotations: Int
  /// Events in the copy.
  public var events: Int
}

extension Store {
  /// Copies the database to `path` through SQLite's online backup API: a consistent
  /// snapshot, taken in one read transaction, so annotators keep working meanwhile.
  ///
  /// The copy is written to a hidden temporary file beside `path` (`.NAME.anno-tmp-PID-N`),
  /// switched to a self-contained rollback journal, checked (it must open as an Anno
  /// database and pass `integrity_check`), synced, and only then renamed into place.
  ///
  /// - Parameters:
  ///   - path: where the copy goes.
  ///   - overwrite: replace an existing file at `path`.
  /// - Throws: `StoreError.invalid` for an existing target without `overwrite`, a missing
  ///   folder, one of the database's own files (`ProtectedFiles`), a name SQLite manages or a
  ///   target with SQLite's files beside it (see `backupTargetProblem`); `diskFull`,
  ///   `readOnly` or `database` when writing fails. Nothing is left at `path` (or it is
  ///   unchanged) then.
  public func backup(to path: String, overwrite: Bool) throws -> BackupSummary {
    guard self.path != nil else {
      throw StoreError.invalid("an in-memory database cannot be backed up")
    }
    if let problem = Store.backupTargetProblem(path) { throw StoreError.invalid(problem) }
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
      if isDirectory.boolValue {
        throw StoreError.invalid("'\(path)' is a folder; give a file path for the copy")
      }
      guard overwrite else {
        throw StoreError.invalid(
          "'\(path)' already exists; pass --force to overwrite it, or choose another path")
      }
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
    else {
      throw StoreError.invalid("cannot write '\(path)': the folder '\(folder)' does not exist")
    }
    let temporary = TemporarySibling.path(for: path)
    var published = false
    defer {
      if !published {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
      }
    }
    do {
      let destination = try DatabaseQueue(path: temporary)
      try writer.backup(to: destination)
      try destination.writeWithoutTransaction { db in
        // The source is in WAL mode and so is the copied header; a backup should be one file.
        _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
      }
      try destination.close()
      var verify = Configuration()
      verify.readonly = true
      let copy = try DatabaseQueue(path: temporary, configuration: verify)
      let summary = try copy.read { db -> BackupSummary in
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        guard applicationID == Store.applicationID else {
          throw StoreError.invalid(
            "the copy at '\(temporary)' does not open as an Anno database; nothing was written")
        }
        let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check(10)")
        guard integrity == ["ok"] else {
          throw StoreError.invalid(
            "the copy failed its integrity check (\(integrity.joined(separator: "; "))); nothing was written"
          )
        }
        return BackupSummary(
          path: path, bytes: 0,
          documents: try Int.fetchOne(db, sql: "SELECT count(*) FROM document") ?? 0,
          annotations: try Int.fetchOne(db, sql: "SELECT count(*) FROM annotation") ?? 0,
          events: try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0)
      }
      try copy.close()
      try Store.syncFile(temporary, path: path)
      guard rename(temporary, path) == 0 else {
        throw StoreError.invalid("cannot write '\(path)': \(String(cString: strerror(errno)))")
      }
      published = true
      Store.syncFolder(folder)
      var result = summary
      result.bytes = (try? manager.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      return result
    } catch let error as DatabaseError {
      throw Store.translate(error, path: path)
    }
  }

  /// The suffixes of the files SQLite keeps beside a database and deletes or replays on its
  /// own: a copy written under such a name would vanish or corrupt another database.
  static let sqliteSidecarSuffixes = ["-wal", "-shm", "-journal"]

  /// Why `path` cannot take a backup, or `nil`: it is one of this database's files or any
  /// other file Anno holds open; its name is one SQLite manages (`x-wal`, `x-shm`,
  /// `x-journal`: SQLite removes or replays them when the database beside them closes or
  /// opens); or a write-ahead log or journal lies beside it (the copy would open with another
  /// database's pending pages applied to it).
  static func backupTargetProblem(_ path: String) -> String? {
    if let refusal = ProtectedFiles.refusal(toWrite: path) { return refusal }
    let name = FilePaths.split(path).name
    if let suffix = sqliteSidecarSuffixes.first(where: { name.hasSuffix($0) }) {
      return
        "cannot back up to '\(path)': SQLite manages files whose names end in '\(suffix)' (it deletes or replays them beside their database); choose another name"
    }
    for suffix in ["-wal", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
      return
        "cannot back up to '\(path)': '\(path + suffix)' lies beside it and SQLite would apply it to the copy; remove it (after closing whatever uses that database) or choose another path"
    }
    return nil
  }

  /// Flushes a finished file to disk before it is renamed into place.
  private static func syncFile(_ file: String, path: String) throws {
    let descriptor = open(file, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw StoreError.invalid("cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    if fsync(descriptor) != 0 {
      let code = errno
      if code == ENOSPC || code == EDQUOT { throw StoreError.diskFull(path: path) }
      throw StoreError.invalid("cannot write '\(path)': \(String(cString: strerror(code)))")
    }
  }

  /// Makes a rename durable; best effort (some file systems refuse to sync folders).
  private static func syncFolder(_ folder: String) {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    fsync(descriptor)
    close(descriptor)
  }
}
