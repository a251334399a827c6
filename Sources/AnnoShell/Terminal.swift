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
