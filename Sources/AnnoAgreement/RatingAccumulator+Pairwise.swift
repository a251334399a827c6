extension RatingAccumulator {
  /// Cohen's κ between raters `a` and `b`, over the units both rated.
  ///
  /// See ``ContingencyTable/cohensKappa``. Symmetric: `cohensKappa(a, b) == cohensKappa(b, a)`.
  ///
  /// - Precondition: `a ≠ b`, both valid rater indices.
  /// - Complexity: O(*q*²).
  public func cohensKappa(_ a: Int, _ b: Int) -> Measure { contingencyTable(a, b).cohensKappa }

  /// Scott's π between raters `a` and `b`, over the units both rated.
  ///
  /// See ``ContingencyTable/scottsPi``.
  ///
  /// - Precondition: `a ≠ b`, both valid rater indices.
  public func scottsPi(_ a: Int, _ b: Int) -> Measure { contingencyTable(a, b).scottsPi }

  /// Weighted κ (linear or quadratic) between raters `a` and `b`, over the units both rated.
  ///
  /// See ``ContingencyTable/weightedKappa(_:)``.
  ///
  /// - Precondition: `a ≠ b`, both valid rater indices.
  public func weightedKappa(_ a: Int, _ b: Int, weighting: KappaWeighting) -> Measure {
    contingencyTable(a, b).weightedKappa(weighting)
  }

  /// The proportion of units, among those both rated, on which raters `a` and `b` agree.
  ///
  /// - Precondition: `a ≠ b`, both valid rater indices.
  public func percentAgreement(_ a: Int, _ b: Int) -> Measure {
    contingencyTable(a, b).percentAgreement
  }

  /// Light's κ: the mean of the defined pairwise Cohen's κ, after Light (1971).
  ///
  /// Pairs whose κ is undefined (no shared unit, one category) are left out of the mean, as
  /// "the mean of the defined pairwise κ" says; with two raters it equals Cohen's κ.
  ///
  /// - Returns: the mean, or undefined when no pair has a defined κ.
  /// - Complexity: O(*R*²·*q*²).
  public var lightsKappa: Measure {
    let values = raterPairs.compactMap { cohensKappa($0.a, $0.b).value }
    guard !values.isEmpty else {
      return .undefined(reason: "no pair of raters has a defined Cohen's kappa")
    }
    return Measure.ratio(values.reduce(0, +), Double(values.count), else: "no pair")
  }
}
