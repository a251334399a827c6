#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file line by line in large chunks, without loading it whole.
///
/// Lines are handed out as byte buffers valid only during the callback, with their 1-based
/// number; a trailing `\r` is kept (JSON treats it as whitespace; text importers strip it).
/// A line longer than `maximumLineLength` is reported, not buffered without bound.
public struct FileLineReader {
  /// Why reading stopped.
  public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case lineTooLong(line: Int, limit: Int)
    case readFailed(path: String, reason: String)

    public var description: String {
      switch self {
      case .cannotOpen(let path, let reason): "cannot open '\(path)': \(reason)"
      case .readFailed(let path, let reason): "cannot read '\(path)': \(reason)"
      case .lineTooLong(let line, let limit):
        "line \(line) is longer than \(limit >> 20) MiB; split the record or shorten the text"
      }
    }
  }

  /// The longest line accepted, in bytes (64 MiB).
  public static let defaultMaximumLineLength = 64 << 20

  private let path: String
  private let maximumLineLength: Int

  /// Creates a reader for a file path, or standard input when `path` is `-`.
  public init(path: String, maximumLineLength: Int = FileLineReader.defaultMaximumLineLength) {
    self.path = path
    self.maximumLineLength = maximumLineLength
  }

  /// Calls `body` with each line (without its `\n`) and its 1-based number.
  ///
  /// - Throws: `ReadError`, or whatever `body` throws.
  public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
    // NB: standard input is reopened through its descriptor: Swift 6 refuses the `stdin`
    // global as shared mutable state.
    guard let file = path == "-" ? fdopen(dup(0), "rb") : fopen(path, "rb") else {
      throw ReadError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    let chunkSize = 1 << 20
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    var pending: [UInt8] = []
    var lineNumber = 0
    while true {
      let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, chunkSize, file) }
      if count == 0 {
        if ferror(file) != 0 {
          throw ReadError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
        break
      }
      try chunk.withUnsafeBufferPointer { buffer in
        var start = 0
        while start < count {
          guard let newline = buffer[start..<count].firstIndex(of: 0x0A) else {
            pending.append(contentsOf: buffer[start..<count])
            if pending.count > maximumLineLength {
              throw ReadError.lineTooLong(line: lineNumber + 1, limit: maximumLineLength)
            }
            return
          }
          lineNumber += 1
          if pending.isEmpty {
            try body(UnsafeBufferPointer(rebasing: buffer[start..<newline]), lineNumber)
          } else {
            pending.append(contentsOf: buffer[start..<newline])
            if pending.count > maximumLineLength {
              throw ReadError.lineTooLong(line: lineNumber, limit: maximumLineLength)
            }
            try pending.withUnsafeBufferPointer { try body($0, lineNumber) }
            pending.removeAll(keepingCapacity: pending.count < 1 << 22)
          }
          start = newline + 1
        }
      }
    }
    if !pending.isEmpty {
      lineNumber += 1
      try pending.withUnsafeBufferPointer { try body($0, lineNumber) }
    }
  }
}
