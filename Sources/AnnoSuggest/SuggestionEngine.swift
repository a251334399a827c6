import AnnoCore

/// Proposes entity spans for a document from entity patterns and a learned gazetteer.
///
/// Both sources' matches are pooled and resolved together with spaCy's `filter_spans` rule
/// (longest first, then earliest); between equally long matches at the same start, patterns
/// win over the gazetteer (they are written on purpose), and earlier patterns over later ones.
/// Matches that clash with the annotator's spans are dropped before resolution, so that a
/// shorter match they hid can still be proposed.
public struct SuggestionEngine: Sendable {
  /// The compiled patterns, if any.
  public var patterns: PatternMatcher?
  /// The learned gazetteer, if any.
  public var gazetteer: Gazetteer?

  /// Creates an engine over either source or both.
  public init(patterns: PatternMatcher?, gazetteer: Gazetteer?) {
    self.patterns = patterns
    self.gazetteer = gazetteer
  }

  /// The suggestions for a document, sorted by start; none overlap.
  ///
  /// - Parameters:
  ///   - text: the document's text.
  ///   - tokens: its tokens (cache them per document), from the patterns' tokenizer.
  ///   - existing: the spans already annotated; a suggestion never has the range of one,
  ///     whatever its label.
  ///   - excludingOverlaps: whether suggestions that overlap an existing span are dropped too.
  /// - Returns: suggestions that share no token, sorted by start.
  public func suggestions(
    text: ScalarText, tokens: [Token], existing: [EntitySpan], excludingOverlaps: Bool = true
  ) -> [SpanSuggestion] {
    let document = MatchableTokens(text: text, tokens: tokens)
    guard document.count > 0 else { return [] }
    let clash = ExistingSpans(
      existing, textLength: text.count, excludingOverlaps: excludingOverlaps)
    var pool: [SpanCandidate<SpanSuggestion>] = []
    func offer(_ candidate: SpanCandidate<Int>, rank: Int, _ make: (Range<Int>) -> SpanSuggestion) {
      let range = document.scalarRange(candidate.start, candidate.end)
      guard !clash.excludes(range) else { return }
      pool.append(
        SpanCandidate(start: candidate.start, end: candidate.end, rank: rank, payload: make(range)))
    }
    if let patterns {
      for candidate in patterns.candidates(in: document) {
        let pattern = patterns.patterns[candidate.payload]
        offer(candidate, rank: candidate.rank) { range in
          SpanSuggestion(
            range: range, label: pattern.label,
            source: .pattern(id: pattern.id, index: candidate.payload))
        }
      }
    }
    if let gazetteer {
      // Ranked after every pattern.
      let rank = patterns?.patterns.count ?? 0
      for candidate in gazetteer.candidates(in: document) {
        let distribution = gazetteer.distribution(candidate.payload)
        offer(candidate, rank: rank) { range in
          SpanSuggestion(range: range, label: distribution.majority, source: .learned(distribution))
        }
      }
    }
    return pool.longestNonOverlapping(tokenCount: document.count).map(\.payload)
  }
}

/// The annotator's spans, indexed for "does this range clash with one?".
private struct ExistingSpans {
  let ranges: Set<Range<Int>>
  /// `covered[i]` counts the scalars before offset `i` that some span covers; empty when
  /// overlaps are allowed.
  let covered: [Int]

  init(_ spans: [EntitySpan], textLength: Int, excludingOverlaps: Bool) {
    ranges = Set(spans.map(\.range))
    guard excludingOverlaps, !spans.isEmpty else {
      covered = []
      return
    }
    var marks = [Int](repeating: 0, count: textLength + 1)
    for span in spans {
      let start = max(0, min(span.start, textLength))
      let end = max(start, min(span.end, textLength))
      marks[start] += 1
      marks[end] -= 1
    }
    var prefix = [Int](repeating: 0, count: textLength + 1)
    var depth = 0
    var total = 0
    for offset in 0..<textLength {
      depth += marks[offset]
      prefix[offset] = total
      if depth > 0 { total += 1 }
    }
    prefix[textLength] = total
    covered = prefix
  }

  func excludes(_ range: Range<Int>) -> Bool {
    if ranges.contains(range) { return true }
    guard !covered.isEmpty else { return false }
    return covered[range.upperBound] - covered[range.lowerBound] > 0
  }
}
