import Foundation

/// The tokens of chunks already seen, keyed by the chunk's scalars, as spaCy's tokenizer
/// keeps its `_cache`.
///
/// A chunk (a run of non-whitespace) is tokenized the same way wherever it occurs: the affix
/// rules, URL test, special cases and grapheme merging all look only inside it. Most chunks of
/// a text (`the`, `said,`, `Minister`) recur, so after the first occurrence a chunk costs one
/// hash and one comparison. Entries hold the tokens' end offsets relative to the chunk (the
/// tokens of a chunk cover it without gaps). Chunks longer than `maximumKeyLength` scalars
/// are not kept, and the cache starts over when it holds `capacity` chunks, so its memory is
/// bounded (about 3 MB).
struct ChunkTokenCache {
  static let maximumKeyLength = 64
  static let capacity = 1 << 16

  private struct Entry {
    var hash: UInt64
    var keyStart: Int32
    var keyLength: Int32
    var endsStart: Int32
    var endsCount: Int32
  }

  private var entries: [Entry] = []
  /// Open addressing: an index into `entries` plus one, 0 for an empty slot; at least twice
  /// as many slots as entries.
  private var slots = [Int32](repeating: 0, count: 1024)
  private var keys: [UInt32] = []
  private var ends: [UInt16] = []

  @inline(__always) static func hash(_ chunk: UnsafeBufferPointer<UInt32>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for v in chunk { h = (h ^ UInt64(v)) &* 0x0000_0100_0000_01b3 }
    return (h ^ (h >> 29)) | 1
  }

  /// The tokens of `chunk` appended to `tokens`, shifted to start at `offset`; false when
  /// the chunk is not cached.
  @inline(__always)
  func appendTokens(
    of chunk: UnsafeBufferPointer<UInt32>, hash: UInt64, offset: Int, to tokens: inout [Token]
  ) -> Bool {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let stored = Int(slots[slot])
      if stored == 0 { return false }
      let entry = entries[stored - 1]
      if entry.hash == hash, Int(entry.keyLength) == chunk.count, matches(entry, chunk) {
        var start = offset
        let first = Int(entry.endsStart)
        for k in first..<(first + Int(entry.endsCount)) {
          let end = offset + Int(ends[k])
          tokens.append(Token(start: start, end: end))
          start = end
        }
        return true
      }
      slot = (slot + 1) & mask
    }
  }

  @inline(__always) private func matches(_ entry: Entry, _ chunk: UnsafeBufferPointer<UInt32>) -> Bool {
    keys.withUnsafeBufferPointer { stored in
      let base = Int(entry.keyStart)
      for i in 0..<chunk.count where stored[base + i] != chunk[i] { return false }
      return true
    }
  }

  /// Keeps `chunkTokens` (offsets relative to the chunk) as the tokens of `chunk`.
  mutating func insert(_ chunk: UnsafeBufferPointer<UInt32>, hash: UInt64, chunkTokens: ArraySlice<Token>, offset: Int) {
    guard chunk.count <= Self.maximumKeyLength, !chunkTokens.isEmpty else { return }
    // Only gapless tokens from the chunk's start to its end can be replayed from their ends.
    var expected = offset
    for token in chunkTokens {
      guard token.start == expected, !token.isSpace, !token.spaceAfter else { return }
      expected = token.end
    }
    guard expected == offset + chunk.count else { return }
    if entries.count == Self.capacity {
      entries.removeAll(keepingCapacity: true)
      keys.removeAll(keepingCapacity: true)
      ends.removeAll(keepingCapacity: true)
      for i in slots.indices { slots[i] = 0 }
    } else if (entries.count + 1) * 2 > slots.count {
      slots = [Int32](repeating: 0, count: slots.count * 2)
      for (i, entry) in entries.enumerated() { slots[freeSlot(entry.hash)] = Int32(i + 1) }
    }
    let slot = freeSlot(hash)
    entries.append(
      Entry(
        hash: hash, keyStart: Int32(keys.count), keyLength: Int32(chunk.count), endsStart: Int32(ends.count),
        endsCount: Int32(chunkTokens.count)))
    slots[slot] = Int32(entries.count)
    keys.append(contentsOf: chunk)
    for token in chunkTokens { ends.append(UInt16(token.end - offset)) }
  }
}

extension ChunkTokenCache {
  private func freeSlot(_ hash: UInt64) -> Int {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] != 0 { slot = (slot + 1) & mask }
    return slot
  }
}

