import AnnoCore

/// Assigns documents to the parts of a split, deterministically for a seed, without holding
/// the documents.
///
/// Plain assignment hashes the document id with the seed (SHA-256, first 64 bits as a number
/// u in [0, 1)) and picks the part whose cumulative fraction interval holds u. It depends on
/// the id and the seed only, so a document keeps its part when others are added, every
/// annotator's copy of a document lands in the same part (no leakage between parts), and
/// fractions hold in expectation (within a few percent on a thousand ids).
///
/// Stratified assignment (`stratifyBySentiment`) makes the fractions hold within each
/// document-sentiment stratum, not just in expectation: the k-th document of stratum s gets
/// u = frac(h(seed, s) + k·(√5 − 1)/2), a low-discrepancy sequence whose first n values fill
/// every interval [a, b) with n·(b − a) ± O(log n) points. The price is that the part depends
/// on the order documents arrive in (the CLI's order is stable, by id). To keep annotators'
/// copies together it remembers the part of each id it has seen: O(documents) small strings.
struct SplitAssigner {
  private let spec: SplitSpec
  private let seed: UInt64
  private let stratified: Bool
  private var strataCounts: [String: Int] = [:]
  private var assigned: [String: Int] = [:]

  init(spec: SplitSpec, seed: UInt64, stratified: Bool) {
    self.spec = spec
    self.seed = seed
    self.stratified = stratified
  }

  /// The index of the part for a document.
  mutating func part(forID id: String, sentiment: String?) -> Int {
    guard stratified else {
      return Self.part(for: Self.unitHash("split", seed, id), in: spec)
    }
    if let known = assigned[id] { return known }
    let stratum = sentiment ?? ""
    let k = strataCounts[stratum, default: 0]
    strataCounts[stratum] = k + 1
    let offset = Self.unitHash("stratum", seed, stratum)
    let goldenRatioConjugate = 0.618_033_988_749_894_9
    let u = (offset + Double(k) * goldenRatioConjugate).truncatingRemainder(dividingBy: 1)
    let part = Self.part(for: u, in: spec)
    assigned[id] = part
    return part
  }

  /// The part whose cumulative interval holds `u`.
  static func part(for u: Double, in spec: SplitSpec) -> Int {
    var cumulative = 0.0
    for (i, part) in spec.parts.enumerated() {
      cumulative += part.fraction
      if u < cumulative { return i }
    }
    return spec.parts.count - 1
  }

  /// A number in [0, 1) from SHA-256 of a purpose, the seed and a key.
  static func unitHash(_ purpose: String, _ seed: UInt64, _ key: String) -> Double {
    let message = Array("anno-\(purpose)\u{0}\(seed)\u{0}".utf8) + Array(key.utf8)
    let digest = SHA256.digest(of: message)
    var value: UInt64 = 0
    for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
    // 53 bits, so the division is exact and the result is strictly below 1.
    return Double(value >> 11) / Double(UInt64(1) << 53)
  }
}
