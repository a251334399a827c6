import AnnoCore
import AnnoTestSupport
import Foundation
import GRDB
import Testing

@testable import AnnoStore

@Suite struct StoreTests {
  static func makeStore(path: String? = nil) throws -> Store {
    let store = try Store(path: path)
    _ = try store.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    return store
  }

  @Test func offsetsRoundTripThroughTheStoreForHardText() throws {
    // Given text with a skin-tone emoji, a flag, a ZWJ sequence, combining marks, CJK and CRLF
    let sample = try MarkedText(
      "👍🏽 ⟦PER Zoe\u{308}⟧ and ⟦PER 王毅⟧\r\n👩‍🔬 met in ⟦LOC Київ⟧ 🇺🇦\r\n⟦ORG Cafe\u{301} Müller⟧.")
    let store = try Self.makeStore()
    let set = AnnotationSet(annotator: "ann1", entities: sample.spans, sentiment: "neutral")
    // When it is imported and read back
    let summary = try store.importRecords(source: "test", replace: false) { transaction in
      try transaction.importRecord(
        document: Document(externalID: "hard", text: sample.text), externalID: "hard",
        annotations: set)
    }
    #expect(summary.documentsAdded == 1)
    #expect(summary.annotationsAdded == 5)
    let stored = try #require(try store.document(externalID: "hard"))
    let back = try #require(try store.annotations(of: "hard", by: "ann1"))
    // Then text and offsets are exactly as given
    #expect(stored.document.text.utf8.elementsEqual(sample.text.utf8))
    #expect(stored.document.text.contains("\r\n"))
    #expect(back.entities == sample.spans)
    let scalars = ScalarText(stored.document.text)
    #expect(
      back.entities?.map { scalars[$0.range] } == [
        "Zoe\u{308}", "王毅", "Київ", "Cafe\u{301} Müller",
      ])
  }

  @Test func backgroundCheckpointsCopyWritesIntoTheDatabaseFileWhenWritesPause() throws {
    // Given a store that checkpoints in the background (as the shell's does),
    let folder = try TemporaryDirectory()
    let path = folder.file("anno.sqlite")
    let store = try Self.makeStore(path: path)
    try store.checkpointInBackground()
    // when one small write commits (far too small for SQLite's own checkpoint in the commit)
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: Document(externalID: "d", text: "Text."), externalID: "d", annotations: nil)
    }
    // and writes pause, the database file itself, read without its WAL, soon holds it.
    var documents = 0
    for attempt in 0..<100 where documents == 0 {
      Thread.sleep(forTimeInterval: attempt == 0 ? 0.3 : 0.1)
      store.finishBackgroundCheckpoints()
      let copy = folder.file("copy-\(attempt).sqlite")
      try FileManager.default.copyItem(atPath: path, toPath: copy)
      documents = (try? Store(path: copy).documentCount()) ?? 0
    }
    #expect(documents == 1)
    #expect(try store.documentCount() == 1)
  }

  @Test func learningReadsOnlyTheMostRecentAnnotationRows() throws {
    // Given a person labelled first and a place labelled later, on the same document,
    let store = try Self.makeStore()
    let document = Document(externalID: "d", text: "Anna met Boris in Kyiv.")
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: document, externalID: "d",
        annotations: AnnotationSet(
          annotator: "ann1", entities: [EntitySpan(start: 0, end: 4, label: "PER")]))
    }
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: document, externalID: "d",
        annotations: AnnotationSet(
          annotator: "ann2", entities: [EntitySpan(start: 18, end: 22, label: "LOC")]))
    }
    // learning from every row finds both, from the newest row alone only the place.
    #expect(Set(try store.learnedEntries().map(\.text)) == ["Anna", "Kyiv"])
    #expect(try store.learnedEntries(window: 1).map(\.text) == ["Kyiv"])
  }

  @Test func aColleaguesTagBetweenUndoAndRedoDoesNotTakeTheUndoneLabelsId() throws {
    // Given ann1's newest label undone (it held the largest annotation id),
    let store = try Self.makeStore()
    let text = "Anna met Boris in Kyiv."
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: Document(externalID: "d", text: text), externalID: "d", annotations: nil)
    }
    let document = try #require(try store.document(externalID: "d"))
    try store.apply(
      [.add(.entity, range: 0..<4, value: "PER")], to: document.id, by: "ann1", summary: "tag PER")
    #expect(try store.undo(by: "ann1") != nil)
    // when ann2 tags before ann1 redoes,
    try store.apply(
      [.add(.entity, range: 18..<22, value: "LOC")], to: document.id, by: "ann2", summary: "tag LOC"
    )
    // the redo still works and both labels stand, with different ids.
    #expect(try store.redo(by: "ann1") != nil)
    let ann1 = try #require(try store.annotations(of: "d", by: "ann1"))
    let ann2 = try #require(try store.annotations(of: "d", by: "ann2"))
    #expect(ann1.entities == [EntitySpan(start: 0, end: 4, label: "PER")])
    #expect(ann2.entities == [EntitySpan(start: 18, end: 22, label: "LOC")])
    // and undoing ann1's redo removes ann1's label only.
    #expect(try store.undo(by: "ann1") != nil)
    #expect(try store.annotations(of: "d", by: "ann1")?.entities ?? [] == [])
    #expect(
      try store.annotations(of: "d", by: "ann2")?.entities == [
        EntitySpan(start: 18, end: 22, label: "LOC")
      ])
  }

  @Test func reimportingTheSameDocumentChangesNothing() throws {
    let store = try Self.makeStore()
    let document = Document(externalID: "d", text: "Text.")
    let set = AnnotationSet(annotator: "a", entities: [], sentiment: "neutral")
    for _ in 0..<2 {
      _ = try store.importRecords(source: "t", replace: false) {
        try $0.importRecord(document: document, externalID: "d", annotations: set)
      }
    }
    let summary = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(document: document, externalID: "d", annotations: set)
    }
    #expect(summary.documentsUnchanged == 1)
    #expect(summary.annotationSetsUnchanged == 1)
    #expect(summary.changedNothing)
    #expect(try store.documentCount() == 1)
  }

  @Test func aDifferentTextNeedsReplace() throws {
    let store = try Self.makeStore()
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: Document(externalID: "d", text: "Old text."), externalID: "d",
        annotations: AnnotationSet(
          annotator: "a", entities: [EntitySpan(start: 0, end: 3, label: "MISC")]))
    }
    #expect(
      throws: ImportRejection(
        message:
          "document 'd' already exists with a different text; use --replace to replace it (its annotations are removed)"
      )
    ) {
      _ = try store.importRecords(source: "t", replace: false) {
        try $0.importRecord(
          document: Document(externalID: "d", text: "New text."), externalID: "d", annotations: nil)
      }
    }
    let replaced = try store.importRecords(source: "t", replace: true) {
      try $0.importRecord(
        document: Document(externalID: "d", text: "New text."), externalID: "d", annotations: nil)
    }
    #expect(replaced.documentsReplaced == 1)
    #expect(try store.document(externalID: "d")?.document.text == "New text.")
    #expect(try store.annotations(of: "d", by: "a") == nil)
  }

  @Test func aFailedImportLeavesNothingBehind() throws {
    let store = try Self.makeStore()
    #expect(throws: ImportAborted.self) {
      _ = try store.importRecords(source: "t", replace: false) { transaction in
        try transaction.importRecord(
          document: Document(externalID: "d", text: "Text."), externalID: "d", annotations: nil)
        throw ImportAborted()
      }
    }
    #expect(try store.documentCount() == 0)
  }

  @Test func emptyListsSurviveAsAnnotatedNone() throws {
    let store = try Self.makeStore()
    let set = AnnotationSet(
      annotator: "a", status: .done, entities: [], stances: nil, labels: [:], notes: [])
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: Document(externalID: "d", text: "Text."), externalID: "d", annotations: set)
    }
    let back = try #require(try store.annotations(of: "d", by: "a"))
    #expect(back.entities == [])
    #expect(back.spanSentiments == nil)
    #expect(back.stances == nil)
    #expect(back.labels == [:])
    #expect(back.notes == [])
  }

  @Test func refusesAFileThatIsNotAnAnnoDatabase() throws {
    let folder = try TemporaryDirectory()
    let path = try folder.write(
      "other.sqlite", "this is plain text, not SQLite at all, and long enough to matter.")
    #expect(throws: StoreError.notAnAnnoDatabase(path: path)) { try Store(path: path) }
  }

  @Test func refusesADatabaseWrittenByANewerAnno() throws {
    let folder = try TemporaryDirectory()
    let path = folder.file("new.sqlite")
    _ = try Store(path: path)
    let sqlite = Process()
    sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    sqlite.arguments = [
      "sqlite3", path, "INSERT INTO grdb_migrations VALUES ('v99 from the future')",
    ]
    try sqlite.run()
    sqlite.waitUntilExit()
    try #require(sqlite.terminationStatus == 0)
    #expect(throws: StoreError.newerDatabase(path: path, migration: "v99 from the future")) {
      try Store(path: path)
    }
  }

  @Test func refusesAMissingFolder() {
    #expect(
      throws: StoreError.cannotOpen(
        path: "/nonexistent/dir/a.sqlite", reason: "the folder '/nonexistent/dir' does not exist")
    ) {
      try Store(path: "/nonexistent/dir/a.sqlite")
    }
  }

  @Test func aSchemaThatDropsUsedLabelsIsRefusedWithTheirCounts() throws {
    let store = try Self.makeStore()
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: Document(externalID: "d", text: "Kerry in Sochi."), externalID: "d",
        annotations: AnnotationSet(
          annotator: "a",
          entities: [
            EntitySpan(start: 0, end: 5, label: "PER"), EntitySpan(start: 9, end: 14, label: "LOC"),
          ],
          labels: ["topic": "sport"]))
    }
    let narrower = BundledGuidelines.schemaYAML
      .replacingOccurrences(of: "  - name: LOC\n", with: "  - name: PLACE\n")
      .replacingOccurrences(
        of: "values: [diplomacy, politics, business, economy, sport,",
        with: "values: [diplomacy, politics, business, economy,")
    #expect(
      throws: StoreError.schemaConflict([
        "entity label 'LOC' (1 annotation)", "value 'sport' of field 'topic' (1 annotation)",
      ])
    ) {
      _ = try store.loadSchema(
        yaml: narrower, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    }
    #expect(try store.schema()?.entityLabel(named: "LOC") != nil)
  }

  @Test func statisticsCountDocumentsKindsAndProgress() throws {
    let store = try Self.makeStore()
    _ = try store.importRecords(source: "t", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "a", text: "Kerry."), externalID: "a",
        annotations: AnnotationSet(
          annotator: "ann1", status: .done, entities: [EntitySpan(start: 0, end: 5, label: "PER")],
          sentiment: "neutral"))
      try t.importRecord(
        document: Document(externalID: "b", text: "B."), externalID: "b", annotations: nil)
    }
    let stats = try store.statistics()
    #expect(stats.documents == 2)
    #expect(stats.annotators == ["ann1"])
    #expect(stats.annotationsByKind == ["entity": 1, "sentiment": 1])
    #expect(stats.entitiesByLabel == ["PER": 1])
    #expect(stats.progress["ann1"]?[.done] == 1)
    #expect(stats.progress["ann1"]?[.todo] == 1)
  }
}

