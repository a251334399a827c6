/// The result of an agreement statistic: a number, or the reason it has none.
///
/// Degenerate data (a 0/0, such as every rater using one category) is `undefined` with a
/// human-readable reason. A `Measure` never holds NaN or an infinity.
public enum Measure: Sendable, Hashable, CustomStringConvertible {
  /// A defined, finite value.
  case value(Double)
  /// No value exists for these data; `reason` says why, in lower case.
  case undefined(reason: String)

  /// The value, or `nil` when undefined.
  public var value: Double? {
    if case .value(let v) = self { return v }
    return nil
  }

  /// Why the measure is undefined, or `nil` when it has a value.
  public var reason: String? {
    if case .undefined(let r) = self { return r }
    return nil
  }

  /// Whether the measure has a value.
  public var isDefined: Bool { value != nil }

  /// The value with three decimals (`0.743`), or `undefined (reason)`.
  public var description: String {
    switch self {
    case .value(let v): formatFixed(v, decimals: 3)
    case .undefined(let r): "undefined (\(r))"
    }
  }

  /// `numerator / denominator`, or `undefined(reason)` when the denominator is zero.
  ///
  /// Also undefined when the quotient is not finite, so NaN can never escape.
  static func ratio(_ numerator: Double, _ denominator: Double, else reason: String) -> Measure {
    guard denominator != 0 else { return .undefined(reason: reason) }
    let q = numerator / denominator
    return q.isFinite ? .value(q) : .undefined(reason: reason)
  }

  /// The chance-corrected coefficient (pₒ − pₑ) / (1 − pₑ), undefined when pₑ = 1.
  static func chanceCorrected(observed: Double, expected: Double, else reason: String) -> Measure {
    // NB: compare with a tolerance: pₑ is a sum of products that can land a few ulps off 1.
    guard abs(1 - expected) > 1e-12 else { return .undefined(reason: reason) }
    return ratio(observed - expected, 1 - expected, else: reason)
  }

  /// Applies `transform` to a defined value; an undefined measure passes through.
  public func map(_ transform: (Double) -> Double) -> Measure {
    switch self {
    case .value(let v): Measure.ratio(transform(v), 1, else: "not a finite number")
    case .undefined: self
    }
  }
}

/// Formats `x` with a fixed number of decimals without Foundation (round half away from zero).
func formatFixed(_ x: Double, decimals: Int) -> String {
  guard x.isFinite else { return "\(x)" }
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let scaled = (abs(x) * scale).rounded()
  let whole = Int(scaled / scale)
  let fraction = Int(scaled - Double(whole) * scale)
  var fractionText = String(fraction)
  while fractionText.count < decimals { fractionText = "0" + fractionText }
  let sign = x < 0 && scaled != 0 ? "-" : ""
  return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fractionText)"
}
