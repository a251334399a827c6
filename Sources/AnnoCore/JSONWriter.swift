/// Writes JSON as compact UTF-8 bytes with sorted object keys, into a reusable buffer.
///
/// Output matches `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`: no spaces,
/// non-ASCII characters written as themselves, control characters escaped. Exporters write
/// millions of lines through one writer, so it appends to a byte array it keeps.
public struct JSONWriter: Sendable {
  /// The bytes written so far.
  public var bytes: [UInt8] = []

  /// Creates an empty writer with some capacity reserved.
  public init(capacity: Int = 1 << 16) {
    bytes.reserveCapacity(capacity)
  }

  /// Empties the buffer, keeping its capacity.
  public mutating func reset() {
    bytes.removeAll(keepingCapacity: true)
  }

  /// Appends raw ASCII punctuation or any pre-encoded text.
  public mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// Appends one byte.
  public mutating func byte(_ value: UInt8) {
    bytes.append(value)
  }

  /// Appends a JSON string literal.
  public mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { utf8 in
      guard let base = utf8.baseAddress.map(UnsafeRawPointer.init) else { return }
      var runStart = 0
      var i = 0
      while i < utf8.count {
        // NB: eight aligned bytes at a time while none of them needs escaping (most text).
        if i + 8 <= utf8.count, Int(bitPattern: base + i) & 7 == 0,
          !Self.mayNeedEscape((base + i).load(as: UInt64.self))
        {
          i += 8
          continue
        }
        let b = utf8[i]
        i += 1
        if b >= 0x20 && b != 0x22 && b != 0x5C { continue }
        let escaped = i - 1
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<escaped]))
        runStart = escaped + 1
        escape(b)
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Whether any of the eight bytes is a control character, `"` or `\` (exact: bytes of
  /// 0x80 and above, UTF-8's non-ASCII bytes, never count).
  @inline(__always)
  static func mayNeedEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & high != 0 }
    let control = (word &- 0x2020_2020_2020_2020) & ~word & high != 0
    return control || hasZeroByte(word ^ 0x2222_2222_2222_2222)
      || hasZeroByte(word ^ 0x5C5C_5C5C_5C5C_5C5C)
  }

  /// Appends an integer, in decimal.
  public mutating func int(_ value: Int) {
    if value >= 0 && value < 10 {
      bytes.append(UInt8(ascii: "0") + UInt8(value))
      return
    }
    // NB: digits written backwards into a small buffer; `String(value)` made a string per
    // number, a fifth of an export's writing thread.
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    var rest = value.magnitude
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var start = 20
      repeat {
        start -= 1
        digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      } while rest > 0
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
    }
  }

  /// Appends the text of these scalars as a JSON string literal: what `string(_:)` writes
  /// for the `String` they make, without making it.
  public mutating func string(scalars: ArraySlice<Unicode.Scalar>) {
    bytes.append(UInt8(ascii: "\""))
    for scalar in scalars {
      let value = scalar.value
      if value >= 0x80 {
        UTF8.encode(scalar) { bytes.append($0) }
      } else if value >= 0x20 && value != 0x22 && value != 0x5C {
        bytes.append(UInt8(value))
      } else {
        escape(UInt8(value))
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends the escape sequence of an ASCII control character, `"` or `\`.
  private mutating func escape(_ b: UInt8) {
    switch b {
    case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
    case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
    case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
    case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
    case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
    case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
    case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
    default:
      let hex: [UInt8] = Array("0123456789abcdef".utf8)
      bytes.append(contentsOf: [
        0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)],
      ])
    }
  }

  /// Appends a double in its shortest round-tripping form (integral values keep no `.0`
  /// only when they are integers in the model; doubles always print as Swift prints them).
  public mutating func double(_ value: Double) {
    if value.isFinite {
      bytes.append(contentsOf: value.description.utf8)
    } else {
      raw("null")
    }
  }

  /// Appends any JSON value, object keys sorted by code point.
  public mutating func value(_ value: JSONValue) {
    switch value {
    case .null: raw("null")
    case .bool(let b): b ? raw("true") : raw("false")
    case .int(let i): int(Int(i))
    case .double(let d): double(d)
    case .string(let s): string(s)
    case .array(let items):
      byte(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { byte(UInt8(ascii: ",")) }
        self.value(item)
      }
      byte(UInt8(ascii: "]"))
    case .object(let object):
      byte(UInt8(ascii: "{"))
      for (i, key) in object.keys.sorted(by: JSONWriter.keyOrder).enumerated() {
        if i > 0 { byte(UInt8(ascii: ",")) }
        string(key)
        byte(UInt8(ascii: ":"))
        self.value(object[key] ?? .null)
      }
      byte(UInt8(ascii: "}"))
    }
  }

  /// The order of object keys: by Unicode code points (as `JSONEncoder.sortedKeys` does for
  /// ASCII keys).
  public static func keyOrder(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
  }

  /// Serializes one value to a string.
  public static func string(for value: JSONValue) -> String {
    var writer = JSONWriter(capacity: 256)
    writer.value(value)
    return String(decoding: writer.bytes, as: UTF8.self)
  }
}

/// Writes the members of one JSON object in the order the caller gives, which must already
/// be sorted; used by exporters that know their keys statically.
public struct JSONObjectWriter {
  private var isFirst = true

  /// Starts an object.
  public init(_ writer: inout JSONWriter) {
    writer.byte(UInt8(ascii: "{"))
  }

  /// Writes a key and its separator; the caller then writes the value.
  public mutating func key(_ name: StaticString, _ writer: inout JSONWriter) {
    if !isFirst { writer.byte(UInt8(ascii: ",")) }
    isFirst = false
    writer.byte(UInt8(ascii: "\""))
    writer.raw(name)
    writer.raw("\":")
  }

  /// Writes a dynamic key and its separator.
  public mutating func key(string name: String, _ writer: inout JSONWriter) {
    if !isFirst { writer.byte(UInt8(ascii: ",")) }
    isFirst = false
    writer.string(name)
    writer.byte(UInt8(ascii: ":"))
  }

  /// Closes the object.
  public func end(_ writer: inout JSONWriter) {
    writer.byte(UInt8(ascii: "}"))
  }
}
