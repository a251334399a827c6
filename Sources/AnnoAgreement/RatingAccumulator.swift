/// Streaming sufficient statistics for document-level agreement among raters.
///
/// Feed one unit (document, item) at a time with ``add(unit:)``: a category index per rater,
/// `nil` where that rater gave no rating. The accumulator keeps only counts, never the units,
/// so memory is O(*q*²·*R*²) for *q* categories and *R* raters, whatever the number of units:
///
/// - a *q*×*q* contingency table for every pair of raters (Cohen, Scott, weighted κ);
/// - coincidence counts split by the number of ratings in a unit (Krippendorff's α);
/// - each rater's category counts (Conger's κ);
/// - per-unit agreement and category sums split by ratings per unit (percent agreement,
///   Fleiss' κ, Gwet's AC1, Bennett's S).
///
/// All counts are integers, so ``merge(_:)`` is exact and order-independent: accumulate per
/// document, then add the documents a bootstrap replicate draws.
///
/// Categories are the schema's declared categories, in declared order, not the values that
/// happen to occur: weighted κ and ordinal α use the 0-based rank in that order, and AC1 and
/// Bennett's S use *q* = `categoryCount`.
public struct RatingAccumulator: Sendable, Hashable {
  /// The number of declared categories, *q*.
  public let categoryCount: Int
  /// The number of raters, *R*.
  public let raterCount: Int

  // Pair (a, b), a < b, at `pairIndex(a, b)`; cell (i, j) counts units where a chose i, b chose j.
  private(set) var pairCounts: [Int]
  // Indexed [m][c][k] for units with m ratings: ordered rater pairs (i ≠ j) valuing (c, k).
  private(set) var coincidenceCounts: [Int]
  // Indexed [rater][category]: how often each rater chose each category.
  private(set) var raterCounts: [Int]
  // Indexed [m]: units with m ratings.
  private(set) var unitsByRatingCount: [Int]
  // Indexed [m]: Σ over units with m ratings of Σ_k n_uk (n_uk − 1), agreeing ordered pairs.
  private(set) var agreeingPairsByRatingCount: [Int]
  // Indexed [m][k]: Σ over units with m ratings of n_uk.
  private(set) var categoryTotalsByRatingCount: [Int]

  /// Creates an empty accumulator for `raterCount` raters and `categoryCount` categories.
  ///
  /// - Precondition: `categoryCount ≥ 1` and `raterCount ≥ 1`.
  public init(categoryCount: Int, raterCount: Int) {
    precondition(categoryCount >= 1, "an agreement study needs at least one declared category")
    precondition(raterCount >= 1, "an agreement study needs at least one rater")
    self.categoryCount = categoryCount
    self.raterCount = raterCount
    let q = categoryCount
    let r = raterCount
    pairCounts = Array(repeating: 0, count: r * (r - 1) / 2 * q * q)
    coincidenceCounts = Array(repeating: 0, count: (r + 1) * q * q)
    raterCounts = Array(repeating: 0, count: r * q)
    unitsByRatingCount = Array(repeating: 0, count: r + 1)
    agreeingPairsByRatingCount = Array(repeating: 0, count: r + 1)
    categoryTotalsByRatingCount = Array(repeating: 0, count: (r + 1) * q)
  }

  /// Adds one unit: the category index each rater chose, `nil` for a missing rating.
  ///
  /// A unit nobody rated is counted in ``unitCount`` and otherwise ignored.
  ///
  /// - Precondition: `unit.count == raterCount`, and every index is in `0..<categoryCount`.
  /// - Complexity: O(*R*²).
  public mutating func add(unit: [Int?]) {
    add(unit: unit, count: 1)
  }

  /// Adds `count` units that all have these ratings, as `count` calls of `add(unit:)` would.
  ///
  /// Token-level measures add hundreds of identical units per document (every rater `O`);
  /// adding them at once keeps the cost per document independent of its length.
  ///
  /// - Precondition: `count >= 0`, `unit.count == raterCount`, every index in range.
  /// - Complexity: O(*R*²).
  public mutating func add(unit: [Int?], count: Int) {
    precondition(count >= 0, "a unit cannot be added \(count) times")
    precondition(
      unit.count == raterCount,
      "a unit has \(unit.count) ratings but the study has \(raterCount) raters")
    let q = categoryCount
    var m = 0
    for rating in unit {
      guard let c = rating else { continue }
      precondition(c >= 0 && c < q, "category index \(c) is outside 0..<\(q)")
      m += 1
    }
    unitsByRatingCount[m] += count
    guard m > 0 else { return }
    var agreeing = 0
    for i in 0..<raterCount {
      guard let ci = unit[i] else { continue }
      raterCounts[i * q + ci] += count
      categoryTotalsByRatingCount[m * q + ci] += count
      for j in (i + 1)..<raterCount {
        guard let cj = unit[j] else { continue }
        pairCounts[(pairIndex(i, j) * q + ci) * q + cj] += count
        coincidenceCounts[(m * q + ci) * q + cj] += count
        coincidenceCounts[(m * q + cj) * q + ci] += count
        if ci == cj { agreeing += 2 }
      }
    }
    agreeingPairsByRatingCount[m] += agreeing * count
  }

