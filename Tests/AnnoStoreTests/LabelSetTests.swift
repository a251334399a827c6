import AnnoCore
import AnnoTestSupport
import Foundation
import GRDB
import Testing

@testable import AnnoStore

/// Set-valued fields (`multiple: true`): one `choice` row per value.
@Suite struct LabelSetTests {
  static func makeStore(path: String? = nil) throws -> (Store, DocumentID) {
    let store = try Store(path: path)
    _ = try store.loadSchema(
      yaml: MultiLabelSchema.yaml, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    _ = try store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: Document(externalID: "d", text: "Markets fell after the cup final."),
        externalID: "d", annotations: nil)
    }
    return (store, try #require(try store.document(externalID: "d")).id)
  }

  @Test func anImportedSetIsReadBackAsASet() throws {
    let (store, _) = try Self.makeStore()
    let set = AnnotationSet(
      annotator: "ann1", labels: ["urgency": "3"], labelSets: ["topic": ["sport", "economy"]])
    let summary = try store.importRecords(source: "t", replace: true) {
      try $0.importRecord(
        document: Document(externalID: "d", text: "Markets fell after the cup final."),
        externalID: "d", annotations: set)
    }
    #expect(summary.annotationsAdded == 3)
    let back = try #require(try store.annotations(of: "d", by: "ann1"))
    #expect(back.labelSets == ["topic": ["economy", "sport"]])
    #expect(back.labels == ["urgency": "3"])
    #expect(try store.undeclaredUses(in: MultiLabelSchema.schema()).isEmpty)
  }

