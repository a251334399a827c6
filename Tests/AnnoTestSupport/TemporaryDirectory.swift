import Foundation

/// A fresh directory under the system's temporary folder, removed when released.
public final class TemporaryDirectory {
  /// The directory's path.
  public let path: String

  /// Creates the directory.
  public init() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "anno-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    path = base.path
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// The path of `name` inside the directory.
  public func file(_ name: String) -> String {
    (path as NSString).appendingPathComponent(name)
  }

  /// Writes `contents` to `name` (creating folders), returning the path.
  @discardableResult
  public func write(_ name: String, _ contents: String) throws -> String {
    try write(name, Data(contents.utf8))
  }

  /// Writes bytes to `name` (creating folders), returning the path.
  @discardableResult
  public func write(_ name: String, _ contents: Data) throws -> String {
    let target = file(name)
    try FileManager.default.createDirectory(
      atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try contents.write(to: URL(fileURLWithPath: target))
    return target
  }
}
