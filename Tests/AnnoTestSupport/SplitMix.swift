import AnnoAgreement

/// The seeded generator of repeatable property tests in every test target: AnnoAgreement's
/// SplitMix64 (the bootstrap's), not a second copy of it.
public typealias SplitMix = SplitMix64