  /// Adds every unit of `units`, in order.
  public mutating func add(units: some Sequence<[Int?]>) {
    for unit in units { add(unit: unit) }
  }

  /// Adds the counts of `other`, as if its units had been added to this accumulator.
  ///
  /// - Precondition: both have the same `categoryCount` and `raterCount`.
  /// - Complexity: O(*q*²·*R*²).
  public mutating func merge(_ other: RatingAccumulator) {
    precondition(
      other.categoryCount == categoryCount && other.raterCount == raterCount,
      "cannot merge accumulators of different shapes")
    addInPlace(&pairCounts, other.pairCounts)
    addInPlace(&coincidenceCounts, other.coincidenceCounts)
    addInPlace(&raterCounts, other.raterCounts)
    addInPlace(&unitsByRatingCount, other.unitsByRatingCount)
    addInPlace(&agreeingPairsByRatingCount, other.agreeingPairsByRatingCount)
    addInPlace(&categoryTotalsByRatingCount, other.categoryTotalsByRatingCount)
  }

  /// The accumulator of both operands' units.
  public static func + (lhs: RatingAccumulator, rhs: RatingAccumulator) -> RatingAccumulator {
    var sum = lhs
    sum.merge(rhs)
    return sum
  }

  /// The number of units added, including units nobody rated.
  public var unitCount: Int { unitsByRatingCount.reduce(0, +) }

  /// The number of units with at least two ratings (the pairable units).
  public var pairableUnitCount: Int { unitsByRatingCount.dropFirst(2).reduce(0, +) }

  /// Every pair of distinct raters `(a, b)` with `a < b`, in lexicographic order.
  public var raterPairs: [RaterPair] {
    var pairs: [RaterPair] = []
    for a in 0..<raterCount {
      for b in (a + 1)..<raterCount { pairs.append(RaterPair(a, b)) }
    }
    return pairs
  }

  /// The contingency table of raters `a` (rows) and `b` (columns) over units both rated.
  ///
  /// - Precondition: `a ≠ b`, both in `0..<raterCount`.
  /// - Complexity: O(*q*²).
  public func contingencyTable(_ a: Int, _ b: Int) -> ContingencyTable {
    checkPair(a, b)
    let q = categoryCount
    let base = pairIndex(min(a, b), max(a, b)) * q * q
    var counts = Array(repeating: 0, count: q * q)
    for i in 0..<q {
      for j in 0..<q {
        let n = pairCounts[base + i * q + j]
        if a < b { counts[i * q + j] = n } else { counts[j * q + i] = n }
      }
    }
    return ContingencyTable(categoryCount: q, flatCounts: counts)
  }

  func checkPair(_ a: Int, _ b: Int) {
    precondition(a != b, "a rater pair needs two different raters, got \(a) twice")
    precondition(
      (0..<raterCount).contains(a) && (0..<raterCount).contains(b),
      "rater index out of 0..<\(raterCount)")
  }

  private func pairIndex(_ a: Int, _ b: Int) -> Int {
    a * (2 * raterCount - a - 1) / 2 + (b - a - 1)
  }
}

/// Two distinct raters, by index.
public struct RaterPair: Sendable, Hashable, CustomStringConvertible {
  /// The first rater (rows of the contingency table).
  public var a: Int
  /// The second rater (columns of the contingency table).
  public var b: Int

  /// Creates the pair `(a, b)`.
  public init(_ a: Int, _ b: Int) {
    self.a = a
    self.b = b
  }

  /// `a–b`, 0-based.
  public var description: String { "\(a)–\(b)" }
}

private func addInPlace(_ target: inout [Int], _ other: [Int]) {
  for i in target.indices { target[i] += other[i] }
}
