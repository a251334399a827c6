extension SpanStudy {
  /// Span precision, recall and F1 of annotator `b` against annotator `a`, per label and overall.
  ///
  /// - `.exact`: a span matches when the other annotator has a span with the same start, end
  ///   and label. Spans are a multiset: a duplicate matches only a duplicate.
  /// - `.overlap`: spans of the same label that share at least one offset are paired one to
  ///   one, as many pairs as possible (a maximum matching, see `OverlapMatching`): one long
  ///   span matches one of the short ones it covers, not all of them. Precision is pairs over
  ///   `b`'s spans, recall pairs over `a`'s.
  ///
  /// Counts are summed over documents (micro-average), then per label and overall.
  ///
  /// - Precondition: `a ≠ b`, both valid annotator indices.
  /// - Complexity: O(*s*·*e*) per document and label for *s* spans and *e* overlapping pairs
  ///   with `.overlap`, O(*s*) with `.exact`.
  public func spanAgreement(_ a: Int, _ b: Int, matching: SpanMatching) -> SpanAgreement {
    checkPair(a, b)
    var perLabel = Dictionary(uniqueKeysWithValues: labels.map { ($0, SpanScore.zero) })
    for document in documents {
      let reference = Dictionary(grouping: document.annotations[a], by: \.label)
      let predicted = Dictionary(grouping: document.annotations[b], by: \.label)
      for label in Set(reference.keys).union(predicted.keys) {
        let score = Self.score(reference[label] ?? [], predicted[label] ?? [], matching)
        perLabel[label, default: .zero] = perLabel[label, default: .zero] + score
      }
    }
    let overall = perLabel.values.reduce(SpanScore.zero, +)
    return SpanAgreement(perLabel: perLabel, overall: overall)
  }

  private static func score(
    _ reference: [LabeledSpan], _ predicted: [LabeledSpan], _ matching: SpanMatching
  ) -> SpanScore {
    switch matching {
    case .exact:
      var remaining: [LabeledSpan: Int] = [:]
      for span in reference { remaining[span, default: 0] += 1 }
      var matched = 0
      for span in predicted {
        if let n = remaining[span], n > 0 {
          remaining[span] = n - 1
          matched += 1
        }
      }
      return SpanScore(
        referenceCount: reference.count, predictedCount: predicted.count,
        matchedReferenceCount: matched, matchedPredictedCount: matched)
    case .overlap:
      let pairs = OverlapMatching.size(
        reference.map { ($0.start, $0.end) }, predicted.map { ($0.start, $0.end) })
      return SpanScore(
        referenceCount: reference.count, predictedCount: predicted.count,
        matchedReferenceCount: pairs, matchedPredictedCount: pairs)
    }
  }
}
