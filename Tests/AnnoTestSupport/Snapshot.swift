import Foundation
import Testing

/// Compares `actual` byte for byte with the golden file `Snapshots/NAME` beside the calling test
/// file; records it when `RECORD_SNAPSHOTS=1` or when it is missing (which fails the test).
///
/// Every golden file is also checked by something independent of the code that wrote it (the
/// README's Development section lists which).
public func assertSnapshot(
  _ actual: String, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent(
    "Snapshots")
  let url = folder.appendingPathComponent(name)
  let isRecording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
  guard !isRecording, let expected = try? Data(contentsOf: url) else {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(actual.utf8).write(to: url)
    if !isRecording {
      Issue.record("recorded missing snapshot \(name); run again", sourceLocation: sourceLocation)
    }
    return
  }
  #expect(
    Array(actual.utf8) == Array(expected), "snapshot \(name) differs",
    sourceLocation: sourceLocation)
}

/// Every file under a folder as `== relative/path ==\ncontents`, sorted by path and joined by
/// newlines: one golden file for an export that writes a folder.
public func folderSnapshot(_ root: String) throws -> String {
  let manager = FileManager.default
  let paths = (manager.subpaths(atPath: root) ?? []).sorted().filter { path in
    var isDirectory: ObjCBool = false
    return manager.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
      && !isDirectory.boolValue
  }
  return try paths.map { path in
    "== \(path) ==\n"
      + String(
        decoding: try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)), as: UTF8.self)
  }.joined(separator: "\n")
}
