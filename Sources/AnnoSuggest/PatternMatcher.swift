import AnnoCore

/// A pattern that matched: a range of the text, the label it proposes, and which pattern.
public struct PatternMatch: Hashable, Sendable {
  /// The matched range, in scalar offsets.
  public var range: Range<Int>
  /// The pattern's label.
  public var label: String
  /// The pattern's index in `PatternMatcher.patterns`.
  public var patternIndex: Int
  /// The pattern's `id`, if it has one.
  public var patternID: String?

  /// Creates a match.
  public init(range: Range<Int>, label: String, patternIndex: Int, patternID: String? = nil) {
    self.range = range
    self.label = label
    self.patternIndex = patternIndex
    self.patternID = patternID
  }
}

/// Entity patterns compiled once for matching many documents, as spaCy's EntityRuler.
///
/// Phrase patterns go into one trie keyed by token (spaCy's PhraseMatcher), so their number
/// does not change the cost per token. Token patterns are indexed by the lower-cased texts
/// their first token may have; patterns whose first token is known only by flags (`IS_TITLE`,
/// `LIKE_NUM`) are grouped by that first test, which runs once per token and group.
/// Matching skips whitespace tokens.
public struct PatternMatcher: Sendable {
  /// The token attribute phrase patterns compare (spaCy's `phrase_matcher_attr`).
  public enum PhraseAttribute: Hashable, Sendable {
    /// The verbatim text (`ORTH`, the default).
    case text
    /// The lower-cased text (`LOWER`).
    case lower
  }

  /// The patterns, in the order given; matches refer to them by index.
  public let patterns: [EntityPattern]
  /// What phrase patterns compare.
  public let phraseAttribute: PhraseAttribute

  private var vocabulary = Vocabulary()
  private var phrases = TokenTrie()
  /// Pattern indices for each terminal slot of `phrases`.
  private var phraseSlots: [[Int32]] = []
  private var programs = TokenPrograms()
  /// The pattern of each program, or -1 for the entry programs of groups.
  private var patternOfProgram: [Int32] = []
  /// Programs by a lower-cased text their first token may have.
  private var programsByFirstLower: [Int32: [Int32]] = [:]
  /// Programs that could start at any token, grouped by their first steps.
  private var groups: [ProgramGroup] = []
  private var needsShape = false
  private var needsFlags = false

  /// Token programs that start with the same steps, tested once per token for all of them.
  private struct ProgramGroup: Sendable {
    /// A program of the shared first steps.
    var entry: Int32
    /// Programs whose second token is required and known by its lower-cased text.
    var bySecondLower: [Int32: [Int32]] = [:]
    /// The other programs.
    var others: [Int32] = []
  }

  /// Compiles `patterns`.
  ///
  /// - Parameters:
  ///   - patterns: the patterns; earlier ones win ties between equal matches.
  ///   - phraseAttribute: what phrase patterns compare.
  ///   - tokenizer: the tokenizer for phrase patterns, the one documents are tokenized with.
  /// - Complexity: O(*n*) in the total size of the patterns, plus tokenizing the phrases.
  public init(
    patterns: [EntityPattern], phraseAttribute: PhraseAttribute = .text,
    tokenizer: Tokenizer = Tokenizer()
  ) {
    self.patterns = patterns
    self.phraseAttribute = phraseAttribute
    vocabulary.reserveCapacity(patterns.count * 2)
    phrases.reserveCapacity(patterns.count * 2)
    var slotsOfPhrases: [[Int32]] = []
    var groupOfEntry: [[TokenSpec]: Int] = [:]
    // Phrases first, tokenized together.
    let phraseIndices = patterns.indices.filter {
      if case .phrase = patterns[$0].body { true } else { false }
    }
    let phraseTexts = phraseIndices.lazy.map { index -> String in
      if case .phrase(let text) = patterns[index].body { return text }
      return ""
    }
    var path: [Int32] = []
    tokenizer.forEachTokenized(phraseTexts) { number, scalars, tokens in
      path.removeAll(keepingCapacity: true)
      for token in tokens {
        let text = scalars[token.start..<token.end]
        path.append(
          phraseAttribute == .lower
            ? vocabulary.intern(String(String.UnicodeScalarView(text)).lowercased())
            : vocabulary.intern(text))
      }
      guard !path.isEmpty else { return }
      let slot = phrases.insert(path)
      if slot == slotsOfPhrases.count { slotsOfPhrases.append([]) }
      slotsOfPhrases[slot].append(Int32(phraseIndices[number]))
    }
    for (index, pattern) in patterns.enumerated() {
      switch pattern.body {
      case .phrase:
        continue
      case .tokens(let specs):
        let number = programs.append(specs, vocabulary: &vocabulary)
        patternOfProgram.append(Int32(index))
        for constraint in specs.flatMap(\.constraints) {
          switch constraint {
          case .shape: needsShape = true
          case .flag: needsFlags = true
          default: break
          }
        }
        if let keys = Self.firstLowerKeys(specs) {
          for key in keys {
            programsByFirstLower[vocabulary.intern(key), default: []].append(number)
          }
          continue
        }
        let entry = Self.entrySpecs(specs)
        let group: Int
        if let known = groupOfEntry[entry] {
          group = known
        } else {
          group = groups.count
          groupOfEntry[entry] = group
          groups.append(ProgramGroup(entry: programs.append(entry, vocabulary: &vocabulary)))
          patternOfProgram.append(-1)
        }
        if let keys = Self.secondLowerKeys(specs) {
          for key in keys {
            groups[group].bySecondLower[vocabulary.intern(key), default: []].append(number)
          }
        } else {
          groups[group].others.append(number)
        }
      }
    }
    phraseSlots = slotsOfPhrases
  }

