import AnnoCore
import Foundation
import GRDB

/// Counts of what an import did.
public struct ImportSummary: Hashable, Sendable {
  public var documentsAdded = 0
  public var documentsUnchanged = 0
  public var documentsReplaced = 0
  public var annotationSetsAdded = 0
  public var annotationSetsUnchanged = 0
  public var annotationSetsReplaced = 0
  public var annotationsAdded = 0
  public var recordsSkipped = 0
  public var recordsInvalid = 0
  /// What replacing documents' texts (`--replace`) removed, per document, in input order
  /// (the first `ReplacedDocument.listed`; the totals below count all).
  public var replacements: [ReplacedDocument] = []
  /// Labels removed from replaced documents, by every annotator and the gold version.
  public var labelsRemovedByReplacement = 0
  /// Undo and redo steps on replaced documents that no longer apply.
  public var stepsInvalidatedByReplacement = 0
  /// Records merged into an annotation set an earlier record of the same input started
  /// (Prodigy tasks of one input by one annotator).
  public var recordsMerged = 0
  /// Records that repeated what earlier records of the same input had already said.
  public var recordsRepeated = 0
  /// Rejected spans kept as rejected suggestions.
  public var rejectionsKept = 0
  /// Contradictory answers settled by `--on-conflict first` or `last`.
  public var conflictsSettled = 0
  /// What the study's assignment rule did with the new documents, when a study is assigned.
  public var assignment: AssignmentSummary?

  /// An empty summary.
  public init() {}

  /// Whether nothing at all changed.
  public var changedNothing: Bool {
    documentsAdded + documentsReplaced + annotationSetsAdded + annotationSetsReplaced == 0
  }
}

/// What giving one document a new text removed: its labels (from every annotator), its gold
/// decisions, and the undo and redo steps made on the old text, which no longer apply.
public struct ReplacedDocument: Hashable, Sendable {
  /// How many replaced documents a summary lists.
  public static let listed = 20

  /// The document's id.
  public var externalID: ExternalID
  /// Labels removed.
  public var labels: Int
  /// Annotators (and the gold version) who had labels or a status on it.
  public var annotators: Int
  /// Gold decisions removed.
  public var goldDecisions: Int
  /// Undo and redo steps that no longer apply.
  public var steps: Int
}

/// A record refused by the store, with the sentence to show after `FILE:LINE: `.
public struct ImportRejection: Error, Hashable, Sendable {
  /// What is wrong and what to do.
  public var message: String

  /// Creates a rejection.
  public init(message: String) {
    self.message = message
  }
}

/// What an import does when records of one input by one annotator contradict each other.
public enum ConflictPolicy: String, Sendable, CaseIterable {
  /// Refuse the record that contradicts an earlier one.
  case error
  /// Keep the earlier answer.
  case first
  /// Keep the later answer.
  case last
}

/// A document's text as stored, seen from inside an import.
public struct StoredDocumentText: Sendable {
  /// The text.
  public var text: String
  /// Whether this same import added it.
  public var isFromThisImport: Bool
}

/// One import, inside one write transaction: documents and annotation sets are added record
/// by record, each record all or nothing.
public final class ImportTransaction {
  let db: Database
  let importID: Int64
  let replace: Bool
  let now: Double
  /// What the import did so far.
  public private(set) var summary = ImportSummary()
  /// Documents whose adjudication state the import changed (a finished set written or
  /// replaced), refreshed from the store before the commit.
  var adjudicationChanged: Set<DocumentID> = []
  /// The document this import inserted and the records are still about, with the finished
  /// sets written on it so far by annotator id: these are all its finished sets, so its
  /// adjudication state is written from them when the records move on to another document,
  /// without reading them back. A document the records come back to later is refreshed
  /// from the store instead (`adjudicationChanged`).
  private var currentDocument: (id: DocumentID, finished: [Int64: AnnotationSet], changed: Bool)?
  /// Whether an annotator's finished sets count for adjudication, by annotator id.
  private var adjudicated: [Int64: Bool] = [:]
  private var annotatorIDs: [String: Int64] = [:]
  /// Documents and annotation sets of earlier imports that merging records found unchanged,
  /// so each is counted once however many tasks repeat it.
  private var documentsCountedUnchanged: Set<DocumentID> = []
  private var setsCountedUnchanged: Set<[Int64]> = []
  /// Whether `localIdSequence` has any row, read once: a new set's ids then start above the
  /// sequence, else at 1 without a lookup per set.
  private var sequencesExist: Bool?
  private let rowWriter: AnnotationRowWriter
  /// Whether this import writes the full-text entries of the documents it inserts itself, in
  /// batches, because `Store.importRecords` dropped the insert trigger for its duration.
  private let indexesInBatches: Bool
  /// Ids of inserted documents that have no full-text entry yet (consecutive ids).
  private var unindexedDocuments: ClosedRange<Int64>?
  /// How many documents get their full-text entries in one statement.
  static let searchBatchSize: Int64 = 256

