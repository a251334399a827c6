/// The short id of a span (`#7`) or note (`n2`) within its document and annotator: given
/// once, never reused after a delete, and unrelated to the row id (`StoredAnnotation.id`).
public struct LocalID: RawRepresentable, Hashable, Sendable, Strideable,
  CustomStringConvertible, ExpressibleByIntegerLiteral
{
  /// The number after `#` or `n`.
  public let rawValue: Int

  /// The short id with this number.
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// The short id with this number.
  public init(_ rawValue: Int) { self.rawValue = rawValue }

  /// The short id a literal spells, as in `#7`.
  public init(integerLiteral value: Int) { self.rawValue = value }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The id `n` after this one (a range `#5-#8` counts its ids).
  public func advanced(by n: Int) -> LocalID { LocalID(rawValue + n) }

  /// How many ids from this one to `other`.
  public func distance(to other: LocalID) -> Int { other.rawValue - rawValue }

  /// The number in decimal, so that `"#\(id)"` prints `#7`.
  public var description: String { String(rawValue) }
}