/// The pass export and agree make over the store: documents in id order, each document's sets
/// in annotator name order as SQLite orders text (UTF-8 bytes), filtered by name and status.
@Suite struct AnnotatedDocumentPassTests {
  @Test func setsComeByDocumentThenAnnotatorNameBytes() throws {
    let store = try StoreTests.makeStore()
    // Byte order puts "Zed" before "ann" and "zoe" before "zoë"; ids are given out in the
    // order the names first appear, which is neither.
    let names = ["zoë", "ann", "Zed", "zoe", "Ünal"]
    _ = try store.importRecords(source: "t", replace: false) { transaction in
      for (d, id) in (["b", "a", "c"] as [ExternalID]).enumerated() {
        for (i, name) in names.enumerated() where (d + i) % 4 != 3 {
          let status: DocumentStatus = i == 2 && d == 2 ? .inProgress : .done
          try transaction.importRecord(
            document: Document(externalID: id, text: "Text \(id)."), externalID: id,
            annotations: AnnotationSet(annotator: name, status: status, sentiment: "neutral"))
        }
      }
    }
    var seen: [String] = []
    try store.forEachAnnotatedDocument(annotators: nil, statuses: nil) { item in
      seen.append("\(item.document.externalID):\(item.annotations.annotator)")
    }
    func expected(_ documents: [(String, [String])]) -> [String] {
      documents.flatMap { id, sets in
        sets.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { id + ":" + $0 }
      }
    }
    #expect(
      seen
        == expected([
          ("b", ["zoë", "ann", "Zed", "Ünal"]), ("a", ["zoë", "ann", "zoe", "Ünal"]),
          ("c", ["zoë", "Zed", "zoe", "Ünal"]),
        ]))
    #expect(seen.contains("b:Zed") && seen.firstIndex(of: "b:Zed")! < seen.firstIndex(of: "b:ann")!)

