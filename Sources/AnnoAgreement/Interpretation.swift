/// Verbal bands for agreement coefficients, as conventionally reported.
public enum Interpretation {
  /// Krippendorff's (2004, §11.4.4) reliability thresholds for α.
  public enum Reliability: String, Sendable, Hashable, CaseIterable {
    /// α ≥ .800: data can be relied on.
    case reliable
    /// .667 ≤ α < .800: only tentative conclusions.
    case tentative
    /// α < .667.
    case unreliable
  }

  /// Landis & Koch's (1977) bands for κ.
  public enum Strength: String, Sendable, Hashable, CaseIterable {
    /// κ < 0.
    case poor
    /// 0 ≤ κ ≤ .20.
    case slight
    /// .20 < κ ≤ .40.
    case fair
    /// .40 < κ ≤ .60.
    case moderate
    /// .60 < κ ≤ .80.
    case substantial
    /// .80 < κ ≤ 1.
    case almostPerfect = "almost perfect"
  }

  /// Krippendorff's band for `alpha`: reliable (≥ .800), tentative (≥ .667), else unreliable.
  ///
  /// - Returns: the band, or `nil` when `alpha` is undefined.
  public static func krippendorff(_ alpha: Measure) -> Reliability? {
    alpha.value.map(krippendorff)
  }

  /// Krippendorff's band for a defined `alpha`.
  public static func krippendorff(_ alpha: Double) -> Reliability {
    if alpha >= 0.800 { return .reliable }
    if alpha >= 0.667 { return .tentative }
    return .unreliable
  }

  /// Landis & Koch's band for `kappa`, or `nil` when it is undefined.
  public static func landisKoch(_ kappa: Measure) -> Strength? { kappa.value.map(landisKoch) }

  /// Landis & Koch's band for a defined `kappa`.
  public static func landisKoch(_ kappa: Double) -> Strength {
    switch kappa {
    case ..<0: .poor
    case ...0.20: .slight
    case ...0.40: .fair
    case ...0.60: .moderate
    case ...0.80: .substantial
    default: .almostPerfect
    }
  }
}
