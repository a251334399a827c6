/// One document of a span study: its length, its tokens and every annotator's spans.
public struct SpanDocument: Sendable, Hashable {
  /// The length of the document's text, the extent of its continuum for unitizing α.
  public let length: Int
  /// The document's tokens as half-open ranges, ascending and non-overlapping.
  public let tokens: [Range<Int>]
  /// The spans of each annotator, indexed by annotator, each sorted (``LabeledSpan/<``).
  public let annotations: [[LabeledSpan]]

  /// Creates a document of `length` offsets with `tokens` and one span list per annotator.
  ///
  /// An annotator who marked nothing has an empty list: in a span study, no span is data
  /// (everything was judged outside any entity), not a missing rating.
  ///
  /// - Precondition: every span and token lies within `0...length`; tokens are ascending,
  ///   non-empty and do not overlap.
  public init(length: Int, tokens: [Range<Int>] = [], annotations: [[LabeledSpan]]) {
    precondition(length >= 0, "a document length cannot be negative")
    for spans in annotations {
      for span in spans {
        precondition(span.end <= length, "span \(span) ends after the document (\(length))")
      }
    }
    var previousEnd = 0
    for token in tokens {
      precondition(!token.isEmpty, "a token cannot be empty")
      precondition(token.lowerBound >= previousEnd, "tokens must be ascending and not overlap")
      precondition(token.upperBound <= length, "token \(token) ends after the document")
      previousEnd = token.upperBound
    }
    self.length = length
    self.tokens = tokens
    self.annotations = annotations.map { $0.sorted() }
  }
}
