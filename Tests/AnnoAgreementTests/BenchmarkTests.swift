import AnnoAgreement
import Foundation
import Testing

/// The streaming benchmark: α on 1,000,000 units × 3 raters with 10% missing.
///
/// Run in release: `ANNO_BENCHMARK=1 swift test -c release --filter BenchmarkTests`.
/// Skipped otherwise, because a debug build is several times slower.
@Suite struct BenchmarkTests {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["ANNO_BENCHMARK"] != nil))
  func alphaOnAMillionUnitsIsFast() {
    let clock = ContinuousClock()
    var rng = SplitMix64(seed: 2024)
    var alpha = Measure.undefined(reason: "not run")
    let peakBefore = Self.peakResidentKilobytes()
    let elapsed = clock.measure {
      var acc = RatingAccumulator(categoryCount: 5, raterCount: 3)
      var unit: [Int?] = [nil, nil, nil]
      for _ in 0..<1_000_000 {
        let truth = Int(rng.next() % 5)
        for r in 0..<3 {
          let x = rng.next()
          unit[r] = x % 10 == 0 ? nil : (x >> 8) % 4 == 0 ? Int((x >> 16) % 5) : truth
        }
        acc.add(unit: unit)
      }
      alpha = acc.krippendorffAlpha(level: .interval, values: [1, 2, 3, 4, 5])
    }
    let growth = Self.peakResidentKilobytes() - peakBefore
    print("alpha = \(alpha) on 1,000,000 units × 3 raters in \(elapsed), peak RSS +\(growth) kB")
    #expect(alpha.isDefined)
    #expect(elapsed < .seconds(1))
    // Keeping the units would take tens of megabytes; the accumulator needs a few kilobytes.
    #expect(growth < 8_192)
  }

  /// The process's peak resident set size (VmHWM), from /proc on Linux; 0 elsewhere.
  static func peakResidentKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
  }
}