  /// The matches left after overlap resolution, as spaCy's EntityRuler: longest first, then
  /// earliest, then the earlier pattern; sorted by start.
  ///
  /// - Parameters:
  ///   - text: the document's text.
  ///   - tokens: its tokens, from the same tokenizer as the phrase patterns.
  /// - Returns: matches that share no token, sorted by start.
  public func matches(in text: ScalarText, tokens: [Token]) -> [PatternMatch] {
    let document = MatchableTokens(text: text, tokens: tokens)
    let resolved = candidates(in: document).longestNonOverlapping(tokenCount: document.count)
    return resolved.map { match(for: $0, in: document) }
  }

  /// Every match of every pattern, overlapping ones included, sorted by start, end and
  /// pattern index.
  public func allMatches(in text: ScalarText, tokens: [Token]) -> [PatternMatch] {
    let document = MatchableTokens(text: text, tokens: tokens)
    return candidates(in: document)
      .sorted { ($0.start, $0.end, $0.rank) < ($1.start, $1.end, $1.rank) }
      .map { match(for: $0, in: document) }
  }

  /// The match a candidate stands for.
  package func match(for candidate: SpanCandidate<Int>, in document: MatchableTokens)
    -> PatternMatch
  {
    let pattern = patterns[candidate.payload]
    return PatternMatch(
      range: document.scalarRange(candidate.start, candidate.end), label: pattern.label,
      patternIndex: candidate.payload, patternID: pattern.id)
  }

  /// Every match as a candidate whose rank and payload are the pattern index.
  package func candidates(in document: MatchableTokens) -> [SpanCandidate<Int>] {
    guard !patterns.isEmpty, document.count > 0 else { return [] }
    let features = TokenFeatures(
      document, vocabulary: vocabulary, needsShape: needsShape, needsFlags: needsFlags)
    var found: [SpanCandidate<Int>] = []
    let phraseIDs = phraseAttribute == .text ? features.textIDs : features.lowerIDs
    for start in 0..<document.count {
      phrases.forEachMatch(in: phraseIDs, from: start) { end, slot in
        for pattern in phraseSlots[slot] {
          found.append(
            SpanCandidate(start: start, end: end, rank: Int(pattern), payload: Int(pattern)))
        }
      }
      func run(_ numbers: [Int32]) {
        for number in numbers {
          let pattern = Int(patternOfProgram[Int(number)])
          programs.forEachMatch(number, from: start, in: features) { end in
            found.append(SpanCandidate(start: start, end: end, rank: pattern, payload: pattern))
          }
        }
      }
      if let indexed = programsByFirstLower[features.lowerIDs[start]] { run(indexed) }
      for group in groups where programs.anyStepAccepts(group.entry, at: start, in: features) {
        run(group.others)
        if start + 1 < document.count,
          let indexed = group.bySecondLower[features.lowerIDs[start + 1]]
        {
          run(indexed)
        }
      }
    }
    return found
  }

  /// The token descriptions up to and including the first required one: where a match may
  /// start.
  private static func entrySpecs(_ specs: [TokenSpec]) -> [TokenSpec] {
    guard
      let first = specs.firstIndex(where: {
        $0.quantifier != .zeroOrOne && $0.quantifier != .zeroOrMore
      })
    else { return specs }
    return Array(specs[...first])
  }

  /// The lower-cased texts the second token of a match must have, when the first description
  /// covers exactly one token and the second is required and restricts the text.
  private static func secondLowerKeys(_ specs: [TokenSpec]) -> Set<String>? {
    guard specs.count >= 2, specs[0].quantifier == .one || specs[0].quantifier == .not,
      specs[1].quantifier == .one || specs[1].quantifier == .oneOrMore
    else { return nil }
    return lowerKeys(specs[1].constraints)
  }

  /// The lower-cased texts the first matched token of `specs` may have, or `nil` when it may
  /// be any token.
  private static func firstLowerKeys(_ specs: [TokenSpec]) -> Set<String>? {
    var keys: Set<String> = []
    for spec in specs {
      guard spec.quantifier != .not, let own = lowerKeys(spec.constraints) else { return nil }
      keys.formUnion(own)
      if spec.quantifier == .one || spec.quantifier == .oneOrMore { return keys }
    }
    return keys
  }

  /// The lower-cased texts a token meeting `constraints` may have; the smallest set any one
  /// constraint allows, or `nil` when none restricts the text.
  private static func lowerKeys(_ constraints: [TokenConstraint]) -> Set<String>? {
    var best: Set<String>?
    for constraint in constraints {
      let keys: Set<String>? =
        switch constraint {
        case .text(.equals(let text)): [text.lowercased()]
        case .text(.isIn(let texts)): Set(texts.map { $0.lowercased() })
        case .lower(.equals(let lower)): [lower]
        case .lower(.isIn(let lowers)): Set(lowers)
        default: nil
        }
      if let keys, keys.count < (best?.count ?? Int.max) { best = keys }
    }
    return best
  }
}
