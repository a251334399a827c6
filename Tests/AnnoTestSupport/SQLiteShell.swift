import Foundation

/// The `sqlite3` shell, for tests that look into a database or change it behind Anno's back.
public enum SQLiteShell {
  /// Runs `sql` on the database at `db`.
  ///
  /// - Returns: standard output and the exit status.
  public static func run(_ db: String, _ sql: String) throws -> (output: String, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", db, sql]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), process.terminationStatus)
  }
}
