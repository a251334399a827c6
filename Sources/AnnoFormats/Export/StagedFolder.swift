import AnnoCore
import Foundation

/// A folder built beside its target and renamed into place in one step.
///
/// The target may be missing, an empty folder, or a folder an earlier Anno export wrote
/// (marked by the file `.anno-export`, which lists the files that export wrote), which is
/// replaced whole. A folder that holds anything else — files a user put beside an export, or
/// an export by an older Anno, whose marker lists nothing — is refused unless
/// `replacingForeignFiles` (`--force`), and the refusal names a few of them; a folder with no
/// marker is never replaced, nor one that holds the database or another file Anno has open
/// (`ProtectedFiles`). Until `publish()`, the files live in a hidden sibling
/// `.NAME.anno-tmp-…` that `abort()` (or dropping the object) removes.
final class StagedFolder {
  /// The name of the marker file every exported folder carries.
  static let markerName = ".anno-export"

  /// The folder to publish.
  let target: String
  /// The folder being built.
  let staging: String
  private let format: ExportFormat
  private let replacingForeignFiles: Bool
  private var isOpen = true
  /// Files still open for writing, committed on publish.
  private var openFiles: [OutputFile] = []
  /// Every file written, relative to the folder, for the marker.
  private var written: [String] = []

  /// Checks the target and creates the staging folder.
  ///
  /// - Throws: `destinationNotEmpty` for a folder that is not an export,
  ///   `destinationHasForeignFiles` for an export folder with other files (without
  ///   `replacingForeignFiles`), `protectedPath` for a folder holding the database,
  ///   `destinationConflict` for a file at the target, `io` when the staging folder cannot be
  ///   made.
  init(target rawTarget: String, format: ExportFormat, replacingForeignFiles: Bool = false)
    throws(ExportError)
  {
    var target = rawTarget
    while target.count > 1, target.hasSuffix("/") { target.removeLast() }
    self.target = target
    self.format = format
    self.replacingForeignFiles = replacingForeignFiles
    try Self.checkReplaceable(target, force: replacingForeignFiles)
    let parent = URL(fileURLWithPath: target).deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) {
      do {
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
      } catch {
        throw .io(path: parent, detail: error.localizedDescription)
      }
    }
    staging = TemporarySibling.path(for: target)
    do {
      try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
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
    let parent = FilePaths.split(relativePath).parent
    if parent != "." { try makeFolder(parent) }
    let file = try OutputFile(path: staging + "/" + relativePath, direct: true)
    openFiles.append(file)
    written.append(relativePath)
    return file
  }

  /// Writes a whole small file at once and closes it (brat's one pair per document, which
  /// must not keep a descriptor open each).
  func writeFile(_ relativePath: String, _ bytes: [UInt8]) throws(ExportError) {
    let parent = FilePaths.split(relativePath).parent
    if parent != "." { try makeFolder(parent) }
    let file = try OutputFile(path: staging + "/" + relativePath, direct: true)
    file.writer.bytes = bytes
    try file.commit()
    written.append(relativePath)
  }

  /// Moves the staging folder into place, replacing an earlier export.
  func publish() throws(ExportError) {
    guard isOpen else { throw .alreadyFinished }
    let manager = FileManager.default
    for file in openFiles { try file.commit() }
    openFiles = []
    do {
      let lines = ["\(format.rawValue)"] + written.sorted().map { "file \($0)" }
      try Data((lines.joined(separator: "\n") + "\n").utf8).write(
        to: URL(fileURLWithPath: staging + "/" + Self.markerName))
    } catch {
      throw .io(path: target + "/" + Self.markerName, detail: error.localizedDescription)
    }
    // Re-check: someone may have written into the target while we exported.
    try Self.checkReplaceable(target, force: replacingForeignFiles)
    var old: String?
    if manager.fileExists(atPath: target) {
      let trash = TemporarySibling.path(for: target)
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

  private static func checkReplaceable(_ target: String, force: Bool) throws(ExportError) {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: target, isDirectory: &isDirectory) else { return }
    guard isDirectory.boolValue else {
      throw .destinationConflict(path: target, detail: "is a file; this export writes a folder")
    }
    if let refusal = ProtectedFiles.refusal(toReplaceFolder: target) {
      throw .protectedPath(refusal)
    }
    let contents = (try? manager.contentsOfDirectory(atPath: target)) ?? []
    guard !contents.isEmpty else { return }
    guard
      let marker = try? String(
        contentsOf: URL(fileURLWithPath: target + "/" + markerName), encoding: .utf8)
    else {
      throw .destinationNotEmpty(path: target)
    }
    let listed = Set(
      marker.split(separator: "\n").filter { $0.hasPrefix("file ") }.map {
        String($0.dropFirst("file ".count))
      })
    let foreign = foreignFiles(in: target, listed: listed)
    if !foreign.isEmpty && !force {
      throw .destinationHasForeignFiles(path: target, files: foreign)
    }
  }

  /// The files and folders under `target` that the marker does not list (nor any listed
  /// file's folders), sorted, relative to `target`.
  private static func foreignFiles(in target: String, listed: Set<String>) -> [String] {
    var folders: Set<String> = []
    for file in listed {
      var parent = FilePaths.split(file).parent
      while parent != "." && parent != "/" && !folders.contains(parent) {
        folders.insert(parent)
        parent = FilePaths.split(parent).parent
      }
    }
    var foreign: [String] = []
    func walk(_ relativeFolder: String) {
      let path = relativeFolder.isEmpty ? target : target + "/" + relativeFolder
      for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
        let relative = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
        if relative == markerName || listed.contains(relative) { continue }
        // A folder of listed files is walked; any other folder is named once, whole.
        if folders.contains(relative) { walk(relative) } else { foreign.append(relative) }
      }
    }
    walk("")
    return foreign.sorted()
  }
}
