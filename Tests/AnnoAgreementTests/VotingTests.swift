import AnnoAgreement
import AnnoCore
import Testing

/// The plurality winner of a unit's votes.
@Suite struct VotingTests {
  @Test func pluralityIsTheCategoryStrictlyMostChosenByTheOthers() {
    var votes = [Int](repeating: 0, count: 3)
    // Rater 0 is left out; of the others, two chose 1 and one chose 2.
    #expect(Voting.plurality(of: [0, 1, 1, 2], excluding: 0, votes: &votes) == 1)
    // Left out, rater 1's vote no longer breaks the tie between 1 and 2.
    #expect(Voting.plurality(of: [0, 1, 1, 2, 2], excluding: 1, votes: &votes) == 2)
    #expect(Voting.plurality(of: [0, 1, 1, 2, 2], excluding: 0, votes: &votes) == nil)
    // A tie reached first and then broken is won; missing ratings do not vote.
    #expect(Voting.plurality(of: [nil, 1, 2, 2, nil], excluding: 0, votes: &votes) == 2)
    #expect(Voting.plurality(of: [0, nil, nil], excluding: 0, votes: &votes) == nil)
  }

  @Test func pluralityEqualsTheUniqueMaximumOfTheCounts() {
    // Given pseudo-random units, the winner is the category whose count no other reaches.
    var random = SplitMix64(seed: 21)
    var votes = [Int](repeating: 0, count: 4)
    for _ in 0..<5_000 {
      let unit: [Int?] = (0..<6).map { _ in
        let r = Int(random.next() % 5)
        return r == 4 ? nil : r
      }
      let excluded = Int(random.next() % 6)
      var counts = [Int](repeating: 0, count: 4)
      for (g, rating) in unit.enumerated() where g != excluded {
        if let c = rating { counts[c] += 1 }
      }
      let top = counts.max() ?? 0
      let expected =
        top > 0 && counts.filter { $0 == top }.count == 1 ? counts.firstIndex(of: top) : nil
      #expect(Voting.plurality(of: unit, excluding: excluded, votes: &votes) == expected)
    }
  }
}
