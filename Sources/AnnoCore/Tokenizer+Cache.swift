import Foundation

/// The tokens of chunks already seen, keyed by the chunk's UTF-8 bytes, as spaCy's tokenizer
/// keeps its `_cache`.
///
/// A chunk (a run of non-whitespace) is tokenized the same way wherever it occurs: the affix
/// rules, URL test, special cases and grapheme merging all look only inside it. Most chunks of
/// a text (`the`, `said,`, `Minister`) recur, so after the first occurrence a chunk costs one
/// hash and one comparison. Entries hold the tokens' end offsets in scalars relative to the
/// chunk (the tokens of a chunk cover it without gaps). Chunks longer than
/// `maximumKeyLength` bytes are not kept, and the cache starts over when it holds `capacity`
/// chunks, so its memory is bounded (about 3 MB).
struct ChunkTokenCache {
  static let maximumKeyLength = 128
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
  private var keys: [UInt8] = []
  private var ends: [UInt16] = []

  /// A hash of the chunk's bytes, eight at a time; `readable` bytes from its start may be
  /// read (at least its count), so that its last few bytes can be one load.
  @inline(__always) static func hash(_ chunk: UnsafeBufferPointer<UInt8>, readable: Int) -> UInt64 {
    let raw = UnsafeRawPointer(chunk.baseAddress!)
    var h = UInt64(truncatingIfNeeded: chunk.count) &* 0x9E37_79B9_7F4A_7C15
    var i = 0
    while i + 8 <= chunk.count {
      h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 31
      i += 8
    }
    if i < chunk.count, i + 8 <= readable {
      // The same value as the byte loop below: the remaining bytes, the first lowest.
      let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      let tail = word & (UInt64.max &>> UInt64(64 &- (chunk.count &- i) &* 8))
      h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
    } else if i < chunk.count {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while i < chunk.count {
        tail |= UInt64(chunk[i]) << shift
        shift += 8
        i += 1
      }
      h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
    }
    return (h ^ (h >> 29)) | 1
  }

  /// The tokens of `chunk` appended to `tokens`, shifted to start at `offset`; false when
  /// the chunk is not cached.
  @inline(__always)
  func appendTokens(
    of chunk: UnsafeBufferPointer<UInt8>, hash: UInt64, offset: Int, to tokens: inout [Token]
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

  @inline(__always) private func matches(_ entry: Entry, _ chunk: UnsafeBufferPointer<UInt8>)
    -> Bool
  {
    keys.withUnsafeBufferPointer { stored in
      let base = Int(entry.keyStart)
      for i in 0..<chunk.count where stored[base + i] != chunk[i] { return false }
      return true
    }
  }

  /// Keeps `chunkTokens` (at `offset`, the chunk's first scalar, and covering `scalarCount`
  /// scalars) as the tokens of the chunk whose UTF-8 is `chunk`.
  mutating func insert(
    _ chunk: UnsafeBufferPointer<UInt8>, hash: UInt64, chunkTokens: ArraySlice<Token>, offset: Int,
    scalarCount: Int
  ) {
    guard chunk.count <= Self.maximumKeyLength, !chunkTokens.isEmpty else { return }
    // Only gapless tokens from the chunk's start to its end can be replayed from their ends.
    var expected = offset
    for token in chunkTokens {
      guard token.start == expected, !token.isSpace, !token.spaceAfter else { return }
      expected = token.end
    }
    guard expected == offset + scalarCount else { return }
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
        hash: hash, keyStart: Int32(keys.count), keyLength: Int32(chunk.count),
        endsStart: Int32(ends.count),
        endsCount: Int32(chunkTokens.count)))
    slots[slot] = Int32(entries.count)
    keys.append(contentsOf: chunk)
    for token in chunkTokens { ends.append(UInt16(token.end - offset)) }
  }

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

/// What the run scanner needs to know of a byte: an ASCII space (Python's `str.isspace()`),
/// an ASCII letter, other ASCII, or part of a longer scalar.
enum ASCIIByteClass {
  // NB: the two kinds of ASCII non-space come first, so one comparison tells them apart.
  static let other: UInt8 = 0
  static let letter: UInt8 = 1
  static let space: UInt8 = 2
  static let nonASCII: UInt8 = 3

  /// The class of each byte value; allocated once, never written after, kept for the life
  /// of the process.
  nonisolated(unsafe) static let table: UnsafePointer<UInt8> = {
    let classes = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for byte in 0..<256 {
      let b = UInt8(byte)
      classes[byte] =
        b >= 0x80 ? nonASCII : isASCIISpace(b) ? space : (b | 0x20) &- 0x61 < 26 ? letter : other
    }
    return UnsafePointer(classes)
  }()