  init(db: Database, importID: Int64, replace: Bool, indexesInBatches: Bool) {
    self.db = db
    self.importID = importID
    self.replace = replace
    self.now = Store.now()
    self.indexesInBatches = indexesInBatches
    self.rowWriter = AnnotationRowWriter(db, origin: "imported", now: now)
  }

  /// Writes the full-text entries of the documents inserted since the last batch.
  ///
  /// FTS5 writes its pending entries to disk at every statement savepoint, and SQLite opens
  /// one for every statement that fires a trigger. With the insert trigger, each document
  /// would be a segment of its own and merging them a quarter of an import's time; one
  /// statement per batch makes one segment per batch, as a bulk `INSERT … SELECT` does.
  func indexPendingDocuments() throws {
    guard let range = unindexedDocuments else { return }
    unindexedDocuments = nil
    try db.cachedStatement(
      sql:
        "INSERT INTO documentSearch (rowid, title, text) SELECT id, title, text FROM document WHERE id BETWEEN ? AND ?"
    ).execute(arguments: [range.lowerBound, range.upperBound])
  }

  private func noteInserted(_ documentID: DocumentID) throws {
    guard indexesInBatches else { return }
    if let range = unindexedDocuments, range.upperBound + 1 == documentID.rawValue {
      unindexedDocuments = range.lowerBound...documentID.rawValue
    } else {
      try indexPendingDocuments()
      unindexedDocuments = documentID.rawValue...documentID.rawValue
    }
    if let range = unindexedDocuments, range.count >= Self.searchBatchSize {
      try indexPendingDocuments()
    }
  }

