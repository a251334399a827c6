import Foundation

/// A reason an export failed; nothing is published when one is thrown.
public enum ExportError: Error, Equatable, Sendable, LocalizedError {
  /// A span's edges fall inside a token or on whitespace, under `--misaligned error`.
  case misalignedSpan(
    documentID: String, range: Range<Int>, text: String, label: String, problem: String)
  /// A `--split` value is malformed.
  case invalidSplit(String)
  /// The document's tokens do not fit its text.
  case invalidTokens(documentID: String, detail: String)
  /// A span lies outside the document's text.
  case spanOutsideText(documentID: String, range: Range<Int>, length: Int)
  /// The target folder holds files and no export marker: it is not an export folder.
  case destinationNotEmpty(path: String)
  /// The target is an export folder that also holds files that export did not write (a few
  /// of which are named), and `--force` was not given.
  case destinationHasForeignFiles(path: String, files: [String])
  /// The target exists and is the wrong kind of thing (a file where a folder goes, ...).
  case destinationConflict(path: String, detail: String)
  /// The target is a file Anno holds open or SQLite manages, or a folder that holds one (see
  /// `ProtectedFiles`); the message names it.
  case protectedPath(String)
  /// The format or split needs a path, not standard output.
  case needsPath(String)
  /// A document id would make a file name longer than the file system allows.
  case fileNameTooLong(documentID: String)
  /// A file system operation failed.
  case io(path: String, detail: String)
  /// `write` or `finish` was called after the exporter finished or aborted.
  case alreadyFinished

  public var errorDescription: String? {
    switch self {
    case .misalignedSpan(let id, let range, let text, let label, let problem):
      "document '\(id)': span \(range.lowerBound)..<\(range.upperBound) \(Self.quoted(text)) [\(label)] \(problem); use --misaligned expand or skip"
    case .invalidSplit(let message):
      "invalid --split: \(message)"
    case .invalidTokens(let id, let detail):
      "document '\(id)': \(detail)"
    case .spanOutsideText(let id, let range, let length):
      "document '\(id)': span \(range.lowerBound)..<\(range.upperBound) is outside the text (length \(length) code points)"
    case .destinationNotEmpty(let path):
      "'\(path)' is a folder with files Anno did not export; choose an empty or new folder"
    case .destinationHasForeignFiles(let path, let files):
      "'\(path)' holds files Anno did not write: "
        + files.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
        + (files.count > 5 ? " and \(files.count - 5) more" : "")
        + "; move them, choose another folder, or pass --force to replace the folder (deleting them)"
    case .destinationConflict(let path, let detail):
      "'\(path)' \(detail)"
    case .protectedPath(let message):
      message
    case .needsPath(let what):
      "\(what) cannot go to standard output; give --out PATH"
    case .fileNameTooLong(let id):
      "document id '\(id)' is too long to name a file (255 bytes once encoded)"
    case .io(let path, let detail):
      "cannot write '\(path)': \(detail)"
    case .alreadyFinished:
      "the export has already finished"
    }
  }

  /// A string in double quotes with control characters made visible, for messages.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\"": out += "\\\""
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
