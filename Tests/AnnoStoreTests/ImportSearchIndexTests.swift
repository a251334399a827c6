import AnnoCore
import AnnoTestSupport
import Foundation
import GRDB
import Testing

@testable import AnnoStore

/// An import writes full-text entries in batches with its insert trigger dropped, and its
/// annotation rows through statements it prepares once; the index and the rows must come out
/// as the trigger and one row at a time would leave them.
@Suite struct ImportSearchIndexTests {
  static func makeStore(path: String? = nil) throws -> Store {
    let store = try Store(path: path)
    _ = try store.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    return store
  }

  /// A word no other document of the test contains.
  static func word(_ i: Int) -> String {
    "zq" + String(String(i).unicodeScalars.map { Character(Unicode.Scalar($0.value - 48 + 97)!) })
  }

  static func text(_ i: Int, replaced: Bool = false) -> String {
    "Report \(i): the minister of \(word(i)) spoke in Zürich, \(replaced ? "revised" : "first") edition."
  }

  static func searchIndexIsConsistent(_ store: Store) throws -> Bool {
    do {
      try store.writer.write {
        try $0.execute(
          sql: "INSERT INTO documentSearch (documentSearch) VALUES ('integrity-check')")
      }
      return true
    } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
      return false
    }
  }

  static func insertTrigger(_ store: Store) throws -> String? {
    try store.read { db in
      try String.fetchOne(
        db,
        sql:
          "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'documentSearchInsert'")
    }
  }

  @Test func everyImportedDocumentIsSearchableAcrossBatchesReplacementsAndRejections() throws {
    let store = try Self.makeStore()
    let trigger = try #require(try Self.insertTrigger(store))
    let size = Int(ImportTransaction.searchBatchSize) * 2 + 37
    // Given a first import of every fortieth document, and a second that adds more than two
    // batches of documents while replacing half of the first import's among them (each
    // replacement rewrites the index while a batch is pending), leaving the rest unchanged and
    // having one refused
    let first = Array(stride(from: 0, to: size, by: 40))
    _ = try store.importRecords(source: "first", replace: false) { t in
      for i in first {
        try t.importRecord(
          document: Document(externalID: "d\(i)", text: Self.text(i)), externalID: "d\(i)",
          annotations: nil)
      }
    }
    var refusals = 0
    let summary = try store.importRecords(source: "second", replace: true) { t in
      for i in 0..<size {
        if i == 301 {
          // A second text for a document of this import is refused.
          do {
            try t.importRecord(
              document: Document(externalID: "d299", text: "Other."), externalID: "d299",
              annotations: nil)
          } catch is ImportRejection { refusals += 1 }
        }
        let text = Self.text(i, replaced: i % 80 == 0)
        try t.importRecord(
          document: Document(externalID: "d\(i)", text: text), externalID: "d\(i)", annotations: nil
        )
      }
    }
    #expect(refusals == 1)
    let replaced = first.filter { $0 % 80 == 0 }.count
    #expect(summary.documentsAdded == size - first.count)
    #expect(summary.documentsReplaced == replaced)
    #expect(summary.documentsUnchanged == first.count - replaced)
    // Then the index agrees with the table, every document is found by its own word, a
    // replaced document by its new text only, and the insert trigger is back as it was
    #expect(try Self.searchIndexIsConsistent(store))
    for i in [0, 1, 39, 40, 41, 80, 255, 256, 299, 300, 301, size - 1] {
      #expect(
        try store.search(Self.word(i), limit: 5).map(\.externalID) == ["d\(i)"], "document \(i)")
    }
    #expect(try store.search("revised", limit: 50).count == replaced)
    #expect(try store.search("other", limit: 5).isEmpty)
    #expect(try Self.insertTrigger(store) == trigger)
    // and a document inserted outside an import is indexed by that trigger.
    try store.writer.write { db in
      try db.execute(
        sql: """
          INSERT INTO document (externalId, text, contentHash, length, importedAt)
          VALUES ('outside', 'Written by hand in Kyiv.', 'x', 24, 0)
          """)
    }
    #expect(try store.search("kyiv", limit: 5).map(\.externalID) == ["outside"])
    #expect(try Self.searchIndexIsConsistent(store))
  }

  @Test func aRolledBackImportLeavesTheTriggerAndNoEntries() throws {
    let store = try Self.makeStore()
    let trigger = try Self.insertTrigger(store)
    #expect(throws: ImportAborted.self) {
      _ = try store.importRecords(source: "t", replace: false) { t in
        for i in 0..<300 {
          try t.importRecord(
            document: Document(externalID: "d\(i)", text: Self.text(i)), externalID: "d\(i)",
            annotations: nil)
        }
        throw ImportAborted()
      }
    }
    #expect(try Self.insertTrigger(store) == trigger)
    #expect(try store.search(Self.word(3), limit: 5).isEmpty)
    #expect(try Self.searchIndexIsConsistent(store))
    #expect(
      try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM documentSearch") } == 0)
  }

  @Test func setsLargerThanOneStatementComeBackWhole() throws {
    // Given sets of 1, 63, 64, 65 and 200 entities (one statement holds 64 rows), with labels,
    // stances and notes, on a text of non-ASCII words
    let store = try Self.makeStore()
    let words = (0..<200).map { "Zoë\($0)" }
    let text = words.joined(separator: " ")
    var start = 0
    var spans: [EntitySpan] = []
    for word in words {
      let length = word.unicodeScalars.count
      spans.append(
        EntitySpan(
          start: start, end: start + length, label: ["PER", "ORG", "LOC"][spans.count % 3]))
      start += length + 1
    }
    var sets: [AnnotationSet] = []
    for (n, count) in [1, 63, 64, 65, 200].enumerated() {
      sets.append(
        AnnotationSet(
          annotator: "ann\(n)", status: .done, entities: Array(spans.prefix(count)),
          sentiment: "negative",
          stances: [Stance(target: "Zoë0", value: "against")], notes: [Note(text: "note \(n)")]))
    }
    _ = try store.importRecords(source: "t", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "d", text: text), externalID: "d", annotations: sets[0])
      for set in sets.dropFirst() {
        try t.importRecord(document: nil, externalID: "d", annotations: set)
      }
    }
    // Then each reads back as given, with each entity's text and origin stored
    for set in sets {
      #expect(try store.annotations(of: "d", by: set.annotator) == set.normalized())
    }
    let rows = try store.read { db in
      try Row.fetchAll(
        db,
        sql:
          "SELECT kind, spanText, origin FROM annotation WHERE annotatorId = (SELECT id FROM annotator WHERE name = 'ann4')"
      )
    }
    #expect(rows.count == 200 + 3)
    let scalars = ScalarText(text)
    let texts = Set(rows.compactMap { $0["spanText"] as String? })
    #expect(texts == Set(spans.map { scalars[$0.range] }))
    #expect(Set(rows.map { $0["origin"] as String }) == ["imported"])
    #expect(Set(rows.map { $0["kind"] as String }) == ["entity", "sentiment", "stance", "note"])
  }

  @Test func newDatabasesUseEightKiBPagesAndFullSyncAndOldOnesKeepTheirPages() throws {
    let folder = try TemporaryDirectory()
    func pageSize(_ path: String) throws -> Int? {
      try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA page_size") }
    }
    // A new database gets 8 KiB pages, in WAL mode, and its commits wait for the disk
    // (synchronous FULL; GRDB's own WAL set-up, which the store does not use, sets NORMAL).
    let fresh = folder.file("fresh.sqlite")
    let store = try Store(path: fresh)
    #expect(try pageSize(fresh) == 8192)
    #expect(try store.writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    #expect(try store.writer.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
    // One made with 4 KiB pages (as before) keeps them, and imports and reads as usual.
    let old = folder.file("old.sqlite")
    _ = try Self.makeStore(path: old)
    try DatabaseQueue(path: old).writeWithoutTransaction { db in
      try db.execute(
        sql:
          "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL"
      )
    }
    #expect(try pageSize(old) == 4096)
    let oldStore = try Self.makeStore(path: old)
    _ = try oldStore.importRecords(source: "t", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "d", text: Self.text(1)), externalID: "d", annotations: nil)
    }
    #expect(try oldStore.search(Self.word(1), limit: 5).map(\.externalID) == ["d"])
    #expect(try pageSize(old) == 4096)
  }
}