  /// The high bit of each byte of `word` that is not an ASCII letter set, every other bit clear.
  @inline(__always) static func nonLetterBytes(_ word: UInt64) -> UInt64 {
    let high: UInt64 = 0x8080_8080_8080_8080
    let ones: UInt64 = 0x0101_0101_0101_0101
    // Each byte folded to lower case and to seven bits, so no sum below carries into the next.
    let folded = (word | 0x2020_2020_2020_2020) & ~high
    let atLeastA = folded &+ 0x1F &* ones  // high bit set when the byte is 0x61 ("a") or more
    let pastZ = folded &+ 0x05 &* ones  // high bit set when the byte is 0x7B (past "z") or more
    let letters = atLeastA & ~pastZ & ~word & high
    return letters ^ high
  }
}

/// Python's `str.isspace()` for an ASCII byte: tab, line feed, vertical tab, form feed,
/// carriage return, the four information separators and space.
@inline(__always) private func isASCIISpace(_ byte: UInt8) -> Bool {
  byte == 0x20 || byte &- 0x09 < 5 || byte &- 0x1C < 4
}

/// Python's `str.isspace()` for a scalar.
@inline(__always) private func isSpace(_ v: UInt32, _ table: [UInt16]) -> Bool {
  if v == 0x20 { return true }
  if v > 0x20 && v < 0x7F { return false }
  let flags = v < 0x10000 ? table[Int(v)] : ScalarClass.flags(Unicode.Scalar(v) ?? " ")
  return flags & ScalarClass.space != 0
}

