extension SpanStudy {
  /// The label confusion matrix of annotators `a` (rows) and `b` (columns).
  ///
  /// Spans are paired one-to-one, ignoring labels: with `.exact`, spans with the same start
  /// and end; with `.overlap`, spans sharing at least one offset. Pairs are taken greedily by
  /// decreasing shared length, then by smaller boundary difference, then by position, so each
  /// span is paired with the other annotator's best-fitting free span. Unpaired spans count
  /// against "no span".
  ///
  /// - Precondition: `a ≠ b`, both valid annotator indices.
  /// - Complexity: O(*s*² log *s*) per document for *s* spans.
  public func labelConfusion(_ a: Int, _ b: Int, matching: SpanMatching) -> LabelConfusion {
    checkPair(a, b)
    var counts = Array(
      repeating: Array(repeating: 0, count: labels.count + 1), count: labels.count + 1)
    for document in documents {
      func indexed(_ spans: [LabeledSpan]) -> [IndexedSpan] {
        spans.map { IndexedSpan(start: $0.start, end: $0.end, label: index($0.label)) }
      }
      Self.addLabelConfusion(
        indexed(document.annotations[a]), indexed(document.annotations[b]), matching: matching,
        to: &counts)
    }
    return LabelConfusion(labels: labels, counts: counts)
  }

  /// Adds one document's label confusion of two annotators' spans to `counts`, pairing them
  /// as ``labelConfusion(_:_:matching:)`` does.
  ///
  /// "By position" means the position in `first` and `second`: pass each annotator's spans in
  /// the study's order (``LabeledSpan/<``) to get the study's pairs.
  ///
  /// - Parameters:
  ///   - counts: (labels + 1)² counts, rows `first`'s labels, columns `second`'s, "no span"
  ///     last; every span's label is below the last index.
  public static func addLabelConfusion(
    _ first: [IndexedSpan], _ second: [IndexedSpan], matching: SpanMatching,
    to counts: inout [[Int]]
  ) {
    let none = counts.count - 1
    var candidates: [(shared: Int, offBy: Int, i: Int, j: Int)] = []
    // NB: spans usually come in ascending order of start; then no later span of `second`
    // pairs with x once one starts at or after x's end.
    let secondAscends = second.indices.dropFirst().allSatisfy {
      second[$0 - 1].start <= second[$0].start
    }
    for (i, x) in first.enumerated() {
      for (j, y) in second.enumerated() {
        if secondAscends && y.start >= x.end { break }
        let paired =
          matching == .exact
          ? (x.start == y.start && x.end == y.end) : (x.start < y.end && y.start < x.end)
        guard paired else { continue }
        let shared = min(x.end, y.end) - max(x.start, y.start)
        candidates.append((shared, abs(x.start - y.start) + abs(x.end - y.end), i, j))
      }
    }
    candidates.sort {
      ($0.shared, -$0.offBy, -$0.i, -$0.j) > ($1.shared, -$1.offBy, -$1.i, -$1.j)
    }
    var usedFirst = Array(repeating: false, count: first.count)
    var usedSecond = Array(repeating: false, count: second.count)
    for c in candidates where !usedFirst[c.i] && !usedSecond[c.j] {
      usedFirst[c.i] = true
      usedSecond[c.j] = true
      counts[first[c.i].label][second[c.j].label] += 1
    }
    for (i, x) in first.enumerated() where !usedFirst[i] { counts[x.label][none] += 1 }
    for (j, y) in second.enumerated() where !usedSecond[j] { counts[none][y.label] += 1 }
  }

  func index(_ label: String) -> Int {
    guard let i = labelIndex[label] else { preconditionFailure("label \(label) is not declared") }
    return i
  }
}
