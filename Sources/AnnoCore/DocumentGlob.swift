/// A shell-style pattern on document ids: `*` (any run, `/` included), `?` (one character),
/// `[abc]`, `[a-z]` and `[!abc]`; `\` quotes the next character.
///
/// Matching is on Unicode scalars, so `?` matches one code point, the unit of offsets.
public struct DocumentGlob: Sendable, Hashable {
  private let pattern: [Unicode.Scalar]

  /// Creates the pattern.
  public init(_ pattern: String) { self.pattern = Array(pattern.unicodeScalars) }

  /// Whether `id` matches the whole pattern.
  ///
  /// - Complexity: O(*n*·*m*) for an id of *n* and a pattern of *m* scalars (no backtracking blow-up).
  public func matches(_ id: String) -> Bool {
    let text = Array(id.unicodeScalars)
    // Classic two-pointer wildcard matching, remembering the last `*` to retry from.
    var p = 0
    var t = 0
    var star: Int? = nil
    var starText = 0
    while t < text.count {
      if p < pattern.count, pattern[p] == "*" {
        star = p
        starText = t
        p += 1
      } else if p < pattern.count, let width = matchOne(at: p, text[t]) {
        p += width
        t += 1
      } else if let s = star {
        p = s + 1
        starText += 1
        t = starText
      } else {
        return false
      }
    }
    while p < pattern.count && pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }

  /// The pattern width consumed when the element at `p` matches `c`, or `nil`.
  private func matchOne(at p: Int, _ c: Unicode.Scalar) -> Int? {
    switch pattern[p] {
    case "?": return 1
    case "\\" where p + 1 < pattern.count: return pattern[p + 1] == c ? 2 : nil
    case "[": return matchClass(at: p, c)
    default: return pattern[p] == c ? 1 : nil
    }
  }

  private func matchClass(at p: Int, _ c: Unicode.Scalar) -> Int? {
    var i = p + 1
    let negated = i < pattern.count && (pattern[i] == "!" || pattern[i] == "^")
    if negated { i += 1 }
    var matched = false
    var first = true
    while i < pattern.count && (first || pattern[i] != "]") {
      first = false
      if i + 2 < pattern.count, pattern[i + 1] == "-", pattern[i + 2] != "]" {
        if pattern[i].value <= c.value && c.value <= pattern[i + 2].value { matched = true }
        i += 3
      } else {
        if pattern[i] == c { matched = true }
        i += 1
      }
    }
    // An unclosed `[` is a literal bracket, as in fnmatch.
    guard i < pattern.count else { return c == "[" ? 1 : nil }
    return matched != negated ? i + 1 - p : nil
  }
}
