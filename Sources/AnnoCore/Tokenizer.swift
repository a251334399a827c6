/// Splits text into tokens with Unicode scalar offsets, matching spaCy's blank English
/// tokenizer (`spacy.blank("en")`).
///
/// The algorithm is spaCy's (`spacy/tokenizer.pyx`): split at whitespace; in each chunk,
/// strip prefixes and suffixes until a special case or nothing is left; keep URLs whole;
/// split the rest at infixes; fuse token runs that spell a special case. The rules are
/// spaCy's regexes written out as scalar tests (`Tokenizer+Rules.swift`), the special cases
/// and character classes are generated from spaCy itself (`scripts/tokenizer_agreement.py
/// --emit-swift`). One deliberate difference: a token boundary inside a grapheme cluster
/// (a flag's two regional indicators, a skin-tone modifier, a ZWJ emoji sequence) is removed,
/// where spaCy would split the cluster.
///
/// A tokenizer keeps the tokens of the chunks it has seen (see `ChunkTokenCache`), so reuse
/// one for many texts. It is safe to share between threads; a thread that finds the cache in
/// use tokenizes without it.
public struct Tokenizer: Sendable {
  private let cache = SharedChunkTokenCache()

  /// Creates a tokenizer.
  public init() {}

  /// The tokens of `text`, covering it the way spaCy's do (see `Token`).
  public func tokenize(_ text: String) -> [Token] {
    var text = text
    return text.withUTF8 { bytes in cache.withCache { $0.tokenize(utf8: bytes) } }
  }

  /// The tokens of a text given as scalars.
  public func tokenize(scalars: [Unicode.Scalar]) -> [Token] {
    scalars.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: UInt32.self) { v in cache.withCache { $0.tokenize(values: v) } }
    }
  }

  /// The tokens of a text given as scalars, every chunk through the rules (no cache): the
  /// reference the cached paths are tested against.
  func tokenizeWithoutCache(scalars: [Unicode.Scalar]) -> [Token] {
    let n = scalars.count
    guard n > 0 else { return [] }
    let chunk = ChunkTokenizer(scalars: scalars, specials: SpecialCases.english)
    let flags = chunk.rules.f
    var tokens: [Token] = []
    tokens.reserveCapacity(n / 4 + 1)
    // As spaCy: alternate runs of whitespace (Python's `isspace`) and non-whitespace. A run
    // of whitespace that starts with U+0020 gives its first space to the token before it
    // (`spaceAfter`); the rest of the run, if any, is one whitespace token.
    var suffixes = SuffixStack()
    var start = 0
    var inSpace = flags[0] & ScalarClass.space != 0
    for i in 0..<n {
      let isSpace = flags[i] & ScalarClass.space != 0
      guard isSpace != inSpace else { continue }
      if start < i { chunk.emit(start, i, isSpace: inSpace, into: &tokens, suffixes: &suffixes) }
      if scalars[i] == " ", !tokens.isEmpty {
        tokens[tokens.count - 1].spaceAfter = true
        start = i + 1
      } else {
        start = i
      }
      inSpace = isSpace
    }
    if start < n { chunk.emit(start, n, isSpace: inSpace, into: &tokens, suffixes: &suffixes) }
    return tokens
  }
}

/// Tokenizes the chunks of one text, as spaCy's `_tokenize`.
struct ChunkTokenizer {
  let rules: AffixRules
  /// The special cases, or nil to apply affix rules alone (as spaCy does to build patterns).
  let specials: SpecialCases?

  init(scalars: [Unicode.Scalar], specials: SpecialCases?) {
    let table = ScalarClass.bmp
    let flags = [UInt16](unsafeUninitializedCapacity: scalars.count) { buffer, count in
      for (i, c) in scalars.enumerated() {
        buffer[i] = c.value < 0x10000 ? table[Int(c.value)] : ScalarClass.flags(c)
      }
      count = scalars.count
    }
    rules = AffixRules(s: scalars, f: flags)
    self.specials = specials
  }

  var s: [Unicode.Scalar] { rules.s }

  /// Appends the tokens of the chunk `s[a..<b]`.
  func emit(
    _ a: Int, _ b: Int, isSpace: Bool, into tokens: inout [Token], suffixes: inout SuffixStack
  ) {
    if isSpace {
      // NB: spaCy sends whitespace chunks through the same rules, but no prefix, suffix or
      // infix matches whitespace, so a whitespace chunk is always one token.
      tokens.append(Token(start: a, end: b, isSpace: true))
      return
    }
    let first = tokens.count
    tokenize(a, b, into: &tokens, suffixes: &suffixes)
    if let specials, tokens.count - first > 0 { specials.fuse(&tokens, from: first, in: s) }
    if tokens.count - first > 1 { mergeInsideGraphemes(&tokens, from: first) }
  }

  private func special(_ a: Int, _ b: Int) -> Int? {
    specials?.lookup(s, a, b)
  }

  /// spaCy's `_split_affixes` and `_attach_tokens` for `s[a..<b]`.
  func tokenize(_ a: Int, _ b: Int, into tokens: inout [Token]) {
    var suffixes = SuffixStack()
    tokenize(a, b, into: &tokens, suffixes: &suffixes)
  }

