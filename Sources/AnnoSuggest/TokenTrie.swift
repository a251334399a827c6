import AnnoCore

/// A trie over token identifiers, for matching many token sequences at once (spaCy's
/// PhraseMatcher keys a trie by token the same way).
///
/// Nodes are integers; edges live in one hash table keyed by (node, token), so a trie of
/// 100,000 entries is a few flat arrays rather than 100,000 dictionaries.
package struct TokenTrie: Sendable {
  /// The root node.
  package static let root: Int32 = 0

  private var edges: [UInt64: Int32] = [:]
  /// For each node, the index of its terminal slot, or -1 when no sequence ends there.
  package private(set) var slots: [Int32] = [-1]
  /// The number of terminal slots handed out.
  package private(set) var slotCount = 0

  package init() {}

  /// Adds the sequence `path`; returns its terminal slot, shared by equal sequences.
  package mutating func insert(_ path: [Int32]) -> Int {
    var node = Self.root
    for token in path {
      let key = Self.key(node, token)
      if let next = edges[key] {
        node = next
      } else {
        let next = Int32(slots.count)
        slots.append(-1)
        edges[key] = next
        node = next
      }
    }
    if slots[Int(node)] < 0 {
      slots[Int(node)] = Int32(slotCount)
      slotCount += 1
    }
    return Int(slots[Int(node)])
  }

  /// The child of `node` along `token`, or `nil`.
  @inline(__always)
  package func child(of node: Int32, _ token: Int32) -> Int32? {
    edges[Self.key(node, token)]
  }

  /// Reserves room for `count` edges.
  package mutating func reserveCapacity(_ count: Int) {
    edges.reserveCapacity(count)
    slots.reserveCapacity(count + 1)
  }

  /// Calls `body(end, slot)` for every sequence in the trie that starts at `start` of `ids`,
  /// shortest first; `end` is exclusive.
  package func forEachMatch(in ids: [Int32], from start: Int, _ body: (Int, Int) -> Void) {
    var node = Self.root
    var position = start
    while position < ids.count {
      let token = ids[position]
      guard token >= 0, let next = child(of: node, token) else { return }
      node = next
      position += 1
      let slot = slots[Int(node)]
      if slot >= 0 { body(position, Int(slot)) }
    }
  }

  @inline(__always)
  private static func key(_ node: Int32, _ token: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
  }
}
