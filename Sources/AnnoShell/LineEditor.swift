import Foundation

/// A source of command lines for the shell: the terminal's line editor, or a script.
public protocol LineEditor {
  /// The next line, or `nil` at the end (Ctrl-D, end of file).
  mutating func readLine(prompt: String) -> String?
  /// Whether this editor is interactive (prompts are shown, errors carry no line number).
  var isInteractive: Bool { get }
}

/// Lines from a script or a pipe, read without echo.
public struct ScriptLines: LineEditor {
  private var lines: [String]
  private var index = 0
  private let handle: FileHandle?
  private var buffer = Data()
  private var isAtEnd = false

  /// Lines from standard input or a file handle, read as they come (so a pipe works live).
  public init(handle: FileHandle) {
    self.handle = handle
    self.lines = []
  }

  /// Lines given up front (`-c 'cmd; cmd'`, or a script already read).
  public init(lines: [String]) {
    self.handle = nil
    self.lines = lines
  }

  public var isInteractive: Bool { false }

  /// Whether a line is still to come: reads ahead (waiting for a pipe's first bytes) without
  /// taking anything.
  public mutating func hasMoreInput() -> Bool {
    guard let handle else { return index < lines.count }
    while buffer.isEmpty && !isAtEnd {
      let chunk = handle.availableData
      if chunk.isEmpty { isAtEnd = true } else { buffer.append(chunk) }
    }
    return !buffer.isEmpty
  }

  public mutating func readLine(prompt: String) -> String? {
    guard let handle else {
      guard index < lines.count else { return nil }
      defer { index += 1 }
      return lines[index]
    }
    while true {
      if let newline = buffer.firstIndex(of: 0x0A) {
        let line = buffer[buffer.startIndex..<newline]
        buffer.removeSubrange(buffer.startIndex...newline)
        return String(decoding: line, as: UTF8.self).trimmingCharacters(
          in: CharacterSet(charactersIn: "\r"))
      }
      if isAtEnd {
        guard !buffer.isEmpty else { return nil }
        defer { buffer.removeAll() }
        return String(decoding: buffer, as: UTF8.self)
      }
      let chunk = handle.availableData
      if chunk.isEmpty { isAtEnd = true } else { buffer.append(chunk) }
    }
  }
}
