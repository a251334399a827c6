/// A small, fast, seeded pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014).
///
/// Deterministic: the same seed gives the same sequence on every platform, so a study's
/// assignment and a report's bootstrap with `--seed` are reproducible. Not for cryptography.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
  /// The internal state; advancing it by the golden-ratio increment yields the next output.
  public private(set) var state: UInt64

  /// Creates a generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `0..<bound`, by rejection (no modulo bias), the same on every
  /// platform and Swift version (`Int.random(in:using:)` promises neither).
  ///
  /// - Precondition: `bound > 0`.
  public mutating func uniform(below bound: Int) -> Int {
    precondition(bound > 0, "cannot draw from an empty range")
    let b = UInt64(bound)
    let limit = UInt64.max - (UInt64.max % b)  // accept [0, limit): a multiple of b values
    while true {
      let x = next()
      if x < limit { return Int(x % b) }
    }
  }
}