    var chosen: [String] = []
    try store.forEachAnnotatedDocument(annotators: ["ann", "zoe", "Zed"], statuses: [.done]) {
      item in
      chosen.append("\(item.document.externalID):\(item.annotations.annotator)")
    }
    #expect(chosen == expected([("b", ["ann", "Zed"]), ("a", ["ann", "zoe"]), ("c", ["zoe"])]))
    var one: [String] = []
    try store.forEachAnnotatedDocument(annotators: ["zoe"], statuses: [.done]) { item in
      one.append("\(item.document.externalID):\(item.annotations.annotator)")
    }
    #expect(one == ["a:zoe", "c:zoe"])
  }

  /// No filter shape makes SQLite sort the status rows (a sort holds every selected row in
  /// memory before the first is read: 200 MB at a million documents).
  @Test func noStatusQueryPlanSorts() throws {
    let store = try StoreTests.makeStore()
    let shapes: [([String]?, Set<DocumentStatus>?)] = [
      (nil, nil), (nil, [.done]), (["a"], nil), (["a"], [.done]), (["a", "b", "c"], [.done]),
      (["a"], [.done, .flagged]), (["a", "b"], [.done, .inProgress, .flagged]),
    ]
    for (annotators, statuses) in shapes {
      let (sql, arguments) = Store.statusQuery(annotators: annotators, statuses: statuses)
      let plan = try store.read { db in
        try Row.fetchAll(
          db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(arguments)
        )
        .map { $0["detail"] as String }
      }
      #expect(
        !plan.contains { $0.contains("TEMP B-TREE") },
        "\(annotators ?? []) \(statuses ?? []): \(plan)")
    }
  }

  /// Stance targets, one annotator's or everyone's, are read from annotationStanceTargets
  /// alone, not by a scan of the annotation table; and the counts are the table's.
  @Test func stanceTargetsAreReadFromTheirIndex() throws {
    let store = try StoreTests.makeStore()
    let text = "Kerry met Lavrov."
    _ = try store.importRecords(source: "t", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "d", text: text), externalID: "d",
        annotations: AnnotationSet(
          annotator: "alice", status: .done,
          stances: [
            Stance(target: "Russia", value: "against"), Stance(target: "EU", value: "favor"),
          ]))
      try t.importRecord(
        document: nil, externalID: "d",
        annotations: AnnotationSet(
          annotator: "bob", status: .done, entities: [EntitySpan(start: 0, end: 5, label: "PER")],
          stances: [Stance(target: "Russia", value: "favor")]))
    }
    for annotator in ["alice", nil] as [String?] {
      let plan = try store.read { db in
        try Row.fetchAll(
          db, sql: "EXPLAIN QUERY PLAN " + Store.stanceTargetsSQL, arguments: [annotator]
        ).map { $0["detail"] as String }
      }
      #expect(
        plan.contains { $0.contains("USING COVERING INDEX annotationStanceTargets") },
        "\(annotator ?? "everyone"): \(plan)")
      #expect(!plan.contains { $0.hasPrefix("SCAN annotation") }, "\(plan)")
    }
    #expect(try store.stanceTargetsInUse(by: "alice").map(\.target) == ["EU", "Russia"])
    #expect(try store.stanceTargetsInUse(by: "bob").map(\.count) == [1])
    let everyone = try store.stanceTargetsInUse()
    #expect(everyone.map(\.target) == ["EU", "Russia"] && everyone.map(\.count) == [1, 2])
  }

  /// The annotation rows of a document, and of one set, are read from annotationUnique
  /// alone: no sort, and no column fetched from the table itself (a seek of the table row for
  /// every annotation would be much of an export's reading thread).
  @Test func annotationRowsAreReadFromTheIndexAlone() throws {
    let store = try StoreTests.makeStore()
    for sql in [Store.documentRowsSQL, Store.setRowsSQL] {
      let (tableCursors, program) = try store.read { db in
        let tableRoot = try Int.fetchOne(
          db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'annotation'")
        let arguments = StatementArguments(
          Array(repeating: 1, count: sql.filter { $0 == "?" }.count))
        let program = try Row.fetchAll(db, sql: "EXPLAIN " + sql, arguments: arguments)
          .map { (opcode: $0["opcode"] as String, p1: $0["p1"] as Int, p2: $0["p2"] as Int) }
        let cursors = Set(
          program.filter { $0.opcode == "OpenRead" && $0.p2 == tableRoot }.map(\.p1))
        return (cursors, program)
      }
      #expect(!program.contains { $0.opcode == "SorterOpen" }, "\(sql)")
      let tableReads = program.filter {
        ["Column", "Rowid", "SeekRowid", "NotExists"].contains($0.opcode)
          && tableCursors.contains($0.p1)
      }
      #expect(tableReads.isEmpty, "\(sql): \(tableReads)")
      // The check looks at a real program: the table is opened (for a seek that never comes)
      // and columns are read from the index.
      #expect(!tableCursors.isEmpty && program.contains { $0.opcode == "Column" })
    }
  }

  /// Opening a store and reading from it leaves the database file as it was (GRDB's own WAL
  /// set-up writes and drops a table whenever the WAL file is missing, as it is after every
  /// command, so the store sets WAL mode up itself), and a new database is in WAL mode.
  @Test func openingAndReadingLeavesTheFileAsItWas() throws {
    let folder = try TemporaryDirectory()
    let path = folder.file("read.sqlite")
    do { _ = try StoreTests.makeStore(path: path) }
    #expect(
      !FileManager.default.fileExists(atPath: path + "-wal"),
      "the last close checkpoints and removes the WAL")
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    do {
      let store = try Store(path: path)
      #expect(try store.statistics().documents == 0)
      #expect(try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  }
}
