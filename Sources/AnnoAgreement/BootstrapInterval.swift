/// A percentile bootstrap confidence interval, with how many replicates were defined.
///
/// The bounds are the (1 − level)/2 and (1 + level)/2 quantiles of the defined replicate
/// estimates, interpolated linearly between order statistics (Hyndman & Fan type 7, numpy's
/// default). Undefined replicates are counted and left out.
public struct BootstrapInterval: Sendable, Hashable {
  /// The lower bound, or undefined when no replicate was defined.
  public var lower: Measure
  /// The upper bound, or undefined when no replicate was defined.
  public var upper: Measure
  /// The confidence level, such as 0.95.
  public var confidenceLevel: Double
  /// The number of replicates whose statistic was defined.
  public var definedReplicates: Int
  /// The number of replicates whose statistic was undefined.
  public var undefinedReplicates: Int

  /// Summarises replicate `estimates` as a percentile interval at `confidenceLevel`.
  ///
  /// - Precondition: `0 < confidenceLevel < 1` and at least one estimate.
  public init(estimates: [Measure], confidenceLevel: Double = 0.95) {
    precondition(confidenceLevel > 0 && confidenceLevel < 1, "confidence level must be in (0, 1)")
    precondition(!estimates.isEmpty, "a bootstrap needs at least one replicate")
    let values = estimates.compactMap(\.value).sorted()
    self.confidenceLevel = confidenceLevel
    definedReplicates = values.count
    undefinedReplicates = estimates.count - values.count
    guard !values.isEmpty else {
      let reason = "no bootstrap replicate was defined"
      lower = .undefined(reason: reason)
      upper = .undefined(reason: reason)
      return
    }
    // `values` is non-empty, so both quantiles exist.
    lower = .value(Quantile.type7(values, (1 - confidenceLevel) / 2) ?? values[0])
    upper = .value(Quantile.type7(values, (1 + confidenceLevel) / 2) ?? values[0])
  }

  /// A percentile bootstrap over parts (documents), resampled with replacement and merged.
  ///
  /// Each replicate draws `parts.count` parts with replacement, adds their accumulators and
  /// computes `statistic`. Per-document accumulators make this cheap: a replicate costs
  /// O(`parts.count` · *q*²·*R*²), independent of the number of units.
  ///
  /// - Precondition: `parts` is non-empty and all have the same shape; `replicates ≥ 1`.
  public static func resampling(
    _ parts: [RatingAccumulator], replicates: Int, confidenceLevel: Double = 0.95,
    using generator: inout some RandomNumberGenerator,
    statistic: (RatingAccumulator) -> Measure
  ) -> BootstrapInterval {
    precondition(!parts.isEmpty, "cannot bootstrap without parts")
    precondition(replicates >= 1, "a bootstrap needs at least one replicate")
    let estimates = (0..<replicates).map { _ in
      var sum = RatingAccumulator(
        categoryCount: parts[0].categoryCount, raterCount: parts[0].raterCount)
      for _ in parts.indices {
        sum.merge(parts[uniformIndex(below: parts.count, using: &generator)])
      }
      return statistic(sum)
    }
    return BootstrapInterval(estimates: estimates, confidenceLevel: confidenceLevel)
  }
}

/// A uniform integer in `0..<bound` by rejection, stable across Swift versions.
func uniformIndex(below bound: Int, using generator: inout some RandomNumberGenerator) -> Int {
  precondition(bound > 0, "cannot draw from an empty range")
  let b = UInt64(bound)
  let limit = UInt64.max - (UInt64.max % b)  // accept [0, limit): a multiple of b values
  while true {
    let x = generator.next()
    if x < limit { return Int(x % b) }
  }
}
