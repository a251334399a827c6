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
      let ds = Double(x.start - y.start), de = Double(x.end - y.end)
      return ds * ds + de * de
    case (true, false):
      return y.start <= x.start && x.end <= y.end ? Double(x.length) * Double(x.length) : 0
    case (false, true):
      return x.start <= y.start && y.end <= x.end ? Double(y.length) * Double(y.length) : 0
    case (false, false):
      return 0
    }
  }

  /// Σ δ² over every pair of overlapping sections of two coders (a two-pointer sweep).
  static func observedSum(_ first: [Section], _ second: [Section]) -> Double {
    var i = 0, j = 0, sum = 0.0
    while i < first.count && j < second.count {
      sum += distance(first[i], second[j])
      if first[i].end < second[j].end {
        i += 1
      } else if second[j].end < first[i].end {
        j += 1
      } else {
        i += 1
        j += 1
      }
    }
    return sum
  }

  /// D_o and D_e of one label, for m coders' sections of a continuum of length L.
  ///
  /// D_o = Σ_{i≠j} Σ_g Σ_h δ²(g, h) / (m (m − 1) L²)
  /// D_e = (2/L) Σ_units [ (N − 1)(2l³ − 3l² + l)/3 + l² Σ_{gaps g ≥ l} (g − l + 1) ]
  ///       / (mL (mL − 1) − Σ_units l (l − 1))
  /// with N the number of units of all coders and gaps those of all coders.
  static func disagreements(_ coders: [[Section]], length: Int) -> (
    observed: Double, expected: Double
  ) {
    let m = coders.count, bigL = Double(length)
    var observed = 0.0
    for i in 0..<m {
      for j in (i + 1)..<m { observed += 2 * observedSum(coders[i], coders[j]) }
    }
    observed /= Double(m * (m - 1)) * bigL * bigL

    let sections = coders.joined()
    let units = sections.filter(\.isUnit).map { Double($0.length) }
    let gaps = sections.filter { !$0.isUnit }.map(\.length).sorted()
    // suffix[k] = Σ gaps[k...]
    var suffix = Array(repeating: 0.0, count: gaps.count + 1)
    for k in stride(from: gaps.count - 1, through: 0, by: -1) {
      suffix[k] = suffix[k + 1] + Double(gaps[k])
    }
    let n = Double(units.count)
    var numerator = 0.0, squared = 0.0
    for l in units {
      let first = lowerBound(gaps, atLeast: Int(l))
      let fitting = Double(gaps.count - first)
      let gapTerm = suffix[first] - (l - 1) * fitting
      numerator += (n - 1) * (2 * l * l * l - 3 * l * l + l) / 3 + l * l * gapTerm
      squared += l * (l - 1)
    }
    let mL = Double(m) * bigL
    let expected = 2 / bigL * numerator / (mL * (mL - 1) - squared)
    return (observed, expected)
  }

  private static func lowerBound(_ sorted: [Int], atLeast value: Int) -> Int {
    var lo = 0, hi = sorted.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}
