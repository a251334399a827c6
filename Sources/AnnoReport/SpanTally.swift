import AnnoAgreement
import AnnoCore

/// Streaming tallies of one span layer (`entities`, `span_sentiment`, `stance_anchored:T`).
///
/// Per pair of annotators: span counts for F1 and the label confusion, summed over the
/// documents both finished. Over tokens: the IOB2 tags of every annotator in one
/// `RatingAccumulator`. For unitizing α_u, a `UnitizingAccumulator` over the documents every
/// annotator finished. Memory is O(*L*²·*R*²) and does not grow with the documents, except
/// for a few numbers per document when bootstrapping.
struct SpanTally {
  /// The section name.
  let name: String
  /// The declared labels, in order.
  let labels: [String]
  let labelIndex: [String: Int]
  /// Per label index: its rank among the labels as Swift orders strings (`LabeledSpan`'s order).
  private let nameRank: [Int]
  let raterCount: Int
  /// Per pair (in `RatingAccumulator.raterPairs` order), per label: exact and overlap counts.
  private(set) var exact: [[SpanScore]]
  private(set) var overlap: [[SpanScore]]
  /// Per pair: (labels + 1)² label confusion counts, "no span" last.
  private(set) var confusion: [[[Int]]]
  /// Per pair: documents both finished.
  private(set) var pairDocuments: [Int]
  /// Tokens added one by one (when bootstrapping, or too many raters or tags to pack a unit
  /// into a key): every token a unit, every annotator's IOB2 tag its rating; and per
  /// annotator, their tag against the majority tag of the others.
  private var tokensAddedOneByOne: RatingAccumulator
  private var majorityAddedOneByOne: [RatingAccumulator]
  /// The other tokens, counted by unit, packed one byte per rater (its tag + 1, 0 when absent):
  /// a corpus has few distinct units, and the accumulators' counts are integers, so adding
  /// each distinct unit once with its count at the end gives the same tallies.
  private var tokenUnitCounts: [UInt64: Int] = [:]
  /// Scratch space of `addTokenUnitsCounted`, kept to save allocations: each present rater's
  /// tagged tokens and the next one to merge, and the document's units with their counts.
  private var taggedByRater: [[(token: Int, tag: Int)]] = []
  private var nextTagged: [Int] = []
  private var documentUnitCounts: [(key: UInt64, count: Int)] = []
  /// The documents every annotator finished, for α_u.
  private(set) var unitizing: UnitizingAccumulator
  /// The ids of the documents (by their index in `unitizing`) where some annotator's spans of
  /// a label first overlap, which makes that label's α_u undefined.
  private(set) var firstOverlaps: [Int: String] = [:]
  /// Documents with at least one annotation set.
  private(set) var documents = 0
  private var votes: [Int]
  /// When bootstrapping: per document with an annotation set, its index, each pair's overall
  /// exact counts (reference, predicted, matched) and its sparse token coincidences.
  private(set) var bootstrap: SpanBootstrapData?

  init(name: String, labels: [String], raterCount: Int, keepsDocuments: Bool) {
    self.name = name
    self.labels = labels
    var index: [String: Int] = [:]
    for (i, label) in labels.enumerated() { index[label] = i }
    labelIndex = index
    var rank = [Int](repeating: 0, count: labels.count)
    for (r, i) in labels.indices.sorted(by: { labels[$0] < labels[$1] }).enumerated() {
      rank[i] = r
    }
    nameRank = rank
    self.raterCount = raterCount
    let pairCount = raterCount * (raterCount - 1) / 2
    let l = labels.count
    exact = Array(repeating: Array(repeating: .zero, count: l), count: pairCount)
    overlap = exact
    confusion = Array(
      repeating: Array(repeating: Array(repeating: 0, count: l + 1), count: l + 1), count: pairCount
    )
    pairDocuments = Array(repeating: 0, count: pairCount)
    tokensAddedOneByOne = RatingAccumulator(categoryCount: 1 + 2 * l, raterCount: raterCount)
    majorityAddedOneByOne = Array(
      repeating: RatingAccumulator(categoryCount: 1 + 2 * l, raterCount: 2), count: raterCount)
    unitizing = UnitizingAccumulator(labelCount: l, coderCount: raterCount)
    votes = Array(repeating: 0, count: 1 + 2 * l)
    bootstrap = keepsDocuments ? SpanBootstrapData(pairCount: pairCount, tagCount: 1 + 2 * l) : nil
  }

  /// The index of pair (a, b), a < b, in `raterPairs` order.
  func pairIndex(_ a: Int, _ b: Int) -> Int { a * (2 * raterCount - a - 1) / 2 + (b - a - 1) }

