/// Word wrapping by display width, for every kind of shell output.
///
/// Widths are terminal columns (`DisplayText.width`): wide characters take two, combining
/// marks none, colour escapes none. A word longer than the line is broken across lines, its
/// escapes kept whole, so no line is ever wider than asked.
public enum TextWrap {
  /// Wraps one line (no newlines in it) to `width` columns.
  ///
  /// - Parameters:
  ///   - line: the line.
  ///   - width: the columns available (at least 1).
  ///   - indent: what continuation lines start with (counted in the width).
  /// - Returns: the pieces, the first unindented, the rest starting with `indent`.
  /// Wraps `text` into lines of at most `width` columns at spaces; the first line starts with
  /// `first`, the others with `rest`. Every line ends with a newline.
  public static func paragraph(_ text: String, width: Int, first: String, rest: String) -> String {
    wrap(first + text, width: width, indent: rest).joined(separator: "\n") + "\n"
  }

  public static func wrap(_ line: String, width: Int, indent: String = "") -> [String] {
    let width = max(1, width)
    guard DisplayText.width(of: line) > width else { return [line] }
    let indentWidth = DisplayText.width(of: indent)
    let continuation = max(1, width - indentWidth)
    let indent = indentWidth < width ? indent : ""
    var result: [String] = []
    var current = ""
    var currentWidth = 0
    var hasContent = false
    var limit = width
    func finishLine() {
      result.append(result.isEmpty ? current : indent + current)
      current = ""
      currentWidth = 0
      hasContent = false
      limit = continuation
    }
    for piece in line.split(separator: " ", omittingEmptySubsequences: false) {
      var word = String(piece)
      var wordWidth = DisplayText.width(of: word)
      // Spaces where a line breaks are dropped.
      if word.isEmpty && !hasContent && !result.isEmpty { continue }
      if !hasContent || currentWidth + 1 + wordWidth <= limit {
        if hasContent {
          current += " "
          currentWidth += 1
        }
        if currentWidth + wordWidth <= limit {
          current += word
          currentWidth += wordWidth
          hasContent = true
          continue
        }
      }
      if hasContent && currentWidth > 0 { finishLine() }
      // A word wider than a whole line is cut into pieces that fit.
      while wordWidth > limit - currentWidth {
        let (head, tail) = split(word, atWidth: limit - currentWidth)
        current += head
        finishLine()
        word = tail
        wordWidth = DisplayText.width(of: tail)
      }
      current += word
      currentWidth += wordWidth
      hasContent = true
    }
    if hasContent || result.isEmpty { finishLine() }
    return result
  }

  /// Wraps every line of `text` that is wider than `width`, continuing each with its own
  /// leading spaces (and a list item's marker width), so indented blocks stay indented.
  public static func wrapLines(_ text: String, width: Int) -> String {
    var out = ""
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let endsWithNewline = text.hasSuffix("\n")
    if endsWithNewline { lines.removeLast() }
    for (i, line) in lines.enumerated() {
      let line = String(line)
      let pieces = wrap(line, width: width, indent: hangingIndent(of: line))
      out += pieces.joined(separator: "\n")
      if i < lines.count - 1 || endsWithNewline { out += "\n" }
    }
    return out
  }

  /// The indent continuation lines of `line` take: its leading spaces, plus the width of a
  /// list marker (`- `, `* `, `1. `) that follows them.
  public static func hangingIndent(of line: String) -> String {
    let leading = line.prefix { $0 == " " }
    let rest = line.dropFirst(leading.count)
    var marker = 0
    if rest.hasPrefix("- ") || rest.hasPrefix("* ") || rest.hasPrefix("• ") {
      marker = 2
    } else {
      let digits = rest.prefix { $0.isASCII && $0.isNumber }
      if !digits.isEmpty && rest.dropFirst(digits.count).hasPrefix(". ") {
        marker = digits.count + 2
      }
    }
    return String(repeating: " ", count: leading.count + marker)
  }

  /// Splits `word` so the head is at most `width` columns (at least one character), keeping
  /// escape sequences whole.
  static func split(_ word: String, atWidth width: Int) -> (String, String) {
    var head = String.UnicodeScalarView()
    var used = 0
    var inEscape = false
    var index = word.unicodeScalars.startIndex
    while index < word.unicodeScalars.endIndex {
      let scalar = word.unicodeScalars[index]
      if inEscape {
        head.append(scalar)
        if scalar == "m" { inEscape = false }
      } else if scalar == "\u{1B}" {
        head.append(scalar)
        inEscape = true
      } else {
        let scalarWidth = DisplayText.width(of: scalar)
        if used + scalarWidth > width && used > 0 { break }
        head.append(scalar)
        used += scalarWidth
      }
      index = word.unicodeScalars.index(after: index)
    }
    return (String(head), String(word.unicodeScalars[index...]))
  }
}
