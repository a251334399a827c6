/// Krippendorff's unitizing α_u of every label, accumulated one document at a time.
///
/// The documents are concatenated, in the order added, into one continuum (see
/// ``SpanStudy/unitizingAlphas()``). Each coder's spans of a label cut it into units and gaps;
/// the sweep that sums D_o over each pair of coders runs as the documents arrive, so only the
/// sections not yet swept are kept, with the distinct unit and gap lengths D_e needs. Memory
/// therefore depends on the labels, coders and distinct lengths, not on the number of
/// documents.
public struct UnitizingAccumulator: Sendable {
  /// The number of labels; spans carry indices below it.
  public let labelCount: Int
  /// The number of coders (annotators).
  public let coderCount: Int
  /// The documents added.
  public private(set) var documentCount = 0
  /// The length of the continuum so far: the added documents' lengths summed.
  public private(set) var length = 0
  /// How many (label, coder) pairs have been found with overlapping spans so far: when it
  /// grows, the document just added is where a coder's spans of a label first overlap.
  public private(set) var overlapCount = 0
  private var sweeps: [LabelSweep]

  /// An empty accumulator for `labelCount` labels and `coderCount` coders.
  public init(labelCount: Int, coderCount: Int) {
    precondition(
      labelCount >= 0 && coderCount >= 1, "an accumulator needs labels ≥ 0 and coders ≥ 1")
    self.labelCount = labelCount
    self.coderCount = coderCount
    sweeps = Array(repeating: LabelSweep(coderCount: coderCount), count: labelCount)
  }

  /// Appends a document of `length` offsets to the continuum.
  ///
  /// - Parameters:
  ///   - spans: one list per coder, each in ascending order of start (ties in any order);
  ///     every label below `labelCount`, every span within `0...length`. No span is data:
  ///     the coder judged everything outside any unit.
  public mutating func add(length documentLength: Int, spans: [[IndexedSpan]]) {
    precondition(documentLength >= 0, "a document length cannot be negative")
    precondition(
      spans.count == coderCount,
      "a document has \(spans.count) coders but the accumulator \(coderCount)")
    let offset = length
    for (coder, list) in spans.enumerated() {
      var previousStart = 0
      for span in list {
        precondition(
          span.start >= previousStart, "a coder's spans must be in ascending order of start")
        precondition(
          span.start < span.end && span.end <= documentLength,
          "span \(span) is not within its document")
        previousStart = span.start
        if sweeps[span.label].add(
          coder: coder, start: offset + span.start, end: offset + span.end, document: documentCount)
        {
          overlapCount += 1
        }
      }
    }
    length += documentLength
    documentCount += 1
    // NB: only the labels that got sections: a sweep that waits at the old horizon can go on
    // later just the same, as the steps it takes do not depend on when they are taken.
    for l in sweeps.indices where sweeps[l].hasNewSections { sweeps[l].sweep(horizon: length) }
  }

  /// The sections kept for sweeps still to come, over all labels and coders: bounded by what
  /// the last documents hold, whatever the number of documents.
  var retainedSectionCount: Int { sweeps.reduce(0) { $0 + $1.queues.reduce(0) { $0 + $1.count } } }

