import AnnoCore
import AnnoTestSupport
import Foundation
import GRDB
import Testing

@testable import AnnoStore

/// A document's explicit tokens are stored as little-endian Int32 pairs, and migration v11
/// converts the JSON lists older databases hold.
@Suite struct PackedTokensTests {
  static let text = "John Kerry met  Lavrov."
  static let ranges = [0..<4, 5..<10, 11..<14, 14..<16, 16..<22, 22..<23]

  static func makeStore(path: String) throws -> Store {
    let store = try StoreTests.makeStore(path: path)
    let tokens = try #require([Token].fromRanges(ranges, in: Array(text.unicodeScalars)))
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: Document(externalID: "k", text: text, tokens: tokens), externalID: "k",
        annotations: nil)
    }
    return store
  }

  /// `typeof(tokens)` and `hex(tokens)` of document `k`.
  static func storedColumn(_ store: Store) throws -> [String] {
    try store.read { db in
      let row = try #require(
        try Row.fetchOne(db, sql: "SELECT typeof(tokens), hex(tokens) FROM document"))
      return [row[0], row[1]]
    }
  }

  @Test func tokensAreStoredAsLittleEndianInt32PairsAndReadBack() throws {
    let folder = try TemporaryDirectory()
    let store = try Self.makeStore(path: folder.file("t.sqlite"))
    // 0,4 then 5,10 ...: each offset four bytes, lowest byte first.
    #expect(
      try Self.storedColumn(store) == [
        "blob",
        "00000000" + "04000000" + "05000000" + "0A000000" + "0B000000" + "0E000000" + "0E000000"
          + "10000000" + "10000000" + "16000000" + "16000000" + "17000000",
      ])
    let read = try #require(try store.document(externalID: "k")).document.tokens
    #expect(read?.map(\.range) == Self.ranges)
    #expect(read?.map(\.isSpace) == [false, false, false, true, false, false])
  }

  @Test func migrationV11ConvertsTheJSONListsOfAnOlderDatabase() throws {
    let folder = try TemporaryDirectory()
    let path = folder.file("old.sqlite")
    let json = "[[0,4],[5,10],[11,14],[14,16],[16,22],[22,23]]"
    do {
      let store = try Self.makeStore(path: path)
      // As a database before v11 stores them: a JSON list in a TEXT column.
      try store.write { db in
        try db.execute(
          sql: """
            ALTER TABLE document DROP COLUMN tokens;
            ALTER TABLE document ADD COLUMN tokens TEXT CHECK (tokens IS NULL OR json_valid(tokens));
            DELETE FROM grdb_migrations WHERE identifier LIKE 'v11 %';
            """)
        try db.execute(sql: "UPDATE document SET tokens = ?", arguments: [json])
      }
      #expect(try Self.storedColumn(store)[0] == "text")
    }
    // The JSON the older database holds, read as the JSON reader reads it,
    let fromJSON = try #require(PackedTokens.ranges(json: json))
    #expect(fromJSON == Self.ranges)
    // and the packed column the migration writes, read as every version from v11 reads it.
    let reopened = try Store(path: path)
    #expect(try Self.storedColumn(reopened)[0] == "blob")
    let read = try #require(try reopened.document(externalID: "k")).document.tokens
    #expect(read?.map(\.range) == fromJSON)
    #expect(try reopened.check().isClean)
    let export = try #require(try reopened.document(externalID: "k"))
    #expect(export.document.text == Self.text)
  }

  @Test func packingSkipsWhatTheJSONReaderSkipped() {
    #expect(PackedTokens.ranges(json: "[[0,4],[4,4],[\"a\",2],[6,5],[7,9]]") == [0..<4, 7..<9])
    #expect(PackedTokens.ranges(json: "{}") == nil)
    let bytes = PackedTokens.pack([Token(start: 2, end: 9)]) + Data([1, 2, 3])
    #expect(bytes.withUnsafeBytes(PackedTokens.ranges) == [2..<9])
  }
}
