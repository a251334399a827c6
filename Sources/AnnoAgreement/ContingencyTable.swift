/// A *q*×*q* table counting the units two raters both rated, by (row rater, column rater) category.
///
/// Cell (i, j) counts units the first rater put in category i and the second in category j.
/// Categories are in the schema's declared order (0-based ranks).
public struct ContingencyTable: Sendable, Hashable {
  /// The number of declared categories, *q*.
  public let categoryCount: Int
  private let counts: [Int]

  /// Creates a table from `counts[row][column]`.
  ///
  /// - Precondition: the table is square, non-empty, and has no negative count.
  public init(_ counts: [[Int]]) {
    precondition(!counts.isEmpty, "a contingency table needs at least one category")
    precondition(
      counts.allSatisfy { $0.count == counts.count }, "a contingency table must be square")
    precondition(counts.allSatisfy { $0.allSatisfy { $0 >= 0 } }, "counts cannot be negative")
    self.init(categoryCount: counts.count, flatCounts: counts.flatMap { $0 })
  }

  init(categoryCount: Int, flatCounts: [Int]) {
    self.categoryCount = categoryCount
    self.counts = flatCounts
  }

  /// The number of units in cell (`row`, `column`).
  public subscript(row: Int, column: Int) -> Int { counts[row * categoryCount + column] }

  /// The rows as arrays, `[row][column]`.
  public var rows: [[Int]] {
    (0..<categoryCount).map { i in Array(counts[(i * categoryCount)..<((i + 1) * categoryCount)]) }
  }

  /// The number of units both raters rated, *n*.
  public var total: Int { counts.reduce(0, +) }

  /// How often the row rater chose each category.
  public var rowTotals: [Int] { rows.map { $0.reduce(0, +) } }

  /// How often the column rater chose each category.
  public var columnTotals: [Int] {
    (0..<categoryCount).map { j in (0..<categoryCount).reduce(0) { $0 + self[$1, j] } }
  }

  /// The table with rows and columns swapped (the raters exchanged).
  public var transposed: ContingencyTable {
    let q = categoryCount
    var t = Array(repeating: 0, count: q * q)
    for i in 0..<q { for j in 0..<q { t[j * q + i] = self[i, j] } }
    return ContingencyTable(categoryCount: q, flatCounts: t)
  }

  // MARK: - Measures

  /// The proportion of units on which both raters chose the same category, pₒ = Σᵢ nᵢᵢ / n.
  ///
  /// - Returns: pₒ, or undefined when the raters share no unit.
  public var percentAgreement: Measure {
    Measure.ratio(Double(agreeing), Double(total), else: Reason.noSharedUnit)
  }

  /// Cohen's κ = (pₒ − pₑ) / (1 − pₑ) with pₑ = Σᵢ (rᵢ / n)(cᵢ / n), after Cohen (1960).
  ///
  /// Chance agreement uses each rater's own marginals over the units both rated.
  ///
  /// - Returns: κ, or undefined when the raters share no unit or pₑ = 1 (both used one
  ///   and the same category throughout).
  /// - Complexity: O(*q*²).
  public var cohensKappa: Measure {
    let n = Double(total)
    guard n > 0 else { return .undefined(reason: Reason.noSharedUnit) }
    let rows = rowTotals
    let columns = columnTotals
    var expected = 0.0
    for i in 0..<categoryCount { expected += Double(rows[i]) * Double(columns[i]) }
    return Measure.chanceCorrected(
      observed: Double(agreeing) / n, expected: expected / (n * n), else: Reason.oneCategory)
  }

  /// Scott's π = (pₒ − pₑ) / (1 − pₑ) with pₑ = Σᵢ ((rᵢ + cᵢ) / 2n)², after Scott (1955).
  ///
  /// Chance agreement uses the pooled marginals of both raters.
  ///
  /// - Returns: π, or undefined when the raters share no unit or all ratings are one category.
  /// - Complexity: O(*q*²).
  public var scottsPi: Measure {
    let n = Double(total)
    guard n > 0 else { return .undefined(reason: Reason.noSharedUnit) }
    let rows = rowTotals
    let columns = columnTotals
    var expected = 0.0
    for i in 0..<categoryCount {
      let share = Double(rows[i] + columns[i]) / (2 * n)
      expected += share * share
    }
    return Measure.chanceCorrected(
      observed: Double(agreeing) / n, expected: expected, else: Reason.oneCategory)
  }

  /// Weighted κ_w = 1 − Σ wᵢⱼ oᵢⱼ / Σ wᵢⱼ eᵢⱼ, after Cohen (1968).
  ///
  /// oᵢⱼ = nᵢⱼ / n and eᵢⱼ = rᵢ cⱼ / n². The disagreement weights use the 0-based rank in the
  /// declared order: linear |i − j| / (q − 1), quadratic (i − j)² / (q − 1)². This is what
  /// scikit-learn's `cohen_kappa_score(weights:)` computes when given every declared label.
  ///
  /// - Returns: κ_w, or undefined when the raters share no unit, *q* = 1, or the expected
  ///   weighted disagreement is 0 (all ratings in one category).
  /// - Complexity: O(*q*²).
  public func weightedKappa(_ weighting: KappaWeighting) -> Measure {
    let n = Double(total)
    guard n > 0 else { return .undefined(reason: Reason.noSharedUnit) }
    guard categoryCount > 1 else { return .undefined(reason: Reason.singleDeclaredCategory) }
    let rows = rowTotals
    let columns = columnTotals
    var observed = 0.0
    var expected = 0.0
    for i in 0..<categoryCount {
      for j in 0..<categoryCount where i != j {
        let w = weighting.weight(i, j, categoryCount: categoryCount)
        observed += w * Double(self[i, j]) / n
        expected += w * Double(rows[i]) * Double(columns[j]) / (n * n)
      }
    }
    guard expected > 0 else { return .undefined(reason: Reason.oneCategory) }
    return Measure.ratio(expected - observed, expected, else: Reason.oneCategory)
  }

  private var agreeing: Int { (0..<categoryCount).reduce(0) { $0 + self[$1, $1] } }
}

/// The disagreement weights of weighted κ, by 0-based rank in the declared category order.
public enum KappaWeighting: String, Sendable, Hashable, CaseIterable {
  /// w = |i − j| / (q − 1).
  case linear
  /// w = (i − j)² / (q − 1)².
  case quadratic

  /// The disagreement weight of categories `i` and `j` out of `categoryCount`.
  ///
  /// - Precondition: `categoryCount ≥ 2`.
  public func weight(_ i: Int, _ j: Int, categoryCount: Int) -> Double {
    precondition(categoryCount >= 2, "weights need at least two categories")
    let d = Double(abs(i - j)) / Double(categoryCount - 1)
    return self == .linear ? d : d * d
  }
}

/// Reasons shared by the measures, so the same situation reads the same everywhere.
enum Reason {
  static let noSharedUnit = "the two raters share no rated unit"
  static let noPairableUnit = "no unit has at least two ratings"
  static let oneCategory = "all ratings are in one category, so chance agreement is 1"
  static let singleDeclaredCategory = "fewer than two categories are declared"
  static let noVariation = "all pairable values are equal, so expected disagreement is 0"
}
