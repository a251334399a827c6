import AnnoCore
import Testing

@Suite struct AdjudicationTests {
  func set(_ annotator: String, _ spans: [(Int, Int, String)], sentiment: String? = nil)
    -> AnnotationSet
  {
    AnnotationSet(
      annotator: annotator, entities: spans.map { EntitySpan(start: $0.0, end: $0.1, label: $0.2) },
      sentiment: sentiment)
  }

  func outcomes(_ sets: [AnnotationSet], _ strategy: AdjudicationStrategy) -> [String: String] {
    var result: [String: String] = [:]
    for item in AdjudicationItems.items(from: sets) {
      switch item.outcome(under: strategy) {
      case .none: result[item.key] = "open"
      case .some(.none): result[item.key] = "none"
      case .some(.some(let value)): result[item.key] = value
      }
    }
    return result
  }

  @Test func parsesStrategies() {
    #expect(AdjudicationStrategy("unanimous") == .unanimous)
    #expect(AdjudicationStrategy("majority") == .majority)
    #expect(AdjudicationStrategy("threshold=3") == .threshold(3))
    #expect(AdjudicationStrategy("threshold=0") == nil)
    #expect(AdjudicationStrategy("most") == nil)
  }

  @Test func rulesSettleByTheirQuota() {
    #expect(
      AdjudicationStrategy.unanimous.settles(3, of: 3)
        && !AdjudicationStrategy.unanimous.settles(2, of: 3))
    #expect(
      AdjudicationStrategy.majority.settles(2, of: 3)
        && !AdjudicationStrategy.majority.settles(2, of: 4))
    #expect(
      AdjudicationStrategy.threshold(2).settles(2, of: 5)
        && !AdjudicationStrategy.threshold(3).settles(2, of: 5))
    #expect(!AdjudicationStrategy.threshold(4).canSettle(withAnnotators: 3))
    #expect(AdjudicationStrategy.majority.canSettle(withAnnotators: 1))
    #expect(
      AdjudicationStrategy("threshold=2") == .threshold(2)
        && AdjudicationStrategy("threshold=0") == nil)
    #expect(AdjudicationStrategy.threshold(2).description == "threshold=2")
  }

  @Test func threeAnnotatorsUnderEachStrategy() {
    let sets = [
      set("a", [(0, 5, "PER"), (10, 15, "LOC")], sentiment: "negative"),
      set("b", [(0, 5, "PER"), (10, 15, "ORG")], sentiment: "negative"),
      set("c", [(0, 5, "PER")], sentiment: "neutral"),
    ]
    // 10:15 is one item with three versions (LOC a, ORG b, none c): a three-way tie.
    #expect(
      outcomes(sets, .unanimous) == [
        "entity|0:5": "PER", "entity|10:15": "open", "sentiment": "open",
      ])
    #expect(
      outcomes(sets, .majority) == [
        "entity|0:5": "PER", "entity|10:15": "open", "sentiment": "negative",
      ])
    #expect(
      outcomes(sets, .threshold(3)) == [
        "entity|0:5": "PER", "entity|10:15": "open", "sentiment": "open",
      ])
  }

  /// Issue 23: two labels on one range were two items, and the gold version could get both.
  @Test func differentLabelsOnOneRangeAreOneItemWhoseVersionsAreTheLabels() throws {
    let sets = [
      set("ann1", [(0, 5, "PER")]), set("ann2", [(0, 5, "ORG")]), set("ann3", []),
      set("ann4", [(0, 5, "ORG")]),
    ]
    let items = AdjudicationItems.items(from: sets)
    #expect(items.map(\.key) == ["entity|0:5"])
    let versions = try #require(items.first).groupedVersions
    #expect(versions.map(\.value) == ["ORG", "PER", nil])
    #expect(versions.map(\.annotators) == [["ann2", "ann4"], ["ann1"], ["ann3"]])
    #expect(outcomes(sets, .threshold(2)) == ["entity|0:5": "ORG"])
    // A version is a whole range's labels, so the gold version never gets two of them
    // unless one annotator gave both (a schema that allows several labels per span).
    #expect(
      AdjudicationItems.annotations(for: "entity|0:5", value: "ORG")
        == [.entity(EntitySpan(start: 0, end: 5, label: "ORG"))])
    let both = [
      set("a", [(0, 5, "PER"), (0, 5, "ORG")]), set("b", [(0, 5, "ORG"), (0, 5, "PER")]),
    ]
    #expect(outcomes(both, .unanimous) == ["entity|0:5": "ORG+PER"])
    #expect(AdjudicationItems.annotations(for: "entity|0:5", value: "ORG+PER").count == 2)
  }

  @Test func itemsSortInNaturalOrder() {
    let sets = [set("a", [(140, 150, "PER"), (1045, 1050, "PER"), (9, 12, "LOC")])]
    #expect(
      AdjudicationItems.items(from: sets).map(\.key) == [
        "entity|9:12", "entity|140:150", "entity|1045:1050",
      ])
    #expect(NaturalOrder.precedes("140", "1045") && NaturalOrder.precedes("doc-9", "doc-10"))
    #expect(!NaturalOrder.precedes("1045", "140") && NaturalOrder.precedes("a7", "b1"))
  }

  @Test func fourAnnotatorsLeaveTiesOpen() {
    let sets = [
      set("a", [(0, 5, "PER")], sentiment: "negative"),
      set("b", [(0, 5, "PER")], sentiment: "negative"),
      set("c", [], sentiment: "positive"), set("d", [], sentiment: "positive"),
    ]
    // 2 against 2: a tie, never settled, whatever the strategy.
    #expect(outcomes(sets, .majority) == ["entity|0:5": "open", "sentiment": "open"])
    #expect(outcomes(sets, .threshold(2)) == ["entity|0:5": "open", "sentiment": "open"])
    let three = sets.dropLast() + [set("d", [(0, 5, "PER")], sentiment: "negative")]
    #expect(
      outcomes(Array(three), .majority) == ["entity|0:5": "PER", "sentiment": "negative"])
    #expect(outcomes(Array(three), .unanimous) == ["entity|0:5": "open", "sentiment": "open"])
  }

  @Test func aMissingValueCountsAsAVersion() {
    let sets = [set("a", [], sentiment: "neutral"), set("b", []), set("c", [])]
    #expect(outcomes(sets, .majority) == ["sentiment": "none"])
    let item = AdjudicationItems.items(from: sets)[0]
    #expect(item.groupedVersions.map(\.value) == [nil, "neutral"])
    #expect(item.groupedVersions.map(\.annotators) == [["b", "c"], ["a"]])
  }

  @Test func itemsCoverEveryKindWithStableKeys() {
    let sets = [
      AnnotationSet(
        annotator: "a", entities: [EntitySpan(start: 0, end: 5, label: "PER")],
        spanSentiments: [SpanSentiment(start: 0, end: 5, value: "negative")], sentiment: "neutral",
        stances: [
          Stance(target: "Russia", value: "against"),
          Stance(target: "Russia", value: "favor", range: 0..<5),
        ],
        labels: ["topic": "sport"])
    ]
    #expect(
      AdjudicationItems.items(from: sets).map(\.key) == [
        "entity|0:5", "label|topic", "sentiment", "span_sentiment|0:5", "stance|Russia",
        "stance|Russia|0:5",
      ])
    #expect(
      AdjudicationItems.annotation(for: "stance|Russia|0:5", value: "favor")
        == .stance(Stance(target: "Russia", value: "favor", range: 0..<5)))
    #expect(AdjudicationItems.annotation(for: "entity|0:5", value: nil) == nil)
    #expect(AdjudicationItems.annotations(for: "entity|0:5", value: nil).isEmpty)
  }
  @Test func disputesHoldEachItemOnceWithWhetherItIsDisputed() {
    let a = AnnotationSet(
      annotator: "a",
      entities: [
        EntitySpan(start: 0, end: 5, label: "PER"), EntitySpan(start: 0, end: 5, label: "ORG"),
        EntitySpan(start: 6, end: 9, label: "LOC"),
      ], sentiment: "neutral", stances: [Stance(target: "Russia", value: "against")],
      labels: ["topic": "sport"], labelSets: ["tags": ["x"]])
    let b = AnnotationSet(
      annotator: "b",
      entities: [
        EntitySpan(start: 0, end: 5, label: "ORG"), EntitySpan(start: 0, end: 5, label: "PER"),
      ], sentiment: "neutral", stances: [Stance(target: "Russia", value: "favor")],
      labels: ["topic": "sport"], labelSets: ["tags": ["x", "y"]])
    let expected = [
      "entity|0:5": false, "entity|6:9": true, "sentiment": false, "stance|Russia": true,
      "label|topic": false, "choice|tags|x": false, "choice|tags|y": true,
    ]
    #expect(AdjudicationItems.disputes(from: [a, b]) == expected)
    let items = AdjudicationItems.items(from: [a, b])
    #expect(Dictionary(uniqueKeysWithValues: items.map { ($0.key, $0.isDisputed) }) == expected)
    // One annotator disputes nothing; no annotator proposes nothing.
    #expect(AdjudicationItems.disputes(from: [b]).values.allSatisfy { !$0 })
    #expect(AdjudicationItems.disputes(from: []).isEmpty)
  }

  /// The counts without keys match `disputes(from:)` on random sets: ranges with several
  /// labels, repeated labels and sentiments on one range, anchored and document stances,
  /// fields and set-valued fields.
  @Test func disputeCountsMatchTheDisputes() {
    var random = SplitMix64(seed: 21)
    func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
    func set(_ name: String) -> AnnotationSet {
      func range() -> (Int, Int) {
        let start = Int.random(in: 0..<6, using: &random)
        return (start, start + Int.random(in: 1...2, using: &random))
      }
      let entities = (0..<Int.random(in: 0...5, using: &random)).map { _ in
        let (start, end) = range()
        return EntitySpan(start: start, end: end, label: pick(["PER", "ORG", "LOC"]))
      }
      let sentiments = (0..<Int.random(in: 0...2, using: &random)).map { _ in
        let (start, end) = range()
        return SpanSentiment(start: start, end: end, value: pick(["positive", "negative"]))
      }
      let stances = (0..<Int.random(in: 0...2, using: &random)).map { _ in
        let (start, end) = range()
        return Stance(
          target: pick(["Russia", "EU"]), value: pick(["favor", "against"]),
          range: Bool.random(using: &random) ? start..<end : nil)
      }
      return AnnotationSet(
        annotator: name, entities: entities, spanSentiments: sentiments,
        sentiment: Bool.random(using: &random) ? pick(["neutral", "positive"]) : nil,
        stances: stances, labels: Bool.random(using: &random) ? ["topic": pick(["a", "b"])] : nil,
        labelSets: Bool.random(using: &random)
          ? ["tags": [pick(["x", "y"]), pick(["x", "z"])]] : nil)
    }
    var disputedSeen = 0
    for _ in 0..<3_000 {
      let sets = (0..<Int.random(in: 0...3, using: &random)).map { set("a\($0)") }
      let disputes = AdjudicationItems.disputes(from: sets)
      let counts = AdjudicationItems.disputeCounts(from: sets)
      #expect(counts.items == disputes.count)
      #expect(counts.disputed == disputes.values.filter { $0 }.count)
      if counts.disputed > 0 && counts.disputed < counts.items { disputedSeen += 1 }
    }
    #expect(disputedSeen > 300)
  }
}
