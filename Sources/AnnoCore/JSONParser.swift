/// A strict JSON parser over UTF-8 bytes (RFC 8259), with positions in its errors.
///
/// NB: Foundation's `JSONDecoder` allocates heavily on small lines and reports positions
/// poorly; importing millions of JSONL lines needs both speed and `file:line:column`
/// messages, so Anno parses JSON itself. Nesting is limited to keep hostile input from
/// exhausting the stack.
public struct JSONParser {
  /// A syntax error, with the 1-based column (in bytes) where it was found.
  public struct SyntaxError: Error, Hashable, Sendable {
    /// What is wrong.
    public var message: String
    /// The 1-based byte column.
    public var column: Int

    /// Creates an error.
    public init(message: String, column: Int) {
      self.message = message
      self.column = column
    }
  }

  /// The deepest nesting accepted.
  public static let maximumDepth = 512

  /// Parses one JSON value filling all of `bytes` (surrounding whitespace allowed).
  ///
  /// - Throws: `SyntaxError` for malformed JSON or invalid UTF-8 inside strings.
  public static func parse(_ bytes: some Collection<UInt8>) throws(SyntaxError) -> JSONValue {
    let array = Array(bytes)
    return try array.withUnsafeBufferPointer { buffer throws(SyntaxError) in
      var parser = Cursor(bytes: buffer)
      parser.skipWhitespace()
      let value = try parser.parseValue(depth: 0)
      parser.skipWhitespace()
      if parser.position < buffer.count {
        throw parser.error("unexpected characters after the JSON value")
      }
      return value
    }
  }

  /// Parses a JSON value from a string.
  public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
    try parse(Array(text.utf8))
  }
}

private struct Cursor {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  func error(_ message: String) -> JSONParser.SyntaxError {
    JSONParser.SyntaxError(message: message, column: position + 1)
  }

  mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  mutating func parseValue(depth: Int) throws(JSONParser.SyntaxError) -> JSONValue {
    guard position < bytes.count else { throw error("unexpected end of input") }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
    case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      try expectLiteral("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expectLiteral("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expectLiteral("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw error("unexpected character '\(printable(bytes[position]))'")
    }
  }

  func printable(_ byte: UInt8) -> String {
    byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
  }

  mutating func expectLiteral(_ literal: StaticString) throws(JSONParser.SyntaxError) {
    let count = literal.utf8CodeUnitCount
    guard position + count <= bytes.count else { throw error("invalid literal") }
    let start = literal.utf8Start
    for i in 0..<count where bytes[position + i] != start[i] {
      throw error("invalid literal")
    }
    position += count
  }

  mutating func parseObject(depth: Int) throws(JSONParser.SyntaxError) -> JSONValue {
    guard depth <= JSONParser.maximumDepth else { throw error("nesting too deep") }
    position += 1
    var object = [String: JSONValue](minimumCapacity: 8)
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
      return .object(object)
    }
    while true {
      skipWhitespace()
      guard position < bytes.count else { throw error("unexpected end of input in an object") }
      guard bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let key = try parseString()
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
        throw error("expected ':' after key \"\(key)\"")
      }
      position += 1
      skipWhitespace()
      let value = try parseValue(depth: depth)
      if object.updateValue(value, forKey: key) != nil {
        throw error("duplicate key \"\(key)\"")
      }
      skipWhitespace()
      guard position < bytes.count else { throw error("unexpected end of input in an object") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .object(object)
      } else {
        throw error("expected ',' or '}' in an object")
      }
    }
  }

  mutating func parseArray(depth: Int) throws(JSONParser.SyntaxError) -> JSONValue {
    guard depth <= JSONParser.maximumDepth else { throw error("nesting too deep") }
    position += 1
    var array: [JSONValue] = []
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
      position += 1
      return .array(array)
    }
    while true {
      skipWhitespace()
      array.append(try parseValue(depth: depth))
      skipWhitespace()
      guard position < bytes.count else { throw error("unexpected end of input in an array") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] == UInt8(ascii: "]") {
        position += 1
        return .array(array)
      } else {
        throw error("expected ',' or ']' in an array")
      }
    }
  }

  mutating func parseString() throws(JSONParser.SyntaxError) -> String {
    position += 1
    let start = position
    // Fast path: no escapes, ASCII or valid UTF-8 copied in one go.
    var allBytes: UInt8 = 0
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
        position += 1
        // NB: ASCII needs no validation, and `String(validating:as:)` is generic: each call
        // looks up type metadata, which cost more than the copy for the short keys and labels
        // that make up most strings of a record.
        if allBytes < 0x80 { return String(decoding: slice, as: UTF8.self) }
        return try decodeUTF8(slice, at: start)
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw error("control character in a string; escape it") }
      allBytes |= byte
      position += 1
    }
    var buffer = Array(bytes[start..<position])
    while position < bytes.count {
      let byte = bytes[position]
      switch byte {
      case UInt8(ascii: "\""):
        position += 1
        return try buffer.withUnsafeBufferPointer { b throws(JSONParser.SyntaxError) in
          try decodeUTF8(b, at: start)
        }
      case UInt8(ascii: "\\"):
        position += 1
        guard position < bytes.count else { throw error("unterminated escape") }
        let escape = bytes[position]
        position += 1
        switch escape {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
          var code = try parseHex4()
          if (0xD800..<0xDC00).contains(code) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
              bytes[position + 1] == UInt8(ascii: "u")
            else { throw error("unpaired surrogate in \\u escape") }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid surrogate pair") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          } else if (0xDC00..<0xE000).contains(code) {
            throw error("unpaired surrogate in \\u escape")
          }
          guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
          buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
          throw error("invalid escape '\\\(printable(escape))'")
        }
      default:
        if byte < 0x20 { throw error("control character in a string; escape it") }
        buffer.append(byte)
        position += 1
      }
    }
    throw error("unterminated string")
  }

  mutating func parseHex4() throws(JSONParser.SyntaxError) -> UInt32 {
    guard position + 4 <= bytes.count else { throw error("incomplete \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw error("invalid hex digit in \\u escape")
      }
      value = value << 4 | digit
      position += 1
    }
    return value
  }

  func decodeUTF8(_ slice: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONParser.SyntaxError)
    -> String
  {
    if let string = String(validating: slice, as: UTF8.self) { return string }
    throw JSONParser.SyntaxError(message: "string is not valid UTF-8", column: start + 1)
  }

  mutating func parseNumber() throws(JSONParser.SyntaxError) -> JSONValue {
    let start = position
    var isInteger = true
    if bytes[position] == UInt8(ascii: "-") { position += 1 }
    guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
    if bytes[position] == UInt8(ascii: "0") {
      position += 1
      if position < bytes.count, isDigit(bytes[position]) {
        throw error("leading zeros are not allowed in numbers")
      }
    } else {
      while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
      isInteger = false
      position += 1
      guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
      while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }
    if position < bytes.count,
      bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")
    {
      isInteger = false
      position += 1
      if position < bytes.count,
        bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
      {
        position += 1
      }
      guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
      while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }
    let text = String(
      decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    if isInteger, let int = Int64(text) { return .int(int) }
    guard let double = Double(text), double.isFinite else {
      throw JSONParser.SyntaxError(message: "number out of range", column: start + 1)
    }
    return .double(double)
  }

  func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
