/// A text indexed by Unicode scalar offsets, for O(1) slicing by span offsets.
///
/// Swift's `String` indexes by `Character` (grapheme clusters) and needs a walk to reach
/// an offset; spans count scalars, so documents are turned into a scalar array once.
public struct ScalarText: Sendable, Hashable {
  /// The scalars of the text.
  public let scalars: [Unicode.Scalar]

  /// Creates the scalar view of `text`.
  public init(_ text: String) {
    scalars = Array(text.unicodeScalars)
  }

  /// The number of scalars.
  public var count: Int { scalars.count }

  /// The text of a range of scalar offsets; `nil` when the range does not fit.
  public func slice(_ range: Range<Int>) -> String? {
    guard range.lowerBound >= 0, range.upperBound <= scalars.count else { return nil }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[range])
    return String(view)
  }

  /// The text of a range that is known to fit.
  public subscript(range: Range<Int>) -> String {
    slice(range) ?? ""
  }
}
