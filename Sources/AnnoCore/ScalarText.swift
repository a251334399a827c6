/// A text indexed by Unicode scalar offsets, for O(1) slicing by span offsets.
///
/// Swift's `String` indexes by `Character` (grapheme clusters) and needs a walk to reach
/// an offset; spans count scalars, so documents are turned into a scalar array once.
public struct ScalarText: Sendable, Hashable {
  /// The scalars of the text.
  public let scalars: [Unicode.Scalar]

  /// Creates the scalar view of `text`.
  public init(_ text: String) {
    var text = text
    // NB: decoding the (already valid) UTF-8 directly is several times faster than
    // `Array(text.unicodeScalars)`, which walks the string twice through its index model.
    scalars = text.withUTF8 { utf8 in
      [Unicode.Scalar](unsafeUninitializedCapacity: utf8.count) { buffer, count in
        var i = 0
        var n = 0
        let bytes = utf8.count
        let base = UnsafeRawPointer(utf8.baseAddress)
        while i < bytes {
          // NB: eight aligned ASCII bytes at a time (most of a text): each is its scalar.
          if let base, i + 8 <= bytes, Int(bitPattern: base + i) & 7 == 0,
            (base + i).load(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
          {
            for k in 0..<8 { buffer[n + k] = Unicode.Scalar(utf8[i + k]) }
            i += 8
            n += 8
            continue
          }
          let lead = UInt32(utf8[i])
          var value: UInt32
          if lead < 0x80 {
            value = lead
            i += 1
          } else if lead < 0xE0 {
            value = (lead & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
            i += 2
          } else if lead < 0xF0 {
            value =
              (lead & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
            i += 3
          } else {
            value =
              (lead & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F)
              << 6
              | UInt32(utf8[i + 3] & 0x3F)
            i += 4
          }
          buffer[n] = Unicode.Scalar(value) ?? "\u{FFFD}"
          n += 1
        }
        count = n
      }
    }
  }

  /// The number of scalars.
  public var count: Int { scalars.count }

  /// The text of a range of scalar offsets; `nil` when the range does not fit.
  public func slice(_ range: Range<Int>) -> String? {
    guard TextRange(range).fits(inTextOfLength: scalars.count) else { return nil }
    // NB: encoding to UTF-8 bytes first is several times faster than appending scalars to a
    // String.UnicodeScalarView one by one.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(range.count * 2)
    for scalar in scalars[range] {
      UTF8.encode(scalar) { bytes.append($0) }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The scalars of a range; none when the range does not fit (where `subscript` gives "").
  public func scalars(in range: Range<Int>) -> ArraySlice<Unicode.Scalar> {
    guard TextRange(range).fits(inTextOfLength: scalars.count) else { return [] }
    return scalars[range]
  }

  /// Whether the range holds exactly `text` (no string is built).
  public func range(_ range: Range<Int>, equals text: String) -> Bool {
    guard TextRange(range).fits(inTextOfLength: scalars.count) else { return false }
    return text.unicodeScalars.elementsEqual(scalars[range])
  }

  /// The text of a range that is known to fit.
  public subscript(range: Range<Int>) -> String {
    slice(range) ?? ""
  }
}
