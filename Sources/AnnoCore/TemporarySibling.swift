import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The hidden name a file or folder is written under before it is renamed into place (an
/// export, a staged export folder, a backup): `DIR/.NAME.anno-tmp-PID-RANDOM`.
///
/// It sits beside its target, so the rename stays on one file system; it starts with a dot and
/// carries a marker no export publishes; and it holds the writer's process id, so
/// `anno check --clean-temp` can tell a stale one from one still being written.
public enum TemporarySibling {
  /// What every temporary name carries after the target's name.
  static let marker = ".anno-tmp-"

  /// A new temporary name beside `target`, for this process.
  public static func path(for target: String) -> String {
    let url = URL(fileURLWithPath: target)
    let folder = url.deletingLastPathComponent().path
    let random = UInt32.random(in: 0...UInt32.max)
    return folder + "/." + url.lastPathComponent + marker + "\(getpid())-\(random)"
  }

  /// The process id in a temporary name (`.NAME.anno-tmp-PID-N`, or a backup's SQLite
  /// sidecar `.NAME.anno-tmp-PID-N-wal`), or `nil` for any other name.
  public static func processID(inName name: String) -> Int32? {
    guard name.hasPrefix("."), let found = name.range(of: marker, options: .backwards) else {
      return nil
    }
    let parts = name[found.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count >= 2, let pid = Int32(parts[0]), pid > 0, UInt32(parts[1]) != nil else {
      return nil
    }
    return pid
  }
}
