import AnnoCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A buffered output stream that becomes visible at its path only when committed.
///
/// A file target is written to a hidden temporary file in the same folder (so the final
/// `rename` is atomic) and renamed on `commit()`; `abort()`, or dropping the object without
/// committing, removes the temporary file. Bytes are flushed every `flushThreshold` bytes,
/// so memory stays flat however much is written.
final class OutputFile {
  /// Flush once this many bytes are buffered (1 MiB).
  static let flushThreshold = 1 << 20

  /// The final path, or `nil` for standard output.
  let path: String?
  /// The buffer, appended to by format writers.
  var writer = JSONWriter(capacity: 1 << 16)
  /// Records written, for formats that separate records (`,` in a JSON array).
  var recordCount = 0

  private let temporaryPath: String?
  private var descriptor: Int32
  private var isOpen = true

  /// Opens standard output.
  init() {
    path = nil
    temporaryPath = nil
    descriptor = 1
  }

  /// Opens a temporary file beside `path`, or `path` itself when `direct` (inside a staged
  /// folder, which is atomic as a whole).
  init(path: String, direct: Bool = false) throws(ExportError) {
    self.path = path
    if !direct, let refusal = ProtectedFiles.refusal(toWrite: path) {
      isOpen = false
      temporaryPath = nil
      descriptor = -1
      throw .protectedPath(refusal)
    }
    let target = direct ? path : TemporarySibling.path(for: path)
    temporaryPath = target
    descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    if descriptor < 0 {
      isOpen = false
      throw .io(path: path, detail: String(cString: strerror(errno)))
    }
  }

  deinit { abort() }

  /// Appends UTF-8 text.
  func append(_ text: String) {
    writer.bytes.append(contentsOf: text.utf8)
  }

  /// Writes out the buffer if it has grown past the threshold.
  func flushIfNeeded() throws(ExportError) {
    if writer.bytes.count >= Self.flushThreshold { try flush() }
  }

  /// Writes out the whole buffer.
  func flush() throws(ExportError) {
    guard isOpen else { throw .alreadyFinished }
    var offset = 0
    let count = writer.bytes.count
    while offset < count {
      let written = writer.bytes.withUnsafeBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return write(descriptor, base + offset, count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        throw .io(path: path ?? "standard output", detail: String(cString: strerror(errno)))
      }
      offset += written
    }
    writer.reset()
  }

  /// Flushes, closes and renames the temporary file into place.
  func commit() throws(ExportError) {
    guard isOpen else { return }
    try flush()
    isOpen = false
    guard let path, let temporaryPath else { return }
    if close(descriptor) != 0 {
      unlink(temporaryPath)
      throw .io(path: path, detail: String(cString: strerror(errno)))
    }
    if temporaryPath != path, rename(temporaryPath, path) != 0 {
      let detail = String(cString: strerror(errno))
      unlink(temporaryPath)
      throw .io(path: path, detail: detail)
    }
  }

  /// Closes and removes the temporary file; does nothing once committed.
  func abort() {
    guard isOpen else { return }
    isOpen = false
    guard let temporaryPath else { return }
    close(descriptor)
    unlink(temporaryPath)
  }
}
