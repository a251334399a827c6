import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What an interactive shell prints, one command at a time: held until the command ends, then
/// wrapped to the terminal's width as it is at that moment and written, or handed to a pager
/// when it is taller than the terminal, so the prompt and what was on the screen before stay.
public final class TerminalOutput {
  private var held = ""
  private let pager: String?
  private let write: (String) -> Void
  private let size: () -> (rows: Int, columns: Int)

  /// Creates the output.
  ///
  /// - Parameters:
  ///   - pager: the pager's command line (run by `/bin/sh`), or `nil` never to page.
  ///   - size: the terminal's size now.
  ///   - write: writes to the terminal.
  public init(
    pager: String?, size: @escaping () -> (rows: Int, columns: Int),
    write: @escaping (String) -> Void
  ) {
    self.pager = pager
    self.size = size
    self.write = write
  }

  /// Holds `text` until the command ends.
  public func append(_ text: String) { held += text }

  /// Writes what is held now, unpaged (before a command writes to the terminal itself).
  public func flush() {
    guard !held.isEmpty else { return }
    let text = TextWrap.wrapLines(held, width: size().columns)
    held = ""
    write(text)
  }

  /// Ends a command: writes what it printed, through the pager when it is taller than the
  /// terminal.
  ///
  /// - Returns: whether the pager showed it.
  @discardableResult
  public func finish() -> Bool {
    guard !held.isEmpty else { return false }
    let (rows, columns) = size()
    let text = TextWrap.wrapLines(held, width: columns)
    held = ""
    // The prompt takes the last line.
    if let pager, Self.height(of: text, columns: columns) > rows - 1,
      Pager.run(pager, input: text)
    {
      return true
    }
    write(text)
    return false
  }

  /// How many terminal lines `text` takes at `columns` (a line wider than that takes more).
  static func height(of text: String, columns: Int) -> Int {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if text.hasSuffix("\n") { lines.removeLast() }
    return lines.reduce(0) { total, line in
      total + max(1, (DisplayText.width(of: String(line)) + columns - 1) / max(1, columns))
    }
  }
}

/// Runs `$PAGER` on text.
public enum Pager {
  /// The pager to use: `$PAGER` (an empty one means none), else `less -R`; `nil` when
  /// paging is off.
  public static func command(environment: [String: String], enabled: Bool) -> String? {
    guard enabled else { return nil }
    guard let pager = environment["PAGER"] else { return "less -R" }
    return pager.allSatisfy(\.isWhitespace) ? nil : pager
  }

  /// Pipes `input` to the pager on the terminal and waits for it to end.
  ///
  /// - Returns: `false` when it could not be started (`/bin/sh` answers 127 for a command it
  ///   cannot find), so the caller prints the text itself.
  public static func run(_ command: String, input: String) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardInput = pipe
    do { try process.run() } catch { return false }
    // NB: the pager may leave before reading everything (q on the first page): the write then
    // fails with EPIPE, which must not end the shell.
    signal(SIGPIPE, SIG_IGN)
    let descriptor = pipe.fileHandleForWriting.fileDescriptor
    var bytes = Array(input.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        break
      }
      bytes = bytes.dropFirst(written)
    }
    try? pipe.fileHandleForWriting.close()
    process.waitUntilExit()
    return !(process.terminationReason == .exit && process.terminationStatus == 127)
  }
}
