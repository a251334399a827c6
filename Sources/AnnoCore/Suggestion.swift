/// Did-you-mean suggestions for misspelt commands, labels and targets.
public enum Suggestion {
  /// The candidate closest to `word` by edit distance (case-insensitive), if it is close
  /// enough to be a plausible typo: at most a third of the word's length, and at least 1.
  public static func closest(to word: String, in candidates: some Collection<String>) -> String? {
    let folded = Array(word.lowercased().unicodeScalars)
    var best: (String, Int)?
    for candidate in candidates {
      let distance = editDistance(folded, Array(candidate.lowercased().unicodeScalars))
      if distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
    }
    guard let best else { return nil }
    let limit = max(1, folded.count / 3)
    if best.1 <= limit { return best.0 }
    // A word that extends a candidate ("PERSON" for "PER") is a likely slip too.
    let lowered = word.lowercased()
    return candidates.first { candidate in
      let c = candidate.lowercased()
      return c.count >= 2 && (lowered.hasPrefix(c) || c.hasPrefix(lowered) && lowered.count >= 2)
    }
  }

  /// The Damerau–Levenshtein (optimal string alignment) distance between two scalar arrays.
  public static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], previous2[j - 2] + 1)
        }
      }
      (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
  }
}
