import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@Suite struct JSONParserTests {
  @Test func parsesNestedValuesKeepingIntegerKinds() throws {
    let value = try JSONParser.parse(#"{"a": [1, -2.5, true, null, "x"], "b": {"c": 3e2}}"#)
    #expect(value["a"] == .array([.int(1), .double(-2.5), .bool(true), .null, .string("x")]))
    #expect(value["b"]?["c"] == .double(300))
  }

  @Test func decodesEscapesAndSurrogatePairs() throws {
    let value = try JSONParser.parse(#""tab\t quote\" slash\/ \u00e9 \ud83d\udc4d""#)
    #expect(value == .string("tab\t quote\" slash/ é 👍"))
  }

  @Test(arguments: [
    (#"{"a": 1,}"#, "expected a string key", 9),
    (#"{"a" 1}"#, "expected ':' after key \"a\"", 6),
    (#"[1, 2"#, "unexpected end of input in an array", 6),
    (#"{"a": 01}"#, "leading zeros are not allowed in numbers", 8),
    (#""\ud800""#, "unpaired surrogate in \\u escape", 8),
    (#"{"a": 1, "a": 2}"#, "duplicate key \"a\"", 16),
    ("\"line\nbreak\"", "control character in a string; escape it", 6),
    (#"{"a": 1} x"#, "unexpected characters after the JSON value", 10),
  ])
  func rejectsMalformedInputWithColumn(input: String, message: String, column: Int) {
    #expect(throws: JSONParser.SyntaxError(message: message, column: column)) {
      try JSONParser.parse(input)
    }
  }

  @Test func rejectsInvalidUTF8InsideStrings() {
    let bytes: [UInt8] = Array(#"{"text": "caf"#.utf8) + [0xE9] + Array(#""}"#.utf8)
    #expect(throws: JSONParser.SyntaxError(message: "string is not valid UTF-8", column: 11)) {
      try JSONParser.parse(bytes)
    }
  }

  @Test func refusesNestingDeeperThanTheLimit() {
    let deep =
      String(repeating: "[", count: JSONParser.maximumDepth + 1)
      + String(repeating: "]", count: JSONParser.maximumDepth + 1)
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
  }

  @Test func writerSortsKeysAndEscapesLikeJSONEncoder() {
    let value: JSONValue = .object([
      "b": .string("a/b \"q\" \n\u{1}é👍"), "a": .int(-3),
      "c": .array([.double(0.5), .bool(false), .null]),
    ])
    #expect(
      JSONWriter.string(for: value) == #"{"a":-3,"b":"a/b \"q\" \n\u0001é👍","c":[0.5,false,null]}"#)
  }

  /// Strings are escaped eight bytes at a time where nothing needs it: the output is what
  /// escaping byte by byte gives, for every length and every position of a special byte.
  @Test func stringsAreEscapedExactlyAsByteByByte() {
    func reference(_ text: String) -> [UInt8] {
      var out: [UInt8] = [0x22]
      for b in text.utf8 {
        switch b {
        case 0x22: out += Array(#"\""#.utf8)
        case 0x5C: out += Array(#"\\"#.utf8)
        case 0x0A: out += Array(#"\n"#.utf8)
        case 0x0D: out += Array(#"\r"#.utf8)
        case 0x09: out += Array(#"\t"#.utf8)
        case 0x08: out += Array(#"\b"#.utf8)
        case 0x0C: out += Array(#"\f"#.utf8)
        case 0..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
        default: out.append(b)
        }
      }
      return out + [0x22]
    }
    let pieces = [
      "a", "Zz", " ", "\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{7F}", "é", "—", "中", "😀", "/", "\t",
      "plain words ",
    ]
    var generator = SplitMix(seed: 21)
    for _ in 0..<2_000 {
      var text = ""
      for _ in 0..<Int(generator.next() % 60) {
        // Mostly plain text, as documents are, so that long runs take the eight-byte path.
        text +=
          generator.next() % 4 == 0
          ? pieces[Int(generator.next() % UInt64(pieces.count))] : "plain "
      }
      var writer = JSONWriter(capacity: 64)
      writer.string(text)
      #expect(writer.bytes == reference(text), "\(text.debugDescription)")
    }
  }

  /// Integers are written digit by digit, scalars without making a string first: the same
  /// bytes as the standard library's decimal and `string(_:)`.
  @Test func integersAndScalarsAreWrittenAsTheirStrings() {
    for value in [0, 9, 10, -1, -10, 99, 100, 1_234_567, Int.max, Int.min, Int.min + 1] {
      var writer = JSONWriter(capacity: 8)
      writer.int(value)
      #expect(writer.bytes == Array(String(value).utf8), "\(value)")
    }
    let alphabet: [Unicode.Scalar] = [
      "a", " ", "\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{7F}", "é", "—", "中", "😀", "\u{10FFFF}",
    ]
    var generator = SplitMix(seed: 5)
    for _ in 0..<2_000 {
      let scalars = (0..<Int(generator.next() % 30)).map { _ in
        alphabet[Int(generator.next() % UInt64(alphabet.count))]
      }
      var direct = JSONWriter(capacity: 8)
      direct.string(scalars: scalars[...])
      var viaString = JSONWriter(capacity: 8)
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars)
      viaString.string(String(view))
      #expect(direct.bytes == viaString.bytes)
    }
  }

  @Test func writerOutputParsesBackToTheSameValue() throws {
    var generator = SplitMix(seed: 7)
    for _ in 0..<200 {
      let value = randomValue(depth: 0, &generator)
      #expect(try JSONParser.parse(JSONWriter.string(for: value)) == value)
    }
  }

  private func randomValue(depth: Int, _ g: inout SplitMix) -> JSONValue {
    let pick = Int(g.next() % (depth > 2 ? 5 : 7))
    switch pick {
    case 0: return .null
    case 1: return .bool(g.next() % 2 == 0)
    case 2: return .int(Int64(bitPattern: g.next()) >> 20)
    case 3: return .double(Double(g.next() % 10_000) / 64)
    case 4:
      let alphabet: [Unicode.Scalar] = [
        "a", "\"", "\\", "\n", "\u{0}", "é", "😀", "中", "\u{301}", "/",
      ]
      var s = String.UnicodeScalarView()
      for _ in 0..<(g.next() % 8) { s.append(alphabet[Int(g.next() % UInt64(alphabet.count))]) }
      return .string(String(s))
    case 5: return .array((0..<(g.next() % 4)).map { _ in randomValue(depth: depth + 1, &g) })
    default:
      var object: [String: JSONValue] = [:]
      for i in 0..<(g.next() % 4) {
        object["k\(i)\(g.next() % 3)"] = randomValue(depth: depth + 1, &g)
      }
      return .object(object)
    }
  }
}
