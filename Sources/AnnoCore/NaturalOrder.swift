/// Natural order for ids and item keys: runs of digits compare as numbers, so `140` comes
/// before `1045` and `doc-9` before `doc-10`.
public enum NaturalOrder {
  /// A key whose plain (byte-wise) order is the natural order of `text`: each run of ASCII
  /// digits, without its leading zeros, is written as its length (two digits, after U+0001,
  /// which sorts before every other character) followed by the digits.
  ///
  /// SQLite's BINARY collation sorts the keys in natural order, so an index can hold them.
  public static func key(_ text: String) -> String {
    String(decoding: keyBytes(text), as: UTF8.self)
  }

  /// `key(text)` as UTF-8 bytes. Digits are ASCII and no byte of a longer UTF-8 sequence is
  /// one, so the text's other bytes are copied as they are.
  static func keyBytes(_ text: String) -> [UInt8] {
    var text = text
    return text.withUTF8 { bytes in
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count + 8)
      var index = 0
      while index < bytes.count {
        guard isDigit(bytes[index]) else {
          out.append(bytes[index])
          index += 1
          continue
        }
        var end = index
        while end < bytes.count && isDigit(bytes[end]) { end += 1 }
        var first = index
        while first < end && bytes[first] == UInt8(ascii: "0") { first += 1 }
        let length = min(max(end - first, 1), 99)
        out.append(1)
        out.append(UInt8(ascii: "0") + UInt8(length / 10))
        out.append(UInt8(ascii: "0") + UInt8(length % 10))
        if first == end {
          out.append(UInt8(ascii: "0"))
        } else {
          out.append(contentsOf: bytes[first..<end])
        }
        index = end
      }
      return out
    }
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// Whether `a` comes before `b` in natural order (ties broken by the plain text).
  public static func precedes(_ a: String, _ b: String) -> Bool {
    precedes(a, keyBytes(a), b, keyBytes(b))
  }

  /// `elements` in the natural order of `text(element)` (ties broken by the plain text), each
  /// element's key computed once rather than at every comparison.
  public static func sorted<Element>(
    _ elements: some Sequence<Element>, by text: (Element) -> String
  ) -> [Element] {
    elements.map { (text: text($0), key: keyBytes(text($0)), element: $0) }
      .sorted { precedes($0.text, $0.key, $1.text, $1.key) }
      .map(\.element)
  }

  private static func precedes(_ a: String, _ keyA: [UInt8], _ b: String, _ keyB: [UInt8])
    -> Bool
  {
    keyA != keyB ? keyA.lexicographicallyPrecedes(keyB) : a < b
  }
}
