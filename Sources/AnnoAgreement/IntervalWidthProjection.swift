/// How many more units (documents) would bring a confidence interval under a target width.
///
/// The width of an interval for a mean-like statistic shrinks with the square root of the
/// sample size: w(n) ≈ c / √n (the standard error is σ/√n by the central limit theorem; see
/// e.g. Cochran, *Sampling Techniques*, 3rd ed., 1977, §4.4, on choosing n for a given
/// precision). Given the width w observed on n units now, c = w·√n, so the width falls to the
/// target t at
///
///     n* = n · (w / t)²
///
/// units, and ``additionalUnits`` = max(0, ⌈n*⌉ − n). Agreement coefficients over documents
/// behave this way once the bootstrap distribution is roughly normal; on very few documents
/// (or a coefficient near ±1) the projection is a rough guide, not a guarantee.
public struct IntervalWidthProjection: Sendable, Hashable {
  /// The units the interval was computed on.
  public var currentUnits: Int
  /// The interval's width now (upper − lower).
  public var currentWidth: Double
  /// The width wanted.
  public var targetWidth: Double

  /// Projects from an interval of `currentWidth` over `currentUnits` units to `targetWidth`.
  ///
  /// - Precondition: `currentUnits ≥ 0`, `currentWidth ≥ 0`, `targetWidth > 0`.
  public init(currentUnits: Int, currentWidth: Double, targetWidth: Double) {
    precondition(currentUnits >= 0, "a unit count cannot be negative")
    precondition(currentWidth >= 0 && currentWidth.isFinite, "a width must be finite and >= 0")
    precondition(targetWidth > 0 && targetWidth.isFinite, "the target width must be > 0")
    self.currentUnits = currentUnits
    self.currentWidth = currentWidth
    self.targetWidth = targetWidth
  }

  /// The projection from a bootstrap interval, or `nil` when either bound is undefined.
  public init?(interval: BootstrapInterval, units: Int, targetWidth: Double) {
    guard let lower = interval.lower.value, let upper = interval.upper.value else { return nil }
    self.init(currentUnits: units, currentWidth: max(0, upper - lower), targetWidth: targetWidth)
  }

  /// Whether the interval is already no wider than the target.
  public var isUnderTarget: Bool { currentWidth <= targetWidth }

  /// The total units n* = ⌈n · (w / t)²⌉ at which the width reaches the target; `n` itself
  /// when it already has.
  ///
  /// - Returns: undefined when there are no units yet (nothing to project from).
  public var requiredUnits: Measure {
    guard currentUnits > 0 else {
      return .undefined(reason: "no units yet to project from")
    }
    if isUnderTarget { return .value(Double(currentUnits)) }
    let ratio = currentWidth / targetWidth
    // NB: round first so that a ratio like 2.0000000001 from floating point is not one more.
    let exact = Double(currentUnits) * ratio * ratio
    let rounded = (exact * 1e9).rounded() / 1e9
    return .value(rounded.rounded(.up))
  }

  /// The units to add, max(0, ⌈n*⌉ − n).
  ///
  /// - Returns: undefined when there are no units yet.
  public var additionalUnits: Measure {
    requiredUnits.map { max(0, $0 - Double(currentUnits)) }
  }
}