  func hasLocalIDSequences() throws -> Bool {
    if let sequencesExist { return sequencesExist }
    let exists =
      try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM localIdSequence)") ?? false
    sequencesExist = exists
    return exists
  }

  /// Makes `yaml` the schema in force, as part of this import: `--new-labels` declares the
  /// entity labels, sentiment values, stance targets and field values the input uses and the
  /// schema lacks (`addedLabels` lists them: `PRODUCT`, `sentiment:mixed`, `stance
  /// target:Greenland`, `topic:shipping`). Only adds, so no stored annotation can fall
  /// outside it.
  public func adoptSchema(yaml: String, addedLabels: [String]) throws {
    let schema: LabelSchema
    do {
      schema = try LabelSchema(yaml: yaml)
    } catch {
      throw StoreError.invalid(error.description)
    }
    try db.execute(
      sql: """
        INSERT INTO labelSchema (id, name, version, yaml, sourcePath, loadedAt) VALUES (1, ?, ?, ?, NULL, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version, yaml = excluded.yaml,
          loadedAt = excluded.loadedAt
        """,
      arguments: [schema.name, schema.version, yaml, now])
    // NB: logged after the import's own event, whose id the import took at its start.
    schemaEvent = (
      "schema \(schema.name) v\(schema.version): labels added by import",
      JSONWriter.string(
        for: .object([
          "name": .string(schema.name), "version": .int(Int64(schema.version)),
          "guidelines_sha256": try Store.guidelineDigest(db).map(JSONValue.string) ?? .null,
          "added": .array(addedLabels.map { .string($0) }),
        ]))
    )
  }

  /// The schema event `adoptSchema` leaves to log: summary and payload.
  var schemaEvent: (summary: String, payload: String)?

  /// Counts a record that was skipped on purpose (e.g. a rejected Prodigy answer).
  public func countSkipped() { summary.recordsSkipped += 1 }

  /// Counts a record refused as invalid (with `--skip-invalid`).
  public func countInvalid() { summary.recordsInvalid += 1 }

  /// The stored text of a document, if the store (or this import) has it.
  public func storedText(of externalID: ExternalID) throws -> StoredDocumentText? {
    guard
      let row = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT text, importId FROM document WHERE externalId = ?"),
        arguments: [externalID])
    else { return nil }
    return StoredDocumentText(text: row["text"], isFromThisImport: row["importId"] == importID)
  }

  /// Imports one record: its document (when it carries the text) and its annotation set
  /// (when it carries labels), all or nothing.
  ///
  /// Every check runs before the first write, so a refused record leaves nothing behind
  /// without a savepoint per record (which would make SQLite flush the full-text index for
  /// every document).
  ///
  /// - Parameters:
  ///   - text: the document's scalars, when the caller has them (saves slicing span texts
  ///     again in SQL).
  ///   - contentHash: the document's `contentHash`, when the caller computed it already
  ///     (an import hashes texts on its reading thread).
  ///   - file: the input the record was read from; the gold version's rows keep it as their
  ///     provenance (`import:FILE`), as adjudicated rows keep who decided them.
  /// - Throws: `ImportRejection` when the record conflicts with the store or with an earlier
  ///   record of this import; nothing of the record is written then.
  ///   - rejections: spans the annotator rejected, kept as rejected suggestions, and whose.
  ///   - merging: how a record merges into the set an earlier record of this import gave the
  ///     same document and annotator; `nil` refuses such a second record.
  public func importRecord(
    document: Document?, externalID: ExternalID, annotations: AnnotationSet?,
    text: ScalarText? = nil,
    contentHash: String? = nil, file: String? = nil,
    rejections: (annotator: String, spans: [EntitySpan])? = nil, merging: ConflictPolicy? = nil
  ) throws {
    var documentID: DocumentID?
    var replacesDocument = false
    var isUnchanged = false
    var seenInThisImport = false
    if let document {
      let existing = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT id, text, importId FROM document WHERE externalId = ?"),
        arguments: [document.externalID])
      if let existing {
        documentID = existing["id"]
        let storedText: String = existing["text"]
        if storedText == document.text {
          // Records that merge (Prodigy tasks) count their document once: as added by the
          // first of them, or as unchanged.
          if merging != nil,
            existing["importId"] == importID
              || !documentsCountedUnchanged.insert(existing["id"]).inserted
          {
            seenInThisImport = true
          } else {
            isUnchanged = true
          }
        } else if existing["importId"] == importID {
          throw ImportRejection(
            message:
              "document '\(document.externalID)' appears earlier in this input with a different text"
          )
        } else if !replace {
          throw ImportRejection(
            message:
              "document '\(document.externalID)' already exists with a different text; use --replace to replace it (its annotations are removed)"
          )
        } else {
          replacesDocument = true
        }
      }
    } else {
      documentID = try DocumentID.fetchOne(
        db.cachedStatement(sql: "SELECT id FROM document WHERE externalId = ?"),
        arguments: [externalID])
      guard documentID != nil else {
        throw ImportRejection(
          message:
            "no document with id '\(externalID)' in the database or earlier in this input; include its 'text'"
        )
      }
    }
    var annotationPlan: AnnotationPlan?
    var rejected = rejections?.spans ?? []
    if let annotations {
      // A replaced document loses its annotations, so it can have no conflicting set.
      annotationPlan = try planAnnotations(
        annotations, on: replacesDocument ? nil : documentID, externalID: externalID,
        rejected: &rejected, merging: merging)
    } else if let rejections, merging != nil, let documentID,
      try Int64.fetchOne(
        db.cachedStatement(
          sql: "SELECT importId FROM documentStatus WHERE documentId = ? AND annotatorId = ?"),
        arguments: [documentID, try annotatorID(rejections.annotator)]) == importID
    {
      // Rejections alone can still contradict what an earlier task of this input accepted.
      let plan = try planAnnotations(
        AnnotationSet(annotator: rejections.annotator), on: documentID, externalID: externalID,
        rejected: &rejected, merging: merging)
      if plan.action == .merge { annotationPlan = plan }
    }
    // Checks are done; write.
    if let currentDocument, currentDocument.id != documentID {
      try writeCurrentAdjudication()
    }
    if let document {
      if replacesDocument, let id = documentID {
        try replaceDocument(id, with: document, length: text?.count, contentHash: contentHash)
        summary.documentsReplaced += 1
      } else if isUnchanged {
        summary.documentsUnchanged += 1
      } else if seenInThisImport {
        // Counted when it was added.
      } else {
        documentID = try insertDocument(document, length: text?.count, contentHash: contentHash)
        summary.documentsAdded += 1
        if let documentID { currentDocument = (documentID, [:], false) }
      }
    }
    if let annotationPlan, let documentID {
      try writeAnnotations(annotationPlan, documentID: documentID, text: text)
      if annotationPlan.action != .unchanged, annotationPlan.set.annotator == Store.goldAnnotator {
        try db.execute(
          sql: "UPDATE annotation SET originDetail = ? WHERE documentId = ? AND annotatorId = ?",
          arguments: ["import:\(file ?? "unknown input")", documentID, annotationPlan.annotatorID])
      }
    }
    if let rejections, !rejected.isEmpty, let documentID {
      try keepRejections(rejected, annotator: rejections.annotator, documentID: documentID)
    }
  }

  /// Writes rejected spans as rejected suggestions.
  private func keepRejections(_ spans: [EntitySpan], annotator: String, documentID: DocumentID)
    throws
  {
    let annotatorID = try annotatorID(annotator)
    for span in spans {
      try db.cachedStatement(
        sql:
          #"INSERT OR IGNORE INTO rejectedSuggestion (documentId, annotatorId, start, "end", label) VALUES (?, ?, ?, ?, ?)"#
      ).execute(arguments: [documentID, annotatorID, span.start, span.end, span.label])
      summary.rejectionsKept += db.changesCount
    }
  }

  private func annotatorID(_ name: String) throws -> Int64 {
    if let known = annotatorIDs[name] { return known }
    let id = try Store.annotatorID(db, name: name, now: now)
    annotatorIDs[name] = id
    return id
  }

  /// What importing an annotation set will do, decided before anything is written.
  private struct AnnotationPlan {
    enum Action { case add, unchanged, countedUnchanged, replace, merge, repeated }
    var set: AnnotationSet
    var annotatorID: Int64
    var action: Action
  }

  private func planAnnotations(
    _ set: AnnotationSet, on documentID: DocumentID?, externalID: ExternalID,
    rejected: inout [EntitySpan],
    merging: ConflictPolicy?
  ) throws -> AnnotationPlan {
    let annotatorID = try annotatorID(set.annotator)
    let incoming = set.normalized()
    guard let documentID,
      let existing = try Row.fetchOne(
        db.cachedStatement(
          sql: "SELECT importId FROM documentStatus WHERE documentId = ? AND annotatorId = ?"),
        arguments: [documentID, annotatorID])
    else { return AnnotationPlan(set: incoming, annotatorID: annotatorID, action: .add) }
    let stored = try Store.annotationSet(
      db, documentID: documentID, annotatorID: annotatorID, annotatorName: set.annotator)
    if existing["importId"] == importID {
      guard let merging, let stored else {
        throw ImportRejection(
          message:
            "a second record for document '\(externalID)' by annotator '\(set.annotator)' in this input"
        )
      }
      let earlierRejections = try Set(
        Row.fetchAll(
          db.cachedStatement(
            sql:
              #"SELECT start, "end", label FROM rejectedSuggestion WHERE documentId = ? AND annotatorId = ?"#
          ), arguments: [documentID, annotatorID]
        ).map { EntitySpan(start: $0[0], end: $0[1], label: $0[2]) })
      var merger = SetMerger(policy: merging, externalID: externalID, annotator: set.annotator)
      let merged = try merger.merge(
        stored, incoming, earlierRejections: earlierRejections, rejected: &rejected)
      summary.conflictsSettled += merger.settled
      for span in merger.withdrawnRejections {
        try db.execute(
          sql:
            #"DELETE FROM rejectedSuggestion WHERE documentId = ? AND annotatorId = ? AND start = ? AND "end" = ? AND label = ?"#,
          arguments: [documentID, annotatorID, span.start, span.end, span.label])
      }
      if merged == stored {
        return AnnotationPlan(set: merged, annotatorID: annotatorID, action: .repeated)
      }
      return AnnotationPlan(set: merged, annotatorID: annotatorID, action: .merge)
    }
    if stored == incoming {
      return AnnotationPlan(set: incoming, annotatorID: annotatorID, action: .unchanged)
    }
    // A task of an input imported before says nothing new when the stored set holds it.
    if merging != nil, let stored, SetMerger.contains(stored, incoming) {
      let counted = !setsCountedUnchanged.insert([documentID.rawValue, annotatorID]).inserted
      return AnnotationPlan(
        set: stored, annotatorID: annotatorID, action: counted ? .countedUnchanged : .unchanged)
    }
    guard replace else {
      throw ImportRejection(
        message:
          "annotator '\(set.annotator)' already has different annotations on '\(externalID)'; use --replace to overwrite them"
      )
    }
    return AnnotationPlan(set: incoming, annotatorID: annotatorID, action: .replace)
  }

  private func insertDocument(_ document: Document, length: Int?, contentHash: String?) throws
    -> DocumentID
  {
    try db.cachedStatement(
      sql: """
        INSERT INTO document (externalId, text, title, source, meta, contentHash, length, tokens, importId, importedAt)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      document.externalID, document.text, document.title, document.source, Self.metaJSON(document),
      contentHash ?? document.contentHash, length ?? document.length,
      document.tokens.map(PackedTokens.pack),
      importID, now,
    ])
    let documentID = DocumentID(db.lastInsertedRowID)
    try noteInserted(documentID)
    return documentID
  }

  private func replaceDocument(
    _ documentID: DocumentID, with document: Document, length: Int?, contentHash: String?
  ) throws {
    // The update trigger rewrites the document's full-text entry, which must exist by then.
    // NB: a document replaced predates this import (a second text for one of its own is
    // refused), so its entry exists; this guards the rule, at no cost when it holds.
    if unindexedDocuments?.contains(documentID.rawValue) == true { try indexPendingDocuments() }
    try noteReplacement(of: documentID, externalID: document.externalID)
    // Ids stay unique in the document across its texts.
    try Store.recordLocalIDs(db, documentID: documentID)
    sequencesExist = nil
    try db.execute(sql: "DELETE FROM annotation WHERE documentId = ?", arguments: [documentID])
    try db.execute(sql: "DELETE FROM documentStatus WHERE documentId = ?", arguments: [documentID])
    // Decisions and rejected suggestions name ranges of the old text.
    try db.execute(sql: "DELETE FROM goldDecision WHERE documentId = ?", arguments: [documentID])
    try db.execute(
      sql: "DELETE FROM rejectedSuggestion WHERE documentId = ?", arguments: [documentID])
    try db.execute(
      sql: """
        UPDATE document SET text = ?, title = ?, source = ?, meta = ?, contentHash = ?, length = ?, tokens = ?,
          importId = ?, importedAt = ?
        WHERE id = ?
        """,
      arguments: [
        document.text, document.title, document.source, Self.metaJSON(document),
        contentHash ?? document.contentHash,
        length ?? document.length, document.tokens.map(PackedTokens.pack), importID, now,
        documentID,
      ])
    try Store.refreshGoldProgress(db, documentID: documentID)
  }

  /// Counts what replacing a document's text removes, before it is removed.
  private func noteReplacement(of documentID: DocumentID, externalID: ExternalID) throws {
    let row = try Row.fetchOne(
      db,
      sql: """
        SELECT (SELECT count(*) FROM annotation WHERE documentId = ?1),
          (SELECT count(*) FROM (SELECT annotatorId FROM annotation WHERE documentId = ?1
             UNION SELECT annotatorId FROM documentStatus WHERE documentId = ?1)),
          (SELECT count(*) FROM goldDecision WHERE documentId = ?1)
        """, arguments: [documentID])
    let replaced = ReplacedDocument(
      externalID: externalID, labels: row?[0] ?? 0, annotators: row?[1] ?? 0,
      goldDecisions: row?[2] ?? 0,
      steps: try Store.replayableSteps(db, documentID: documentID))
    summary.labelsRemovedByReplacement += replaced.labels
    summary.stepsInvalidatedByReplacement += replaced.steps
    if summary.replacements.count < ReplacedDocument.listed {
      summary.replacements.append(replaced)
    }
  }

  private static func metaJSON(_ document: Document) -> String? {
    document.meta.map { JSONWriter.string(for: .object($0)) }
  }

  private func writeAnnotations(_ plan: AnnotationPlan, documentID: DocumentID, text: ScalarText?)
    throws
  {
    let rows = AnnotationRow.rows(of: plan.set)
    let localIDs: [Int?]
    var rowsBefore = 0
    switch plan.action {
    case .unchanged:
      summary.annotationSetsUnchanged += 1
      return
    case .repeated:
      summary.recordsRepeated += 1
      return
    case .countedUnchanged:
      return
    case .merge:
      rowsBefore =
        try Int.fetchOne(
          db.cachedStatement(
            sql: "SELECT count(*) FROM annotation WHERE documentId = ? AND annotatorId = ?"),
          arguments: [documentID, plan.annotatorID]) ?? 0
      localIDs = try replacingLocalIDs(of: rows, documentID: documentID, plan.annotatorID)
      try db.execute(
        sql: "DELETE FROM annotation WHERE documentId = ? AND annotatorId = ?",
        arguments: [documentID, plan.annotatorID])
      summary.recordsMerged += 1
    case .replace:
      localIDs = try replacingLocalIDs(of: rows, documentID: documentID, plan.annotatorID)
      try db.execute(
        sql: "DELETE FROM annotation WHERE documentId = ? AND annotatorId = ?",
        arguments: [documentID, plan.annotatorID])
      summary.annotationSetsReplaced += 1
    case .add:
      localIDs = try newLocalIDs(of: rows, documentID: documentID, plan.annotatorID)
      summary.annotationSetsAdded += 1
    }
    try rowWriter.insert(
      rows, localIDs: localIDs, documentID: documentID, annotatorID: plan.annotatorID, text: text)
    summary.annotationsAdded += rows.count - rowsBefore
    try rowWriter.writeStatus(
      documentID: documentID, annotatorID: plan.annotatorID, status: plan.set.status,
      kinds: AnnotatedKinds(of: plan.set),
      flagReason: plan.set.flagReason, importID: importID)
    if var current = currentDocument, current.id == documentID {
      let finished = try plan.set.status == .done && countsForAdjudication(plan.annotatorID)
      current.finished[plan.annotatorID] = finished ? plan.set : nil
      current.changed = current.changed || plan.set.status == .done || plan.action == .replace
      currentDocument = current
    } else if plan.set.status == .done || plan.action == .replace {
      adjudicationChanged.insert(documentID)
    }
  }

  /// Whether an annotator's finished sets count for adjudication: not the gold version's,
  /// nor those of the team's reviewers and managers (as `Store.finishedSets` selects them).
  private func countsForAdjudication(_ annotatorID: Int64) throws -> Bool {
    if let known = adjudicated[annotatorID] { return known }
    let counts =
      try Bool.fetchOne(
        db,
        sql: """
          SELECT a.name <> ? AND NOT EXISTS (SELECT 1 FROM teamMember t WHERE t.name = a.name AND t.role <> 'annotator')
          FROM annotator a WHERE a.id = ?
          """, arguments: [Store.goldAnnotator, annotatorID]) ?? false
    adjudicated[annotatorID] = counts
    return counts
  }

  /// Writes the adjudication state of the document the records were about, from its
  /// finished sets as this import wrote them.
  private func writeCurrentAdjudication() throws {
    guard let current = currentDocument else { return }
    currentDocument = nil
    if current.changed {
      try Store.writeGoldProgress(
        db, documentID: current.id, finishedSets: Array(current.finished.values))
    }
  }

  /// Brings the adjudication state of every document the import changed up to date: the
  /// last document the records were about, then those refreshed from the store.
  func writeAdjudicationState() throws {
    try writeCurrentAdjudication()
    for documentID in adjudicationChanged.sorted() {
      try Store.refreshGoldProgress(db, documentID: documentID)
    }
  }
}

extension ImportTransaction {
  /// Short ids for a new set's spans and notes, 1, 2, 3… in the rows' order (above any the
  /// annotator was given on the document before, when the sequence remembers some).
  func newLocalIDs(of rows: [AnnotationRow], documentID: DocumentID, _ annotatorID: Int64) throws
    -> [Int?]
  {
    var highest: [AnnotationKind: Int] = [:]
    if try hasLocalIDSequences() {
      for row in try Row.fetchAll(
        db.cachedStatement(
          sql: "SELECT kind, last FROM localIdSequence WHERE documentId = ? AND annotatorId = ?"),
        arguments: [documentID, annotatorID])
      {
        if let kind = AnnotationKind(rawValue: row[0]) { highest[kind] = row[1] }
      }
    }
    return rows.map { row in
      guard row.kind.hasLocalID else { return nil }
      let id = highest[row.kind, default: 0] + 1
      highest[row.kind] = id
      return id
    }
  }

  /// Short ids for a set replacing the annotator's stored one: a span or note the stored
  /// set already has keeps its id; the others get new ones, and the stored set's highest
  /// ids are remembered so none is given again.
  func replacingLocalIDs(of rows: [AnnotationRow], documentID: DocumentID, _ annotatorID: Int64)
    throws -> [Int?]
  {
    var kept: [AnnotationRow: Int] = [:]
    for row in try Row.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT kind, start, "end", target, value, localId FROM annotation
          WHERE documentId = ? AND annotatorId = ? AND localId IS NOT NULL
          """), arguments: [documentID, annotatorID])
    {
      guard let kind = AnnotationKind(rawValue: row[0]) else { continue }
      kept[AnnotationRow(kind: kind, start: row[1], end: row[2], target: row[3], value: row[4])] =
        row[5]
    }
    var allocator = LocalIDAllocator(documentID: documentID, annotatorID: annotatorID)
    for kind in AnnotationKind.allCases where kind.hasLocalID {
      _ = try allocator.highestGiven(db, kind)
    }
    var localIDs: [Int?] = []
    for row in rows {
      guard row.kind.hasLocalID else {
        localIDs.append(nil)
        continue
      }
      if let id = kept.removeValue(forKey: row) {
        localIDs.append(id)
      } else {
        localIDs.append(try allocator.next(db, row.kind))
      }
    }
    try allocator.save(db)
    sequencesExist = nil
    return localIDs
  }
}

