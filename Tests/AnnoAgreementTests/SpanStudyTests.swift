import AnnoAgreement
import AnnoCore
import Testing

private func span(_ start: Int, _ end: Int, _ label: String) -> LabeledSpan {
  LabeledSpan(start: start, end: end, label: label)
}

@Suite struct SpanMatchingTests {
  // "Ada Lovelace met Charles Babbage in London" with word tokens.
  static let tokens: [Range<Int>] = [0..<3, 4..<12, 13..<16, 17..<24, 25..<32, 33..<35, 36..<42]

  static func study(_ first: [LabeledSpan], _ second: [LabeledSpan]) -> SpanStudy {
    var study = SpanStudy(labels: ["PER", "LOC"], annotatorCount: 2)
    study.append(SpanDocument(length: 42, tokens: tokens, annotations: [first, second]))
    return study
  }

  @Test func exactMatchingNeedsSameOffsetsAndLabel() throws {
    let study = Self.study(
      [span(0, 12, "PER"), span(17, 32, "PER"), span(36, 42, "LOC")],
      [span(0, 12, "PER"), span(25, 32, "PER"), span(36, 42, "PER")])
    let result = study.spanAgreement(0, 1, matching: .exact)
    #expect(result.overall.matchedReferenceCount == 1)
    expectValue(result.overall.precision, 1.0 / 3, tolerance: 1e-15)
    expectValue(result.overall.recall, 1.0 / 3, tolerance: 1e-15)
    expectValue(result.overall.f1, 1.0 / 3, tolerance: 1e-15)
    let loc = try #require(result.perLabel["LOC"])
    #expect(loc.referenceCount == 1 && loc.predictedCount == 0)
    expectUndefined(loc.precision)
    expectValue(loc.f1, 0, tolerance: 0)
  }

  /// Issue 23: one long span matched both short ones it covers (precision and recall 1).
  @Test func overlapMatchingPairsSpansOneToOne() throws {
    // One long PER span of annotator 0 against two short ones of annotator 1: one pair.
    let study = Self.study([span(0, 32, "PER")], [span(0, 3, "PER"), span(25, 32, "PER")])
    let per = try #require(study.spanAgreement(0, 1, matching: .overlap).perLabel["PER"])
    expectValue(per.precision, 0.5, tolerance: 0)  // one of annotator 1's two spans is paired
    expectValue(per.recall, 1, tolerance: 0)
    expectValue(per.f1, 2.0 / 3, tolerance: 1e-15)
    let exact = try #require(study.spanAgreement(0, 1, matching: .exact).perLabel["PER"])
    expectValue(exact.f1, 0, tolerance: 0)
  }

  /// The matching is a maximum one: pairing the first candidate of each span in turn can
  /// leave a span unpaired that another choice would have paired.
  @Test func overlapMatchingFindsTheLargestSetOfPairs() throws {
    // a1 0:10 overlaps b1 8:11 and b2 0:2; a2 9:12 overlaps only b1.
    let study = Self.study(
      [span(0, 10, "PER"), span(9, 12, "PER")], [span(8, 11, "PER"), span(0, 2, "PER")])
    let per = try #require(study.spanAgreement(0, 1, matching: .overlap).perLabel["PER"])
    #expect(per.matchedReferenceCount == 2 && per.matchedPredictedCount == 2)
    let reversed = try #require(study.spanAgreement(1, 0, matching: .overlap).perLabel["PER"])
    #expect(reversed.matchedReferenceCount == 2)
  }

  @Test func overlapMatchingRequiresTheSameLabel() {
    let study = Self.study([span(0, 12, "PER")], [span(4, 12, "LOC")])
    expectValue(study.spanAgreement(0, 1, matching: .overlap).overall.f1, 0, tolerance: 0)
  }

  @Test func f1IsUndefinedWhenNeitherAnnotatorHasSpans() {
    let result = Self.study([], []).spanAgreement(0, 1, matching: .exact)
    expectUndefined(result.overall.f1)
    expectUndefined(result.perLabel["PER"]?.f1 ?? .value(0))
  }

  @Test func swappingAnnotatorsSwapsPrecisionAndRecall() {
    let study = Self.study(
      [span(0, 12, "PER"), span(36, 42, "LOC")], [span(0, 12, "PER"), span(17, 24, "PER")])
    let ab = study.spanAgreement(0, 1, matching: .overlap).overall
    let ba = study.spanAgreement(1, 0, matching: .overlap).overall
    #expect(ab.precision == ba.recall && ab.recall == ba.precision && ab.f1 == ba.f1)
  }

  @Test func labelConfusionPairsSpansAndCountsUnpairedOnes() {
    let study = Self.study(
      [span(0, 12, "PER"), span(36, 42, "LOC"), span(17, 24, "PER")],
      [span(0, 12, "PER"), span(36, 42, "PER"), span(25, 32, "LOC")])
    let exact = study.labelConfusion(0, 1, matching: .exact)
    #expect(exact.count("PER", "PER") == 1)
    #expect(exact.count("LOC", "PER") == 1)
    #expect(exact.count("PER", nil) == 1)
    #expect(exact.count(nil, "LOC") == 1)
    let overlap = study.labelConfusion(0, 1, matching: .overlap)
    #expect(overlap.counts.joined().reduce(0, +) == 4)
  }

  @Test func overlapConfusionPrefersTheLargestSharedStretch() {
    let study = Self.study([span(0, 24, "PER")], [span(0, 3, "LOC"), span(4, 24, "PER")])
    let confusion = study.labelConfusion(0, 1, matching: .overlap)
    #expect(confusion.count("PER", "PER") == 1)
    #expect(confusion.count(nil, "LOC") == 1)
  }
}

