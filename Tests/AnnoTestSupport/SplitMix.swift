import AnnoCore

/// The seeded generator of repeatable property tests in every test target: AnnoCore's
/// SplitMix64 (the assignment planner's and the bootstrap's), not a second copy of it.
public typealias SplitMix = SplitMix64
