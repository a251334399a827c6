import AnnoAgreement
import AnnoCore
import Testing

@testable import AnnoReport

/// The ranges a span layer's annotators differ on, which rank a document's disagreements.
@Suite struct PendingDifferenceTests {
  /// By range, each annotator's sorted labels; a range is a difference unless all agree.
  static func reference(_ spans: [[(start: Int, end: Int, label: String)]]) -> [String] {
    var byRange: [[Int]: [[String]]] = [:]
    for (i, list) in spans.enumerated() {
      for span in list {
        byRange[[span.start, span.end], default: Array(repeating: [], count: spans.count)][i]
          .append(span.label)
      }
    }
    return byRange.keys.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.compactMap { range in
      let labels = byRange[range]!.map { $0.sorted() }
      return labels.allSatisfy({ $0 == labels[0] }) ? nil : "\(range) \(labels)"
    }
  }

  @Test func differencesEqualGroupingByRangeOnRandomLayers() {
    let labels = ["PER", "ORG", "caf\u{E9}", "cafe\u{301}"]
    var random = SplitMix64(seed: 31)
    var scratch = RangeMergeScratch()
    for round in 0..<3_000 {
      let annotators = 2 + Int(random.next() % 3)
      let spans = (0..<annotators).map { _ in
        (0..<Int(random.next() % 6)).map { _ -> (start: Int, end: Int, label: String) in
          let start = Int(random.next() % 4)
          return (
            start, start + 1 + Int(random.next() % 2),
            labels[Int(random.next() % UInt64(labels.count))]
          )
        }
      }
      // As the collector hands them over: label indices (a name equal to a declared one, as
      // Swift compares strings, is that label), each list in a span study's order.
      let declared = ["PER", "ORG", "caf\u{E9}"]
      let index = Dictionary(uniqueKeysWithValues: declared.enumerated().map { ($1, $0) })
      let indexed = spans.map { list in
        list.map { IndexedSpan(start: $0.start, end: $0.end, label: index[$0.label]!) }.sorted {
          ($0.start, -$0.end, $0.label) < ($1.start, -$1.end, $1.label)
        }
      }
      let found = PendingDifference.spans(
        section: "entities", indexed, labels: declared, positions: Array(indexed.indices),
        presentCount: indexed.count
      ).map { difference -> String in
        guard case .span(_, let start, let end, let labels) = difference else {
          return "not a span"
        }
        return "\([start, end]) \(labels.map { $0 ?? ["left out"] })"
      }
      #expect(found == Self.reference(spans), "round \(round): \(spans)")
      #expect(
        PendingDifference.differingRangeCount(indexed, scratch: &scratch) == found.count,
        "round \(round)")
    }
  }
}