extension ChunkTokenCache {
  /// The tokens of UTF-8 text (valid, as a Swift string's is), in one pass over its bytes:
  /// spaCy's whitespace split, each chunk's tokens from the cache when it was seen before,
  /// else from `ChunkTokenizer` (and then cached).
  mutating func tokenize(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
    let n = bytes.count
    guard n > 0 else { return [] }
    var tokens: [Token] = []
    tokens.reserveCapacity(n / 5 + 1)
    let table = ScalarClass.bmp
    var scratch = ChunkScratch()
    // As spaCy: alternate runs of whitespace (Python's `isspace`) and non-whitespace. A run
    // of whitespace that starts with U+0020 gives its first space to the token before it
    // (`spaceAfter`); the rest of the run, if any, is one whitespace token.
    var start = 0  // the chunk's first scalar
    var startByte = 0
    var i = 0  // byte
    var k = 0  // scalar
    @inline(__always) func decode(_ i: Int) -> (value: UInt32, length: Int) {
      let lead = bytes[i]
      if lead < 0xE0 { return (UInt32(lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
      if lead < 0xF0 {
        return (
          UInt32(lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6
            | UInt32(bytes[i + 2] & 0x3F), 3
        )
      }
      return (
        UInt32(lead & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F)
          << 6
          | UInt32(bytes[i + 3] & 0x3F), 4
      )
    }
    var inSpace = bytes[0] < 0x80 ? isASCIISpace(bytes[0]) : isSpace(decode(0).value, table)
    let specials = SpecialCases.english
    let classes = ASCIIByteClass.table
    let raw = UnsafeRawPointer(bytes.baseAddress!)
    while true {
      // The run of scalars of the current kind, to byte i. ASCII bytes take the short way
      // (one table load each); `extraBytes` counts the bytes past the first of each longer
      // scalar, so the run's scalar count is its byte count minus them.
      var extraBytes = 0
      // Whether the run is ASCII letters only: such a chunk is one token unless it spells a
      // special case (no prefix, suffix, infix or URL rule matches letters alone).
      var lettersOnly = true
      if inSpace {
        while i < n {
          let byteClass = classes[Int(bytes[i])]
          if byteClass == ASCIIByteClass.space {
            i &+= 1
            continue
          }
          guard byteClass == ASCIIByteClass.nonASCII else { break }
          let (value, length) = decode(i)
          guard isSpace(value, table) else { break }
          i &+= length
          extraBytes &+= length &- 1
        }
      } else {
        while i < n {
          // Letters eight at a time while eight bytes remain, then one byte at a time.
          while i &+ 8 <= n {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let nonLetters = ASCIIByteClass.nonLetterBytes(word)
            guard nonLetters == 0 else {
              i &+= nonLetters.trailingZeroBitCount &>> 3
              break
            }
            i &+= 8
          }
          guard i < n else { break }
          let byteClass = classes[Int(bytes[i])]
          if byteClass == ASCIIByteClass.letter {
            i &+= 1
            continue
          }
          if byteClass == ASCIIByteClass.other {
            lettersOnly = false
            i &+= 1
            continue
          }
          guard byteClass == ASCIIByteClass.nonASCII else { break }
          let (value, length) = decode(i)
          guard !isSpace(value, table) else { break }
          lettersOnly = false
          i &+= length
          extraBytes &+= length &- 1
        }
      }
      // NB: wrapping arithmetic in this loop: every offset is at most the text's byte count.
      k = start &+ (i &- startByte) &- extraBytes
      // The run ends at byte i: a boundary, or the end of the text.
      if start < k {
        if lettersOnly, !inSpace,
          !specials.mightSpell(asciiLetters: bytes.baseAddress! + startByte, count: i &- startByte)
        {
          tokens.append(Token(start: start, end: k))
        } else {
          emit(bytes, startByte, i, start, k, isSpace: inSpace, into: &tokens, scratch: &scratch)
        }
      }
      guard i < n else { break }
      // Scalar k (byte i) starts a run of the other kind.
      if bytes[i] == 0x20, !tokens.isEmpty {
        tokens[tokens.count - 1].spaceAfter = true
        i &+= 1
        k &+= 1
        // NB: most often one space parts two words: the whitespace run between is empty,
        // so the next word's run starts at once.
        if i < n, classes[Int(bytes[i])] < ASCIIByteClass.space {
          start = k
          startByte = i
          continue
        }
      }
      start = k
      startByte = i
      inSpace.toggle()
    }
    return tokens
  }

  /// The tokens of text given as scalar values (the same as `tokenize(utf8:)` of its UTF-8).
  mutating func tokenize(values: UnsafeBufferPointer<UInt32>) -> [Token] {
    let n = values.count
    guard n > 0 else { return [] }
    var tokens: [Token] = []
    tokens.reserveCapacity(n / 5 + 1)
    let table = ScalarClass.bmp
    var scratch = ChunkScratch()
    var utf8: [UInt8] = []
    var start = 0
    var inSpace = isSpace(values[0], table)
    func emitChunk(_ a: Int, _ b: Int) {
      if inSpace {
        tokens.append(Token(start: a, end: b, isSpace: true))
        return
      }
      utf8.removeAll(keepingCapacity: true)
      for v in values[a..<b] {
        if v < 0x80 {
          utf8.append(UInt8(v))
        } else {
          utf8.append(contentsOf: (Unicode.Scalar(v) ?? "\u{FFFD}").utf8)
        }
      }
      utf8.withUnsafeBufferPointer { chunk in
        emit(chunk, 0, chunk.count, a, b, isSpace: false, into: &tokens, scratch: &scratch)
      }
    }
    for i in 0..<n {
      let v = values[i]
      let space = isSpace(v, table)
      guard space != inSpace else { continue }
      if start < i { emitChunk(start, i) }
      if v == 0x20, !tokens.isEmpty {
        tokens[tokens.count - 1].spaceAfter = true
        start = i + 1
      } else {
        start = i
      }
      inSpace = space
    }
    if start < n { emitChunk(start, n) }
    return tokens
  }

  /// Appends the tokens of the chunk `bytes[byteStart..<byteEnd]`, scalars `a..<b`.
  @inline(__always)
  private mutating func emit(
    _ bytes: UnsafeBufferPointer<UInt8>, _ byteStart: Int, _ byteEnd: Int, _ a: Int, _ b: Int,
    isSpace: Bool,
    into tokens: inout [Token], scratch: inout ChunkScratch
  ) {
    if isSpace {
      tokens.append(Token(start: a, end: b, isSpace: true))
      return
    }
    let chunk = UnsafeBufferPointer(rebasing: bytes[byteStart..<byteEnd])
    let hash = Self.hash(chunk, readable: bytes.count &- byteStart)
    if appendTokens(of: chunk, hash: hash, offset: a, to: &tokens) { return }
    // NB: the chunk alone, with offsets from 0, is what spaCy's rules see.
    let scalars = Array(String(decoding: chunk, as: UTF8.self).unicodeScalars)
    scratch.tokens.removeAll(keepingCapacity: true)
    ChunkTokenizer(scalars: scalars, specials: SpecialCases.english)
      .emit(0, scalars.count, isSpace: false, into: &scratch.tokens, suffixes: &scratch.suffixes)
    let first = tokens.count
    for token in scratch.tokens {
      tokens.append(
        Token(
          start: a + token.start, end: a + token.end, spaceAfter: token.spaceAfter,
          isSpace: token.isSpace))
    }
    insert(chunk, hash: hash, chunkTokens: tokens[first...], offset: a, scalarCount: b - a)
  }
}

/// Buffers reused across the chunks the rules tokenize.
struct ChunkScratch {
  var tokens: [Token] = []
  var suffixes = SuffixStack()
}
