/// Safe, injective and reversible file and folder names for everything an export names a
/// path after: document ids, annotator names, split names, schema field names (hf configs).
/// Every writer builds its paths through ``encode(_:)``, so no name can leave the folder.
///
/// Every byte of the UTF-8 name outside `[A-Za-z0-9._-]` becomes `%XX` (upper-case hex), and
/// so does a leading `.`; the empty name becomes `%`. The result never contains `/`, never
/// starts with `.` (so never `.` or `..`, nor a hidden file), and distinct names give
/// distinct results (percent-encoding with `%` itself encoded is injective), so an id like
/// `../../etc/x` stays inside the output folder as `..%2F..%2Fetc%2Fx` → `%2E.%2F..%2Fetc%2Fx`.
///
/// NB: on case-insensitive file systems (macOS by default) `A` and `a` still collide; Linux,
/// where datasets are usually built, is case-sensitive.
public enum SafeFileName {
  /// The encoded name.
  public static func encode(_ name: String) -> String {
    if name.isEmpty { return "%" }
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for (i, byte) in name.utf8.enumerated() {
      let isSafe =
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
        || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D || (byte == 0x2E && i > 0)
      if isSafe {
        out.append(byte)
      } else {
        out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The name an encoded name came from, or `nil` if it is not an encoding.
  public static func decode(_ encoded: String) -> String? {
    if encoded == "%" { return "" }
    var bytes: [UInt8] = []
    var iterator = Array(encoded.utf8).makeIterator()
    while let byte = iterator.next() {
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard let high = iterator.next().flatMap(hexValue),
        let low = iterator.next().flatMap(hexValue)
      else {
        return nil
      }
      bytes.append(high << 4 | low)
    }
    return String(validating: bytes, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
