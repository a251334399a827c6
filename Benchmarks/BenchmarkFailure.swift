import Foundation

/// A benchmark whose result is wrong, so its timing means nothing.
struct BenchmarkFailure: Error, CustomStringConvertible {
  /// What was wrong.
  let description: String

  /// Throws a failure saying `message` unless `condition` holds.
  static func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw BenchmarkFailure(description: message()) }
  }
}

/// The process's peak resident set size (VmHWM), from /proc on Linux; 0 elsewhere.
func peakResidentKilobytes() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
  else { return 0 }
  return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}
