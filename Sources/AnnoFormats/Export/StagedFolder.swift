import Foundation

/// A folder built beside its target and renamed into place in one step.
///
/// The target may be missing, an empty folder, or a folder an earlier Anno export wrote
/// (marked by the file `.anno-export`), which is replaced whole; a folder with other files
/// is refused, so an export never deletes data it did not write. Until `publish()`, the
/// files live in a hidden sibling `.NAME.anno-tmp-…` that `abort()` (or dropping the
/// object) removes.
final class StagedFolder {
  /// The name of the marker file every exported folder carries.
  static let markerName = ".anno-export"

  /// The folder to publish.
  let target: String
  /// The folder being built.
  let staging: String
  private var isOpen = true
  /// Files still open for writing, committed on publish.
  private var openFiles: [OutputFile] = []

  /// Checks the target and creates the staging folder.
  ///
  /// - Throws: `destinationNotEmpty` for a folder with foreign files, `destinationConflict`
  ///   for a file at the target, `io` when the staging folder cannot be made.
  init(target rawTarget: String, format: ExportFormat) throws(ExportError) {
    var target = rawTarget
    while target.count > 1, target.hasSuffix("/") { target.removeLast() }
    self.target = target
    try Self.checkReplaceable(target)
    let parent = URL(fileURLWithPath: target).deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) {
      do {
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
      } catch {
        throw .io(path: parent, detail: error.localizedDescription)
      }
    }
    staging = OutputFile.temporarySibling(of: target)
    do {
      try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
      try Data("\(format.rawValue)\n".utf8).write(
        to: URL(fileURLWithPath: staging + "/" + Self.markerName))
    } catch {
      throw .io(path: target, detail: error.localizedDescription)
    }
  }

  deinit { abort() }

  /// Creates a subfolder of the staging folder (`alice`, `train/alice`).
  func makeFolder(_ relativePath: String) throws(ExportError) {
    do {
      try FileManager.default.createDirectory(
        atPath: staging + "/" + relativePath, withIntermediateDirectories: true)
    } catch {
      throw .io(path: target + "/" + relativePath, detail: error.localizedDescription)
    }
  }

  /// Opens a file inside the staging folder, creating its parent folders.
  func makeFile(_ relativePath: String) throws(ExportError) -> OutputFile {
    let parent = (relativePath as NSString).deletingLastPathComponent
    if !parent.isEmpty { try makeFolder(parent) }
    let file = try OutputFile(path: staging + "/" + relativePath, direct: true)
    openFiles.append(file)
    return file
  }

  /// Writes a whole small file at once and closes it (brat's one pair per document, which
  /// must not keep a descriptor open each).
  func writeFile(_ relativePath: String, _ bytes: [UInt8]) throws(ExportError) {
    let parent = (relativePath as NSString).deletingLastPathComponent
    if !parent.isEmpty { try makeFolder(parent) }
    let file = try OutputFile(path: staging + "/" + relativePath, direct: true)
    file.writer.bytes = bytes
    try file.commit()
  }

  /// Moves the staging folder into place, replacing an earlier export.
  func publish() throws(ExportError) {
    guard isOpen else { throw .alreadyFinished }
    let manager = FileManager.default
    for file in openFiles { try file.commit() }
    openFiles = []
    // Re-check: someone may have written into the target while we exported.
    try Self.checkReplaceable(target)
    var old: String?
    if manager.fileExists(atPath: target) {
      let trash = OutputFile.temporarySibling(of: target)
      guard rename(target, trash) == 0 else {
        throw .io(path: target, detail: String(cString: strerror(errno)))
      }
      old = trash
    }
    guard rename(staging, target) == 0 else {
      let detail = String(cString: strerror(errno))
      if let old { rename(old, target) }
      throw .io(path: target, detail: detail)
    }
    isOpen = false
    if let old { try? manager.removeItem(atPath: old) }
  }

  /// Removes the staging folder; does nothing once published.
  func abort() {
    guard isOpen else { return }
    isOpen = false
    for file in openFiles { file.abort() }
    try? FileManager.default.removeItem(atPath: staging)
  }

  private static func checkReplaceable(_ target: String) throws(ExportError) {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: target, isDirectory: &isDirectory) else { return }
    guard isDirectory.boolValue else {
      throw .destinationConflict(path: target, detail: "is a file; this export writes a folder")
    }
    let contents = (try? manager.contentsOfDirectory(atPath: target)) ?? []
    if !contents.isEmpty, !contents.contains(markerName) {
      throw .destinationNotEmpty(path: target)
    }
  }
}
