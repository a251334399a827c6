/// One item of a document on which the annotators present differ, before it is worded.
///
/// Wording quotes the text, so it is done only for the documents that make the ranking.
enum PendingDifference {
  /// A document-level field: each present annotator's value (`nil`: none).
  case field(section: String, values: [String?])
  /// A range of a span layer: the labels each present annotator gave exactly that range.
  case span(section: String, start: Int, end: Int, labels: [[String]])

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
      return section + " " + zip(annotators, values).map { "\($0)=\($1 ?? "—")" }.joined(separator: " ")
    case .span(let section, let start, let end, let labels):
      let prefix = section == "entities" ? "" : section + " "
      let quote = Self.quote(scalars, start, end)
      let marked = labels.enumerated().filter { !$0.element.isEmpty }
      if let first = marked.first?.element, first.count == 1, marked.allSatisfy({ $0.element == first }) {
        let who = marked.map { annotators[$0.offset] }.joined(separator: ",")
        return "\(prefix)\(first[0]) \(quote) only \(who)"
      }
      let values = zip(annotators, labels).map { "\($0)=\($1.isEmpty ? "—" : $1.joined(separator: "+"))" }
      return "\(prefix)\(quote) " + values.joined(separator: " ")
    }
  }

  /// The text of `start..<end` in quotes, on one line, at most 40 scalars.
  static func quote(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> String {
    guard start >= 0, end <= scalars.count, start < end else { return "\"\"" }
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

  /// The ranges of a span layer on which the present annotators differ.
  ///
  /// - Parameter spans: one list per present annotator.
  static func spans(section: String, _ spans: [[(start: Int, end: Int, label: String)]]) -> [PendingDifference] {
    // Every span as (range, annotator, position in its list), sorted by range: each run of
    // one range is compared without hashing, and label lists are built only for the ranges
    // that differ.
    var entries: [(start: Int, end: Int, annotator: Int, index: Int)] = []
    for (i, list) in spans.enumerated() {
      for (k, span) in list.enumerated() { entries.append((span.start, span.end, i, k)) }
    }
    entries.sort { ($0.start, $0.end, $0.annotator, $0.index) < ($1.start, $1.end, $1.annotator, $1.index) }
    var result: [PendingDifference] = []
    var first = 0
    while first < entries.count {
      var last = first + 1
      while last < entries.count && entries[last].start == entries[first].start && entries[last].end == entries[first].end {
        last += 1
      }
      defer { first = last }
      // The usual agreement: each annotator once on the range, all with the same label.
      if last - first == spans.count {
        let label = spans[entries[first].annotator][entries[first].index].label
        if (first..<last).allSatisfy({ entries[$0].annotator == $0 - first })
          && (first..<last).allSatisfy({ spans[entries[$0].annotator][entries[$0].index].label == label })
        {
          continue
        }
      }
      var labels = Array(repeating: [String](), count: spans.count)
      for e in entries[first..<last] { labels[e.annotator].append(spans[e.annotator][e.index].label) }
      labels = labels.map { $0.sorted() }
      if labels.allSatisfy({ $0 == labels[0] }) { continue }
      result.append(.span(section: section, start: entries[first].start, end: entries[first].end, labels: labels))
    }
    return result
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
      ranked.firstIndex { Self.precedes(item.score, item.documentID, $0.score, $0.documentID) } ?? ranked.endIndex
    ranked.insert(item, at: position)
    if ranked.count > limit { ranked.removeLast() }
  }

  private static func precedes(_ score: Int, _ id: String, _ otherScore: Int, _ otherID: String) -> Bool {
    score != otherScore ? score > otherScore : CodePoint.precedes(id, otherID)
  }
}
