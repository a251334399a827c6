/// A span with its label given as an index into a study's labels.
public struct IndexedSpan: Hashable, Sendable {
  /// The first offset inside the span.
  public var start: Int
  /// The first offset after the span.
  public var end: Int
  /// The label's index.
  public var label: Int

  /// Creates the span `start..<end` with label index `label`.
  public init(start: Int, end: Int, label: Int) {
    self.start = start
    self.end = end
    self.label = label
  }
}

extension SpanStudy {
  /// One document's exact and overlap span counts of annotator `predicted` against
  /// annotator `reference`, per label index: what `spanAgreement(_:_:matching:)` adds up for
  /// each document, without grouping spans by label name.
  ///
  /// Exact matching pairs equal spans as a multiset (a duplicate matches only a duplicate);
  /// overlap matching pairs spans of the same label that share an offset one to one, as many
  /// pairs as possible (a maximum matching, see `OverlapMatching`).
  ///
  /// - Parameters:
  ///   - labelCount: how many labels there are; every span's `label` is below it.
  /// - Returns: per label, the exact and the overlap score.
  /// - Complexity: O(*s* log *s* + Σ_l *a_l*·*b_l*) for *s* spans, *a_l* and *b_l* of label *l*.
  public static func matchCounts(
    reference: [IndexedSpan], predicted: [IndexedSpan], labelCount: Int
  ) -> (exact: [SpanScore], overlap: [SpanScore]) {
    var exact = [SpanScore](repeating: .zero, count: labelCount)
    var overlap = [SpanScore](repeating: .zero, count: labelCount)
    addMatchCounts(reference: reference, predicted: predicted, exact: &exact, overlap: &overlap)
    return (exact, overlap)
  }

  /// Adds ``matchCounts(reference:predicted:labelCount:)`` to `exact` and `overlap`, which
  /// have an entry for every label index the spans use.
  public static func addMatchCounts(
    reference: [IndexedSpan], predicted: [IndexedSpan], exact: inout [SpanScore],
    overlap: inout [SpanScore]
  ) {
    func byLabel(_ a: IndexedSpan, _ b: IndexedSpan) -> Bool {
      if a.label != b.label { return a.label < b.label }
      if a.start != b.start { return a.start < b.start }
      return a.end < b.end
    }
    let r = reference.sorted(by: byLabel)
    let p = predicted.sorted(by: byLabel)
    for span in r {
      exact[span.label].referenceCount += 1
      overlap[span.label].referenceCount += 1
    }
    for span in p {
      exact[span.label].predictedCount += 1
      overlap[span.label].predictedCount += 1
    }
    // Exact: merge the two sorted lists, pairing equal spans once each.
    var i = 0
    var j = 0
    while i < r.count && j < p.count {
      if r[i] == p[j] {
        exact[r[i].label].matchedReferenceCount += 1
        exact[r[i].label].matchedPredictedCount += 1
        i += 1
        j += 1
      } else if byLabel(r[i], p[j]) {
        i += 1
      } else {
        j += 1
      }
    }
    // Overlap: within each label's run of both lists.
    i = 0
    j = 0
    while i < r.count || j < p.count {
      let label = min(i < r.count ? r[i].label : Int.max, j < p.count ? p[j].label : Int.max)
      var iEnd = i
      while iEnd < r.count && r[iEnd].label == label { iEnd += 1 }
      var jEnd = j
      while jEnd < p.count && p[jEnd].label == label { jEnd += 1 }
      if i < iEnd && j < jEnd {
        let pairs = overlapPairs(r[i..<iEnd], p[j..<jEnd])
        overlap[label].matchedReferenceCount += pairs
        overlap[label].matchedPredictedCount += pairs
      }
      i = iEnd
      j = jEnd
    }
  }

  /// The size of a maximum one-to-one matching of overlapping spans between two runs of one
  /// label's spans, each sorted by start.
  ///
  /// When neither run has two spans that overlap each other (the usual case), each span of
  /// either run overlaps a consecutive stretch of the other's, and pairing the first
  /// unpaired span of each run when they overlap (else passing the one that ends first) is a
  /// maximum matching: of two overlapping first spans, one overlaps no later span of the
  /// other run, so pairing it with its only partner loses nothing. Other runs go to
  /// `OverlapMatching`.
  static func overlapPairs(_ a: ArraySlice<IndexedSpan>, _ b: ArraySlice<IndexedSpan>) -> Int {
    func isDisjoint(_ run: ArraySlice<IndexedSpan>) -> Bool {
      var previousEnd = Int.min
      for span in run {
        if span.start < previousEnd { return false }
        previousEnd = span.end
      }
      return true
    }
    guard isDisjoint(a), isDisjoint(b) else {
      return OverlapMatching.size(a.map { ($0.start, $0.end) }, b.map { ($0.start, $0.end) })
    }
    var i = a.startIndex
    var j = b.startIndex
    var pairs = 0
    while i < a.endIndex && j < b.endIndex {
      if a[i].start < b[j].end && b[j].start < a[i].end {
        pairs += 1
        i += 1
        j += 1
      } else if a[i].end <= b[j].start {
        i += 1
      } else {
        j += 1
      }
    }
    return pairs
  }
}
