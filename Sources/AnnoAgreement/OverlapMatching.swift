/// One-to-one matching of overlapping spans: each span is paired with at most one span of the
/// other annotator, and as many pairs as possible are made (a maximum matching of the
/// bipartite graph whose edges join spans that share at least one offset).
///
/// Counting, instead, every span that overlaps *some* span of the other side lets one long
/// span match several short ones (and several nested ones match one), which flatters split
/// and nested annotations; with one-to-one pairs the matched counts on both sides are equal.
enum OverlapMatching {
  /// The size of a maximum matching between `a` and `b`, spans given as half-open
  /// `(start, end)` ranges; two spans match when they share an offset.
  ///
  /// Augmenting paths (Kuhn's algorithm) from each span of `a` in start order.
  /// - Complexity: O(*a*·*e*) for *e* overlapping pairs, on one document's spans of one label.
  static func size(_ a: [(start: Int, end: Int)], _ b: [(start: Int, end: Int)]) -> Int {
    guard !a.isEmpty, !b.isEmpty else { return 0 }
    let order = b.indices.sorted { (b[$0].start, b[$0].end) < (b[$1].start, b[$1].end) }
    var neighbours: [[Int]] = []
    neighbours.reserveCapacity(a.count)
    for span in a {
      // The spans of b that start before `span` ends, and end after it starts.
      var list: [Int] = []
      for index in order {
        if b[index].start >= span.end { break }
        if b[index].end > span.start { list.append(index) }
      }
      neighbours.append(list)
    }
    var matchOfB = [Int](repeating: -1, count: b.count)
    var visited = [Int](repeating: -1, count: b.count)
    func augment(_ i: Int, _ round: Int) -> Bool {
      for j in neighbours[i] where visited[j] != round {
        visited[j] = round
        if matchOfB[j] < 0 || augment(matchOfB[j], round) {
          matchOfB[j] = i
          return true
        }
      }
      return false
    }
    var size = 0
    for i in a.indices where augment(i, i) { size += 1 }
    return size
  }
}