  /// What ``add(document:documentID:raters:lists:tokens:length:)`` added and left out.
  struct AddedSpans {
    /// Per rater, the spans added, as indices of `labels`.
    var spans: [[IndexedSpan]]
    var labels: [String]
    /// The label of every span left out because the layer does not compare its label.
    var otherLabels: [String] = []
    /// How many spans were left out because they do not lie within the document.
    var outside = 0
  }

  /// Adds one document, given each rater's spans with label names: the spans with a label of
  /// the layer that lie within the document, sorted into a `SpanStudy`'s order
  /// (``LabeledSpan/<``: by start, then longer first, then label name), the order the label
  /// confusion pairs spans in.
  mutating func add(
    document: Int, documentID: String, raters: [Int],
    lists: [[(start: Int, end: Int, label: String)]],
    tokens: [Range<Int>], length: Int
  ) -> AddedSpans {
    var added = AddedSpans(spans: [], labels: labels)
    added.spans.reserveCapacity(lists.count)
    for list in lists {
      var keep: [IndexedSpan] = []
      keep.reserveCapacity(list.count)
      for span in list {
        // NB: a layer has a handful of labels: comparing names beats hashing one.
        guard
          let label = labels.count <= 16
            ? labels.firstIndex(of: span.label) : labelIndex[span.label]
        else {
          added.otherLabels.append(span.label)
          continue
        }
        guard TextRange(start: span.start, end: span.end).isSpan(inTextOfLength: length) else {
          added.outside += 1
          continue
        }
        keep.append(IndexedSpan(start: span.start, end: span.end, label: label))
      }
      keep.sort {
        if $0.start != $1.start { return $0.start < $1.start }
        if $0.end != $1.end { return $0.end > $1.end }
        return nameRank[$0.label] < nameRank[$1.label]
      }
      added.spans.append(keep)
    }
    add(
      document: document, documentID: documentID, raters: raters, spans: added.spans,
      tokens: tokens, length: length)
    return added
  }

  /// Adds one document.
  ///
  /// - Parameters:
  ///   - raters: the annotators with an annotation set on it, ascending.
  ///   - spans: their spans, one list per entry of `raters`, each in a `SpanStudy`'s order
  ///     (see above), every label an index of `labels`, within `0...length`.
  ///   - tokens: the document's (non-space) tokens.
  ///   - length: the document's length in scalars.
  mutating func add(
    document: Int, documentID: String, raters: [Int], spans: [[IndexedSpan]],
    tokens documentTokens: [Range<Int>],
    length: Int
  ) {
    documents += 1
    let isEmpty = spans.allSatisfy(\.isEmpty)
    bootstrap?.beginDocument(document)
    for i in raters.indices {
      for j in raters.indices where j > i {
        let p = pairIndex(raters[i], raters[j])
        pairDocuments[p] += 1
        guard !isEmpty else { continue }
        if spans[i] == spans[j] {
          addIdentical(spans[i], pair: p)
          continue
        }
        if bootstrap != nil {
          // The document's own exact counts, which bootstrapping keeps.
          let counts = SpanStudy.matchCounts(
            reference: spans[i], predicted: spans[j], labelCount: labels.count)
          var overallExact = SpanScore.zero
          for l in labels.indices {
            exact[p][l] = exact[p][l] + counts.exact[l]
            overlap[p][l] = overlap[p][l] + counts.overlap[l]
            overallExact = overallExact + counts.exact[l]
          }
          bootstrap?.addExact(pair: p, overallExact)
        } else {
          SpanStudy.addMatchCounts(
            reference: spans[i], predicted: spans[j], exact: &exact[p], overlap: &overlap[p])
        }
        SpanStudy.addLabelConfusion(spans[i], spans[j], matching: .overlap, to: &confusion[p])
      }
    }
    let packs = raterCount <= 8 && 1 + 2 * labels.count < 255
    if packs && bootstrap == nil {
      addTokenUnitsCounted(raters: raters, spans: spans, isEmpty: isEmpty, tokens: documentTokens)
    } else {
      addTokenUnitsOneByOne(raters: raters, spans: spans, isEmpty: isEmpty, tokens: documentTokens)
    }
    bootstrap?.endDocument()
    if raters.count == raterCount {
      let overlaps = unitizing.overlapCount
      unitizing.add(length: length, spans: spans)
      // The report names the document where an annotator's spans of a label first overlap.
      if unitizing.overlapCount > overlaps {
        firstOverlaps[unitizing.documentCount - 1] = documentID
      }
    }
  }
}