  @Test func editsAddAndRemoveValuesAndUndoRedoThem() throws {
    let (store, document) = try Self.makeStore()
    try store.apply(
      [
        .add(.choice, target: "topic", value: "economy"),
        .add(.choice, target: "topic", value: "sport"),
      ], to: document, by: "ann1", summary: "label topic +economy +sport")
    #expect(
      try store.annotations(of: "d", by: "ann1")?.labelSets == ["topic": ["economy", "sport"]])
    // The same value twice in one set is refused, and nothing is written.
    #expect(throws: StoreError.self) {
      try store.apply(
        [.add(.choice, target: "topic", value: "economy")], to: document, by: "ann1",
        summary: "again")
    }
    let sport = try #require(
      try store.storedAnnotations(documentID: document, annotator: "ann1").first {
        $0.kind == .choice && $0.value == "sport"
      })
    try store.apply(
      [.remove(id: sport.id)], to: document, by: "ann1", summary: "label topic -sport")
    #expect(try store.annotations(of: "d", by: "ann1")?.labelSets == ["topic": ["economy"]])
    _ = try store.undo(by: "ann1")
    #expect(
      try store.annotations(of: "d", by: "ann1")?.labelSets == ["topic": ["economy", "sport"]])
    _ = try store.redo(by: "ann1")
    #expect(try store.annotations(of: "d", by: "ann1")?.labelSets == ["topic": ["economy"]])
    _ = try store.undo(by: "ann1")
    _ = try store.undo(by: "ann1")
    #expect(try store.annotations(of: "d", by: "ann1")?.labelSets?["topic"] == nil)
  }

  @Test func aSingleValuedFieldStillTakesOneValue() throws {
    let (store, document) = try Self.makeStore()
    try store.apply(
      [.add(.label, target: "urgency", value: "2")], to: document, by: "ann1", summary: "u")
    #expect(throws: StoreError.self) {
      try store.apply(
        [.add(.label, target: "urgency", value: "3")], to: document, by: "ann1", summary: "u")
    }
  }

  @Test func storedValuesTheSchemaNoLongerTakesAsASetAreReported() throws {
    let (store, document) = try Self.makeStore()
    try store.apply(
      [.add(.choice, target: "topic", value: "economy")], to: document, by: "ann1", summary: "t")
    let single = try LabelSchema(yaml: BundledGuidelines.schemaYAML)
    #expect(
      try store.undeclaredUses(in: single) == [
        "value 'economy' of field 'topic' stored as one of a set, but the field is not multiple (1 annotation)"
      ])
  }

  @Test func theMigrationKeepsRowsAndTheIdSequence() throws {
    // Given a database as the previous version made it, with rows and a deleted newest row,
    let folder = try TemporaryDirectory()
    let path = folder.file("old.sqlite")
    do {
      let queue = try DatabaseQueue(path: path)
      try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA application_id = \(Store.applicationID)")
      }
      try Store.migrator.migrate(queue, upTo: "v8 annotator settings")
      try queue.write { db in
        try db.execute(
          sql: """
            INSERT INTO document (id, externalId, text, contentHash, length, importedAt)
              VALUES (1, 'd', 'Markets fell after the cup final.', 'h', 33, 0);
            INSERT INTO annotator (id, name, createdAt) VALUES (1, 'ann1', 0);
            INSERT INTO documentStatus (documentId, annotatorId, status, annotatedKinds, updatedAt)
              VALUES (1, 1, 'in_progress', 0, 0);
            INSERT INTO annotation (documentId, annotatorId, kind, start, "end", value, createdAt, updatedAt, localId)
              VALUES (1, 1, 'entity', 0, 7, 'ORG', 0, 0, 1);
            INSERT INTO annotation (documentId, annotatorId, kind, target, value, createdAt, updatedAt)
              VALUES (1, 1, 'label', 'urgency', '2', 0, 0);
            INSERT INTO annotation (documentId, annotatorId, kind, start, "end", value, createdAt, updatedAt, localId)
              VALUES (1, 1, 'entity', 23, 31, 'MISC', 0, 0, 2);
            DELETE FROM annotation WHERE id = 3;
            """)
        // where a choice row is refused.
        #expect(throws: DatabaseError.self) {
          try db.execute(
            sql: """
              INSERT INTO annotation (documentId, annotatorId, kind, target, value, createdAt, updatedAt)
                VALUES (1, 1, 'choice', 'topic', 'sport', 0, 0)
              """)
        }
      }
      try queue.close()
    }
    // When it is opened by this version,
    let store = try Store(path: path)
    _ = try store.loadSchema(
      yaml: MultiLabelSchema.yaml, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    // then every row is there with its id, and choice rows are written with new ids.
    let rows = try store.storedAnnotations(documentID: DocumentID(1), annotator: "ann1")
    #expect(rows.map(\.id).sorted() == [1, 2])
    #expect(Set(rows.map(\.kind)) == [.label, .entity])
    try store.apply(
      [.add(.choice, target: "topic", value: "sport")], to: DocumentID(1), by: "ann1",
      summary: "t")
    let added = try store.storedAnnotations(documentID: DocumentID(1), annotator: "ann1").first {
      $0.kind == .choice
    }
    #expect(added?.id == 4)
    #expect(try store.annotations(of: "d", by: "ann1")?.labelSets == ["topic": ["sport"]])
    #expect(try store.check().isClean)
  }

  @Test func mergeAndBackupCarrySets() throws {
    let folder = try TemporaryDirectory()
    let (ours, _) = try Self.makeStore(path: folder.file("ours.sqlite"))
    let (theirs, theirDocument) = try Self.makeStore(path: folder.file("theirs.sqlite"))
    try theirs.apply(
      [
        .add(.choice, target: "topic", value: "economy"),
        .add(.choice, target: "topic", value: "sport"),
      ], to: theirDocument, by: "ann2", summary: "label topic +economy +sport")
    // Merged in, the set arrives whole; merging again changes nothing.
    let summary = try ours.merge(from: folder.file("theirs.sqlite"))
    #expect(summary.annotationsAdded == 2)
    #expect(
      try ours.annotations(of: "d", by: "ann2")?.labelSets == ["topic": ["economy", "sport"]])
    #expect(try ours.merge(from: folder.file("theirs.sqlite")).annotationsAdded == 0)
    // A backup holds it too.
    _ = try ours.backup(to: folder.file("copy.sqlite"), overwrite: false)
    let copy = try Store(path: folder.file("copy.sqlite"))
    #expect(
      try copy.annotations(of: "d", by: "ann2")?.labelSets == ["topic": ["economy", "sport"]])
    #expect(try copy.check().isClean)
  }
}