@Suite struct TokenTagTests {
  @Test func tagsFollowIOB2() {
    let study = SpanMatchingTests.study(
      [span(0, 12, "PER"), span(36, 42, "LOC")], [span(4, 24, "PER")])
    let document = study.documents[0]
    let names = study.tagNames
    #expect(names == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])
    #expect(
      study.tokenTags(of: document, annotator: 0).map { names[$0] }
        == ["B-PER", "I-PER", "O", "O", "O", "O", "B-LOC"])
    #expect(
      study.tokenTags(of: document, annotator: 1).map { names[$0] }
        == ["O", "B-PER", "I-PER", "I-PER", "O", "O", "O"])
  }

  @Test func earliestThenLongestSpanWinsAndAdjacentSpansStartAfresh() {
    // Overlapping spans of one annotator: LOC 4..<16 starts first; PER 4..<24 is longer and
    // wins; the adjacent PER 25..<32 gets its own B.
    let study = SpanMatchingTests.study(
      [span(4, 16, "LOC"), span(4, 24, "PER"), span(13, 16, "LOC"), span(25, 32, "PER")], [])
    let tags = study.tokenTags(of: study.documents[0], annotator: 0).map { study.tagNames[$0] }
    #expect(tags == ["O", "B-PER", "I-PER", "I-PER", "B-PER", "O", "O"])
  }

  @Test func tokenPartlyInsideASpanIsOutside() {
    let study = SpanMatchingTests.study([span(5, 20, "PER")], [])
    let tags = study.tokenTags(of: study.documents[0], annotator: 0).map { study.tagNames[$0] }
    #expect(tags == ["O", "O", "B-PER", "O", "O", "O", "O"])
  }

  @Test func tokenKappaAndAlphaComeFromTheTagTable() {
    let study = SpanMatchingTests.study(
      [span(0, 12, "PER"), span(36, 42, "LOC")], [span(0, 12, "PER"), span(36, 42, "PER")])
    // Tags: B-PER I-PER O O O O B-LOC  vs  B-PER I-PER O O O O B-PER.
    let table = ContingencyTable([
      [4, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 0],
    ])
    #expect(study.tokenKappa(0, 1) == table.cohensKappa)
    let alpha = study.tokenAlpha()
    #expect(alpha.isDefined && (alpha.value ?? 2) < 1)
    let same = SpanMatchingTests.study([span(0, 12, "PER")], [span(0, 12, "PER")])
    expectValue(same.tokenAlpha(), 1, tolerance: 1e-12)
  }
}

/// The per-document label confusion stops scanning spans that start after a span's end; it
/// pairs exactly as trying every pair does, on random nested, touching and equal spans.
@Suite struct LabelConfusionTests {
  /// Every pair tried; greedy by shared length, then boundary difference, then position.
  static func reference(
    _ first: [IndexedSpan], _ second: [IndexedSpan], matching: SpanMatching, labels: Int
  ) -> [[Int]] {
    var counts = Array(repeating: Array(repeating: 0, count: labels + 1), count: labels + 1)
    var candidates: [(shared: Int, offBy: Int, i: Int, j: Int)] = []
    for (i, x) in first.enumerated() {
      for (j, y) in second.enumerated() {
        let paired =
          matching == .exact
          ? (x.start == y.start && x.end == y.end) : (x.start < y.end && y.start < x.end)
        if paired {
          candidates.append(
            (
              min(x.end, y.end) - max(x.start, y.start),
              abs(x.start - y.start) + abs(x.end - y.end), i, j
            ))
        }
      }
    }
    candidates.sort { ($0.shared, -$0.offBy, -$0.i, -$0.j) > ($1.shared, -$1.offBy, -$1.i, -$1.j) }
    var usedFirst = Set<Int>()
    var usedSecond = Set<Int>()
    for c in candidates where !usedFirst.contains(c.i) && !usedSecond.contains(c.j) {
      usedFirst.insert(c.i)
      usedSecond.insert(c.j)
      counts[first[c.i].label][second[c.j].label] += 1
    }
    for (i, x) in first.enumerated() where !usedFirst.contains(i) { counts[x.label][labels] += 1 }
    for (j, y) in second.enumerated() where !usedSecond.contains(j) { counts[labels][y.label] += 1 }
    return counts
  }

  @Test func pairsAsTryingEveryPairDoes() {
    var random = SplitMix64(seed: 0xC0_F0)
    func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
    func spans() -> [IndexedSpan] {
      (0..<below(9)).map { _ in
        let start = below(30)
        return IndexedSpan(start: start, end: start + 1 + below(6), label: below(3))
      }
    }
    for trial in 0..<2_000 {
      // In a study's order (start, then longer first) half the time, as they come otherwise.
      var first = spans()
      var second = spans()
      if trial % 2 == 0 {
        first.sort { ($0.start, -$0.end, $0.label) < ($1.start, -$1.end, $1.label) }
        second.sort { ($0.start, -$0.end, $0.label) < ($1.start, -$1.end, $1.label) }
      }
      for matching in SpanMatching.allCases {
        var counts = Array(repeating: Array(repeating: 0, count: 4), count: 4)
        SpanStudy.addLabelConfusion(first, second, matching: matching, to: &counts)
        #expect(
          counts == Self.reference(first, second, matching: matching, labels: 3),
          "trial \(trial) \(matching)")
      }
    }
  }
}
