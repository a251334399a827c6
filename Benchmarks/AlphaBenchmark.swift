import AnnoAgreement
import AnnoCore
import Foundation

/// The streaming α: 1,000,000 units × 3 raters with 10% missing, in one accumulator.
enum AlphaBenchmark {
  static func run() throws {
    let clock = ContinuousClock()
    var rng = SplitMix64(seed: 2024)
    var alpha = Measure.undefined(reason: "not run")
    let peakBefore = peakResidentKilobytes()
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
    let growth = peakResidentKilobytes() - peakBefore
    print("alpha = \(alpha) on 1,000,000 units × 3 raters in \(elapsed), peak RSS +\(growth) kB")
    try BenchmarkFailure.check(alpha.isDefined, "α is undefined: \(alpha)")
    // Keeping the units would take tens of megabytes; the accumulator needs a few kilobytes.
    try BenchmarkFailure.check(growth < 8_192, "peak RSS grew by \(growth) kB")
  }
}
