import AnnoCore
import Foundation

/// A document's explicit tokens as stored: a BLOB of `(start, end)` pairs of code point offsets,
/// each a little-endian `Int32`, eight bytes a token, in text order.
///
/// Read back without parsing (JSON text took a parse of every pair on every read). Offsets fit:
/// an imported line is at most 64 MiB, so no document has 2³¹ code points.
enum PackedTokens {
  /// The bytes of `tokens`' ranges.
  static func pack(_ tokens: [Token]) -> Data {
    var data = Data(capacity: tokens.count * 8)
    for token in tokens {
      for offset in [token.start, token.end] {
        withUnsafeBytes(of: Int32(truncatingIfNeeded: offset).littleEndian) {
          data.append(contentsOf: $0)
        }
      }
    }
    return data
  }

  /// The ranges packed in `bytes`, leaving out any that is empty or reversed (as the JSON
  /// reader did); a trailing partial pair is ignored.
  static func ranges(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(bytes.count / 8)
    var offset = 0
    while offset + 8 <= bytes.count {
      let start = Int(
        Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
      let end = Int(
        Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: Int32.self)))
      if end > start { ranges.append(start..<end) }
      offset += 8
    }
    return ranges
  }

  /// The ranges of a JSON list of `[start, end]` pairs (how databases before migration v11 store
  /// tokens), leaving out any pair that is not two integers with `end > start`.
  static func ranges(json: String) -> [Range<Int>]? {
    guard case .array(let pairs)? = try? JSONParser.parse(json) else { return nil }
    return pairs.compactMap { pair in
      guard let start = pair.arrayValue?.first?.intValue,
        let end = pair.arrayValue?.last?.intValue, end > start
      else {
        return nil
      }
      return start..<end
    }
  }
}
