import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files this process holds open or that SQLite manages for it — the database, its
/// `-wal`, `-shm` and `-journal` files, a script being run — which no output may replace.
///
/// Every writer of a user-named path (`export --out`, `agree --out`, `backup`, a file or
/// folder a shell script names) asks ``refusal(toWrite:)`` or ``refusal(toReplaceFolder:)``
/// first. Paths are compared by identity, not spelling: the device and inode of an existing
/// file (after following symbolic links), else the real folder and the name, so
/// `./a.sqlite`, `../x/a.sqlite`, a symbolic link to it and a hard link are all the same file.
public enum ProtectedFiles {
  /// One protected path, how to name it in a message, and what holds it open: the entry
  /// lapses when its holder is gone (a store closed, a script finished).
  struct Entry {
    var path: String
    var description: String
    var isDatabase = false
    weak var holder: AnyObject?
  }

  private final class Registry: @unchecked Sendable {
    let lock = NSLock()
    var entries: [Entry] = []
  }
  private static let registry = Registry()

  /// Protects a database and the files SQLite keeps beside it while `holder` (its
  /// connection) lives.
  public static func register(database path: String, heldBy holder: AnyObject) {
    registry.lock.withLock {
      registry.entries.append(
        Entry(
          path: path, description: "the database '\(path)'", isDatabase: true, holder: holder))
    }
    register(path + "-wal", as: "the write-ahead log of the database '\(path)'", heldBy: holder)
    register(
      path + "-shm", as: "the shared-memory index of the database '\(path)'", heldBy: holder)
    register(
      path + "-journal", as: "the rollback journal of the database '\(path)'", heldBy: holder)
  }

  /// Protects one more file (a script being read, a log being appended to) while `holder`
  /// lives.
  public static func register(_ path: String, as description: String, heldBy holder: AnyObject) {
    registry.lock.withLock {
      registry.entries.removeAll { $0.holder == nil }
      registry.entries.append(Entry(path: path, description: description, holder: holder))
    }
  }

  private static var entries: [Entry] {
    registry.lock.withLock { registry.entries.filter { $0.holder != nil } }
  }

  /// Whether this process holds the database at `path` open (through any spelling of it).
  ///
  /// NB: a process must then not open and close the file itself: closing any descriptor of a
  /// file drops every POSIX lock the process holds on it, SQLite's included, and another
  /// process would then checkpoint and delete the write-ahead log under the open connection.
  public static func holdsDatabase(_ path: String) -> Bool {
    let target = Location(path)
    return entries.contains { $0.isDatabase && target.isSame(as: Location($0.path)) }
  }

  /// Why `path` must not be written (it is, or would replace, a protected file), as a
  /// sentence naming the file; `nil` when it may be written.
  public static func refusal(toWrite path: String) -> String? {
    let target = Location(path)
    for entry in entries where target.isSame(as: Location(entry.path)) {
      return
        "cannot write '\(path)': it is \(entry.description); nothing was written, choose another path"
    }
    return nil
  }

  /// Why the folder `path` must not be written or replaced as a whole (it is, or holds, a
  /// protected file); `nil` when it may.
  public static func refusal(toReplaceFolder path: String) -> String? {
    if let refusal = refusal(toWrite: path) { return refusal }
    var folder = stat()
    guard stat(path, &folder) == 0 else { return nil }
    for entry in entries {
      guard var ancestor = resolvedPath(entry.path) else { continue }
      while ancestor != "/" {
        ancestor = FilePaths.split(ancestor).parent
        var info = stat()
        if stat(ancestor, &info) == 0, info.st_dev == folder.st_dev, info.st_ino == folder.st_ino {
          return
            "cannot write the folder '\(path)': it holds \(entry.description); nothing was written, choose another folder"
        }
      }
    }
    return nil
  }

  /// Whether two paths name the same existing file (same device and inode).
  public static func sameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat()
    var sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
  }

  /// `realpath(3)` as a Swift string.
  static func resolvedPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Where a path leads: the file's identity when it exists, and the real folder and name
  /// it has (or would have), after following symbolic links.
  struct Location {
    var file: (device: UInt64, inode: UInt64)?
    var folder: (device: UInt64, inode: UInt64)?
    var name: String

    init(_ path: String) {
      var info = stat()
      if stat(path, &info) == 0 { file = (UInt64(info.st_dev), UInt64(info.st_ino)) }
      let (parent, name) = FilePaths.split(Location.followLinks(path))
      self.name = name
      if stat(parent, &info) == 0 {
        folder = (UInt64(info.st_dev), UInt64(info.st_ino))
      }
    }

    func isSame(as other: Location) -> Bool {
      if let file, let theirs = other.file {
        return file == theirs
      }
      guard let folder, let theirs = other.folder else { return false }
      return folder == theirs && name == other.name
    }

    /// The path a chain of symbolic links ends at (the path itself when it is none).
    static func followLinks(_ path: String) -> String {
      var current = path
      for _ in 0..<40 {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(current, &buffer, buffer.count - 1)
        guard count > 0 else { return current }
        let target = String(
          decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        current = target.hasPrefix("/") ? target : FilePaths.split(current).parent + "/" + target
      }
      return current
    }
  }
}
