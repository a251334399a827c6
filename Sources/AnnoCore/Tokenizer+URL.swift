extension AffixRules {
  /// Whether `s[a..<b]` matches spaCy's `URL_MATCH` (`spacy/lang/tokenizer_exceptions.py`).
  ///
  /// The regex, anchored at both ends, is
  /// `(scheme://)? (\S+(:\S*)?@)? (IPv4 | (label\.)+ tld) (:port)? ([/?#]\S*)?`; since a chunk
  /// has no whitespace, `\S` is anything, so the host may start at 0, after `scheme://`, or
  /// after any `@` with something before it, and we try each start.
  func isURL(_ a: Int, _ b: Int) -> Bool {
    // Both the domain and the IPv4 form need a period; most chunks have none.
    guard (a..<b).contains(where: { s[$0] == "." }) else { return false }
    if host(from: a, b) { return true }
    // [\w\+\-\.]{2,}://
    var j = a
    while j < b, has(j, ScalarClass.word) || s[j] == "+" || s[j] == "-" || s[j] == "." { j += 1 }
    if j - a >= 2, j + 3 <= b, s[j] == ":", s[j + 1] == "/", s[j + 2] == "/", host(from: j + 3, b) {
      return true
    }
    for at in (a + 1)..<b where s[at] == "@" && host(from: at + 1, b) { return true }
    return false
  }

  /// Whether a host, then an optional port and path, spans `s[h..<b]` exactly.
  private func host(from h: Int, _ b: Int) -> Bool {
    guard h < b else { return false }
    if let end = ipv4(from: h, b), tail(from: end, b) { return true }
    // (?:(?:[X][X_-]{0,62})?[X]\.)+ then [{al}]{2,63}, X = [A-Za-z0-9\u00a1-\uffff].
    var i = h
    while true {
      // One label, then a period.
      let labelStart = i
      while i < b, isLabelChar(s[i]) { i += 1 }
      let length = i - labelStart
      guard length >= 1, length <= 64, i < b, s[i] == ".", isX(s[labelStart]), isX(s[i - 1])
      else { return false }
      i += 1
      // The top-level domain after it?
      var t = i
      while t < b, has(t, ScalarClass.lower) { t += 1 }
      if t - i >= 2, t - i <= 63, tail(from: t, b) { return true }
    }
  }

  /// Whether `(?::\d{2,5})?(?:[/?#]\S*)?$` matches from `i`.
  private func tail(from i: Int, _ b: Int) -> Bool {
    if i == b || s[i] == "/" || s[i] == "?" || s[i] == "#" { return true }
    guard s[i] == ":" else { return false }
    var d = i + 1
    while d < b, has(d, ScalarClass.digit) { d += 1 }
    guard (2...5).contains(d - i - 1) else { return false }
    return d == b || s[d] == "/" || s[d] == "?" || s[d] == "#"
  }

  private func isX(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0xA1...0xFFFF: return true
    default: return false
    }
  }

  private func isLabelChar(_ c: Unicode.Scalar) -> Bool { isX(c) || c == "_" || c == "-" }

  /// The end of a dotted IPv4 address at `h` that spaCy accepts (public, non-reserved), if any.
  private func ipv4(from h: Int, _ b: Int) -> Int? {
    var octets: [String] = []
    var i = h
    while octets.count < 4 {
      let start = i
      while i < b, is09(i), i - start < 4 { i += 1 }
      guard i > start, i - start <= 3 else { return nil }
      octets.append(String(String.UnicodeScalarView(s[start..<i])))
      if octets.count < 4 {
        guard i < b, s[i] == "." else { return nil }
        i += 1
      }
    }
    if i < b, is09(i) { return nil }
    let values = octets.compactMap { Int($0) }
    guard values.count == 4 else { return nil }
    let noLeadingZero = { (o: String) in o.count == 1 || !o.hasPrefix("0") }
    // First: [1-9]\d?|1\d\d|2[01]\d|22[0-3]; middle: 1?\d{1,2}|2[0-4]\d|25[0-5];
    // last: [1-9]\d?|1\d\d|2[0-4]\d|25[0-4].
    guard noLeadingZero(octets[0]), (1...223).contains(values[0]) else { return nil }
    for m in 1...2 where octets[m].count == 3 && !(100...255).contains(values[m]) { return nil }
    guard noLeadingZero(octets[3]), (1...254).contains(values[3]) else { return nil }
    // The private and local networks are excluded.
    if octets[0] == "10" || octets[0] == "127" { return nil }
    if (octets[0] == "169" && octets[1] == "254") || (octets[0] == "192" && octets[1] == "168") {
      return nil
    }
    if octets[0] == "172", octets[1].count == 2, (16...31).contains(values[1]) { return nil }
    return i
  }
}
