import AnnoCore
import Foundation

/// Errors the store reports to users, each a sentence that says what to do next.
public enum StoreError: Error, Equatable, Sendable, LocalizedError {
  case cannotOpen(path: String, reason: String)
  case notAnAnnoDatabase(path: String)
  case newerDatabase(path: String, migration: String)
  case readOnly(path: String)
  case diskFull(path: String)
  case documentNotFound(externalID: ExternalID)
  case noSchema
  case schemaConflict([String])
  case invalid(String)
  case database(String)

  public var errorDescription: String? {
    switch self {
    case .cannotOpen(let path, let reason): "cannot open database '\(path)': \(reason)"
    case .notAnAnnoDatabase(let path):
      "'\(path)' is not an Anno database; pass another path with --db or ANNO_DB"
    case .newerDatabase(let path, let migration):
      "'\(path)' was written by a newer Anno (it has migration '\(migration)'); upgrade anno to open it"
    case .readOnly(let path):
      "database '\(path)' is read-only; check its permissions and those of its folder"
    case .diskFull(let path): "the disk holding '\(path)' is full; nothing was written"
    case .documentNotFound(let id): "no document with id '\(id)'"
    case .noSchema: "this database has no label schema; load one with 'anno schema load FILE'"
    case .schemaConflict(let uses):
      "the new schema no longer declares labels that annotations use:\n"
        + uses.map { "  \($0)" }.joined(separator: "\n")
    case .invalid(let message): message
    case .database(let message): message
    }
  }
}
