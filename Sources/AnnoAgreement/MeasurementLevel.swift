/// The level of measurement of a field, which picks Krippendorff's difference function δ².
public enum MeasurementLevel: String, Sendable, Hashable, CaseIterable {
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
}