  /// α_u over all labels (1 − Σ_c D_o(c) / Σ_c D_e(c)) and for each label, named `labels`.
  ///
  /// A label is undefined when an annotator's spans of it overlap (α_u needs a partition; the
  /// first such annotator, at the first such document, is named) or nobody marked it; the
  /// overall value is undefined as the first label in order that overlaps, or when nobody
  /// marked anything. Everything is undefined with fewer than two coders or an empty
  /// continuum.
  ///
  /// - Parameters:
  ///   - coderName: a coder's name in the reasons (by default `annotator` and its index).
  ///   - documentName: a document's name, given its index in the order added (by default
  ///     `document` and the index).
  public func alphas(
    labels: [String], coderName: (Int) -> String = { "annotator \($0)" },
    documentName: (Int) -> String = { "document \($0)" }
  ) -> (overall: UnitizingAlpha, byLabel: [UnitizingAlpha]) {
    precondition(labels.count == labelCount, "\(labels.count) label names for \(labelCount) labels")
    var failure: String?
    if coderCount < 2 {
      failure = "fewer than two annotators"
    } else if length == 0 {
      failure = "the documents are empty"
    }
    if let failure {
      let undefined = UnitizingAlpha.undefined(failure)
      return (undefined, Array(repeating: undefined, count: labelCount))
    }
    var byLabel: [UnitizingAlpha] = []
    var observed = 0.0
    var expected = 0.0
    var overallFailure: String?
    for (l, label) in labels.enumerated() {
      if let (coder, document) = sweeps[l].firstFailure {
        let message =
          "\(coderName(coder)) has overlapping \(label) spans in \(documentName(document))"
        overallFailure = overallFailure ?? message
        byLabel.append(.undefined(message))
        continue
      }
      var finished = sweeps[l]
      finished.finish(length: length)
      let d = finished.disagreements(length: length)
      observed += d.observed
      expected += d.expected
      byLabel.append(
        UnitizingAlpha(
          observed: d.observed, expected: d.expected,
          undefinedReason: "no annotator marked \(label)"))
    }
    if let overallFailure { return (.undefined(overallFailure), byLabel) }
    return (
      UnitizingAlpha(
        observed: observed, expected: expected, undefinedReason: "no annotator marked a span"),
      byLabel
    )
  }
}

/// One label's sections and pairwise sweeps.
///
/// Each coder's closed sections cover the continuum from 0 to its `position` (the end of its
/// last unit); beyond it lies an open gap, closed by the coder's next unit or by the end of
/// the continuum. Every later unit starts at or after the horizon (the end of the documents
/// added so far), so an open gap reaches at least that far: a sweep step against it can be
/// taken exactly when the other section ends before the horizon.
private struct LabelSweep: Sendable {
  let coderCount: Int
  /// Per coder: the end of its last unit.
  var positions: [Int]
  /// Per coder: the first document where two of its spans overlap.
  var failures: [Int?]
  var failed = false
  /// Per coder: closed sections not yet swept against every other coder; section k of the
  /// coder is `queues[c][k − dropped[c]]`.
  var queues: [[Section]]
  var dropped: [Int]
  /// Whether sections were closed since the last sweep.
  var hasNewSections = false
  /// Per coder: the first section some pair has not passed (scratch space of `sweep`).
  private var passed: [Int]
  /// Per pair (a < b, in order): the next section of each and the sum of distances so far.
  var pairs: [(a: Int, b: Int, nextA: Int, nextB: Int, sum: Double)] = []
  /// How many units and gaps there are of each length, over all coders.
  var unitLengths = LengthCounts()
  var gapLengths = LengthCounts()

  init(coderCount: Int) {
    self.coderCount = coderCount
    positions = Array(repeating: 0, count: coderCount)
    failures = Array(repeating: nil, count: coderCount)
    queues = Array(repeating: [], count: coderCount)
    dropped = Array(repeating: 0, count: coderCount)
    passed = Array(repeating: 0, count: coderCount)
    for a in 0..<coderCount {
      for b in (a + 1)..<coderCount { pairs.append((a, b, 0, 0, 0)) }
    }
  }

  /// The first coder (by index) whose spans overlap, with the document.
  var firstFailure: (coder: Int, document: Int)? {
    guard failed, let coder = failures.firstIndex(where: { $0 != nil }),
      let document = failures[coder]
    else { return nil }
    return (coder, document)
  }

  /// Adds a unit of coder `c`; true when it overlaps the coder's previous one, the first
  /// such for the coder.
  mutating func add(coder c: Int, start: Int, end: Int, document: Int) -> Bool {
    guard failures[c] == nil else { return false }
    guard start >= positions[c] else {
      failures[c] = document
      if !failed {
        // Undefined from now on: only the other coders' first overlaps are still looked for.
        failed = true
        queues = Array(repeating: [], count: coderCount)
        unitLengths = LengthCounts()
        gapLengths = LengthCounts()
      }
      return true
    }
    if !failed {
      if start > positions[c] {
        close(coder: c, Section(start: positions[c], end: start, isUnit: false))
      }
      close(coder: c, Section(start: start, end: end, isUnit: true))
    }
    positions[c] = end
    return false
  }

  private mutating func close(coder c: Int, _ section: Section) {
    queues[c].append(section)
    hasNewSections = true
    if section.isUnit {
      unitLengths.add(section.length)
    } else {
      gapLengths.add(section.length)
    }
  }

