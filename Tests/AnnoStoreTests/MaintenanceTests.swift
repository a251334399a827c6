import AnnoCore
import AnnoTestSupport
import Foundation
import GRDB
import Testing

@testable import AnnoStore

/// `Store.check()` and `Store.backup(to:overwrite:)`.
@Suite struct MaintenanceTests {
  static func makeStore(path: String? = nil) throws -> Store {
    let store = try Store(path: path)
    _ = try store.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    _ = try store.importRecords(source: "t", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "kerry", text: "John Kerry met Lavrov."),
        externalID: "kerry",
        annotations: AnnotationSet(
          annotator: "ann1", status: .done, entities: [EntitySpan(start: 0, end: 10, label: "PER")],
          sentiment: "neutral"))
    }
    return store
  }

  @Test func aHealthyDatabaseChecksClean() throws {
    let report = try Self.makeStore().check()
    #expect(report.isClean)
    #expect(
      report.results.map(\.name) == [
        "integrity", "foreign keys", "orphaned annotations", "offsets", "text versions", "span ids",
        "schema", "stance targets", "event log",
      ])
    #expect(
      report.counts == [
        "documents": 1, "annotators": 1, "annotations": 2, "statuses": 1, "events": 2,
      ])
  }

  @Test func checkFindsOrphansOffsetsUndeclaredLabelsAndUnreadableEvents() throws {
    // Given a database damaged behind the store's back
    let store = try Self.makeStore()
    try store.writer.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      try db.execute(
        sql: """
          INSERT INTO annotation (documentId, annotatorId, kind, start, "end", value, createdAt, updatedAt)
          VALUES (1, 1, 'entity', 15, 99, 'ZZZ', 0, 0), (1, 42, 'entity', 0, 4, 'PER', 0, 0);
          DELETE FROM documentStatus;
          INSERT INTO event (action, summary, payload, createdAt) VALUES ('change', 'broken', '{}', 0);
          """)
      try db.execute(sql: "PRAGMA foreign_keys = ON")
    }
    // When it is checked
    let report = try store.check()
    // Then every kind of damage is named
    let problems = Dictionary(uniqueKeysWithValues: report.results.map { ($0.name, $0.problems) })
    #expect(!report.isClean)
    #expect(problems["integrity"] == [])
    #expect(problems["foreign keys"] == ["annotation row 4 refers to a missing annotator"])
    #expect(
      problems["orphaned annotations"] == [
        "annotation 4: its annotator (#42) is missing",
        "'kerry' by 'ann1': 3 annotations without a status row",
        "'kerry' by '#42': 1 annotation without a status row",
      ])
    #expect(
      problems["offsets"] == [
        "annotation 3 on 'kerry' by 'ann1': 15:99 ends past the text (22 code points)"
      ])
    #expect(
      problems["schema"] == [
        "entity label 'ZZZ' (1 annotation) not declared by schema 'anno-news' v2"
      ])
    #expect(
      problems["span ids"] == [
        "1 span(s) on 'kerry' by 'ann1' have no id", "1 span(s) on 'kerry' by '#42' have no id",
      ])
    #expect(problems["event log"] == ["event 3 (change): its payload has no list of operations"])
    #expect(report.problemCount == 9)
  }

  @Test func backupWritesAVerifiedCopyAndRefusesToOverwrite() throws {
    let folder = try TemporaryDirectory()
    let store = try Self.makeStore(path: folder.file("a.sqlite"))
    let target = folder.file("copy.sqlite")
    let summary = try store.backup(to: target, overwrite: false)
    #expect(summary.documents == 1 && summary.annotations == 2 && summary.events == 2)
    // The copy is one self-contained file that opens as an Anno database.
    #expect(!FileManager.default.fileExists(atPath: target + "-wal"))
    do {
      let copy = try Store(path: target)
      #expect(try copy.statistics() == store.statistics())
      #expect(try copy.check().isClean)
    }
    #expect(
      throws: StoreError.invalid(
        "'\(target)' already exists; pass --force to overwrite it, or choose another path")
    ) {
      _ = try store.backup(to: target, overwrite: false)
    }
    #expect(
      throws: StoreError.invalid(
        "cannot write '\(folder.file("a.sqlite"))': it is the database '\(folder.file("a.sqlite"))'; nothing was written, choose another path"
      )
    ) {
      _ = try store.backup(to: folder.file("a.sqlite"), overwrite: true)
    }
    _ = try store.backup(to: target, overwrite: true)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.contains("anno-tmp")
    }
    #expect(leftovers == [])
  }

  @Test func backupIsConsistentWhileAnotherProcessWrites() throws {
    // Given a second connection adding documents one transaction at a time
    let folder = try TemporaryDirectory()
    let path = folder.file("a.sqlite")
    let store = try Self.makeStore(path: path)
    let writer = try Store(path: path)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      for i in 0..<200 {
        _ = try? writer.importRecords(source: "w", replace: false) {
          try $0.importRecord(
            document: Document(externalID: "d\(i)", text: "Text \(i)."), externalID: "d\(i)",
            annotations: nil)
        }
      }
      done.signal()
    }
    // When backups are taken meanwhile
    for i in 0..<5 {
      let copy = try store.backup(to: folder.file("copy\(i).sqlite"), overwrite: false)
      // Then each is a consistent snapshot: one import event per document it holds
      #expect(copy.events == copy.documents + 1)
      #expect(try Store(path: copy.path).check().isClean)
    }
    done.wait()
  }

  @Test func backupNeedsAnExistingFolder() throws {
    let folder = try TemporaryDirectory()
    let store = try Self.makeStore(path: folder.file("a.sqlite"))
    #expect(
      throws: StoreError.invalid(
        "cannot write '/nonexistent/b.sqlite': the folder '/nonexistent' does not exist")
    ) {
      _ = try store.backup(to: "/nonexistent/b.sqlite", overwrite: false)
    }
  }
}
