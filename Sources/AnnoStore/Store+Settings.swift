import GRDB

extension Store {
  /// A setting an annotator chose (`suggest` → `off`), kept across sessions; `nil` when never set.
  ///
  /// Settings are keyed by the annotator's name, so choosing one does not register anyone as
  /// an annotator.
  public func setting(_ name: String, of annotator: String) throws -> String? {
    try read { db in
      try String.fetchOne(
        db, sql: "SELECT value FROM annotatorSetting WHERE annotator = ? AND name = ?",
        arguments: [annotator, name])
    }
  }

  /// Stores an annotator's setting, replacing the one before.
  public func setSetting(_ name: String, to value: String, of annotator: String) throws {
    try write { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO annotatorSetting (annotator, name, value) VALUES (?, ?, ?)",
        arguments: [annotator, name, value])
    }
  }
}