  /// As `tokenize(_:_:into:)`, with a reusable stack for the suffixes (no allocation).
  func tokenize(_ a: Int, _ b: Int, into tokens: inout [Token], suffixes: inout SuffixStack) {
    var a = a
    var b = b
    suffixes.removeAll()  // outermost first
    var lastSize = -1
    while a < b, b - a != lastSize {
      if special(a, b) != nil { break }
      lastSize = b - a
      let pre = rules.prefix(a, b)
      // NB: spaCy stops as soon as what is left after one prefix or one suffix is a special
      // case (`"don't` → `"` `do` `n't`), and only otherwise strips both at once.
      if pre != 0, a + pre < b, special(a + pre, b) != nil {
        tokens.append(Token(start: a, end: a + pre))  // prefixes come first anyway
        a += pre
        break
      }
      let suf = a + pre < b ? rules.suffix(a + pre, b) : 0
      if suf != 0, b - suf > a, special(a, b - suf) != nil {
        suffixes.append(Token(start: b - suf, end: b))
        b -= suf
        break
      }
      if pre != 0 {
        tokens.append(Token(start: a, end: a + pre))
        a += pre
      }
      if suf != 0 {
        suffixes.append(Token(start: b - suf, end: b))
        b -= suf
      }
    }
    if a < b { attach(a, b, into: &tokens) }
    suffixes.popAll(into: &tokens)
  }

  /// The middle of a chunk: a special case, a URL, or pieces between infixes.
  private func attach(_ a: Int, _ b: Int, into tokens: inout [Token]) {
    if let k = special(a, b), let specials {
      var offset = a
      for length in specials.entries[k].pieces {
        tokens.append(Token(start: offset, end: offset + length))
        offset += length
      }
      return
    }
    if rules.isURL(a, b) {
      tokens.append(Token(start: a, end: b))
      return
    }
    var start = a
    var pos = a
    while pos < b {
      let length = rules.infix(pos, a, b)
      guard length > 0 else {
        pos += 1
        continue
      }
      // NB: spaCy ignores an infix at the very start of the string (`-based` stays whole).
      if pos != a {
        if pos != start { tokens.append(Token(start: start, end: pos)) }
        tokens.append(Token(start: pos, end: pos + length))
        start = pos + length
      }
      pos += length
    }
    if start < b { tokens.append(Token(start: start, end: b)) }
  }

  /// Removes token boundaries that fall inside a grapheme cluster.
  ///
  /// NB: spaCy splits `🇺🇦` into its two regional indicators and `👍🏽` into the hand and
  /// the skin tone, because each scalar is in its symbol classes; a cluster split in two can
  /// be neither displayed nor annotated sensibly, so we keep clusters whole. The tests
  /// follow Unicode's rules GB9, GB9a, GB11 and GB12/13, the ones affix splitting can hit.
  private func mergeInsideGraphemes(_ tokens: inout [Token], from first: Int) {
    var k = first + 1
    while k < tokens.count {
      let i = tokens[k].start
      guard tokens[k - 1].end == i, continuesCluster(at: i) else {
        k += 1
        continue
      }
      // Move the rest of the cluster to the token before; keep what follows it (`❤` `️.`
      // becomes `❤️` `.`, not `❤️.`).
      var j = i + 1
      while j < tokens[k].end, continuesCluster(at: j) { j += 1 }
      tokens[k - 1].end = j
      if j == tokens[k].end { tokens.remove(at: k) } else { tokens[k].start = j }
    }
  }

  private func continuesCluster(at i: Int) -> Bool {
    let c = s[i]
    guard c.value >= 0x80, i > 0 else { return false }
    if s[i - 1].value == 0x200D, c.properties.isEmoji { return true }
    if Self.isRegionalIndicator(c) {
      var count = 0
      var j = i - 1
      while j >= 0, Self.isRegionalIndicator(s[j]) {
        count += 1
        j -= 1
      }
      return count % 2 == 1
    }
    // spaCy's punctuation and symbols never extend a cluster: skip the property lookup.
    // (Letters can: spaCy's ALPHA takes whole blocks, Devanagari vowel signs included.)
    if rules.f[i] & (ScalarClass.prefix | ScalarClass.suffix) != 0 { return false }
    let props = c.properties
    if c.value == 0x200D || props.isGraphemeExtend || props.isEmojiModifier
      || props.isVariationSelector || props.generalCategory == .spacingMark
    {
      return true
    }
    return false
  }

  private static func isRegionalIndicator(_ c: Unicode.Scalar) -> Bool {
    (0x1F1E6...0x1F1FF).contains(c.value)
  }
}

/// The suffixes stripped from one chunk, kept in a buffer reused across chunks.
struct SuffixStack {
  private var items: [Token] = []

  mutating func removeAll() { items.removeAll(keepingCapacity: true) }
  mutating func append(_ token: Token) { items.append(token) }
  /// Appends the suffixes innermost first, as they read in the text.
  mutating func popAll(into tokens: inout [Token]) {
    while let last = items.popLast() { tokens.append(last) }
  }
}
