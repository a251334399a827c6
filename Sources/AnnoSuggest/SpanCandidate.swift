import AnnoCore

/// A match before overlap resolution: a range of matchable-token positions, a tie-breaking
/// rank, and what proposed it.
package struct SpanCandidate<Payload> {
  /// The first token position.
  package var start: Int
  /// The token position just past the match.
  package var end: Int
  /// Breaks ties between equally long matches at the same start: lower wins.
  package var rank: Int
  /// What proposed the match.
  package var payload: Payload

  package init(start: Int, end: Int, rank: Int, payload: Payload) {
    self.start = start
    self.end = end
    self.rank = rank
    self.payload = payload
  }
}

extension Array {
  /// The longest matches that do not share a token, as spaCy's `filter_spans`: longer first,
  /// then earlier, then lower rank; returned sorted by start.
  ///
  /// - Parameter tokenCount: the number of token positions the candidates index.
  /// - Returns: the kept candidates, sorted by start.
  /// - Complexity: O(*n* log *n* + *t*) for *n* candidates covering *t* tokens in all.
  package func longestNonOverlapping<Payload>(tokenCount: Int) -> [Element]
  where Element == SpanCandidate<Payload> {
    // NB: sort plain keys, not the candidates: moving payloads retains and releases them.
    var order = indices.map {
      (length: self[$0].end - self[$0].start, start: self[$0].start, rank: self[$0].rank, index: $0)
    }
    order.sort {
      ($1.length, $0.start, $0.rank, $0.index) < ($0.length, $1.start, $1.rank, $1.index)
    }
    var taken = [Bool](repeating: false, count: tokenCount)
    var kept: [Int] = []
    for key in order where key.length > 0 {
      let range = key.start..<(key.start + key.length)
      guard !taken[range].contains(true) else { continue }
      for position in range { taken[position] = true }
      kept.append(key.index)
    }
    // Kept candidates do not overlap, so their starts differ.
    return kept.sorted { self[$0].start < self[$1].start }.map { self[$0] }
  }
}
