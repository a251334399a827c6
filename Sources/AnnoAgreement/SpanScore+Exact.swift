extension SpanScore {
  /// The score of `predicted` spans against `reference` spans by exact match: a predicted
  /// span counts when the reference has one with the same start, end and label.
  ///
  /// With exact matching the matches are one-to-one by construction (duplicates are merged,
  /// as the inputs are sets), so `matchedReferenceCount == matchedPredictedCount`.
  ///
  /// - Complexity: O(*n* + *m*) expected.
  public static func exact(reference: Set<LabeledSpan>, predicted: Set<LabeledSpan>) -> SpanScore {
    let matched = reference.intersection(predicted).count
    return SpanScore(
      referenceCount: reference.count, predictedCount: predicted.count,
      matchedReferenceCount: matched, matchedPredictedCount: matched)
  }

  /// Exact-match scores per label of `predicted` against `reference`, for every label that
  /// either side used.
  public static func exactPerLabel(reference: Set<LabeledSpan>, predicted: Set<LabeledSpan>)
    -> [String: SpanScore]
  {
    var result: [String: SpanScore] = [:]
    for label in Set(reference.map(\.label)).union(predicted.map(\.label)) {
      result[label] = exact(
        reference: reference.filter { $0.label == label },
        predicted: predicted.filter { $0.label == label })
    }
    return result
  }
}
