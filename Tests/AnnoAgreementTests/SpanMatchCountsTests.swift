import AnnoAgreement
import AnnoCore
import Testing

/// `SpanStudy.matchCounts`, the per-document counts `anno agree` adds up, gives exactly what
/// `spanAgreement` gives for the same document, per label, for both kinds of matching.
@Suite struct SpanMatchCountsTests {
  @Test func countsEqualSpanAgreementOnRandomDocuments() {
    let labels = ["PER", "ORG", "LOC", "MISC"]
    var random = SplitMix64(seed: 2026)
    for round in 0..<2_000 {
      // Short documents and few labels, so exact duplicates, nesting and overlaps are common.
      func spans() -> [LabeledSpan] {
        (0..<Int.random(in: 0...8, using: &random)).map { _ in
          let start = Int.random(in: 0..<30, using: &random)
          return LabeledSpan(
            start: start, end: start + Int.random(in: 1...6, using: &random),
            label: labels[Int.random(in: 0..<labels.count, using: &random)])
        }
      }
      let reference = spans()
      // Half the time the second list is a perturbed copy of the first.
      var predicted =
        round % 2 == 0 ? spans() : reference.filter { _ in Bool.random(using: &random) }
      if round % 2 == 1 { predicted += spans().prefix(2) }
      var study = SpanStudy(labels: labels, annotatorCount: 2)
      study.append(SpanDocument(length: 40, annotations: [reference, predicted]))
      let exact = study.spanAgreement(0, 1, matching: .exact)
      let overlap = study.spanAgreement(0, 1, matching: .overlap)
      func indexed(_ list: [LabeledSpan]) -> [IndexedSpan] {
        list.map {
          IndexedSpan(start: $0.start, end: $0.end, label: labels.firstIndex(of: $0.label)!)
        }
      }
      let counts = SpanStudy.matchCounts(
        reference: indexed(reference), predicted: indexed(predicted), labelCount: labels.count)
      for (l, label) in labels.enumerated() {
        #expect(counts.exact[l] == exact.perLabel[label], "exact \(label), round \(round)")
        #expect(counts.overlap[l] == overlap.perLabel[label], "overlap \(label), round \(round)")
      }
    }
  }

  /// Annotators whose spans never overlap their own (the usual case, which pairs spans in one
  /// pass): the counts equal `spanAgreement`'s maximum matching.
  @Test func countsEqualSpanAgreementWhenNoAnnotatorOverlapsThemselves() {
    let labels = ["PER", "ORG"]
    var random = SplitMix64(seed: 2027)
    var chains = 0
    for round in 0..<2_000 {
      // Each list walks the text left to right with gaps of 0 to 3, so its spans are disjoint
      // but often touch, and one span of a list often overlaps two of the other.
      func spans() -> [LabeledSpan] {
        var list: [LabeledSpan] = []
        var start = Int.random(in: 0...3, using: &random)
        while start < 40 {
          let end = start + Int.random(in: 1...5, using: &random)
          list.append(
            LabeledSpan(
              start: start, end: end,
              label: labels[Int.random(in: 0..<labels.count, using: &random)]))
          start = end + Int.random(in: 0...3, using: &random)
        }
        return list.shuffled(using: &random)
      }
      let reference = spans()
      let predicted = spans()
      var study = SpanStudy(labels: labels, annotatorCount: 2)
      study.append(SpanDocument(length: 50, annotations: [reference, predicted]))
      let overlap = study.spanAgreement(0, 1, matching: .overlap)
      func indexed(_ list: [LabeledSpan]) -> [IndexedSpan] {
        list.map {
          IndexedSpan(start: $0.start, end: $0.end, label: labels.firstIndex(of: $0.label)!)
        }
      }
      let counts = SpanStudy.matchCounts(
        reference: indexed(reference), predicted: indexed(predicted), labelCount: labels.count)
      for (l, label) in labels.enumerated() {
        #expect(counts.overlap[l] == overlap.perLabel[label], "overlap \(label), round \(round)")
      }
      let overlapsTwo = reference.contains { r in
        predicted.filter { $0.label == r.label && $0.start < r.end && r.start < $0.end }.count >= 2
      }
      if overlapsTwo { chains += 1 }
    }
    // Many documents have a span overlapping two of the other list's: which pair is made matters.
    #expect(chains > 500)
  }

  /// A hand-worked case: duplicates pair once each, and one long span over two short ones
  /// pairs with one of them.
  @Test func duplicatesAndOneLongSpanOverTwoShortOnes() {
    let reference = [
      IndexedSpan(start: 0, end: 10, label: 0), IndexedSpan(start: 20, end: 25, label: 1),
      IndexedSpan(start: 20, end: 25, label: 1),
    ]
    let predicted = [
      IndexedSpan(start: 0, end: 4, label: 0), IndexedSpan(start: 5, end: 10, label: 0),
      IndexedSpan(start: 20, end: 25, label: 1), IndexedSpan(start: 20, end: 25, label: 0),
    ]
    let counts = SpanStudy.matchCounts(reference: reference, predicted: predicted, labelCount: 2)
    // Label 0: no exact match; the long span overlaps both short ones but pairs with one, and
    // (20, 25) overlaps nothing.
    #expect(
      counts.exact[0]
        == SpanScore(
          referenceCount: 1, predictedCount: 3, matchedReferenceCount: 0, matchedPredictedCount: 0))
    #expect(
      counts.overlap[0]
        == SpanScore(
          referenceCount: 1, predictedCount: 3, matchedReferenceCount: 1, matchedPredictedCount: 1))
    // Label 1: one of the two duplicates is matched exactly; the one predicted span pairs
    // with one of them.
    #expect(
      counts.exact[1]
        == SpanScore(
          referenceCount: 2, predictedCount: 1, matchedReferenceCount: 1, matchedPredictedCount: 1))
    #expect(
      counts.overlap[1]
        == SpanScore(
          referenceCount: 2, predictedCount: 1, matchedReferenceCount: 1, matchedPredictedCount: 1))
  }
}
