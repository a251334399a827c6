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
    let spans = document.annotations[annotator].map {
      IndexedSpan(start: $0.start, end: $0.end, label: index($0.label))
    }
    return Self.tokenTags(of: spans, tokens: document.tokens)
  }

  /// The IOB2 tag index of every token for one annotator's `spans`, as
  /// ``tokenTags(of:annotator:)`` gives it, with labels given as indices.
  ///
  /// - Parameters:
  ///   - spans: the annotator's spans, in any order.
  ///   - tokens: ascending, non-overlapping token ranges.
  /// - Returns: per token, 0 for `O`, 1 + 2·l for `B` of label index l, 2 + 2·l for `I`.
  public static func tokenTags(of spans: [IndexedSpan], tokens: [Range<Int>]) -> [Int] {
    var tags = [Int](repeating: 0, count: tokens.count)
    for (token, tag) in taggedTokens(of: spans, tokens: tokens) { tags[token] = tag }
    return tags
  }

  /// The tokens that `spans` tag `B` or `I`, in ascending order, with their tags: the
  /// tokens ``tokenTags(of:tokens:)`` does not tag `O`.
  ///
  /// - Complexity: O(*s* log *t* + *s* log *s* + *k*) for *s* spans, *t* tokens and *k* tokens
  ///   inside spans: the tokens between spans are skipped, not visited.
  public static func taggedTokens(of spans: [IndexedSpan], tokens: [Range<Int>]) -> [(
    token: Int, tag: Int
  )] {
    var tagged: [(token: Int, tag: Int)] = []
    taggedTokens(of: spans, tokens: tokens, into: &tagged)
    return tagged
  }

  /// ``taggedTokens(of:tokens:)`` written into `tagged` (emptied first, its storage kept), for
  /// callers that tag document after document.
  public static func taggedTokens(
    of spans: [IndexedSpan], tokens: [Range<Int>], into tagged: inout [(token: Int, tag: Int)]
  ) {
    tagged.removeAll(keepingCapacity: true)
    func precedes(_ a: IndexedSpan, _ b: IndexedSpan) -> Bool {
      if a.start != b.start { return a.start < b.start }
      if a.end != b.end { return a.end > b.end }
      return a.label < b.label
    }
    // NB: spans usually come in this order already; sorting would copy them.
    let isSorted = spans.indices.dropFirst().allSatisfy { !precedes(spans[$0], spans[$0 - 1]) }
    let spans = isSorted ? spans : spans.sorted(by: precedes)
    var previous: Int? = nil
    var next = 0  // spans[..<next] start at or before the current token
    var open: [Int] = []  // candidate spans, in winning order
    var t = 0
    while t < tokens.count {
      if open.isEmpty {
        // No span is open: every token before the next span's start is `O`.
        guard next < spans.count else { break }
        t = firstToken(in: tokens, from: t, startingAtOrAfter: spans[next].start)
        previous = nil
        guard t < tokens.count else { break }
      }
      let token = tokens[t]
      while next < spans.count && spans[next].start <= token.lowerBound {
        open.append(next)
        next += 1
      }
      if open.contains(where: { spans[$0].end <= token.lowerBound }) {
        open.removeAll { spans[$0].end <= token.lowerBound }
      }
      if let w = open.first(where: { spans[$0].end >= token.upperBound }) {
        tagged.append((t, previous == w ? 2 + 2 * spans[w].label : 1 + 2 * spans[w].label))
        previous = w
      } else {
        previous = nil
      }
      t += 1
    }
  }

  /// The first index at or after `from` whose token starts at or after `offset`.
  private static func firstToken(in tokens: [Range<Int>], from: Int, startingAtOrAfter offset: Int)
    -> Int
  {
    var lo = from
    var hi = tokens.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if tokens[mid].lowerBound < offset { lo = mid + 1 } else { hi = mid }
    }
    return lo
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
