extension RatingAccumulator {
  /// The coincidence matrix o_ck of Krippendorff's α: Σ_u (pairs valued (c, k) in u) / (m_u − 1).
  ///
  /// Only units with m_u ≥ 2 ratings (pairable units) contribute; each ordered pair of ratings
  /// from different raters of a unit adds 1 / (m_u − 1). Rows sum to the pairable frequencies
  /// n_c. Returned as `[c][k]`.
  ///
  /// - Complexity: O(*R*·*q*²).
  public var coincidenceMatrix: [[Double]] {
    let q = categoryCount
    var o = Array(repeating: Array(repeating: 0.0, count: q), count: q)
    for m in stride(from: 2, through: raterCount, by: 1) {
      let weight = 1 / Double(m - 1)
      for c in 0..<q {
        for k in 0..<q {
          let n = coincidenceCounts[(m * q + c) * q + k]
          if n != 0 { o[c][k] += Double(n) * weight }
        }
      }
    }
    return o
  }

  /// Krippendorff's α = 1 − D_o / D_e at the given level of measurement.
  ///
  /// From the coincidence matrix o_ck, n_c = Σ_k o_ck and n = Σ_c n_c (Krippendorff 2011,
  /// "Computing Krippendorff's Alpha-Reliability"):
  ///
  ///     α = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck
  ///
  /// with δ² nominal (0/1), ordinal ((Σ_{g=c}^{k} n_g − (n_c + n_k)/2)², ranks in the declared
  /// order), interval ((v_c − v_k)²) or ratio (((v_c − v_k)/(v_c + v_k))², taken as 0 when
  /// v_c = v_k = 0). Units with fewer than two ratings are left out, as Krippendorff does.
  ///
  /// - Parameters:
  ///   - level: the level of measurement.
  ///   - values: the numeric value of each declared category; needed for `.interval` and
  ///     `.ratio`, ignored otherwise.
  /// - Returns: α, or undefined when fewer than two values are pairable or D_e = 0 (all
  ///   pairable values equal, for example a single category).
  /// - Precondition: for `.interval` and `.ratio`, `values.count == categoryCount`, all
  ///   finite; for `.ratio`, all non-negative.
  /// - Complexity: O(*R*·*q*² + *q*²), independent of the number of units.
  public func krippendorffAlpha(level: MeasurementLevel, values: [Double]? = nil) -> Measure {
    Self.krippendorffAlpha(coincidences: coincidenceMatrix, level: level, values: values)
  }

  /// Krippendorff's α = 1 − D_o / D_e from a coincidence matrix o_ck, with the formula, the
  /// difference functions and the edge cases of `krippendorffAlpha(level:values:)`.
  ///
  /// For where only coincidences are at hand: bootstrap replicates (each a reweighted sum of
  /// per-document coincidences) and per-label token α (the overall coincidences with every
  /// other label's tags merged into one category). Nominal α reduces to
  /// α = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k (Krippendorff 2011).
  ///
  /// - Parameters:
  ///   - o: the coincidence matrix, `[c][k]`, square, non-negative, symmetric.
  ///   - level: the level of measurement.
  ///   - values: as for `krippendorffAlpha(level:values:)`, one per row of `o`.
  /// - Returns: α, or undefined when fewer than two values are pairable (n ≤ 1) or D_e = 0.
  /// - Complexity: O(*q*²).
  public static func krippendorffAlpha(
    coincidences o: [[Double]], level: MeasurementLevel, values: [Double]? = nil
  ) -> Measure {
    let q = o.count
    if level.needsValues {
      precondition(
        values?.count == q, "\(level) alpha needs one numeric value per declared category")
      precondition(values?.allSatisfy(\.isFinite) == true, "category values must be finite")
      if level == .ratio {
        precondition(values?.allSatisfy { $0 >= 0 } == true, "ratio values must be non-negative")
      }
    }
    let totals = o.map { $0.reduce(0, +) }
    let n = totals.reduce(0, +)
    guard n > 1 else { return .undefined(reason: "fewer than two pairable values") }
    let delta = differenceFunction(level: level, values: values ?? [], totals: totals)
    var observed = 0.0
    var expected = 0.0
    for c in 0..<q {
      for k in 0..<q where c != k {
        let d = delta(c, k)
        guard d != 0 else { continue }
        observed += o[c][k] * d
        expected += totals[c] * totals[k] * d
      }
    }
    guard expected > 0 else { return .undefined(reason: Reason.noVariation) }
    return Measure.ratio(expected - (n - 1) * observed, expected, else: Reason.noVariation)
  }

  private static func differenceFunction(
    level: MeasurementLevel, values: [Double], totals: [Double]
  ) -> (Int, Int) -> Double {
    switch level {
    case .nominal:
      return { c, k in c == k ? 0 : 1 }
    case .ordinal:
      // Prefix sums of the pairable frequencies in declared order.
      var prefix = [0.0]
      for t in totals { prefix.append(prefix[prefix.count - 1] + t) }
      return { c, k in
        let lo = min(c, k)
        let hi = max(c, k)
        let d = prefix[hi + 1] - prefix[lo] - (totals[c] + totals[k]) / 2
        return d * d
      }
    case .interval:
      return { c, k in (values[c] - values[k]) * (values[c] - values[k]) }
    case .ratio:
      return { c, k in
        let s = values[c] + values[k]
        guard s != 0 else { return 0 }
        let d = (values[c] - values[k]) / s
        return d * d
      }
    }
  }
}