/// A `ChunkTokenCache` that one thread at a time may use.
final class SharedChunkTokenCache: @unchecked Sendable {
  private let lock = NSLock()
  // Guarded by `lock`; created on first use.
  private var cache: ChunkTokenCache?

  /// Runs `body` with the cache, or with a fresh one while another thread holds it.
  func withCache<T>(_ body: (inout ChunkTokenCache) -> T) -> T {
    guard lock.try() else {
      var own = ChunkTokenCache()
      return body(&own)
    }
    defer { lock.unlock() }
    // NB: moved out for the call (uniquely referenced, so never copied), so that the body's
    // accesses are checked statically rather than at run time.
    var borrowed = cache.take() ?? ChunkTokenCache()
    defer { cache = borrowed }
    return body(&borrowed)
  }
}

extension ChunkTokenCache {
  /// The tokens of text given as scalar values: spaCy's whitespace split, each chunk's tokens
  /// from the cache when it was seen before, else from `ChunkTokenizer` (and then cached).
  mutating func tokenize(values: UnsafeBufferPointer<UInt32>) -> [Token] {
    let n = values.count
    guard n > 0 else { return [] }
    var tokens: [Token] = []
    tokens.reserveCapacity(n / 4 + 1)
    let table = ScalarClass.bmp
    @inline(__always) func isSpace(_ v: UInt32) -> Bool {
      if v == 0x20 { return true }
      if v > 0x20 && v < 0x7F { return false }
      let flags = v < 0x10000 ? table[Int(v)] : ScalarClass.flags(Unicode.Scalar(v) ?? " ")
      return flags & ScalarClass.space != 0
    }
    var scratch = ChunkScratch()
    // As spaCy: alternate runs of whitespace (Python's `isspace`) and non-whitespace. A run
    // of whitespace that starts with U+0020 gives its first space to the token before it
    // (`spaceAfter`); the rest of the run, if any, is one whitespace token.
    var start = 0
    var inSpace = isSpace(values[0])
    for i in 0..<n {
      let v = values[i]
      let space = isSpace(v)
      guard space != inSpace else { continue }
      if start < i { emit(values, start, i, isSpace: inSpace, into: &tokens, scratch: &scratch) }
      if v == 0x20, !tokens.isEmpty {
        tokens[tokens.count - 1].spaceAfter = true
        start = i + 1
      } else {
        start = i
      }
      inSpace = space
    }
    if start < n { emit(values, start, n, isSpace: inSpace, into: &tokens, scratch: &scratch) }
    return tokens
  }

  @inline(__always)
  private mutating func emit(
    _ values: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, isSpace: Bool, into tokens: inout [Token],
    scratch: inout ChunkScratch
  ) {
    if isSpace {
      tokens.append(Token(start: a, end: b, isSpace: true))
      return
    }
    let chunk = UnsafeBufferPointer(rebasing: values[a..<b])
    let hash = Self.hash(chunk)
    if appendTokens(of: chunk, hash: hash, offset: a, to: &tokens) { return }
    // NB: the chunk alone, with offsets from 0, is what spaCy's rules see.
    let scalars = chunk.map { Unicode.Scalar($0) ?? "\u{FFFD}" }
    scratch.tokens.removeAll(keepingCapacity: true)
    ChunkTokenizer(scalars: scalars, specials: SpecialCases.english)
      .emit(0, scalars.count, isSpace: false, into: &scratch.tokens, suffixes: &scratch.suffixes)
    let first = tokens.count
    for token in scratch.tokens {
      tokens.append(Token(start: a + token.start, end: a + token.end, spaceAfter: token.spaceAfter, isSpace: token.isSpace))
    }
    insert(chunk, hash: hash, chunkTokens: tokens[first...], offset: a)
  }
}

/// Buffers reused across the chunks the rules tokenize.
struct ChunkScratch {
  var tokens: [Token] = []
  var suffixes = SuffixStack()
}

extension Tokenizer {
  /// The scalar values of UTF-8 text (valid, as a Swift string's is).
  static func scalarValues(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt32] {
    [UInt32](unsafeUninitializedCapacity: bytes.count) { values, count in
      var i = 0
      var k = 0
      let n = bytes.count
      while i < n {
        let lead = bytes[i]
        if lead < 0x80 {
          values[k] = UInt32(lead)
          i += 1
        } else if lead < 0xE0 {
          values[k] = UInt32(lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
          i += 2
        } else if lead < 0xF0 {
          values[k] = UInt32(lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
          i += 3
        } else {
          values[k] =
            UInt32(lead & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
            | UInt32(bytes[i + 3] & 0x3F)
          i += 4
        }
        k += 1
      }
      count = k
    }
  }
}
