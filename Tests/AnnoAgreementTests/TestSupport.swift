import AnnoAgreement
import Testing

/// Expects `measure` to be defined and within `tolerance` of `expected`.
func expectValue(
  _ measure: Measure, _ expected: Double, tolerance: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let value = measure.value else {
    Issue.record("expected \(expected), got \(measure)", sourceLocation: sourceLocation)
    return
  }
  #expect(
    abs(value - expected) <= tolerance, "got \(value), expected \(expected) ± \(tolerance)",
    sourceLocation: sourceLocation)
}

/// Expects `measure` to be undefined, with a reason.
func expectUndefined(_ measure: Measure, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(
    measure.value == nil, "expected undefined, got \(measure)", sourceLocation: sourceLocation)
  #expect(measure.reason?.isEmpty == false, sourceLocation: sourceLocation)
}

/// A two-rater accumulator holding `counts[i][j]` units rated (i, j).
func accumulator(fromTable counts: [[Int]]) -> RatingAccumulator {
  var acc = RatingAccumulator(categoryCount: counts.count, raterCount: 2)
  for (i, row) in counts.enumerated() {
    for (j, n) in row.enumerated() {
      for _ in 0..<n { acc.add(unit: [i, j]) }
    }
  }
  return acc
}

/// A multi-rater accumulator from a subjects × categories table of rater counts (Fleiss' layout).
func accumulator(fromDistribution rows: [[Int]]) -> RatingAccumulator {
  let raters = rows[0].reduce(0, +)
  var acc = RatingAccumulator(categoryCount: rows[0].count, raterCount: raters)
  for row in rows {
    acc.add(unit: row.enumerated().flatMap { k, n in Array(repeating: Optional(k), count: n) })
  }
  return acc
}
