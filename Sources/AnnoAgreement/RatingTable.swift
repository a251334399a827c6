/// Units × raters ratings in memory, for tests, small studies and bootstrapping over units.
///
/// Categories are the schema's declared categories in declared order; a rating is stored as
/// the category's 0-based index, `nil` when missing. For large studies stream units into a
/// ``RatingAccumulator`` instead: it computes the same statistics in O(*q*²·*R*²) memory.
public struct RatingTable<Category: Hashable & Sendable>: Sendable {
  /// The declared categories, in order.
  public let categories: [Category]
  /// The number of raters, *R*.
  public let raterCount: Int
  /// The ratings: one array per unit, one category index (or `nil`) per rater.
  public private(set) var units: [[Int?]] = []
  private let indexOf: [Category: Int]

  /// Creates an empty table for `raterCount` raters and the declared `categories`.
  ///
  /// - Precondition: categories are distinct and non-empty; `raterCount ≥ 1`.
  public init(categories: [Category], raterCount: Int) {
    precondition(!categories.isEmpty, "an agreement study needs at least one declared category")
    precondition(raterCount >= 1, "an agreement study needs at least one rater")
    var index: [Category: Int] = [:]
    for (i, c) in categories.enumerated() {
      precondition(index[c] == nil, "category \(c) is declared twice")
      index[c] = i
    }
    self.categories = categories
    self.raterCount = raterCount
    self.indexOf = index
  }

  /// Creates a table from rows of ratings, one row per unit, one column per rater.
  ///
  /// - Precondition: `units` is non-empty, every row has the same length, and every rating
  ///   is a declared category.
  public init(categories: [Category], units: [[Category?]]) {
    precondition(!units.isEmpty, "give at least one unit, or use init(categories:raterCount:)")
    self.init(categories: categories, raterCount: units[0].count)
    for unit in units { append(unit) }
  }

  /// Creates a table from Krippendorff's layout: one row per rater (observer), one column per unit.
  public init(categories: [Category], raterRows: [[Category?]]) {
    precondition(!raterRows.isEmpty, "give at least one rater")
    let unitCount = raterRows[0].count
    precondition(raterRows.allSatisfy { $0.count == unitCount }, "rater rows differ in length")
    self.init(categories: categories, raterCount: raterRows.count)
    for u in 0..<unitCount { append(raterRows.map { $0[u] }) }
  }

  /// Appends one unit: each rater's category, `nil` where missing.
  ///
  /// - Precondition: `unit.count == raterCount`; every rating is a declared category.
  public mutating func append(_ unit: [Category?]) {
    precondition(
      unit.count == raterCount,
      "a unit has \(unit.count) ratings but the table has \(raterCount) raters")
    units.append(
      unit.map { rating in
        rating.map { c in
          guard let i = indexOf[c] else { preconditionFailure("category \(c) is not declared") }
          return i
        }
      })
  }

  /// The index of `category` in the declared order, or `nil` if it is not declared.
  public func index(of category: Category) -> Int? { indexOf[category] }

  /// The sufficient statistics of all units, from which every measure is computed.
  ///
  /// - Complexity: O(*N*·*R*²) for *N* units.
  public var accumulator: RatingAccumulator {
    accumulator(of: units.indices)
  }

  /// The sufficient statistics of the units at `indices` (repeats count repeatedly).
  public func accumulator(of indices: some Sequence<Int>) -> RatingAccumulator {
    var acc = RatingAccumulator(categoryCount: categories.count, raterCount: raterCount)
    for i in indices { acc.add(unit: units[i]) }
    return acc
  }

  /// A percentile bootstrap confidence interval over units, resampled with replacement.
  ///
  /// Each of `replicates` replicates draws `units.count` units with replacement and computes
  /// `statistic` on them. Deterministic for a given generator state.
  ///
  /// - Complexity: O(`replicates` · *N*·*R*²).
  public func bootstrap(
    replicates: Int, confidenceLevel: Double = 0.95,
    using generator: inout some RandomNumberGenerator,
    statistic: (RatingAccumulator) -> Measure
  ) -> BootstrapInterval {
    precondition(!units.isEmpty, "cannot bootstrap a table without units")
    let estimates = (0..<replicates).map { _ in
      statistic(
        accumulator(
          of: (0..<units.count).map { _ in
            uniformIndex(below: units.count, using: &generator)
          }))
    }
    return BootstrapInterval(estimates: estimates, confidenceLevel: confidenceLevel)
  }

  /// Each rater's ratings against the majority of the other raters, as a two-rater study.
  ///
  /// For every unit `rater` rated, the "majority" is the others' plurality winner
  /// (`Voting.plurality`); units where the others tie or gave no rating are skipped.
  /// Rater 0 of the result is `rater`, rater 1 the majority. Use its Cohen's κ or percent
  /// agreement to spot a rater who departs from the rest.
  ///
  /// - Precondition: `rater` is a valid index.
  /// - Complexity: O(*N*·*R*).
  public func againstMajority(of rater: Int) -> RatingAccumulator {
    precondition((0..<raterCount).contains(rater), "rater index out of 0..<\(raterCount)")
    var acc = RatingAccumulator(categoryCount: categories.count, raterCount: 2)
    var votes = Array(repeating: 0, count: categories.count)
    for unit in units {
      guard let own = unit[rater],
        let majority = Voting.plurality(of: unit, excluding: rater, votes: &votes)
      else { continue }
      acc.add(unit: [own, majority])
    }
    return acc
  }
}
