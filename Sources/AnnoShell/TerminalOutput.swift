import AnnoCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What an interactive shell prints, one command at a time: held until the command ends, then
/// wrapped to the terminal's width as it is at that moment and written, or handed to a pager
/// when it is taller than the terminal, so the prompt and what was on the screen before stay.
public final class TerminalOutput {
  private var held = ""
  private var below = ""
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

  /// Holds `text` to be written after the rest, never paged: it stays on the screen when
  /// the rest goes through the pager.
  public func appendBelow(_ text: String) { below += text }

  /// Writes what is held now, unpaged (before a command writes to the terminal itself).
  public func flush() {
    guard !held.isEmpty || !below.isEmpty else { return }
    let text = TextWrap.wrapLines(held + below, width: size().columns)
    held = ""
    below = ""
    write(text)
  }

  /// Ends a command: writes what it printed, through the pager when it is taller than the
  /// terminal (what was held below is not paged: it is written after the pager closes).
  ///
  /// - Returns: whether the pager showed it.
  @discardableResult
  public func finish() -> Bool {
    guard !held.isEmpty || !below.isEmpty else { return false }
    let (rows, columns) = size()
    let text = TextWrap.wrapLines(held, width: columns)
    let tail = TextWrap.wrapLines(below, width: columns)
    held = ""
    below = ""
    // The prompt takes the last line. What is held below is never paged, so it is not counted.
    if let pager, Self.height(of: text, columns: columns) > rows - 1,
      Pager.run(pager, input: text)
    {
      if !tail.isEmpty { write(tail) }
      return true
    }
    write(text + tail)
    return false
  }

  /// How many terminal lines `text` takes at `columns`, once wrapped.
  public static func height(of text: String, columns: Int) -> Int {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if text.hasSuffix("\n") { lines.removeLast() }
    return lines.reduce(0) { total, line in
      total
        + TextWrap.wrap(
          String(line), width: columns, indent: TextWrap.hangingIndent(of: String(line))
        ).count
    }
  }
}

/// Runs `$PAGER` on text.
public enum Pager {
  private static let spawning = NSLock()

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
    // NB: spawned by hand, not with Foundation's Process, which starts the child in a process
    // group of its own: a pager outside the terminal's foreground group is stopped (SIGTTOU)
    // as soon as it touches the terminal.
    // The pipe is close-on-exec, so no other pager started meanwhile holds it open (this one
    // would wait for the end of its input forever); dup2 clears the flag on standard input.
    // The lock keeps another pager from starting between pipe() and fcntl().
    spawning.lock()
    var descriptors: [Int32] = [0, 0]
    guard pipe(&descriptors) == 0 else {
      spawning.unlock()
      return false
    }
    let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
    _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
    _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // The shell ignores Ctrl-C and SIGPIPE while a command runs; the pager gets the defaults.
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
    let words: [String] = ["/bin/sh", "-c", command]
    let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    let environment: [UnsafeMutablePointer<CChar>?] =
      ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in arguments + environment { free(pointer) }
    }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments, environment)
    spawning.unlock()
    close(readEnd)
    guard spawned == 0 else {
      close(writeEnd)
      return false
    }
    // The pager may leave before reading everything (q on the first page): the write then
    // fails with EPIPE, which must not end the shell.
    signal(SIGPIPE, SIG_IGN)
    var bytes = Array(input.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(writeEnd, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        break
      }
      bytes = bytes.dropFirst(written)
    }
    close(writeEnd)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // Exited normally (no signal) with status 127: the command was not found.
    return !(status & 0x7F == 0 && (status >> 8) & 0xFF == 127)
  }
}
