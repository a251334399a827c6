// MARK: - Multi-rater coefficients of the Fleiss family
//
// With r_u ratings in unit u and n_uk of them in category k:
//   pₐ  = mean over units with r_u ≥ 2 of Σ_k n_uk (n_uk − 1) / (r_u (r_u − 1))
//   π_k = mean over units with r_u ≥ 1 of n_uk / r_u
// This is Gwet's (2014, Handbook of Inter-Rater Reliability, ch. 5) treatment of missing
// ratings, also what irrCAC's `fleiss.kappa.raw` computes; with complete data it is exactly
// Fleiss (1971). The coefficients differ only in their chance agreement pₑ.

extension RatingAccumulator {
  /// The mean, over units with at least two ratings, of the proportion of agreeing rater pairs.
  ///
  /// pₐ = (1/n₂) Σ_u Σ_k n_uk (n_uk − 1) / (r_u (r_u − 1)), over the n₂ units with r_u ≥ 2
  /// (Fleiss' P̄). With two raters this is the plain proportion of units both rated on which
  /// they agree. Units with fewer than two ratings are ignored.
  ///
  /// - Returns: pₐ, or undefined when no unit has two ratings.
  /// - Complexity: O(*R*).
  public var percentAgreement: Measure {
    let n2 = pairableUnitCount
    guard n2 > 0 else { return .undefined(reason: Reason.noPairableUnit) }
    var sum = 0.0
    for m in stride(from: 2, through: raterCount, by: 1) {
      sum += Double(agreeingPairsByRatingCount[m]) / Double(m * (m - 1))
    }
    return .value(sum / Double(n2))
  }

  /// The share π_k of each category: the mean over units with a rating of n_uk / r_u.
  ///
  /// - Returns: one share per declared category (summing to 1), or `nil` when no unit has
  ///   a rating.
  public var categoryShares: [Double]? {
    let n1 = unitCount - unitsByRatingCount[0]
    guard n1 > 0 else { return nil }
    let q = categoryCount
    return (0..<q).map { k in
      var sum = 0.0
      for m in 1...raterCount {
        sum += Double(categoryTotalsByRatingCount[m * q + k]) / Double(m)
      }
      return sum / Double(n1)
    }
  }

  /// Fleiss' κ = (pₐ − pₑ) / (1 − pₑ) with pₑ = Σ_k π_k², after Fleiss (1971).
  ///
  /// Missing ratings follow Gwet's generalisation (see ``percentAgreement`` and
  /// ``categoryShares``); with complete data this is Fleiss (1971) exactly.
  ///
  /// - Returns: κ, or undefined when no unit has two ratings or all ratings are one category.
  /// - Complexity: O(*q*·*R*).
  public var fleissKappa: Measure {
    guard let pa = percentAgreement.value, let shares = categoryShares else {
      return .undefined(reason: Reason.noPairableUnit)
    }
    let pe = shares.reduce(0) { $0 + $1 * $1 }
    return Measure.chanceCorrected(observed: pa, expected: pe, else: Reason.oneCategory)
  }

  /// Gwet's AC1 = (pₐ − pₑ) / (1 − pₑ) with pₑ = Σ_k π_k (1 − π_k) / (q − 1), after Gwet (2008).
  ///
  /// *q* is the number of declared categories, used or not. pₑ ≤ 1/q < 1, so AC1 is
  /// defined whenever a unit has two ratings and *q* ≥ 2 (it is 1 when all raters always
  /// chose the same category, Gwet's answer to the kappa paradox).
  ///
  /// - Returns: AC1, or undefined when *q* = 1 or no unit has two ratings.
  public var gwetsAC1: Measure {
    guard categoryCount >= 2 else { return .undefined(reason: Reason.singleDeclaredCategory) }
    guard let pa = percentAgreement.value, let shares = categoryShares else {
      return .undefined(reason: Reason.noPairableUnit)
    }
    let pe = shares.reduce(0) { $0 + $1 * (1 - $1) } / Double(categoryCount - 1)
    return Measure.chanceCorrected(observed: pa, expected: pe, else: Reason.oneCategory)
  }

  /// Bennett's S = (pₐ − 1/q) / (1 − 1/q), after Bennett, Alpert & Goldstein (1954).
  ///
  /// Also known as Brennan & Prediger's (1981) κ_n and Randolph's free-marginal κ; *q* is
  /// the number of declared categories.
  ///
  /// - Returns: S, or undefined when *q* = 1 or no unit has two ratings.
  public var bennettsS: Measure {
    guard categoryCount >= 2 else { return .undefined(reason: Reason.singleDeclaredCategory) }
    guard let pa = percentAgreement.value else { return .undefined(reason: Reason.noPairableUnit) }
    let pe = 1 / Double(categoryCount)
    return Measure.chanceCorrected(observed: pa, expected: pe, else: Reason.oneCategory)
  }

  /// Conger's κ = (pₐ − pₑ) / (1 − pₑ), after Conger (1980).
  ///
  /// pₑ is the mean over rater pairs (g, h) of Σ_k p_gk p_hk, where p_gk is rater g's share of
  /// category k over all units g rated; equivalently Σ_k (p̄_k² − s_k²/R) (Gwet 2014, as in
  /// irrCAC's `conger.kappa.raw`). pₐ is ``percentAgreement``. With two raters and complete
  /// data it equals Cohen's κ.
  ///
  /// - Returns: κ, or undefined when a rater rated no unit, no unit has two ratings, or
  ///   pₑ = 1.
  /// - Complexity: O(*R*²·*q*).
  public var congersKappa: Measure {
    guard raterCount >= 2 else { return .undefined(reason: "Conger's kappa needs two raters") }
    guard let pa = percentAgreement.value else { return .undefined(reason: Reason.noPairableUnit) }
    let q = categoryCount
    var shares: [[Double]] = []
    for g in 0..<raterCount {
      let row = raterCounts[(g * q)..<((g + 1) * q)]
      let n = row.reduce(0, +)
      guard n > 0 else { return .undefined(reason: "rater \(g) rated no unit") }
      shares.append(row.map { Double($0) / Double(n) })
    }
    var pe = 0.0
    for pair in raterPairs {
      for k in 0..<q { pe += shares[pair.a][k] * shares[pair.b][k] }
    }
    pe /= Double(raterPairs.count)
    return Measure.chanceCorrected(observed: pa, expected: pe, else: Reason.oneCategory)
  }
}
