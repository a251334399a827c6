#if canImport(Glibc)
  import Glibc
#endif

/// Facts about the terminal, and the colour decision.
public enum Terminal {
  /// Whether a file descriptor is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

  /// The width of standard output's terminal in columns (80 when unknown, at least 20).
  public static func width() -> Int {
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return max(20, Int(size.ws_col)) }
    return columnsVariable() ?? 80
  }

  /// The rows and columns of standard output's terminal, read now (it may have been resized
  /// since the last call); 24 × 80 when unknown.
  public static func size() -> (rows: Int, columns: Int) {
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
      return (max(4, Int(size.ws_row)), max(20, Int(size.ws_col)))
    }
    return (24, width())
  }

  /// `$COLUMNS` when it is set to a number of columns.
  public static func columnsVariable() -> Int? {
    getenv("COLUMNS").flatMap { Int(String(cString: $0)) }.flatMap { $0 > 0 ? max(20, $0) : nil }
  }

  /// When to colour output.
  public enum ColorMode: String, Sendable, CaseIterable {
    case auto, always, never

    /// Whether to colour: `auto` colours only a terminal on standard output with `NO_COLOR`
    /// unset (https://no-color.org).
    public func isEnabled(environment: [String: String]) -> Bool {
      switch self {
      case .always: return true
      case .never: return false
      case .auto:
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return Terminal.isTerminal(1)
      }
    }
  }
}

/// ANSI styles, applied only when colour is on.
public struct Palette: Sendable {
  /// Whether escapes are written at all.
  public let isEnabled: Bool

  /// A palette that colours when `isEnabled`.
  public init(isEnabled: Bool) {
    self.isEnabled = isEnabled
  }

  private static let codes: [String: String] = [
    "black": "30", "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35",
    "cyan": "36",
    "white": "37", "bright-black": "90", "bright-red": "91", "bright-green": "92",
    "bright-yellow": "93",
    "bright-blue": "94", "bright-magenta": "95", "bright-cyan": "96", "bright-white": "97",
  ]

  /// `text` in a schema colour name (`cyan`, `bright-red`), or plain.
  public func color(_ text: String, _ name: String?) -> String {
    guard isEnabled, let name, let code = Palette.codes[name] else { return text }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }

  /// Bold text.
  public func bold(_ text: String) -> String { isEnabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
  /// Dim text.
  public func dim(_ text: String) -> String { isEnabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
  /// Reverse video, for search matches.
  public func highlight(_ text: String) -> String {
    isEnabled ? "\u{1B}[7m\(text)\u{1B}[0m" : "«\(text)»"
  }
  /// An error message prefix.
  public func error(_ text: String) -> String { color(text, "red") }
}

/// Display widths and safe rendering of untrusted text.
public enum DisplayText {
  /// The number of terminal columns a scalar takes: 0 for combining marks and joiners,
  /// 2 for East Asian wide characters and emoji, 1 otherwise.
  public static func width(of scalar: Unicode.Scalar) -> Int {
    let properties = scalar.properties
    switch properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if scalar.value == 0x200D || (0xFE00...0xFE0F).contains(scalar.value)
      || (0x1F3FB...0x1F3FF).contains(scalar.value)
    {
      return 0
    }
    let v = scalar.value
    if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v)
      || (0xAC00...0xD7A3).contains(v)
      || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
      || (0xFF00...0xFF60).contains(v)
      || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
      || (0x1F900...0x1F9FF).contains(v)
      || (0x1F1E6...0x1F1FF).contains(v) || (0x20000...0x3FFFD).contains(v)
    {
      return 2
    }
    return 1
  }

  /// The display width of a string (escape sequences excluded).
  public static func width(of text: String) -> Int {
    var total = 0
    var inEscape = false
    for scalar in text.unicodeScalars {
      if inEscape {
        if scalar == "m" { inEscape = false }
        continue
      }
      if scalar == "\u{1B}" {
        inEscape = true
        continue
      }
      total += width(of: scalar)
    }
    return total
  }

  /// Replaces control characters (C0, DEL, C1, and so every terminal escape sequence's
  /// introducer) with visible stand-ins, so stored text can never drive the terminal.
  public static func sanitized(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x0A: out.append(scalar)
      case 0x09: out.append(contentsOf: "    ".unicodeScalars)
      case 0x0D: continue
      case 0x1B: out.append(contentsOf: "␛".unicodeScalars)
      case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
      case 0x7F: out.append("␡")
      case 0x80..<0xA0: out.append("�")
      default: out.append(scalar)
      }
    }
    return String(out)
  }

  /// `text` cut to at most `width` display columns, ending with `…` when cut.
  public static func truncated(_ text: String, to width: Int) -> String {
    guard self.width(of: text) > width else { return text }
    var out = ""
    var used = 0
    for character in text {
      let characterWidth = self.width(of: String(character))
      if used + characterWidth > max(0, width - 1) { break }
      out.append(character)
      used += characterWidth
    }
    return String(out.reversed().drop { $0 == " " }.reversed()) + "…"
  }

  /// Pads `text` with spaces to `width` display columns.
  public static func padded(_ text: String, to width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - self.width(of: text)))
  }
}
