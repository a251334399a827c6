import AnnoCore

/// Interned strings: each distinct string gets a small integer, so that matchers compare and
/// hash integers instead of strings.
///
/// NB: looking a token up must not allocate: a document has a thousand tokens and a `String`
/// per token costs more than all the matching. So strings are kept as scalars in one pool,
/// found through an open-addressing table, and looked up straight from a document's scalars.
package struct Vocabulary: Sendable {
  /// The identifier of a string the vocabulary has never seen.
  package static let unknown: Int32 = -1

  /// The scalars of every string, back to back.
  private var pool: [UInt32] = []
  /// String `i` is `pool[bounds[i]..<bounds[i + 1]]`.
  private var bounds: [Int32] = [0]
  private var hashes: [UInt64] = []
  /// Identifiers by hash, -1 for an empty slot; the count is a power of two.
  private var table = [Int32](repeating: -1, count: 16)

  package init() {}

  /// The number of strings interned.
  package var count: Int { hashes.count }

  /// The identifier of `string`, adding it if it is new.
  package mutating func intern(_ string: String) -> Int32 {
    intern(Array(string.unicodeScalars)[...])
  }

  /// The identifier of the string made of `scalars`, adding it if it is new.
  package mutating func intern(_ scalars: ArraySlice<Unicode.Scalar>) -> Int32 {
    let hash = Self.hash(scalars)
    var slot = Int(truncatingIfNeeded: hash) & (table.count - 1)
    while table[slot] >= 0 {
      if hashes[Int(table[slot])] == hash, equals(table[slot], scalars) { return table[slot] }
      slot = (slot + 1) & (table.count - 1)
    }
    let id = Int32(hashes.count)
    hashes.append(hash)
    for scalar in scalars { pool.append(scalar.value) }
    bounds.append(Int32(pool.count))
    table[slot] = id
    if hashes.count * 2 > table.count { grow(to: table.count * 2) }
    return id
  }

  /// The identifier of `string`, or `Vocabulary.unknown`.
  package func id(_ string: String) -> Int32 {
    id(Array(string.unicodeScalars)[...])
  }

  /// The identifier of the string made of `scalars`, or `Vocabulary.unknown`.
  package func id(_ scalars: ArraySlice<Unicode.Scalar>) -> Int32 {
    let hash = Self.hash(scalars)
    var slot = Int(truncatingIfNeeded: hash) & (table.count - 1)
    while true {
      let id = table[slot]
      if id < 0 { return Self.unknown }
      if hashes[Int(id)] == hash, equals(id, scalars) { return id }
      slot = (slot + 1) & (table.count - 1)
    }
  }

  /// Reserves room for `count` strings.
  package mutating func reserveCapacity(_ count: Int) {
    hashes.reserveCapacity(count)
    bounds.reserveCapacity(count + 1)
    pool.reserveCapacity(count * 6)
    var size = table.count
    while size < count * 2 { size *= 2 }
    if size > table.count { grow(to: size) }
  }

  private func equals(_ id: Int32, _ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
    let start = Int(bounds[Int(id)])
    let end = Int(bounds[Int(id) + 1])
    guard end - start == scalars.count else { return false }
    var offset = start
    for scalar in scalars {
      if pool[offset] != scalar.value { return false }
      offset += 1
    }
    return true
  }

  private mutating func grow(to size: Int) {
    table = [Int32](repeating: -1, count: size)
    for (id, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash) & (size - 1)
      while table[slot] >= 0 { slot = (slot + 1) & (size - 1) }
      table[slot] = Int32(id)
    }
  }

  /// FNV-1a over the scalar values, then a final mix so that the low bits index the table well.
  @inline(__always)
  private static func hash(_ scalars: ArraySlice<Unicode.Scalar>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for scalar in scalars {
      hash = (hash ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01B3
    }
    hash ^= hash >> 29
    hash = hash &* 0xBF58_476D_1CE4_E5B9
    return hash ^ (hash >> 32)
  }
}
