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

  /// A document id as `sanitized(_:)` shows any stored text.
  public static func sanitized(_ id: ExternalID) -> String { sanitized(id.rawValue) }

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
