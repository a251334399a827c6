/// A document's row id in a store: stable for the life of the database, never shown to
/// annotators, and never the same thing as the user's own id (`ExternalID`).
///
/// Row ids count up in import order, so `Comparable` is import order.
public struct DocumentID: RawRepresentable, Hashable, Sendable, Comparable, Codable,
  CustomStringConvertible
{
  /// The row id.
  public let rawValue: Int64

  /// The document id with this row id.
  public init(rawValue: Int64) { self.rawValue = rawValue }

  /// The document id with this row id.
  public init(_ rawValue: Int64) { self.rawValue = rawValue }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The row id in decimal, as SQL and error messages show it.
  public var description: String { String(rawValue) }

  /// Decodes a bare integer.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(Int64.self)
  }

  /// Encodes a bare integer.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// A document's id as the user gave it on import (`id` in every format): unique in a store,
/// the name every command and export uses.
///
/// `Comparable` compares the strings as Swift does (by Unicode scalars' canonical order).
public struct ExternalID: RawRepresentable, Hashable, Sendable, Comparable, Codable,
  CustomStringConvertible, ExpressibleByStringInterpolation
{
  /// The id as given.
  public let rawValue: String

  /// The external id with this text.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// The external id with this text.
  public init(_ rawValue: String) { self.rawValue = rawValue }

  /// The external id spelt by a literal (interpolations included).
  public init(stringLiteral value: String) { self.rawValue = value }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The id as given, so that interpolating it prints the user's id.
  public var description: String { rawValue }

  /// Decodes a bare string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }

  /// Encodes a bare string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