/// Thrown by an import body to roll the whole import back.
public struct ImportAborted: Error, Sendable {
  /// Creates the signal.
  public init() {}
}

extension Store {
  /// Runs an import in one write transaction and records it in the event log.
  ///
  /// - Parameters:
  ///   - source: what was imported (file names), for the event log.
  ///   - replace: whether records may replace stored documents and annotation sets.
  ///   - body: feeds records to the transaction; throwing rolls the whole import back.
  /// - Returns: what the import did.
  public func importRecords(
    source: String, replace: Bool, _ body: (ImportTransaction) throws -> Void
  ) throws -> ImportSummary {
    try write { db in
      let importID = (try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) + 1 FROM event")) ?? 1
      // The full-text insert trigger is dropped for the import, which indexes its documents
      // in batches instead (see `indexPendingDocuments`), and created again, from the same
      // SQL, before the commit; a rollback restores it with everything else.
      let searchTrigger = try String.fetchOne(
        db,
        sql:
          "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'documentSearchInsert'")
      if searchTrigger != nil { try db.execute(sql: "DROP TRIGGER documentSearchInsert") }
      let transaction = ImportTransaction(
        db: db, importID: importID, replace: replace, indexesInBatches: searchTrigger != nil)
      let lastDocument = try DocumentID.fetchOne(db, sql: "SELECT ifnull(max(id), 0) FROM document")
      try body(transaction)
      try transaction.indexPendingDocuments()
      try transaction.writeAdjudicationState()
      // Under a study, the new documents get their annotators by the stored rule.
      var assignment = try Store.assignUnassigned(db, after: lastDocument ?? DocumentID(0))
      // Gold questions this import added enter the queues already assigned.
      for (name, count) in try Store.placeGoldQuestions(db) {
        assignment?.placements[name, default: 0] += count
        assignment?.goldQuestions += count
      }
      if let searchTrigger { try db.execute(sql: searchTrigger) }
      var summary = transaction.summary
      summary.assignment = assignment
      let payload = JSONWriter.string(
        for: .object([
          "source": .string(source),
          "documents_added": .int(Int64(summary.documentsAdded)),
          "documents_replaced": .int(Int64(summary.documentsReplaced)),
          "annotation_sets_added": .int(Int64(summary.annotationSetsAdded)),
          "annotation_sets_replaced": .int(Int64(summary.annotationSetsReplaced)),
          "annotations_added": .int(Int64(summary.annotationsAdded)),
        ]))
      try db.execute(
        sql:
          "INSERT INTO event (id, action, summary, payload, createdAt) VALUES (?, 'import', ?, ?, ?)",
        arguments: [importID, "import \(source)", payload, transaction.now])
      if let event = transaction.schemaEvent {
        try db.execute(
          sql:
            "INSERT INTO event (action, summary, payload, createdAt) VALUES ('schema', ?, ?, ?)",
          arguments: [event.summary, event.payload, transaction.now])
      }
      return summary
    }
  }
}
