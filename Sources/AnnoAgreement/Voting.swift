/// Settling a unit by its raters' votes: the plurality winner.
///
/// The against-the-majority comparisons of an agreement report (each rater against the
/// category the others chose most) decide by it.
public enum Voting {
  /// The plurality winner of `unit` without `excluded`'s vote: the category strictly more of
  /// the other raters chose than any other.
  ///
  /// With v_c the number of raters other than `excluded` who chose c, the winner is the c
  /// with v_c > v_k for every k ≠ c. Missing ratings do not vote.
  ///
  /// - Parameters:
  ///   - unit: one category index (or `nil`) per rater.
  ///   - excluded: the rater whose vote is left out.
  ///   - votes: scratch space, one count per category (reset here), so that a pass over many
  ///     units allocates nothing.
  /// - Returns: the winner; `nil` when the others tie for the top or gave no rating.
  /// - Complexity: O(*R* + *q*).
  public static func plurality(of unit: [Int?], excluding excluded: Int, votes: inout [Int])
    -> Int?
  {
    for i in votes.indices { votes[i] = 0 }
    var top = 0
    var winner = -1
    var tied = false
    for (g, rating) in unit.enumerated() where g != excluded {
      guard let c = rating else { continue }
      votes[c] += 1
      if votes[c] > top {
        top = votes[c]
        winner = c
        tied = false
      } else if votes[c] == top, c != winner {
        tied = true
      }
    }
    return top > 0 && !tied ? winner : nil
  }
}
