/// Sample quantiles of sorted data.
///
/// One definition is used everywhere a report prints a percentile (bootstrap bounds, median
/// and p90 seconds per document): Hyndman & Fan (1996) type 7, the default of numpy's
/// `percentile`, R's `quantile` and Excel's `PERCENTILE.INC`. With *n* sorted values
/// x₀ ≤ … ≤ xₙ₋₁ and probability *p*, h = (n − 1)·p and
/// Q(p) = x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋).
public enum Quantile {
  /// The type-7 quantile of ascending `sorted` at probability `p`.
  ///
  /// - Returns: the quantile, or `nil` when `sorted` is empty.
  /// - Precondition: `0 ≤ p ≤ 1`; `sorted` is in ascending order.
  /// - Complexity: O(1).
  public static func type7(_ sorted: [Double], _ p: Double) -> Double? {
    precondition(p >= 0 && p <= 1, "a quantile's probability must be in [0, 1], got \(p)")
    guard !sorted.isEmpty else { return nil }
    let h = Double(sorted.count - 1) * p
    let i = Int(h.rounded(.down))
    guard i + 1 < sorted.count else { return sorted[sorted.count - 1] }
    return sorted[i] + (h - Double(i)) * (sorted[i + 1] - sorted[i])
  }

  /// The type-7 quantile of `values` (in any order) at probability `p`.
  ///
  /// - Returns: the quantile, or `nil` when `values` is empty.
  /// - Complexity: O(*n* log *n*) for the sort.
  public static func of(_ values: [Double], _ p: Double) -> Double? {
    type7(values.sorted(), p)
  }

  /// The median of `values` (the type-7 quantile at 0.5: the mean of the two middle values
  /// for an even count), or `nil` when `values` is empty.
  public static func median(_ values: [Double]) -> Double? { of(values, 0.5) }
}
