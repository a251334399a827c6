/// spaCy's English tokenizer exceptions ("special cases"): `don't` → `do` `n't`, `Mr.`, `:)`.
///
/// Looked up by a 64-bit hash of the scalars, verified by comparison, so a lookup allocates
/// nothing. Built once, on first use, from `SpecialCases.source` (generated from spaCy).
// NB: @unchecked: `letterWordFilter` points to memory written only in `init`.
final class SpecialCases: @unchecked Sendable {
  /// One special case: its scalars and the lengths of its pieces.
  struct Entry: Sendable {
    var scalars: [Unicode.Scalar]
    var pieces: [Int]
    /// The tokens spaCy's affix rules alone give the text, when they split it: spaCy then
    /// also looks for that token sequence in the finished document and fuses it (its
    /// `_special_matcher`), which is how `Mr.Smith` becomes `Mr.` `Smith`.
    var pattern: [Int]?
  }

  // NB: a final class, so that the many lookups per chunk retain nothing.
  let entries: [Entry]
  /// An open-addressing table of entry index + 1 (0 = empty), keyed by `hash`.
  private let slots: [Int32]
  private let slotHashes: [UInt64]
  private let mask: Int
  /// A Bloom-style filter over (length, first scalar, last scalar): most words fail it
  /// before any hashing.
  private let filter: [UInt64]
  /// A filter of 2¹⁵ bits over the special cases spelled with ASCII letters only (`Dont`,
  /// `gonna`, 324 of them), so that almost every plain word is ruled out by one load.
  /// (512 words, allocated in `init` and freed in `deinit`: read without bounds checks.)
  private let letterWordFilter: UnsafeMutablePointer<UInt64>

  @inline(__always) private static func filterBit(_ s: [Unicode.Scalar], _ a: Int, _ b: Int) -> Int
  {
    Int(truncatingIfNeeded: (s[a].value &* 31 &+ s[b - 1].value &* 7 &+ UInt32(b - a) &* 131))
      & 4095
  }
  let maxLength: Int
  /// The most tokens of any fusing pattern (0: none).
  let maxPatternTokens: Int
  /// Whether some one-token pattern has several pieces, so that single tokens need a look.
  let fusesSingleTokens: Bool

  /// spaCy's English exceptions, from `Resources/tokenizer-exceptions.tsv` (compiled into the
  /// binary, so `anno` needs no file beside it).
  static let english = SpecialCases(
    source: String(decoding: PackageResources.tokenizer_exceptions_tsv, as: UTF8.self))

  deinit { letterWordFilter.deallocate() }

