/// Settling a unit by its raters' votes: the plurality winner, and the quota a rule asks of it.
///
/// Both the against-the-majority comparisons of an agreement report (each rater against the
/// category the others chose most) and adjudication (`adjudicate --auto`) decide by these.
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

/// The quota that settles an item by vote: every voter, more than half of them, or at least K.
///
/// With `count` voters behind the most chosen version out of `total`: unanimous settles when
/// count = total, majority when 2·count > total (a strict majority: ties stay open), and
/// threshold K when count ≥ K. A threshold above the number of voters never settles anything.
public enum VotingRule: Hashable, Sendable, CustomStringConvertible {
  /// Every voter agrees.
  case unanimous
  /// More than half agree; ties stay open.
  case majority
  /// At least K agree.
  case threshold(Int)

  /// Parses `unanimous`, `majority` or `threshold=K` (K ≥ 1).
  public init?(_ text: String) {
    switch text {
    case "unanimous": self = .unanimous
    case "majority": self = .majority
    default:
      guard text.hasPrefix("threshold="), let k = Int(text.dropFirst("threshold=".count)), k >= 1
      else { return nil }
      self = .threshold(k)
    }
  }

  public var description: String {
    switch self {
    case .unanimous: "unanimous"
    case .majority: "majority"
    case .threshold(let k): "threshold=\(k)"
    }
  }

  /// Whether the rule can settle anything among `annotators` voters: a threshold above their
  /// number never can.
  public func canSettle(withAnnotators annotators: Int) -> Bool {
    switch self {
    case .unanimous, .majority: annotators >= 1
    case .threshold(let k): k <= annotators
    }
  }

  /// Whether `count` of `total` voters behind one version is enough to settle the item.
  public func settles(_ count: Int, of total: Int) -> Bool {
    switch self {
    case .unanimous: count == total
    case .majority: 2 * count > total
    case .threshold(let k): count >= k
    }
  }
}
