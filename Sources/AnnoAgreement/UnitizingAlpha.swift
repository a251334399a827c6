/// Krippendorff's unitizing α (α_u) with its observed and expected disagreements.
public struct UnitizingAlpha: Sendable, Hashable {
  /// α_u = 1 − D_o / D_e, or undefined with a reason.
  public var alpha: Measure
  /// D_o, or `nil` when it could not be computed.
  public var observedDisagreement: Double?
  /// D_e, or `nil` when it could not be computed.
  public var expectedDisagreement: Double?

  static func undefined(_ reason: String) -> UnitizingAlpha {
    UnitizingAlpha(
      alpha: .undefined(reason: reason), observedDisagreement: nil,
      expectedDisagreement: nil)
  }

  init(alpha: Measure, observedDisagreement: Double?, expectedDisagreement: Double?) {
    self.alpha = alpha
    self.observedDisagreement = observedDisagreement
    self.expectedDisagreement = expectedDisagreement
  }

  init(observed: Double, expected: Double, undefinedReason: String) {
    self.init(
      alpha: expected > 0 ? .value(1 - observed / expected) : .undefined(reason: undefinedReason),
      observedDisagreement: observed, expectedDisagreement: expected)
  }
}

/// One annotator's sections of a continuum for one label: units (marked) and gaps between them.
struct Section {
  var start: Int
  var end: Int
  var isUnit: Bool
  var length: Int { end - start }
}

enum Unitizing {
  /// Krippendorff's squared distance between two overlapping sections of two coders.
  ///
  /// Two units: (b₁ − b₂)² + (e₁ − e₂)². A unit inside a gap of the other coder: the unit's
  /// length squared. Anything else (gap against gap, a unit only partly in a gap): 0.
  static func distance(_ x: Section, _ y: Section) -> Double {
    switch (x.isUnit, y.isUnit) {
    case (true, true):
      let ds = Double(x.start - y.start)
      let de = Double(x.end - y.end)
      return ds * ds + de * de
    case (true, false):
      return y.start <= x.start && x.end <= y.end ? Double(x.length) * Double(x.length) : 0
    case (false, true):
      return x.start <= y.start && y.end <= x.end ? Double(y.length) * Double(y.length) : 0
    case (false, false):
      return 0
    }
  }

  /// D_e of one label, for m coders on a continuum of length L, from how many units and gaps
  /// of each length all coders' sections have:
  ///
  /// D_e = (2/L) Σ_units [ (N − 1)(2l³ − 3l² + l)/3 + l² Σ_{gaps g ≥ l} (g − l + 1) ]
  ///       / (mL (mL − 1) − Σ_units l (l − 1))
  ///
  /// with N the number of units. The sums are exact (in 128-bit integers: 2l³ − 3l² + l =
  /// l(l − 1)(2l − 1) is a multiple of 6), so D_e does not depend on the order of the units,
  /// and only the final division rounds.
  static func expectedDisagreement(
    unitLengths: [Int: Int], gapLengths: [Int: Int], coderCount m: Int, length: Int
  )
    -> Double
  {
    // Gap lengths ascending, with the count and the total length of the gaps from each on.
    let gaps = gapLengths.sorted { $0.key < $1.key }
    var countFrom = [Int128](repeating: 0, count: gaps.count + 1)
    var lengthFrom = [Int128](repeating: 0, count: gaps.count + 1)
    for k in stride(from: gaps.count - 1, through: 0, by: -1) {
      countFrom[k] = countFrom[k + 1] + Int128(gaps[k].value)
      lengthFrom[k] = lengthFrom[k + 1] + Int128(gaps[k].value) * Int128(gaps[k].key)
    }
    var units: Int128 = 0
    var cubic: Int128 = 0
    var gapSum: Int128 = 0
    var squared: Int128 = 0
    for (unitLength, count) in unitLengths {
      let l = Int128(unitLength)
      let n = Int128(count)
      // The first gap at least as long as the unit.
      var lo = 0
      var hi = gaps.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if gaps[mid].key < unitLength { lo = mid + 1 } else { hi = mid }
      }
      let fitting = lengthFrom[lo] - (l - 1) * countFrom[lo]
      units += n
      cubic += n * (l * (l - 1) * (2 * l - 1) / 3)
      gapSum += n * l * l * fitting
      squared += n * l * (l - 1)
    }
    let numerator = (units - 1) * cubic + gapSum
    let mL = Int128(m) * Int128(length)
    return 2 / Double(length) * Double(numerator) / Double(mL * (mL - 1) - squared)
  }
}
