import AnnoCore
import AnnoStore

/// A learned gazetteer: texts annotators labelled before, with how often each label was given,
/// matched as exact token sequences.
///
/// Entry texts are tokenized with the documents' tokenizer and kept in one token trie, so a
/// document is matched in one pass whatever the number of entries; entries whose tokens are
/// equal (`"Georgia"` given twice, as LOC and as PER) share one label distribution.
public struct Gazetteer: Sendable {
  /// A text and how often one label was given to it: a row the store learned.
  public typealias Entry = LearnedLabel

  /// A gazetteer match: a range of the text and the labels its text was given before.
  public struct Match: Hashable, Sendable {
    /// The matched range, in scalar offsets.
    public var range: Range<Int>
    /// The labels given to this text, most frequent first.
    public var distribution: LabelDistribution

    /// The most frequent label.
    public var label: String { distribution.majority }

    /// Creates a match.
    public init(range: Range<Int>, distribution: LabelDistribution) {
      self.range = range
      self.distribution = distribution
    }
  }

  private var vocabulary = Vocabulary()
  private var trie = TokenTrie()
  /// The label distribution of each terminal slot of `trie`.
  private var distributions: [LabelDistribution] = []

  /// Builds the gazetteer.
  ///
  /// - Parameters:
  ///   - entries: texts with labels and counts, in any order.
  ///   - tokenizer: the tokenizer documents are tokenized with.
  /// - Complexity: O(*n*) in the total length of the entries.
  public init(entries: some Sequence<Entry>, tokenizer: Tokenizer = Tokenizer()) {
    let entries = entries.filter { $0.count > 0 }
    vocabulary.reserveCapacity(entries.count)
    trie.reserveCapacity(entries.count * 2)
    // The slot each entry ends at; counts are gathered per slot afterwards.
    var slotOfEntry = [Int](repeating: -1, count: entries.count)
    var path: [Int32] = []
    tokenizer.forEachTokenized(entries.lazy.map(\.text)) { index, scalars, tokens in
      path.removeAll(keepingCapacity: true)
      for token in tokens { path.append(vocabulary.intern(scalars[token.start..<token.end])) }
      if !path.isEmpty { slotOfEntry[index] = trie.insert(path) }
    }
    var labelsOfSlot = [[Int]](repeating: [], count: trie.slotCount)
    for (index, slot) in slotOfEntry.enumerated() where slot >= 0 {
      labelsOfSlot[slot].append(index)
    }
    distributions = labelsOfSlot.map { indices in
      LabelDistribution(merging: indices.map { (entries[$0].label, entries[$0].count) })
    }
  }

  /// The number of distinct token sequences.
  public var count: Int { distributions.count }

  /// The matches left after overlap resolution (longest first, then earliest), sorted by start.
  public func matches(in text: ScalarText, tokens: [Token]) -> [Match] {
    let document = MatchableTokens(text: text, tokens: tokens)
    return candidates(in: document).longestNonOverlapping(tokenCount: document.count).map {
      match(for: $0, in: document)
    }
  }

  /// Every match, overlapping ones included, sorted by start and end.
  public func allMatches(in text: ScalarText, tokens: [Token]) -> [Match] {
    let document = MatchableTokens(text: text, tokens: tokens)
    return candidates(in: document).map { match(for: $0, in: document) }
  }

  /// The match a candidate stands for.
  package func match(for candidate: SpanCandidate<Int>, in document: MatchableTokens) -> Match {
    Match(
      range: document.scalarRange(candidate.start, candidate.end),
      distribution: distributions[candidate.payload])
  }

  /// The label distribution of a candidate's payload.
  package func distribution(_ slot: Int) -> LabelDistribution {
    distributions[slot]
  }

  /// Every match as a candidate whose payload is its distribution's index, sorted by start
  /// and end.
  package func candidates(in document: MatchableTokens) -> [SpanCandidate<Int>] {
    guard !distributions.isEmpty else { return [] }
    let ids = (0..<document.count).map { vocabulary.id(document.scalars(of: $0)) }
    var found: [SpanCandidate<Int>] = []
    for start in 0..<ids.count where ids[start] != Vocabulary.unknown {
      trie.forEachMatch(in: ids, from: start) { end, slot in
        found.append(SpanCandidate(start: start, end: end, rank: 0, payload: slot))
      }
    }
    return found
  }
}
