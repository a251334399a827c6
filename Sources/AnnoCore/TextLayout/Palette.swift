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
