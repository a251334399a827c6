import AnnoAgreement
import AnnoCore

/// One item of a document on which the annotators present differ, before it is worded.
///
/// Wording quotes the text, so it is done only for the documents that make the ranking.
enum PendingDifference {
  /// A document-level field: each present annotator's value (`nil`: none).
  case field(section: String, values: [String?])
  /// A range of a span layer: the labels each present annotator gave exactly that range
  /// (`nil`: the annotator's set is left out of the layer, having none or a partial one).
  case span(section: String, start: Int, end: Int, labels: [[String]?])

  /// The section the item belongs to.
  var section: String {
    switch self {
    case .field(let section, _), .span(let section, _, _, _): section
    }
  }

  /// The item in words: `sentiment ann1=negative ann2=neutral`, `PER "Lavrov" only ann1`.
  func description(annotators: [String], scalars: [Unicode.Scalar]) -> String {
    switch self {
    case .field(let section, let values):
      return section + " "
        + zip(annotators, values).map { "\($0)=\($1 ?? "—")" }.joined(separator: " ")
    case .span(let section, let start, let end, let labels):
      let prefix = section == "entities" ? "" : section + " "
      let quote = Self.quote(scalars, start, end)
      let marked = labels.enumerated().filter { $0.element?.isEmpty == false }
      if let first = marked.first?.element, first.count == 1,
        marked.allSatisfy({ $0.element == first })
      {
        let who = marked.map { annotators[$0.offset] }.joined(separator: ",")
        return "\(prefix)\(first[0]) \(quote) only \(who)"
      }
      let values = zip(annotators, labels).compactMap { name, given in
        given.map { "\(name)=\($0.isEmpty ? "—" : $0.joined(separator: "+"))" }
      }
      return "\(prefix)\(quote) " + values.joined(separator: " ")
    }
  }

  /// The text of `start..<end` in quotes, on one line, at most 40 scalars.
  static func quote(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> String {
    guard TextRange(start: start, end: end).isSpan(inTextOfLength: scalars.count) else {
      return "\"\""
    }
    var view = String.UnicodeScalarView()
    var lastWasSpace = false
    for scalar in scalars[start..<min(end, start + 40)] {
      let isSpace = scalar.properties.isWhitespace
      if isSpace && lastWasSpace { continue }
      view.append(isSpace ? " " : scalar)
      lastWasSpace = isSpace
    }
    return "\"" + String(view) + (end - start > 40 ? "…" : "") + "\""
  }

  /// The ranges of a span layer on which the present annotators differ, by start, then end.
  ///
  /// - Parameters:
  ///   - spans: one list per annotator in the layer, each in a span study's order (by start,
  ///     then longer first), so that the spans of one range are adjacent.
  ///   - labels: the layer's labels, which the spans' label indices refer to.
  ///   - positions: each list's annotator's place among the `presentCount` present annotators.
  static func spans(
    section: String, _ spans: [[IndexedSpan]], labels: [String], positions: [Int],
    presentCount: Int
  ) -> [PendingDifference] {
    var differing: [(start: Int, end: Int, labels: [[String]?])] = []
    var scratch = RangeMergeScratch()
    forEachDifferingRange(spans, scratch: &scratch) { start, end, runs in
      var given = [[String]?](repeating: nil, count: presentCount)
      for (run, position) in zip(runs, positions) {
        given[position] = run.map { labels[$0.label] }.sorted()
      }
      differing.append((start, end, given))
    }
    differing.sort { ($0.start, $0.end) < ($1.start, $1.end) }
    return differing.map {
      .span(section: section, start: $0.start, end: $0.end, labels: $0.labels)
    }
  }

  /// How many ranges ``spans(section:_:labels:positions:presentCount:)`` gives, without
  /// wording them.
  static func differingRangeCount(_ spans: [[IndexedSpan]], scratch: inout RangeMergeScratch) -> Int
  {
    var count = 0
    forEachDifferingRange(spans, scratch: &scratch) { _, _, _ in count += 1 }
    return count
  }

  /// Calls `body` with each range on which the annotators' label multisets differ, and each
  /// annotator's spans on it.
  ///
  /// Labels are distinct names, so equal index multisets are equal name multisets.
  private static func forEachDifferingRange(
    _ spans: [[IndexedSpan]], scratch: inout RangeMergeScratch,
    _ body: (Int, Int, [ArraySlice<IndexedSpan>]) -> Void
  ) {
    // NB: the lists are merged range by range, each annotator's spans on a range being a run
    // of their list; most ranges agree, and are passed over without copying anything.
    let n = spans.count
    scratch.first.removeAll(keepingCapacity: true)
    scratch.first.append(contentsOf: repeatElement(0, count: n))
    scratch.next.removeAll(keepingCapacity: true)
    scratch.next.append(contentsOf: repeatElement(0, count: n))
    while true {
      var range: (start: Int, end: Int)?
      for (i, list) in spans.enumerated() where scratch.next[i] < list.count {
        let span = list[scratch.next[i]]
        if let r = range, r.start < span.start || (r.start == span.start && r.end >= span.end) {
          continue
        }
        range = (span.start, span.end)
      }
      guard let range else { return }
      var allSingle = true
      var someLonger = false
      for (i, list) in spans.enumerated() {
        scratch.first[i] = scratch.next[i]
        while scratch.next[i] < list.count && list[scratch.next[i]].start == range.start
          && list[scratch.next[i]].end == range.end
        {
          scratch.next[i] += 1
        }
        let length = scratch.next[i] - scratch.first[i]
        if length != 1 { allSingle = false }
        if length > 1 { someLonger = true }
      }
      if allSingle {
        // The usual agreement: each annotator once on the range, all with the same label.
        let label = spans[0][scratch.first[0]].label
        if (1..<n).allSatisfy({ spans[$0][scratch.first[$0]].label == label }) { continue }
      } else if someLonger {
        // Someone gave the range several labels: compare the label multisets.
        let sorted = (0..<n).map { i in
          spans[i][scratch.first[i]..<scratch.next[i]].map(\.label).sorted()
        }
        if sorted.allSatisfy({ $0 == sorted[0] }) { continue }
      }
      // Otherwise some annotator has no span on the range and another has one: a difference.
      body(range.start, range.end, (0..<n).map { spans[$0][scratch.first[$0]..<scratch.next[$0]] })
    }
  }
}

/// Storage the range merging of `PendingDifference` reuses from document to document.
struct RangeMergeScratch {
  /// Per annotator: where their run of spans on the current range starts, and the next span.
  fileprivate var first: [Int] = []
  fileprivate var next: [Int] = []
}

/// One document's differences while it is measured: counted as they are found, and worded
/// (span layers' ranges grouped and labels named) only if the document makes the ranking.
struct PendingDifferences {
  /// How many differences there are.
  private(set) var count = 0
  private var items: [Item] = []

