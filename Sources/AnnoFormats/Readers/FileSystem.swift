import Foundation

/// The few file-system questions the folder readers ask.
enum FileSystem {
  /// The names in a folder, sorted.
  static func entries(of path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
  }

  /// Whether `path` is a folder.
  static func isDirectory(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  /// Whether a file exists at `path`.
  static func exists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
  }

  /// Calls `body` with the path of every file under `folder`, relative to it, in sorted
  /// order, until it returns false. Only names are held, never contents.
  static func walk(_ folder: String, _ body: (String) throws -> Bool) throws {
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return }
    var files: [String] = []
    while let relative = enumerator.nextObject() as? String {
      if !isDirectory(folder + "/" + relative) { files.append(relative) }
    }
    for relative in files.sorted() where try !body(relative) { return }
  }

  /// The bytes of a file, or `nil` when it cannot be read.
  static func contents(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { Array($0) }
  }

  /// The first `count` bytes of a file (fewer when it is shorter or unreadable).
  static func prefix(_ path: String, count: Int) -> [UInt8] {
    guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: count) else { return [] }
    return Array(data)
  }

  /// The size of a file in bytes (0 when unknown).
  static func size(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  }
}

extension FileSystem {
  /// The line of a file that starts at byte `offset` (without its LF), or `nil`.
  static func line(at offset: Int, in path: String) -> [UInt8]? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    do {
      try handle.seek(toOffset: UInt64(offset))
      var line: [UInt8] = []
      while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
        if let newline = chunk.firstIndex(of: 0x0A) {
          line.append(contentsOf: chunk[chunk.startIndex..<newline])
          return line
        }
        line.append(contentsOf: chunk)
      }
      return line
    } catch {
      return nil
    }
  }
}
