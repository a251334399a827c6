import AnnoCore
import GRDB
import GRDBSQLite

/// A document id is stored as the integer row id (`document.id` and every `documentId`
/// column).
extension DocumentID: DatabaseValueConvertible, StatementColumnConvertible {
  public var databaseValue: DatabaseValue { rawValue.databaseValue }

  public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> DocumentID? {
    Int64.fromDatabaseValue(dbValue).map(DocumentID.init(rawValue:))
  }

  public init(sqliteStatement: SQLiteStatement, index: CInt) {
    self.init(rawValue: sqlite3_column_int64(sqliteStatement, index))
  }
}

/// An external id is stored as text (`document.externalId`).
extension ExternalID: DatabaseValueConvertible, StatementColumnConvertible {
  public var databaseValue: DatabaseValue { rawValue.databaseValue }

  public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ExternalID? {
    String.fromDatabaseValue(dbValue).map(ExternalID.init(rawValue:))
  }

  public init(sqliteStatement: SQLiteStatement, index: CInt) {
    self.init(rawValue: String(sqliteStatement: sqliteStatement, index: index))
  }
}

/// A short id is stored as an integer (`annotation.localId`).
extension LocalID: DatabaseValueConvertible {
  public var databaseValue: DatabaseValue { rawValue.databaseValue }

  public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> LocalID? {
    Int.fromDatabaseValue(dbValue).map(LocalID.init(rawValue:))
  }
}