extension SpanTally {
  /// Every token a unit, every annotator's IOB2 tag its rating (`tokens`); and per annotator,
  /// their tag against the majority tag of the others (`majority`).
  func tokenAccumulators() -> (tokens: RatingAccumulator, majority: [RatingAccumulator]) {
    var tokens = tokensAddedOneByOne
    var majority = majorityAddedOneByOne
    var votes = [Int](repeating: 0, count: 1 + 2 * labels.count)
    var unit = [Int?](repeating: nil, count: raterCount)
    for (key, count) in tokenUnitCounts.sorted(by: { $0.key < $1.key }) {
      for r in 0..<raterCount {
        let byte = Int(key >> UInt64(8 * (raterCount - 1 - r)) & 0xFF)
        unit[r] = byte == 0 ? nil : byte - 1
      }
      Self.addTokenUnit(unit, count: count, tokens: &tokens, majority: &majority, votes: &votes)
    }
    return (tokens, majority)
  }

  /// Counts the document's token units by their packed keys. Most tokens carry `O` from
  /// everyone present: only the tokens inside someone's span are visited.
  fileprivate mutating func addTokenUnitsCounted(
    raters: [Int], spans: [[IndexedSpan]], isEmpty: Bool, tokens: [Range<Int>]
  ) {
    func shift(_ rater: Int) -> UInt64 { UInt64(8 * (raterCount - 1 - rater)) }
    var outsideKey: UInt64 = 0
    for rater in raters { outsideKey |= 1 << shift(rater) }
    var outsideCount = tokens.count
    if !isEmpty {
      // A rater whose spans equal an earlier one's shares its tags. NB: the lists are the
      // tally's, kept from document to document with their storage.
      while taggedByRater.count < spans.count { taggedByRater.append([]) }
      for i in spans.indices {
        if let same = (0..<i).first(where: { spans[$0] == spans[i] }) {
          let shared = taggedByRater[same]
          taggedByRater[i].removeAll(keepingCapacity: true)
          taggedByRater[i].append(contentsOf: shared)
        } else {
          SpanStudy.taggedTokens(of: spans[i], tokens: tokens, into: &taggedByRater[i])
        }
      }
      // Merge the raters' tagged tokens, in token order, counting each key in a short list
      // (a document has few distinct units), then once per key in the corpus's counts.
      nextTagged.removeAll(keepingCapacity: true)
      nextTagged.append(contentsOf: repeatElement(0, count: spans.count))
      documentUnitCounts.removeAll(keepingCapacity: true)
      while true {
        var t = Int.max
        for i in spans.indices where nextTagged[i] < taggedByRater[i].count {
          t = min(t, taggedByRater[i][nextTagged[i]].token)
        }
        guard t != Int.max else { break }
        var key = outsideKey
        for (i, rater) in raters.enumerated() {
          let n = nextTagged[i]
          guard n < taggedByRater[i].count, taggedByRater[i][n].token == t else { continue }
          key = key & ~(0xFF << shift(rater)) | UInt64(taggedByRater[i][n].tag + 1) << shift(rater)
          nextTagged[i] = n + 1
        }
        if let k = documentUnitCounts.firstIndex(where: { $0.key == key }) {
          documentUnitCounts[k].count += 1
        } else {
          documentUnitCounts.append((key, 1))
        }
        outsideCount -= 1
      }
      for (key, count) in documentUnitCounts { tokenUnitCounts[key, default: 0] += count }
    }
    if outsideCount > 0 { tokenUnitCounts[outsideKey, default: 0] += outsideCount }
  }

  /// Adds the document's token units one by one, in order (bootstrapping keeps each token's
  /// coincidences; more than eight raters or 254 tags do not fit the packed key).
  fileprivate mutating func addTokenUnitsOneByOne(
    raters: [Int], spans: [[IndexedSpan]], isEmpty: Bool, tokens: [Range<Int>]
  ) {
    var tags: [[Int]] = []
    for i in spans.indices {
      if isEmpty {
        tags.append(Array(repeating: 0, count: tokens.count))
      } else if let same = (0..<i).first(where: { spans[$0] == spans[i] }) {
        tags.append(tags[same])
      } else {
        tags.append(SpanStudy.tokenTags(of: spans[i], tokens: tokens))
      }
    }
    var unit = [Int?](repeating: nil, count: raterCount)
    for t in tokens.indices {
      for (i, rater) in raters.enumerated() { unit[rater] = tags[i][t] }
      bootstrap?.addCoincidences(unit)
      Self.addTokenUnit(
        unit, count: 1, tokens: &tokensAddedOneByOne, majority: &majorityAddedOneByOne,
        votes: &votes)
    }
  }

  /// Adds `count` tokens with these tags to the token tallies and the against-majority ones.
  fileprivate static func addTokenUnit(
    _ unit: [Int?], count: Int, tokens: inout RatingAccumulator,
    majority: inout [RatingAccumulator],
    votes: inout [Int]
  ) {
    tokens.add(unit: unit, count: count)
    guard unit.compactMap({ $0 }).count >= 2 else { return }
    var pairUnit: [Int?] = [nil, nil]
    for rater in unit.indices {
      guard let own = unit[rater],
        let top = Voting.plurality(of: unit, excluding: rater, votes: &votes)
      else {
        continue
      }
      pairUnit[0] = own
      pairUnit[1] = top
      majority[rater].add(unit: pairUnit, count: count)
    }
  }

