import Foundation

/// A regular expression written as for Python's `re`, matched by ICU (Foundation's
/// `NSRegularExpression`) with Python's meaning.
///
/// Annotators know Python's `re`, so `/…/` selectors take its syntax and behave like it on
/// text. ICU's syntax is close; where its meaning differs, the pattern is rewritten:
///
/// - `\w` and `\W` are Python's: letters, numbers and `_` (`[\p{L}\p{N}_]`); ICU's also take
///   combining marks and joiners.
/// - `\b` and `\B` are boundaries between Python's `\w` and the rest; ICU's ignore combining
///   marks.
/// - `\s` and `\S` include U+001C–U+001F, as Python's do.
/// - `\Z` is the very end of the text (ICU's `\z`); `.`, `^` and `$` know only `\n` as a line
///   end (ICU's Unix-lines mode), as Python's do, and `.` takes `\r` and `\n` of a CR LF one
///   at a time.
/// - `(?P<name>…)` and `(?P=name)` become ICU's `(?<name>…)` and `\k<name>`.
/// - `{` and `}` that are not a quantifier are literal, and `{,n}` means `{0,n}`.
/// - Inside `[…]`, `[` and `&` are literal (ICU would read nested sets), and `\b` is a
///   backspace.
///
/// Offsets are code points, like Python's string indices. `\d`, `(?i)`, `(?m)`, `(?s)`,
/// `(?x)`, look-arounds, backreferences and lazy quantifiers need no rewriting. ICU adds
/// what Python lacks (`\p{…}`, possessive quantifiers on older Pythons); Python's ASCII and
/// locale flags (`(?a)`, `(?L)`) are not available.
public struct PythonRegex: Sendable {
  /// The pattern as typed.
  public let pattern: String
  /// The pattern as ICU reads it.
  public let translated: String
  private let regex: NSRegularExpression

