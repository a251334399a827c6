/// Natural order for ids and item keys: runs of digits compare as numbers, so `140` comes
/// before `1045` and `doc-9` before `doc-10`.
public enum NaturalOrder {
  /// A key whose plain (byte-wise) order is the natural order of `text`: each run of ASCII
  /// digits, without its leading zeros, is written as its length (two digits, after U+0001,
  /// which sorts before every other character) followed by the digits.
  ///
  /// SQLite's BINARY collation sorts the keys in natural order, so an index can hold them.
  public static func key(_ text: String) -> String {
    var out = ""
    var digits = ""
    func flush() {
      guard !digits.isEmpty else { return }
      let trimmed = digits.drop { $0 == "0" }
      let number = trimmed.isEmpty ? "0" : String(trimmed)
      let length = String(min(number.count, 99))
      out += "\u{1}" + String(repeating: "0", count: 2 - length.count) + length + number
      digits = ""
    }
    for scalar in text.unicodeScalars {
      if scalar.value >= 48 && scalar.value <= 57 {
        digits.unicodeScalars.append(scalar)
      } else {
        flush()
        out.unicodeScalars.append(scalar)
      }
    }
    flush()
    return out
  }

  /// Whether `a` comes before `b` in natural order (ties broken by the plain text).
  public static func precedes(_ a: String, _ b: String) -> Bool {
    let (ka, kb) = (key(a), key(b))
    return ka != kb ? Array(ka.utf8).lexicographicallyPrecedes(kb.utf8) : a < b
  }
}