  /// Adds a pair whose span lists are identical: every span matches, exactly and by overlap,
  /// and pairs with its twin in the confusion table (what the library's matching gives, cheaply).
  fileprivate mutating func addIdentical(_ spans: [IndexedSpan], pair p: Int) {
    let one = SpanScore(
      referenceCount: 1, predictedCount: 1, matchedReferenceCount: 1, matchedPredictedCount: 1)
    for span in spans {
      exact[p][span.label] = exact[p][span.label] + one
      overlap[p][span.label] = overlap[p][span.label] + one
      confusion[p][span.label][span.label] += 1
    }
    let total = spans.count
    bootstrap?.addExact(
      pair: p,
      SpanScore(
        referenceCount: total, predictedCount: total, matchedReferenceCount: total,
        matchedPredictedCount: total))
  }
}

/// What a span layer keeps per document to bootstrap span F1 and token α.
struct SpanBootstrapData {
  let pairCount: Int
  let tagCount: Int
  /// Document indices, in the order added.
  private(set) var documents: [Int32] = []
  /// Per document, per pair: reference, predicted and matched exact span counts.
  private(set) var exactCounts: [Int32] = []
  /// Per document: the end of its entries in `cells` and `weights`.
  private(set) var cellEnds: [Int32] = []
  /// Sparse coincidence cells `c·tagCount + k` and their weights.
  private(set) var cells: [Int32] = []
  private(set) var weights: [Double] = []
  private var scratch: [Double]
  private var touched: [Int] = []

  init(pairCount: Int, tagCount: Int) {
    self.pairCount = pairCount
    self.tagCount = tagCount
    scratch = Array(repeating: 0, count: tagCount * tagCount)
  }

  mutating func beginDocument(_ document: Int) {
    documents.append(Int32(document))
    exactCounts.append(contentsOf: repeatElement(0, count: 3 * pairCount))
  }

  mutating func addExact(pair: Int, _ score: SpanScore) {
    let base = exactCounts.count - 3 * pairCount + 3 * pair
    exactCounts[base] += Int32(score.referenceCount)
    exactCounts[base + 1] += Int32(score.predictedCount)
    exactCounts[base + 2] += Int32(score.matchedReferenceCount)
  }

  /// Adds one token's coincidences, as Krippendorff counts them: each ordered pair of
  /// ratings of a unit with m ≥ 2 ratings weighs 1 / (m − 1).
  mutating func addCoincidences(_ unit: [Int?]) {
    let m = unit.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
    guard m >= 2 else { return }
    let w = 1 / Double(m - 1)
    for i in unit.indices {
      guard let c = unit[i] else { continue }
      for j in unit.indices where j != i {
        guard let k = unit[j] else { continue }
        let cell = c * tagCount + k
        if scratch[cell] == 0 { touched.append(cell) }
        scratch[cell] += w
      }
    }
  }

  mutating func endDocument() {
    touched.sort()
    for cell in touched {
      cells.append(Int32(cell))
      weights.append(scratch[cell])
      scratch[cell] = 0
    }
    touched.removeAll(keepingCapacity: true)
    cellEnds.append(Int32(cells.count))
  }

  /// Overall exact span F1 of pair `p` on the documents drawn `multiplicity` times.
  func exactF1(pair p: Int, _ multiplicity: [Int32]) -> Measure {
    var reference = 0
    var predicted = 0
    var matched = 0
    for (i, document) in documents.enumerated() {
      let times = Int(multiplicity[Int(document)])
      guard times > 0 else { continue }
      let base = i * 3 * pairCount + 3 * p
      reference += times * Int(exactCounts[base])
      predicted += times * Int(exactCounts[base + 1])
      matched += times * Int(exactCounts[base + 2])
    }
    return SpanScore(
      referenceCount: reference, predictedCount: predicted, matchedReferenceCount: matched,
      matchedPredictedCount: matched
    ).f1
  }

  /// Nominal token α on the documents drawn `multiplicity` times.
  func tokenAlpha(_ multiplicity: [Int32]) -> Measure {
    var o = Array(repeating: Array(repeating: 0.0, count: tagCount), count: tagCount)
    var start = 0
    for (i, document) in documents.enumerated() {
      let end = Int(cellEnds[i])
      defer { start = end }
      let times = Double(multiplicity[Int(document)])
      guard times > 0 else { continue }
      for e in start..<end {
        let cell = Int(cells[e])
        o[cell / tagCount][cell % tagCount] += times * weights[e]
      }
    }
    return RatingAccumulator.krippendorffAlpha(coincidences: o, level: .nominal)
  }
}