  init(source: String) {
    var hashes: [UInt64] = []
    var entries: [Entry] = []
    var filter = [UInt64](repeating: 0, count: 64)
    let letterWordFilter = UnsafeMutablePointer<UInt64>.allocate(capacity: 512)
    letterWordFilter.initialize(repeating: 0, count: 512)
    var maxLength = 0
    for line in source.split(separator: "\n", omittingEmptySubsequences: true) {
      let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard parts.count == 2 else { continue }
      let scalars = Array(parts[0].unicodeScalars)
      let pieces = parts[1].split(separator: ",").compactMap { Int($0) }
      guard pieces.reduce(0, +) == scalars.count else { continue }
      hashes.append(Self.hash(scalars, 0, scalars.count))
      let bit = Self.filterBit(scalars, 0, scalars.count)
      filter[bit >> 6] |= 1 << UInt64(bit & 63)
      entries.append(Entry(scalars: scalars, pieces: pieces, pattern: nil))
      maxLength = max(maxLength, scalars.count)
      if scalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) {
        let word = scalars.map { UInt8($0.value) }
        let bit = word.withUnsafeBufferPointer { Self.letterWordBit($0.baseAddress!, $0.count) }
        letterWordFilter[bit >> 6] |= 1 << UInt64(bit & 63)
      }
    }
    var size = 16
    while size < entries.count * 4 { size *= 2 }
    let mask = size - 1
    var slots = [Int32](repeating: 0, count: size)
    var slotHashes = [UInt64](repeating: 0, count: size)
    for (k, h) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: h) & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(k + 1)
      slotHashes[slot] = h
    }
    (self.mask, self.slots, self.slotHashes, self.filter) = (mask, slots, slotHashes, filter)
    self.letterWordFilter = letterWordFilter
    self.maxLength = maxLength
    // The fusing patterns: spaCy registers one for every special case that a prefix, suffix
    // or infix rule applies to, tokenized by the affix rules without special cases.
    var maxPatternTokens = 0
    var fusesSingleTokens = false
    for k in entries.indices {
      let scalars = entries[k].scalars
      let chunk = ChunkTokenizer(scalars: scalars, specials: nil)
      let n = scalars.count
      let rules = chunk.rules
      var applies = rules.prefix(0, n) != 0 || rules.suffix(0, n) != 0
      if !applies { applies = (0..<n).contains { rules.infix($0, 0, n) != 0 } }
      guard applies else { continue }
      var tokens: [Token] = []
      chunk.tokenize(0, n, into: &tokens)
      entries[k].pattern = tokens.map { $0.end - $0.start }
      maxPatternTokens = max(maxPatternTokens, tokens.count)
      if tokens.count == 1, entries[k].pieces.count > 1 { fusesSingleTokens = true }
    }
    self.entries = entries
    self.maxPatternTokens = maxPatternTokens
    self.fusesSingleTokens = fusesSingleTokens
  }

  /// FNV-1a over the scalar values of `s[a..<b]`.
  @inline(__always) static func hash(_ s: [Unicode.Scalar], _ a: Int, _ b: Int) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for i in a..<b {
      h = (h ^ UInt64(s[i].value)) &* 0x0000_0100_0000_01b3
    }
    return h ^ (h >> 29)
  }

  /// Whether some special case might be spelled by the ASCII letters `word[0..<count]`
  /// (false rules it out; true means look it up).
  /// (A word longer than any special case may pass: that only costs a lookup.)
  @inline(__always) func mightSpell(asciiLetters word: UnsafePointer<UInt8>, count: Int) -> Bool {
    let bit = Self.letterWordBit(word, count)
    return letterWordFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
  }

  /// A bit of `letterWordFilter` for a word of 1 to `maxLength` bytes: a multiplicative hash
  /// of its length and its first, second and last bytes.
  @inline(__always) private static func letterWordBit(_ word: UnsafePointer<UInt8>, _ count: Int)
    -> Int
  {
    let key =
      UInt32(word[0]) | UInt32(word[count > 1 ? 1 : 0]) << 8 | UInt32(word[count - 1]) << 16
      | UInt32(truncatingIfNeeded: count) << 24
    return Int((key &* 0x9E37_79B1) >> 17)
  }

  /// The index of the special case spelled exactly `s[a..<b]`, if any.
  @inline(__always) func lookup(_ s: [Unicode.Scalar], _ a: Int, _ b: Int) -> Int? {
    let length = b - a
    guard length > 0, length <= maxLength else { return nil }
    let bit = Self.filterBit(s, a, b)
    guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return nil }
    let h = Self.hash(s, a, b)
    var slot = Int(truncatingIfNeeded: h) & mask
    while true {
      let stored = Int(slots[slot])
      if stored == 0 { return nil }
      if slotHashes[slot] == h, matches(entries[stored - 1].scalars, s, a, b) { return stored - 1 }
      slot = (slot + 1) & mask
    }
  }

  @inline(__always) private func matches(
    _ entry: [Unicode.Scalar], _ s: [Unicode.Scalar], _ a: Int, _ b: Int
  ) -> Bool {
    guard entry.count == b - a else { return false }
    for i in 0..<entry.count where entry[i] != s[a + i] { return false }
    return true
  }

  /// Fuses token runs of one chunk that spell a special case, as spaCy's final matcher pass.
  ///
  /// spaCy finds every run of tokens equal to some pattern, keeps the longest first (then
  /// the leftmost) whose first and last tokens are not yet taken, and replaces each kept run
  /// that has no space inside by the special case's pieces.
  func fuse(_ tokens: inout [Token], from first: Int, in s: [Unicode.Scalar]) {
    guard maxPatternTokens > 0, tokens.count - first >= (fusesSingleTokens ? 1 : 2) else { return }
    var matches: [(start: Int, count: Int, entry: Int)] = []
    for i in first..<tokens.count {
      var j = fusesSingleTokens ? i : i + 1
      while j < tokens.count, j - i < maxPatternTokens {
        if j > i, tokens[j - 1].end != tokens[j].start { break }  // a space inside
        if tokens[j].end - tokens[i].start > maxLength { break }
        if let k = lookup(s, tokens[i].start, tokens[j].end), let pattern = entries[k].pattern,
          pattern.count == j - i + 1,
          zip(pattern, tokens[i...j]).allSatisfy({ $0 == $1.end - $1.start })
        {
          // A one-token pattern whose pieces are that one token changes nothing.
          if j > i || entries[k].pieces.count > 1 { matches.append((i, j - i + 1, k)) }
        }
        j += 1
      }
    }
    guard !matches.isEmpty else { return }
    matches.sort { $0.count != $1.count ? $0.count > $1.count : $0.start < $1.start }
    var taken = Set<Int>()
    var kept: [(start: Int, count: Int, entry: Int)] = []
    for m in matches {
      if !taken.contains(m.start), !taken.contains(m.start + m.count - 1) { kept.append(m) }
      for t in m.start..<(m.start + m.count) { taken.insert(t) }
    }
    // Replace from the right so that earlier indices stay valid.
    for m in kept.sorted(by: { $0.start > $1.start }) {
      let last = tokens[m.start + m.count - 1]
      var offset = tokens[m.start].start
      var pieces: [Token] = []
      for length in entries[m.entry].pieces {
        pieces.append(Token(start: offset, end: offset + length))
        offset += length
      }
      pieces[pieces.count - 1].spaceAfter = last.spaceAfter
      tokens.replaceSubrange(m.start..<(m.start + m.count), with: pieces)
    }
  }
}