  private enum Item {
    case one(PendingDifference)
    case spanLayer(
      section: String, spans: [[IndexedSpan]], labels: [String], positions: [Int],
      presentCount: Int)
  }

  mutating func append(_ difference: PendingDifference) {
    items.append(.one(difference))
    count += 1
  }

  /// Adds the ranges of a span layer on which the annotators differ (see
  /// `PendingDifference.spans(section:_:labels:positions:presentCount:)`).
  mutating func appendSpanLayer(
    section: String, _ spans: [[IndexedSpan]], labels: [String], positions: [Int],
    presentCount: Int, scratch: inout RangeMergeScratch
  ) {
    let differing = PendingDifference.differingRangeCount(spans, scratch: &scratch)
    guard differing > 0 else { return }
    items.append(
      .spanLayer(
        section: section, spans: spans, labels: labels, positions: positions,
        presentCount: presentCount))
    count += differing
  }

  /// The differences, in the order they were added.
  var differences: [PendingDifference] {
    items.flatMap { item -> [PendingDifference] in
      switch item {
      case .one(let difference): [difference]
      case .spanLayer(let section, let spans, let labels, let positions, let presentCount):
        PendingDifference.spans(
          section: section, spans, labels: labels, positions: positions,
          presentCount: presentCount)
      }
    }
  }
}

/// The documents with the most differing items, kept while streaming: at most `limit`, ranked
/// by score (descending), then by id (ascending code points), whatever the order they came in.
struct DisagreementRanking {
  let limit: Int
  private(set) var ranked: [DocumentDisagreement] = []

  init(limit: Int = 10) { self.limit = limit }

  /// Whether a document with `score` differing items and this id would enter the ranking.
  func qualifies(score: Int, documentID: String) -> Bool {
    guard score > 0 else { return false }
    guard ranked.count >= limit, let last = ranked.last else { return true }
    return Self.precedes(score, documentID, last.score, last.documentID)
  }

  /// Inserts a document in rank order, dropping the last beyond `limit`.
  mutating func insert(_ item: DocumentDisagreement) {
    let position =
      ranked.firstIndex { Self.precedes(item.score, item.documentID, $0.score, $0.documentID) }
      ?? ranked.endIndex
    ranked.insert(item, at: position)
    if ranked.count > limit { ranked.removeLast() }
  }

  private static func precedes(_ score: Int, _ id: String, _ otherScore: Int, _ otherID: String)
    -> Bool
  {
    score != otherScore ? score > otherScore : CodePoint.precedes(id, otherID)
  }
}
