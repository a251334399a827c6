/// The level of measurement of a field, which picks Krippendorff's difference function δ² and
/// so the coefficients that apply.
///
/// Levels are ordered nominal < ordinal < interval < ratio (Stevens 1946): each admits the
/// comparisons of the levels below it, so a field is also measured at every lower level.
public enum MeasurementLevel: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Unordered categories: δ²(c, k) = 0 if c = k, else 1.
  case nominal
  /// Ordered categories: δ² from the ranks and the pairable frequencies (Krippendorff 2011).
  case ordinal
  /// Numeric values on an interval scale: δ²(c, k) = (c − k)².
  case interval
  /// Non-negative numeric values with a true zero: δ²(c, k) = ((c − k) / (c + k))².
  case ratio

  /// Whether the level needs a numeric value for each category.
  public var needsValues: Bool { self == .interval || self == .ratio }

  /// The level's place in the order: nominal 0 < ordinal 1 < interval 2 < ratio 3.
  public var rank: Int {
    switch self {
    case .nominal: 0
    case .ordinal: 1
    case .interval: 2
    case .ratio: 3
    }
  }

  public static func < (a: MeasurementLevel, b: MeasurementLevel) -> Bool { a.rank < b.rank }
}