  /// Closes every coder's open gap at the end of the continuum.
  mutating func finish(length: Int) {
    for c in 0..<coderCount where positions[c] < length {
      close(coder: c, Section(start: positions[c], end: length, isUnit: false))
      positions[c] = length
    }
    sweep(horizon: length, final: true)
  }

  /// Advances every pair's sweep as far as the sections known so far decide it, then drops
  /// the sections every pair has passed.
  mutating func sweep(horizon: Int, final: Bool = false) {
    hasNewSections = false
    guard !failed, !pairs.isEmpty else { return }
    for p in pairs.indices {
      var pair = pairs[p]
      sweep(&pair, horizon: horizon, final: final)
      pairs[p] = pair
    }
    for c in 0..<coderCount { passed[c] = Int.max }
    for pair in pairs {
      passed[pair.a] = min(passed[pair.a], pair.nextA)
      passed[pair.b] = min(passed[pair.b], pair.nextB)
    }
    for c in 0..<coderCount where passed[c] > dropped[c] {
      queues[c].removeFirst(passed[c] - dropped[c])
      dropped[c] = passed[c]
    }
  }

  /// Krippendorff's sweep over two coders' sections, summing δ² of each overlapping pair of
  /// sections; the same steps in the same order as over the complete lists.
  private func sweep(
    _ pair: inout (a: Int, b: Int, nextA: Int, nextB: Int, sum: Double), horizon: Int, final: Bool
  ) {
    let first = queues[pair.a]
    let second = queues[pair.b]
    let firstBase = dropped[pair.a]
    let secondBase = dropped[pair.b]
    while true {
      let i = pair.nextA - firstBase
      let j = pair.nextB - secondBase
      let hasFirst = i < first.count
      let hasSecond = j < second.count
      if hasFirst && hasSecond {
        let x = first[i]
        let y = second[j]
        pair.sum += Unitizing.distance(x, y)
        if x.end < y.end {
          pair.nextA += 1
        } else if y.end < x.end {
          pair.nextB += 1
        } else {
          pair.nextA += 1
          pair.nextB += 1
        }
      } else if final || hasFirst == hasSecond {
        return
      } else if hasFirst {
        // The second coder's open gap, from its position to at least the horizon.
        let x = first[i]
        guard x.end < horizon else { return }
        pair.sum += Unitizing.distance(
          x, Section(start: positions[pair.b], end: horizon, isUnit: false))
        pair.nextA += 1
      } else {
        let y = second[j]
        guard y.end < horizon else { return }
        pair.sum += Unitizing.distance(
          Section(start: positions[pair.a], end: horizon, isUnit: false), y)
        pair.nextB += 1
      }
    }
  }

  /// D_o and D_e of the finished sweep, for a continuum of `length`.
  func disagreements(length: Int) -> (observed: Double, expected: Double) {
    let m = coderCount
    let bigL = Double(length)
    var observed = 0.0
    for pair in pairs { observed += 2 * pair.sum }
    observed /= Double(m * (m - 1)) * bigL * bigL
    let expected = Unitizing.expectedDisagreement(
      unitLengths: unitLengths.byLength, gapLengths: gapLengths.byLength, coderCount: m,
      length: length)
    return (observed, expected)
  }
}

/// How many sections there are of each length: lengths under 65,536 in an array (grown to the
/// longest seen), longer ones in a dictionary. A coder's sections partition the continuum, so
/// at most (coders × continuum) / 65,536 sections are that long, and the dictionary stays small
/// even for a label so rare that its gaps run across many documents.
private struct LengthCounts: Sendable {
  private var short: [Int] = []
  private var long: [Int: Int] = [:]
  private static let shortLimit = 1 << 16

  mutating func add(_ length: Int) {
    if length < Self.shortLimit {
      if length >= short.count {
        short.append(contentsOf: repeatElement(0, count: length + 1 - short.count))
      }
      short[length] += 1
    } else {
      long[length, default: 0] += 1
    }
  }

  /// Every length counted, with its count.
  var byLength: [Int: Int] {
    var counts = long
    for (length, count) in short.enumerated() where count > 0 { counts[length] = count }
    return counts
  }
}
