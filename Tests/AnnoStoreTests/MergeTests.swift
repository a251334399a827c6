import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoStore

/// `Store.merge(from:)`: teams working on copies of one corpus, merged back together.
@Suite struct MergeTests {
  static let text = "John Kerry met Sergei Lavrov in Sochi."

  /// A database at `name` holding document `kerry` (and `extra` when asked), with the schema.
  static func makeStore(_ folder: TemporaryDirectory, _ name: String, extra: Bool = false) throws
    -> Store
  {
    let store = try Store(path: folder.file(name))
    _ = try store.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    _ = try store.importRecords(source: "t", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "kerry", text: text), externalID: "kerry", annotations: nil)
      if extra {
        try t.importRecord(
          document: Document(externalID: "extra", text: "Moscow answered."), externalID: "extra",
          annotations: nil)
      }
    }
    return store
  }

  static func tag(
    _ store: Store, _ annotator: String, _ range: Range<Int>, _ label: String,
    on id: ExternalID = "kerry"
  ) throws {
    let document = try #require(try store.document(externalID: id))
    try store.apply(
      [.add(.entity, range: range, value: label)], to: document.id, by: annotator,
      summary: "tag \(label)")
  }

  /// Every annotation set, as comparable text.
  static func sets(_ store: Store) throws -> [String] {
    var result: [String] = []
    try store.forEachAnnotatedDocument(annotators: nil, statuses: nil) { item in
      result.append("\(item.document.externalID) \(item.annotations.annotator) \(item.annotations)")
    }
    return result.sorted()
  }

  @Test func mergeBringsDocumentsAnnotatorsSetsAndEvents() throws {
    let folder = try TemporaryDirectory()
    let ours = try Self.makeStore(folder, "ours.sqlite")
    let theirs = try Self.makeStore(folder, "theirs.sqlite", extra: true)
    try Self.tag(ours, "ann1", 0..<10, "PER")
    try Self.tag(theirs, "ann2", 15..<28, "PER")
    try Self.tag(theirs, "ann2", 0..<6, "LOC", on: "extra")
    let summary = try ours.merge(from: folder.file("theirs.sqlite"))
    #expect(summary.documentsAdded == 1 && summary.documentsShared == 1)
    #expect(summary.annotatorsAdded == 1)
    #expect(summary.annotationSetsAdded == 2 && summary.annotationsAdded == 2)
    #expect(summary.conflicts == [])
    // Their schema load, import and two changes are copied; nothing of theirs was here.
    #expect(summary.eventsCopied == 4 && summary.eventsAlreadyPresent == 0)
    #expect(
      try ours.annotations(of: "extra", by: "ann2")?.entities == [
        EntitySpan(start: 0, end: 6, label: "LOC")
      ])
    #expect(
      try ours.annotations(of: "kerry", by: "ann1")?.entities == [
        EntitySpan(start: 0, end: 10, label: "PER")
      ])
    #expect(try ours.check().isClean)
    // Copied events have no annotator, so undo and redo never replay them.
    #expect(try ours.history(of: "ann2", limit: 10) == [])
    #expect(try ours.undo(by: "ann2") == nil)
    // Merged labels teach suggestions like local ones: their span texts are there.
    #expect(
      Set(try ours.learnedEntries().map(\.text)) == ["John Kerry", "Sergei Lavrov", "Moscow"])
  }

  @Test func mergingTwiceOrMergingBackChangesNothing() throws {
    let folder = try TemporaryDirectory()
    let ours = try Self.makeStore(folder, "ours.sqlite")
    let theirs = try Self.makeStore(folder, "theirs.sqlite")
    try Self.tag(ours, "ann1", 0..<10, "PER")
    try Self.tag(theirs, "ann2", 15..<28, "PER")
    _ = try ours.merge(from: folder.file("theirs.sqlite"))
    let before = try ours.check().counts
    let again = try ours.merge(from: folder.file("theirs.sqlite"))
    #expect(again.changedNothing)
    #expect(again.eventsCopied == 0 && again.eventsAlreadyPresent == 3)
    #expect(try ours.check().counts == before)
    // Merging back: theirs gets ours; the events it already had are recognised by fingerprint.
    let back = try theirs.merge(from: folder.file("ours.sqlite"))
    #expect(back.annotationSetsAdded == 1)
    #expect(try Self.sets(theirs) == Self.sets(ours))
    #expect(try theirs.merge(from: folder.file("ours.sqlite")).changedNothing)
  }

  @Test func theResultDoesNotDependOnTheOrderOfMerges() throws {
    let folder = try TemporaryDirectory()
    let a = try Self.makeStore(folder, "a.sqlite")
    let b = try Self.makeStore(folder, "b.sqlite")
    let c = try Self.makeStore(folder, "c.sqlite")
    try Self.tag(a, "ann1", 0..<10, "PER")
    try Self.tag(b, "ann2", 15..<28, "PER")
    try Self.tag(c, "ann3", 32..<37, "LOC")
    let x = try Self.makeStore(folder, "x.sqlite")
    let y = try Self.makeStore(folder, "y.sqlite")
    for name in ["a", "b", "c"] { _ = try x.merge(from: folder.file("\(name).sqlite")) }
    for name in ["c", "a", "b"] { _ = try y.merge(from: folder.file("\(name).sqlite")) }
    #expect(try Self.sets(x) == Self.sets(y))
    #expect(try Self.sets(x).count == 3)
  }

  @Test func aConflictKeepsTheNewerVersionAndReportsIt() throws {
    // Given ann1's different work on the same document in two copies, theirs made later
    let folder = try TemporaryDirectory()
    let ours = try Self.makeStore(folder, "ours.sqlite")
    let theirs = try Self.makeStore(folder, "theirs.sqlite")
    try Self.tag(ours, "ann1", 0..<10, "PER")
    Thread.sleep(forTimeInterval: 0.01)
    try Self.tag(theirs, "ann1", 15..<28, "PER")
    // When each is merged into a copy of the other
    let copy = folder.file("ours-copy.sqlite")
    _ = try ours.backup(to: copy, overwrite: false)
    let summary = try ours.merge(from: folder.file("theirs.sqlite"))
    let reverse = try theirs.merge(from: copy)
    // Then both keep their (newer) version, and say so
    #expect(summary.conflicts.map(\.winner) == [.theirs])
    #expect(
      summary.conflicts.first?.document == "kerry" && summary.conflicts.first?.annotator == "ann1")
    #expect(reverse.conflicts.map(\.winner) == [.ours])
    #expect(
      try ours.annotations(of: "kerry", by: "ann1")?.entities == [
        EntitySpan(start: 15, end: 28, label: "PER")
      ])
    #expect(try Self.sets(ours) == Self.sets(theirs))
    // The losing version is kept in the merge's event.
    let payload = try ours.writer.read { db in
      try String.fetchOne(db, sql: "SELECT payload FROM event WHERE summary LIKE 'merge %'")
    }
    #expect(payload?.contains(#""dropped_rows":["[\"entity\",0,10,null,\"PER\"]"]"#) == true)
  }

  @Test func anUndoAfterAMergeNeverRemovesAMergedAnnotation() throws {
    // Given ann1's newest row here, replaced by a merge with their newer version
    let folder = try TemporaryDirectory()
    let ours = try Self.makeStore(folder, "ours.sqlite")
    let theirs = try Self.makeStore(folder, "theirs.sqlite")
    try Self.tag(ours, "ann1", 0..<10, "PER")
    Thread.sleep(forTimeInterval: 0.01)
    try Self.tag(theirs, "ann1", 15..<28, "PER")
    _ = try ours.merge(from: folder.file("theirs.sqlite"))
    // When ann1 undoes their last change here (the row the merge replaced)
    // Then the undo is refused, and the merged row keeps its place
    #expect(
      throws: StoreError.invalid(
        "cannot replay: the annotation was changed since; nothing was undone or redone")
    ) {
      _ = try ours.undo(by: "ann1")
    }
    #expect(
      try ours.annotations(of: "kerry", by: "ann1")?.entities == [
        EntitySpan(start: 15, end: 28, label: "PER")
      ])
  }

  @Test func aDocumentWithTheSameIDAndAnotherTextStopsTheMerge() throws {
    let folder = try TemporaryDirectory()
    let ours = try Self.makeStore(folder, "ours.sqlite")
    let theirs = try Store(path: folder.file("theirs.sqlite"))
    _ = try theirs.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    _ = try theirs.importRecords(source: "t", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "kerry", text: "Another text."), externalID: "kerry",
        annotations: nil)
      try t.importRecord(
        document: Document(externalID: "new", text: "New."), externalID: "new", annotations: nil)
    }
    let before = try ours.check().counts
    let path = folder.file("theirs.sqlite")
    #expect(
      throws: StoreError.invalid(
        "1 document in '\(path)' has the same id as here and a different text: 'kerry'; nothing was merged "
          + "(make the texts agree, e.g. 'anno import --replace', and merge again)")
    ) { _ = try ours.merge(from: path) }
    #expect(try ours.check().counts == before)
  }

  @Test func refusesItselfMissingFilesAndOtherFiles() throws {
    let folder = try TemporaryDirectory()
    let ours = try Self.makeStore(folder, "ours.sqlite")
    let path = folder.file("ours.sqlite")
    #expect(throws: StoreError.invalid("cannot merge '\(path)' into itself")) {
      _ = try ours.merge(from: path)
    }
    #expect(throws: StoreError.invalid("cannot merge '\(folder.file("none"))': no such file")) {
      _ = try ours.merge(from: folder.file("none"))
    }
    let text = try folder.write(
      "notes.sqlite", "plain text, not a database, long enough to be read as one")
    #expect(throws: StoreError.notAnAnnoDatabase(path: text)) { _ = try ours.merge(from: text) }
  }

  @Test func aNewDatabaseTakesTheSchemaOfTheFirstMerge() throws {
    let folder = try TemporaryDirectory()
    let theirs = try Self.makeStore(folder, "theirs.sqlite")
    try Self.tag(theirs, "ann1", 0..<10, "PER")
    let fresh = try Store(path: folder.file("fresh.sqlite"))
    let summary = try fresh.merge(from: folder.file("theirs.sqlite"))
    #expect(summary.schemaAdopted)
    #expect(try fresh.schema()?.name == "anno-news")
    #expect(try Self.sets(fresh) == Self.sets(theirs))
    #expect(try fresh.check().isClean)
  }
}
