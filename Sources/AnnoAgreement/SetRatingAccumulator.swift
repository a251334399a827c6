/// A distance between two set values, for Krippendorff's α on set-valued ratings (several
/// labels per rater and unit, such as the topics of an article).
///
/// Both are 0 for equal sets and 1 for disjoint ones, as in `nltk.metrics.distance`:
///
/// - `jaccard`: 1 − |A ∩ B| / |A ∪ B|.
/// - `masi`: 1 − (|A ∩ B| / |A ∪ B|) · M, where the monotonicity M is 1 when A = B, 2/3 when
///   one contains the other, 1/3 when they overlap otherwise and 0 when they are disjoint
///   (Passonneau 2006, "Measuring Agreement on Set-valued Items (MASI) for Semantic and
///   Pragmatic Annotation", LREC).
///
/// Two empty sets are at distance 0 (nltk divides by zero there); an empty set and a non-empty
/// one at distance 1.
public enum SetDistance: String, Sendable, Hashable, CaseIterable {
  case masi
  case jaccard

  /// The distance between two sets of category indices.
  public func callAsFunction(_ a: Set<Int>, _ b: Set<Int>) -> Double {
    let intersection = a.intersection(b).count
    let union = a.count + b.count - intersection
    guard union > 0 else { return 0 }
    switch self {
    case .jaccard:
      return Double(union - intersection) / Double(union)
    case .masi:
      let monotonicity: Double
      if a.count == b.count && a.count == intersection {
        monotonicity = 1
      } else if intersection == min(a.count, b.count) {
        monotonicity = 2 / 3
      } else if intersection > 0 {
        monotonicity = 1 / 3
      } else {
        monotonicity = 0
      }
      return 1 - Double(intersection) / Double(union) * monotonicity
    }
  }
}

/// Streaming counts for Krippendorff's α on set-valued ratings.
///
/// Feed one unit (document) at a time with ``add(unit:)``: per rater the set of category
/// indices they chose, `nil` where they gave none. Each distinct set is one value of the
/// coincidence matrix, so memory grows with the distinct sets that occur together in a unit,
/// never with the number of units.
public struct SetRatingAccumulator: Sendable {
  /// The number of raters, *R*.
  public let raterCount: Int
  /// The distinct sets seen, in order of first appearance (each sorted).
  private(set) var values: [[Int]] = []
  private var valueIndex: [[Int]: Int] = [:]
  /// Ordered pairs of ratings from different raters of one unit with `m` ratings, valued
  /// (values[a], values[b]): the coincidences before the 1 / (m − 1) weight.
  private(set) var coincidenceCounts: [CoincidenceKey: Int] = [:]
  /// Units added, rated or not.
  public private(set) var unitCount = 0
  /// Units with at least two ratings (the pairable units α uses).
  public private(set) var pairableUnitCount = 0

  struct CoincidenceKey: Hashable, Sendable {
    var ratings: Int
    var first: Int
    var second: Int
  }

  /// Creates an empty accumulator for `raterCount` raters.
  ///
  /// - Precondition: `raterCount ≥ 1`.
  public init(raterCount: Int) {
    precondition(raterCount >= 1, "an agreement study needs at least one rater")
    self.raterCount = raterCount
  }

  /// Adds one unit: the set each rater chose, `nil` for a missing rating.
  ///
  /// - Precondition: `unit.count == raterCount`.
  /// - Complexity: O(*R*²) for *R* raters.
  public mutating func add(unit: [Set<Int>?]) {
    precondition(unit.count == raterCount, "a unit needs one entry per rater")
    unitCount += 1
    var rated: [Int] = []
    for case let set? in unit { rated.append(index(of: set)) }
    let m = rated.count
    guard m >= 2 else { return }
    pairableUnitCount += 1
    for i in 0..<m {
      for j in 0..<m where i != j {
        coincidenceCounts[
          CoincidenceKey(ratings: m, first: rated[i], second: rated[j]), default: 0] +=
          1
      }
    }
  }

  /// Adds another accumulator's units (for the same raters).
  ///
  /// - Precondition: `other.raterCount == raterCount`.
  public mutating func merge(_ other: SetRatingAccumulator) {
    precondition(other.raterCount == raterCount, "merged accumulators need the same raters")
    unitCount += other.unitCount
    pairableUnitCount += other.pairableUnitCount
    let mapping = other.values.map { index(of: Set($0)) }
    for (key, count) in other.coincidenceCounts {
      coincidenceCounts[
        CoincidenceKey(
          ratings: key.ratings, first: mapping[key.first], second: mapping[key.second]),
        default: 0] += count
    }
  }

  private mutating func index(of set: Set<Int>) -> Int {
    let sorted = set.sorted()
    if let index = valueIndex[sorted] { return index }
    values.append(sorted)
    valueIndex[sorted] = values.count - 1
    return values.count - 1
  }

  /// Krippendorff's α for set values under a set distance δ (MASI or Jaccard).
  ///
  /// With the coincidences o_ab = Σ_u (ordered pairs of ratings valued (a, b) in u) / (m_u − 1)
  /// over the units with m_u ≥ 2 ratings, n_a = Σ_b o_ab and n = Σ_a n_a (Krippendorff 2011,
  /// "Computing Krippendorff's Alpha-Reliability"; each distinct set is a value):
  ///
  ///     α = 1 − (n − 1) · Σ_ab o_ab δ(a, b) / Σ_ab n_a n_b δ(a, b)
  ///
  /// This is what `nltk.metrics.agreement.AnnotationTask(distance=masi_distance).alpha()`
  /// (or `jaccard_distance`) computes from (rater, unit, frozenset) triples, as
  /// Passonneau (2006) applies α to set-valued annotation. Units with fewer than two ratings
  /// are left out.
  ///
  /// - Returns: α, or undefined when fewer than two values are pairable or the expected
  ///   disagreement is 0 (every pairable set equal). nltk returns 1 when every pairable set is
  ///   equal, and raises an error for some other such data; Anno treats them as every α.
  /// - Complexity: O(*p* + *v*²) for *p* distinct coincident pairs and *v* distinct sets.
  public func krippendorffAlpha(distance: SetDistance) -> Measure {
    var weighted: [Int: Double] = [:]
    var pairs: [(first: Int, second: Int, weight: Double)] = []
    for (key, count) in coincidenceCounts.sorted(by: { Self.order($0.key, $1.key) }) {
      let weight = Double(count) / Double(key.ratings - 1)
      weighted[key.first, default: 0] += weight
      pairs.append((key.first, key.second, weight))
    }
    let totals = (0..<values.count).map { weighted[$0] ?? 0 }
    let n = totals.reduce(0, +)
    guard n > 1 else { return .undefined(reason: Reason.noPairableUnit) }
    let sets = values.map { Set($0) }
    var observed = 0.0
    for pair in pairs where pair.first != pair.second {
      observed += pair.weight * distance(sets[pair.first], sets[pair.second])
    }
    var expected = 0.0
    for a in 0..<values.count where totals[a] > 0 {
      for b in 0..<values.count where b != a && totals[b] > 0 {
        expected += totals[a] * totals[b] * distance(sets[a], sets[b])
      }
    }
    guard expected > 0 else { return .undefined(reason: Reason.noVariation) }
    return Measure.ratio(expected - (n - 1) * observed, expected, else: Reason.noVariation)
  }

  /// A fixed summing order, so that α does not depend on dictionary order.
  private static func order(_ a: CoincidenceKey, _ b: CoincidenceKey) -> Bool {
    (a.ratings, a.first, a.second) < (b.ratings, b.first, b.second)
  }
}
