import AnnoCore
import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Store {
  /// Makes a write past the file-size limit (`ulimit -f`) fail with `EFBIG`, which SQLite
  /// reports and `translate` words, instead of killing the process with `SIGXFSZ` (whose
  /// default action terminates it, mid-transaction, with no message).
  static let ignoresFileSizeSignal: Void = {
    signal(SIGXFSZ, SIG_IGN)
  }()

  /// The error to show for an I/O failure or a refused open, or `nil` to keep the default.
  ///
  /// SQLite cannot open a database in a folder mounted read-only (or not writable for its
  /// journal) and says only "unable to open database file"; a write past the file-size limit
  /// is a generic I/O error.
  static func translateFault(_ error: DatabaseError, path: String) -> StoreError? {
    switch error.resultCode {
    case .SQLITE_CANTOPEN:
      let checked = FilePaths.split(path).parent
      if FileManager.default.fileExists(atPath: path)
        ? access(path, W_OK) != 0 || access(checked, W_OK) != 0
        : access(checked, W_OK) != 0
      {
        return .readOnly(path: path)
      }
      return nil
    case .SQLITE_IOERR:
      // NB: SQLite reports ENOSPC as SQLITE_FULL only for the main file; a full disk met while
      // writing the WAL or its index is a plain I/O error.
      var volume = statvfs()
      if statvfs(FilePaths.split(path).parent, &volume) == 0,
        UInt64(volume.f_bavail) * UInt64(volume.f_frsize) < 1 << 20
      {
        return .diskFull(path: path)
      }
      var limit = rlimit()
      if getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0,
        limit.rlim_cur != rlim_t.max
      {
        return .database(
          "cannot write '\(path)': it would pass the file size limit (ulimit -f \(limit.rlim_cur / 1024)); nothing was written"
        )
      }
      return .database(
        "cannot write '\(path)': disk I/O error (\(error.message ?? "unknown")); nothing was written"
      )
    default:
      return nil
    }
  }
}
