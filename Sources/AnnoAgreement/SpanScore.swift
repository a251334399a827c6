/// Precision, recall and F1 of a second annotator's spans against a first annotator's.
///
/// The first annotator plays the reference (recall is over its spans), the second the
/// prediction (precision is over its spans). Swapping them swaps precision and recall and
/// leaves F1 unchanged.
public struct SpanScore: Sendable, Hashable {
  /// The first annotator's spans.
  public var referenceCount: Int
  /// The second annotator's spans.
  public var predictedCount: Int
  /// The first annotator's spans matched by the second's (recall's numerator).
  public var matchedReferenceCount: Int
  /// The second annotator's spans matched by the first's (precision's numerator).
  public var matchedPredictedCount: Int

  /// Creates a score from counts.
  public init(
    referenceCount: Int, predictedCount: Int, matchedReferenceCount: Int,
    matchedPredictedCount: Int
  ) {
    self.referenceCount = referenceCount
    self.predictedCount = predictedCount
    self.matchedReferenceCount = matchedReferenceCount
    self.matchedPredictedCount = matchedPredictedCount
  }

  /// Matched predicted / predicted; undefined when the second annotator has no span.
  public var precision: Measure {
    Measure.ratio(
      Double(matchedPredictedCount), Double(predictedCount),
      else: "the second annotator has no span")
  }

  /// Matched reference / reference; undefined when the first annotator has no span.
  public var recall: Measure {
    Measure.ratio(
      Double(matchedReferenceCount), Double(referenceCount), else: "the first annotator has no span"
    )
  }

  /// 2PR / (P + R); 0 when only one annotator has spans or nothing matches.
  ///
  /// Undefined only when neither annotator has a span.
  public var f1: Measure {
    guard referenceCount + predictedCount > 0 else {
      return .undefined(reason: "neither annotator has a span")
    }
    guard let p = precision.value, let r = recall.value, p + r > 0 else { return .value(0) }
    return .value(2 * p * r / (p + r))
  }

  /// The sum of two scores' counts (micro-averaging).
  public static func + (lhs: SpanScore, rhs: SpanScore) -> SpanScore {
    SpanScore(
      referenceCount: lhs.referenceCount + rhs.referenceCount,
      predictedCount: lhs.predictedCount + rhs.predictedCount,
      matchedReferenceCount: lhs.matchedReferenceCount + rhs.matchedReferenceCount,
      matchedPredictedCount: lhs.matchedPredictedCount + rhs.matchedPredictedCount)
  }

  /// No spans at all.
  public static let zero = SpanScore(
    referenceCount: 0, predictedCount: 0, matchedReferenceCount: 0, matchedPredictedCount: 0)
}

/// Span F1 of an annotator pair: per declared label and micro-averaged over all labels.
public struct SpanAgreement: Sendable, Hashable {
  /// The score of each declared label (labels nobody used have zero counts).
  public var perLabel: [String: SpanScore]
  /// The micro-average: the counts of all labels summed.
  public var overall: SpanScore
}
