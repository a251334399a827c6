import AnnoCore
import Foundation

/// One problem in a pattern file, at a 1-based line (and column, for JSON syntax errors).
public struct PatternDiagnostic: Hashable, Sendable, CustomStringConvertible {
  /// The file name shown in the message (`patterns.jsonl`).
  public var file: String
  /// The 1-based line.
  public var line: Int
  /// The 1-based byte column, for JSON syntax errors.
  public var column: Int?
  /// What is wrong, and what to write instead.
  public var message: String

  /// Creates a diagnostic.
  public init(file: String, line: Int, column: Int? = nil, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// `FILE:LINE: message`, or `FILE:LINE:COLUMN: message`.
  public var description: String {
    column.map { "\(file):\(line):\($0): \(message)" } ?? "\(file):\(line): \(message)"
  }
}

/// Every problem found in a pattern file; the file is rejected as a whole, like a compiler.
public struct PatternFileError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
  /// The problems, in file order.
  public var diagnostics: [PatternDiagnostic]

  /// Creates an error from its diagnostics.
  public init(diagnostics: [PatternDiagnostic]) {
    self.diagnostics = diagnostics
  }

  /// One diagnostic a line.
  public var description: String {
    diagnostics.map(\.description).joined(separator: "\n")
  }

  /// As `description`.
  public var errorDescription: String? { description }
}
