import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Standard output and error, written without trapping and with output failures remembered.
///
/// Foundation's `FileHandle.write` traps when a write fails (a full disk, `> /dev/full`), and
/// Swift's `print` drops the error. Every command writes its output through ``print(_:terminator:)``
/// or ``write(_:)`` (straight to the file descriptor, as the shell needs for output to appear
/// at once), and ``Anno/main()`` checks at the end: a command whose output could not be
/// written says so and exits 1 (`anno stats > /dev/full`).
enum StandardStreams {
  private final class State: @unchecked Sendable {
    let lock = NSLock()
    /// The first output failure, as a sentence.
    var failure: String?
    /// Whether that failure has been shown already (by the shell, for the line that met it).
    var reported = false
  }
  private static let state = State()

  /// Writes text and a terminator to standard output.
  static func print(_ text: String, terminator: String = "\n") {
    write(text + terminator)
  }

  /// Writes text to standard output.
  static func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      if let failure = writeAll(1, bytes) { noteFailure(failure) }
    }
  }

  /// Writes bytes to standard output.
  static func write(bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { buffer in
      if let failure = writeAll(1, buffer) { noteFailure(failure) }
    }
  }

  /// Writes text to standard error. A failure there is ignored: there is nowhere left to
  /// report it.
  static func writeError(_ text: String) {
    var text = text
    text.withUTF8 { _ = writeAll(2, $0) }
  }

  /// Writes every byte, retrying after signals; the `errno` of a failure, else `nil`.
  private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>)
    -> Int32?
  {
    guard var base = bytes.baseAddress else { return nil }
    var left = bytes.count
    while left > 0 {
      let written = Glibc.write(descriptor, base, left)
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { return written < 0 ? errno : EIO }
      base += written
      left -= written
    }
    return nil
  }

  private static func noteFailure(_ code: Int32) {
    let reason = String(cString: strerror(code))
    state.lock.withLock {
      if state.failure == nil { state.failure = "cannot write to standard output: \(reason)" }
    }
  }

  /// The output failure not reported yet, marked reported: for the shell, which reports it
  /// as the failure of the line that met it.
  static func takeUnreportedFailure() -> String? {
    state.lock.withLock {
      guard let failure = state.failure, !state.reported else { return nil }
      state.reported = true
      return failure
    }
  }

  /// Whether every write to standard output succeeded, and the failure if it has not been
  /// reported yet. Anything a library left in C's `stdout` buffer is flushed first.
  static func finish() -> (succeeded: Bool, unreported: String?) {
    if fflush(nil) != 0 { noteFailure(errno) }
    return state.lock.withLock {
      (state.failure == nil, state.reported ? nil : state.failure)
    }
  }
}