  /// A pattern ICU cannot compile.
  public struct SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// Creates the error.
    public init(description: String) {
      self.description = description
    }
  }

  /// Compiles a Python-syntax pattern.
  public init(_ pattern: String) throws(SyntaxError) {
    self.pattern = pattern
    translated = Self.translate(pattern)
    do {
      regex = try NSRegularExpression(pattern: translated, options: [.useUnixLineSeparators])
    } catch {
      throw SyntaxError(description: Self.diagnose(pattern))
    }
  }

  /// Every non-empty match, left to right, as code point ranges.
  public func matches(in text: ScalarText) -> [Range<Int>] {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: text.scalars)
    let string = String(view)
    // UTF-16 offset → code point offset.
    var scalarOffset = [Int]()
    scalarOffset.reserveCapacity(text.count + 16)
    for (i, scalar) in text.scalars.enumerated() {
      scalarOffset.append(i)
      if scalar.value > 0xFFFF { scalarOffset.append(i) }
    }
    scalarOffset.append(text.count)
    let all = NSRange(location: 0, length: scalarOffset.count - 1)
    return regex.matches(in: string, range: all).compactMap { match in
      let range = match.range
      guard range.location != NSNotFound, range.length > 0 else { return nil }
      return scalarOffset[range.location]..<scalarOffset[range.location + range.length]
    }
  }

  private static let word = #"\p{L}\p{N}_"#
  private static let space = #"\s\x{1c}-\x{1f}"#

  /// The pattern rewritten for ICU with Python's meaning (see the type's documentation).
  public static func translate(_ pattern: String) -> String {
    let p = Array(pattern.unicodeScalars)
    var out = ""
    var i = 0
    var inClass = false
    var atClassStart = false  // a `]` here is literal, as in Python
    func rest(_ prefix: String) -> Bool {
      let scalars = Array(prefix.unicodeScalars)
      return i + scalars.count <= p.count && Array(p[i..<(i + scalars.count)]) == scalars
    }
    while i < p.count {
      let c = p[i]
      if c == "\\" && i + 1 < p.count {
        let n = p[i + 1]
        i += 2
        if inClass {
          atClassStart = false
          switch n {
          case "w": out += word
          case "W": out += "[^\(word)]"
          case "s": out += space
          case "S": out += "[^\(space)]"
          case "b": out += #"\x{08}"#
          default: out += "\\" + String(n)
          }
        } else {
          switch n {
          case "w": out += "[\(word)]"
          case "W": out += "[^\(word)]"
          case "s": out += "[\(space)]"
          case "S": out += "[^\(space)]"
          case "b": out += "(?:(?<=[\(word)])(?![\(word)])|(?<![\(word)])(?=[\(word)]))"
          case "B": out += "(?:(?<=[\(word)])(?=[\(word)])|(?<![\(word)])(?![\(word)]))"
          case "Z": out += #"\z"#
          default: out += "\\" + String(n)
          }
        }
        continue
      }
      if inClass {
        if c == "]" && !atClassStart {
          inClass = false
          out += "]"
        } else if c == "[" || c == "&" || c == "]" {
          out += "\\" + String(c)
        } else {
          out.unicodeScalars.append(c)
        }
        atClassStart = false
        i += 1
        continue
      }
      switch c {
      case "[":
        inClass = true
        atClassStart = true
        out += "["
        i += 1
        if i < p.count && p[i] == "^" {
          out += "^"
          i += 1
        }
        continue
      case "(" where rest("(?P<"):
        out += "(?<"
        i += 4
        continue
      case "(" where rest("(?P="):
        var j = i + 4
        var name = ""
        while j < p.count && p[j] != ")" {
          name.unicodeScalars.append(p[j])
          j += 1
        }
        out += "\\k<\(name)>"
        i = min(j + 1, p.count)
        continue
      case "{":
        if let (quantifier, length) = quantifier(p, at: i) {
          out += quantifier
          i += length
        } else {
          out += "\\{"
          i += 1
        }
        continue
      case "}":
        out += "\\}"
      case ".":
        // ICU's dot takes CR LF as one character; Python's takes one code point.
        out += #"(?:(?!\r\n).|\r)"#
      default:
        out.unicodeScalars.append(c)
      }
      i += 1
    }
    return out
  }

  /// A quantifier `{m}`, `{m,}`, `{,n}` or `{m,n}` at `i`, for ICU, and its length.
  private static func quantifier(_ p: [Unicode.Scalar], at i: Int) -> (String, Int)? {
    var j = i + 1
    var low = ""
    var high: String?
    while j < p.count, p[j].properties.numericType == .decimal, p[j].isASCII {
      low.unicodeScalars.append(p[j])
      j += 1
    }
    if j < p.count && p[j] == "," {
      j += 1
      var digits = ""
      while j < p.count, p[j].properties.numericType == .decimal, p[j].isASCII {
        digits.unicodeScalars.append(p[j])
        j += 1
      }
      high = digits
    }
    guard j < p.count, p[j] == "}", !(low.isEmpty && (high ?? "").isEmpty) else { return nil }
    let text = high.map { "{\(low.isEmpty ? "0" : low),\($0)}" } ?? "{\(low)}"
    return (text, j - i + 1)
  }

  /// Why a pattern does not compile, as far as simple checks can tell.
  static func diagnose(_ pattern: String) -> String {
    var depth = 0
    var inClass = false
    var escaped = false
    for character in pattern {
      if escaped {
        escaped = false
        continue
      }
      switch character {
      case "\\": escaped = true
      case "[" where !inClass: inClass = true
      case "]" where inClass: inClass = false
      case "(" where !inClass: depth += 1
      case ")" where !inClass:
        depth -= 1
        if depth < 0 { return "unbalanced parenthesis" }
      default: break
      }
    }
    if escaped { return "a trailing backslash" }
    if inClass { return "a [ without its ]" }
    if depth > 0 { return "missing ), unterminated subpattern" }
    return "not a valid pattern (Python's re syntax; see 'help tag')"
  }
}
