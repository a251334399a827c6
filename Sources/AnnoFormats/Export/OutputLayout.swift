import Foundation

/// Where the files of one export go, and how they are published.
///
/// Single-stream formats (everything but `brat` and `hf`):
/// - standard output: one stream, no split;
/// - a file path `data.jsonl`: that file, or with a split one sibling per part
///   (`data.train.jsonl`, `data.dev.jsonl`), each renamed into place on publish;
/// - a folder path (ending in `/`, or an existing folder): `OUT/data.EXT`, or with a split
///   `OUT/train.EXT`, ..., built in a staged folder.
///
/// Folder formats always build a staged folder at the path.
final class OutputLayout {
  /// The part names, or `[nil]` without a split.
  let partNames: [String?]
  /// The staged folder, when the output is a folder.
  let folder: StagedFolder?
  /// One stream per part, for single-stream formats.
  private(set) var streams: [OutputFile] = []
  private var isOpen = true

  init(
    format: ExportFormat, split: SplitSpec?, destination: ExportDestination,
    replacingForeignFiles: Bool = false
  ) throws(ExportError) {
    partNames = split.map { $0.names.map { Optional($0) } } ?? [nil]
    let ext = format.fileExtension
    switch destination {
    case .standardOutput:
      if format.writesFolder {
        throw .needsPath("the \(format.rawValue) format writes a folder and")
      }
      if split != nil { throw .needsPath("a split writes one file per part and") }
      folder = nil
      streams = [OutputFile()]
    case .path(let path):
      if format.writesFolder {
        folder = try StagedFolder(
          target: path, format: format, replacingForeignFiles: replacingForeignFiles)
      } else if Self.isFolderPath(path) {
        let folder = try StagedFolder(
          target: path, format: format, replacingForeignFiles: replacingForeignFiles)
        self.folder = folder
        for name in partNames {
          streams.append(try folder.makeFile("\(SafeFileName.encode(name ?? "data")).\(ext)"))
        }
      } else {
        folder = nil
        for name in partNames {
          streams.append(
            try OutputFile(
              path: name.map { Self.sibling(of: path, part: SafeFileName.encode($0)) } ?? path))
        }
      }
    }
  }

  deinit { abort() }

  /// Publishes every file or the folder, returning the published paths.
  func publish() throws(ExportError) -> [String] {
    guard isOpen else { throw .alreadyFinished }
    isOpen = false
    do {
      for stream in streams { try stream.commit() }
      if let folder {
        try folder.publish()
        return [folder.target]
      }
    } catch {
      for stream in streams { stream.abort() }
      folder?.abort()
      throw error
    }
    return streams.compactMap(\.path)
  }

  /// Removes everything written so far.
  func abort() {
    guard isOpen else { return }
    isOpen = false
    for stream in streams { stream.abort() }
    folder?.abort()
  }

  /// Whether a path names a folder: it ends in `/` or is an existing folder.
  static func isFolderPath(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return path.hasSuffix("/")
      || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        && isDirectory.boolValue)
  }

  /// `data.jsonl` + `train` → `data.train.jsonl`; `data` + `train` → `data.train`.
  static func sibling(of path: String, part: String) -> String {
    let url = URL(fileURLWithPath: path)
    let name = url.lastPathComponent
    let folder = String(path.dropLast(name.count))
    if let dot = name.lastIndex(of: "."), dot != name.startIndex {
      return folder + name[..<dot] + "." + part + name[dot...]
    }
    return folder + name + "." + part
  }
}
