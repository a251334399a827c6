extension SpanStudy {
  /// The IOB2 tag names, indexed like the categories of ``tokenTagAccumulator()``.
  ///
  /// `O` first, then `B-label` and `I-label` for each declared label in order.
  public var tagNames: [String] {
    ["O"] + labels.flatMap { ["B-\($0)", "I-\($0)"] }
  }

  /// The IOB2 tag index of every token of `document` for `annotator`.
  ///
  /// A token is inside a span when its range lies within the span. When several of the
  /// annotator's spans contain a token, the earliest-starting wins, then the longest, then
  /// the first label in declared order. A token gets `B-L` when the previous token was not
  /// assigned to the same span, `I-L` otherwise, and `O` when no span contains it, so
  /// decoding the tags gives back the spans that won.
  ///
  /// - Returns: per token, 0 for `O`, 1 + 2·i for `B-labels[i]`, 2 + 2·i for `I-labels[i]`.
  /// - Complexity: O(*t* + *s* log *s*) for *t* tokens and *s* spans.
  public func tokenTags(of document: SpanDocument, annotator: Int) -> [Int] {
    precondition((0..<annotatorCount).contains(annotator), "annotator index out of range")
    let spans = document.annotations[annotator].sorted {
      if $0.start != $1.start { return $0.start < $1.start }
      if $0.end != $1.end { return $0.end > $1.end }
      return index($0.label) < index($1.label)
    }
    // NB: plain integer arrays: reading a LabeledSpan copies its label string.
    let starts = spans.map(\.start)
    let ends = spans.map(\.end)
    let labelIndices = spans.map { index($0.label) }
    let tokens = document.tokens
    var tags = [Int](repeating: 0, count: tokens.count)
    var previous: Int? = nil
    var next = 0  // spans[..<next] start at or before the current token
    var open: [Int] = []  // candidate spans, in winning order
    var t = 0
    while t < tokens.count {
      if open.isEmpty {
        // No span is open: every token before the next span's start is `O`.
        guard next < spans.count else { break }
        while t < tokens.count && tokens[t].lowerBound < starts[next] { t += 1 }
        previous = nil
        guard t < tokens.count else { break }
      }
      let token = tokens[t]
      while next < spans.count && starts[next] <= token.lowerBound {
        open.append(next)
        next += 1
      }
      if open.contains(where: { ends[$0] <= token.lowerBound }) {
        open.removeAll { ends[$0] <= token.lowerBound }
      }
      if let w = open.first(where: { ends[$0] >= token.upperBound }) {
        tags[t] = previous == w ? 2 + 2 * labelIndices[w] : 1 + 2 * labelIndices[w]
        previous = w
      } else {
        previous = nil
      }
      t += 1
    }
    return tags
  }

  /// Sufficient statistics over tokens: each token a unit, each annotator's IOB2 tag its rating.
  ///
  /// Cohen's κ of a pair is `tokenTagAccumulator().cohensKappa(a, b)`; Krippendorff's α
  /// over all annotators is `tokenTagAccumulator().krippendorffAlpha(level: .nominal)`.
  /// Categories are ``tagNames``.
  ///
  /// - Complexity: O(*T*·*R*²) for *T* tokens in all documents.
  public func tokenTagAccumulator() -> RatingAccumulator {
    var acc = RatingAccumulator(categoryCount: 1 + 2 * labels.count, raterCount: annotatorCount)
    for document in documents {
      let tags = (0..<annotatorCount).map { tokenTags(of: document, annotator: $0) }
      for t in document.tokens.indices {
        acc.add(unit: tags.map { $0[t] })
      }
    }
    return acc
  }

  /// Cohen's κ over the IOB2 tags of every token, between annotators `a` and `b`.
  public func tokenKappa(_ a: Int, _ b: Int) -> Measure {
    checkPair(a, b)
    return tokenTagAccumulator().cohensKappa(a, b)
  }

  /// Krippendorff's nominal α over the IOB2 tags of every token, for all annotators.
  public func tokenAlpha() -> Measure {
    tokenTagAccumulator().krippendorffAlpha(level: .nominal)
  }
}
