import AnnoCore
import Foundation
import GRDB

/// Which database's version of an annotation set a merge kept.
public enum MergeSide: String, Hashable, Sendable {
  /// This database's.
  case ours
  /// The merged database's.
  case theirs
}

/// One annotator's two different versions of one document's annotations, and which one
/// the merge kept: the one whose latest change is newer.
public struct MergeConflict: Hashable, Sendable {
  /// The document's external id.
  public var document: ExternalID
  /// The annotator.
  public var annotator: String
  /// The version kept.
  public var winner: MergeSide
  /// The latest change on this side (seconds since 1970).
  public var oursLatest: Double
  /// The latest change on the other side.
  public var theirsLatest: Double
}

/// What merging one database did.
public struct MergeSummary: Hashable, Sendable {
  /// The merged file.
  public var source: String
  /// Documents copied in.
  public var documentsAdded = 0
  /// Documents both databases hold with the same text.
  public var documentsShared = 0
  /// Annotators copied in.
  public var annotatorsAdded = 0
  /// Annotation sets (one document, one annotator) copied in.
  public var annotationSetsAdded = 0
  /// Annotation sets both databases hold identically.
  public var annotationSetsUnchanged = 0
  /// Annotations copied in.
  public var annotationsAdded = 0
  /// Events copied into the log, marked as merged.
  public var eventsCopied = 0
  /// Events of the other log already in this one.
  public var eventsAlreadyPresent = 0
  /// Gold decisions copied in (items this database had not decided).
  public var goldDecisionsAdded = 0
  /// Gold decisions both databases made differently, where theirs (the newer) was kept.
  public var goldDecisionsReplaced = 0
  /// Whether this database had no schema and took the other's.
  public var schemaAdopted = false
  /// Sets that differ between the databases, and which version was kept.
  public var conflicts: [MergeConflict] = []

  /// Creates an empty summary for `source`.
  public init(source: String) {
    self.source = source
  }

  /// Whether the merge changed nothing (merging the same file twice).
  public var changedNothing: Bool {
    documentsAdded + annotatorsAdded + annotationSetsAdded + eventsCopied + goldDecisionsAdded
      + goldDecisionsReplaced == 0 && !schemaAdopted
      && conflicts.allSatisfy { $0.winner == .ours }
  }
}

extension Store {
  /// Merges another Anno database into this one, in one transaction: its documents,
  /// annotators, annotation sets, statuses, schema (when this database has none) and event
  /// log.
  ///
  /// - An annotation set only the other database holds is copied.
  /// - An annotator's set that differs between the two is a conflict, reported and resolved
  ///   by time: the side whose latest change to it (event, status or annotation) is newer
  ///   wins; on a tie, the greater canonical form, so the result never depends on the order
  ///   of merges. The losing version stays in the merge's event (`import`, summary `merge
  ///   FILE`) and, for theirs, in their copied events.
  /// - Every event of the other log not already here is appended with no annotator (so
  ///   undo and redo never replay it), its summary prefixed `merged from FILE:` and the
  ///   original under `merged` in its payload, with a fingerprint that makes merging again
  ///   (or merging a database that already holds these events) copy nothing twice.
  ///
  /// - Parameter otherPath: the database file to merge.
  /// - Returns: what was merged; nothing is written when nothing differs.
  /// - Throws: `StoreError` when the other file is missing, not an Anno database, from
  ///   another Anno version or damaged; when a document has the same id and a different text
  ///   on the two sides; or when merged labels are not declared by this schema. Nothing is
  ///   merged then.
  public func merge(from otherPath: String) throws -> MergeSummary {
    try Store.verifyMergeSource(otherPath, into: path)
    do {
      return try writer.writeWithoutTransaction { db in
        let usesURI =
          try Bool.fetchOne(db, sql: "SELECT sqlite_compileoption_used('USE_URI')") ?? false
        let name =
          usesURI
          ? "file:"
            + (otherPath.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? otherPath)
            + "?mode=ro"
          : otherPath
        try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [name])
        defer { try? db.execute(sql: "DETACH DATABASE other") }
        var summary = MergeSummary(source: otherPath)
        try db.inTransaction(.immediate) {
          summary = try MergeTransaction(db: db, source: otherPath).run()
          return .commit
        }
        return summary
      }
    } catch let error as DatabaseError {
      throw Store.translate(error, path: path ?? ":memory:")
    }
  }

  /// Refuses a missing file, this database itself, and files that are not Anno databases
  /// of this version or fail SQLite's quick check.
  private static func verifyMergeSource(_ otherPath: String, into path: String?) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: otherPath, isDirectory: &isDirectory),
      !isDirectory.boolValue
    else {
      throw StoreError.invalid("cannot merge '\(otherPath)': no such file")
    }
    if let path, ProtectedFiles.sameFile(path, otherPath) {
      throw StoreError.invalid("cannot merge '\(otherPath)' into itself")
    }
    var configuration = Configuration()
    configuration.readonly = true
    do {
      let other = try DatabaseQueue(path: otherPath, configuration: configuration)
      defer { try? other.close() }
      try other.read { db in
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        guard applicationID == Store.applicationID else {
          throw StoreError.notAnAnnoDatabase(path: otherPath)
        }
        let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        let known = Set(migrator.migrations)
        if let unknown = applied.subtracting(known).sorted().first {
          throw StoreError.newerDatabase(path: otherPath, migration: unknown)
        }
        guard applied == known else {
          throw StoreError.invalid(
            "'\(otherPath)' was written by an older Anno; open it once with this version ('anno --db \(otherPath) check') and merge again"
          )
        }
        let quick = try String.fetchAll(db, sql: "PRAGMA quick_check(5)")
        guard quick == ["ok"] else {
          throw StoreError.invalid(
            "'\(otherPath)' is damaged (\(quick.joined(separator: "; "))); run 'anno --db \(otherPath) check'; nothing was merged"
          )
        }
      }
    } catch let error as DatabaseError {
      throw Store.translate(error, path: otherPath)
    }
  }
}

/// One merge inside its transaction, with `other` attached.
private struct MergeTransaction {
  let db: Database
  let source: String
  let now = Store.now()

  func run() throws -> MergeSummary {
    var summary = MergeSummary(source: source)
    let usesBefore = try declaredUses()
    if try Int.fetchOne(db, sql: "SELECT count(*) FROM main.labelSchema") == 0,
      try Int.fetchOne(db, sql: "SELECT count(*) FROM other.labelSchema") ?? 0 > 0
    {
      summary.schemaAdopted = true
    }

    // Documents: same id must mean same text.
    var documents: [Int64: Int64] = [:]
    var newDocuments: [Int64] = []
    var differing: [String] = []
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT o.id, o.externalId, m.id AS mainId, m.id IS NOT NULL AND m.text IS NOT o.text AS differs
        FROM other.document o LEFT JOIN main.document m ON m.externalId = o.externalId ORDER BY o.id
        """)
    {
      if row["differs"] as Bool {
        differing.append(row["externalId"])
      } else if let mainID: Int64 = row["mainId"] {
        documents[row["id"]] = mainID
        summary.documentsShared += 1
      } else {
        newDocuments.append(row["id"])
      }
    }
    guard differing.isEmpty else {
      let listed = differing.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
      let more = differing.count > 10 ? " and \(differing.count - 10) more" : ""
      throw StoreError.invalid(
        "\(differing.count) document\(differing.count == 1 ? "" : "s") in '\(source)' "
          + "\(differing.count == 1 ? "has" : "have") the same id as here and a different text: \(listed)\(more); "
          + "nothing was merged (make the texts agree, e.g. 'anno import --replace', and merge again)"
      )
    }

    // Annotators, by name.
    var annotators: [Int64: Int64] = [:]
    var annotatorNames: [Int64: String] = [:]
    var newAnnotators: [Int64] = []
    for row in try Row.fetchAll(
      db,
      sql:
        "SELECT o.id, o.name, m.id AS mainId FROM other.annotator o LEFT JOIN main.annotator m ON m.name = o.name"
    ) {
      annotatorNames[row["id"]] = row["name"]
      if let mainID: Int64 = row["mainId"] {
        annotators[row["id"]] = mainID
      } else {
        newAnnotators.append(row["id"])
      }
    }

    // Annotation sets: copy what is only theirs; resolve what differs by time.
    var copies: [(document: Int64, annotator: Int64, replaces: Bool)] = []
    var losers: [JSONValue] = []
    let pairs = try Row.fetchAll(
      db,
      sql: """
        SELECT s.documentId, s.annotatorId, d.externalId FROM (
          SELECT documentId, annotatorId FROM other.documentStatus
          UNION SELECT documentId, annotatorId FROM other.annotation) s
        JOIN other.document d ON d.id = s.documentId ORDER BY s.documentId, s.annotatorId
        """)
    for pair in pairs {
      let otherDocument: Int64 = pair[0]
      let otherAnnotator: Int64 = pair[1]
      guard let mainDocument = documents[otherDocument],
        let mainAnnotator = annotators[otherAnnotator]
      else {
        copies.append((otherDocument, otherAnnotator, false))
        continue
      }
      let ours = try state("main", document: mainDocument, annotator: mainAnnotator)
      let theirs = try state("other", document: otherDocument, annotator: otherAnnotator)
      if ours.isEmpty {
        copies.append((otherDocument, otherAnnotator, false))
        continue
      }
      if ours == theirs {
        summary.annotationSetsUnchanged += 1
        continue
      }
      let oursLatest = try latest("main", document: mainDocument, annotator: mainAnnotator)
      let theirsLatest = try latest("other", document: otherDocument, annotator: otherAnnotator)
      let theirsWin = SetState.theirsWin(
        ours: ours, oursLatest: oursLatest, theirs: theirs, theirsLatest: theirsLatest)
      let conflict = MergeConflict(
        document: pair[2], annotator: annotatorNames[otherAnnotator] ?? "?",
        winner: theirsWin ? .theirs : .ours,
        oursLatest: oursLatest, theirsLatest: theirsLatest)
      summary.conflicts.append(conflict)
      if theirsWin { copies.append((otherDocument, otherAnnotator, true)) }
      let loser = theirsWin ? ours : theirs
      losers.append(
        .object([
          "document": .string(conflict.document.rawValue), "annotator": .string(conflict.annotator),
          "kept": .string(conflict.winner.rawValue), "ours_latest": .double(oursLatest),
          "theirs_latest": .double(theirsLatest),
          "dropped_status": loser.status.map(JSONValue.string) ?? .null,
          "dropped_rows": .array(loser.rows.map(JSONValue.string)),
        ]))
    }

    // Events not yet here, by fingerprint.
    var known = Set<String>()
    let local = try Row.fetchCursor(
      db,
      sql: """
        SELECT e.action, a.name, d.externalId, e.createdAt, e.summary, e.payload,
          json_extract(e.payload, '$.merged.fingerprint') AS fingerprint
        FROM main.event e LEFT JOIN main.annotator a ON a.id = e.annotatorId LEFT JOIN main.document d ON d.id = e.documentId
        """)
    while let row = try local.next() { known.insert(row["fingerprint"] ?? Self.fingerprint(row)) }
    var pendingEvents: [Row] = []
    let theirs = try Row.fetchCursor(
      db,
      sql: """
        SELECT e.id, e.action, e.documentId, e.reverts, a.name, d.externalId, e.createdAt, e.summary, e.payload,
          json_extract(e.payload, '$.merged.fingerprint') AS fingerprint
        FROM other.event e LEFT JOIN other.annotator a ON a.id = e.annotatorId LEFT JOIN other.document d ON d.id = e.documentId
        ORDER BY e.id
        """)
    while let row = try theirs.next() {
      let fingerprint: String = row["fingerprint"] ?? Self.fingerprint(row)
      if known.insert(fingerprint).inserted {
        pendingEvents.append(row.copy())
      } else {
        summary.eventsAlreadyPresent += 1
      }
    }

    // Gold decisions (adjudication), when both databases have them: by document and item;
    // where they differ, the later decision wins (on a tie, the greater value).
    var goldCopies: [(document: Int64, item: String)] = []
    if try hasGold() {
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT o.documentId, o.item, m.documentId IS NOT NULL AS decidedHere,
            (o.decidedAt > m.decidedAt OR (o.decidedAt = m.decidedAt AND
              ifnull(o.value, '') || char(0) || o.decidedBy > ifnull(m.value, '') || char(0) || m.decidedBy)) AS theirsNewer,
            (o.value IS m.value AND o.decidedBy = m.decidedBy) AS same
          FROM other.goldDecision o JOIN other.document od ON od.id = o.documentId
          LEFT JOIN main.document md ON md.externalId = od.externalId
          LEFT JOIN main.goldDecision m ON m.documentId = md.id AND m.item = o.item
          ORDER BY o.documentId, o.item
          """)
      {
        if !(row["decidedHere"] as Bool) {
          goldCopies.append((row["documentId"], row["item"]))
          summary.goldDecisionsAdded += 1
        } else if !(row["same"] as Bool? ?? false), row["theirsNewer"] as Bool? ?? false {
          goldCopies.append((row["documentId"], row["item"]))
          summary.goldDecisionsReplaced += 1
        }
      }
    }

    summary.documentsAdded = newDocuments.count
    summary.annotatorsAdded = newAnnotators.count
    summary.annotationSetsAdded = copies.filter { !$0.replaces }.count
    summary.eventsCopied = pendingEvents.count
    guard !summary.changedNothing else { return summary }

    // Write: the merge's own event first, so copied documents can name it as their import.
    let mergeID =
      (try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) + 1 FROM main.event")) ?? 1
    try db.execute(
      sql:
        "INSERT INTO main.event (id, action, summary, payload, createdAt) VALUES (?, 'import', ?, ?, ?)",
      arguments: [
        mergeID, "merge \(source)", JSONWriter.string(for: payload(summary, losers: losers)), now,
      ])
    if summary.schemaAdopted {
      try db.execute(sql: "INSERT INTO main.labelSchema SELECT * FROM other.labelSchema")
      try db.execute(sql: "INSERT OR IGNORE INTO main.guideline SELECT * FROM other.guideline")
    }
    for id in newAnnotators {
      try db.execute(
        sql:
          "INSERT INTO main.annotator (name, role, createdAt) SELECT name, role, createdAt FROM other.annotator WHERE id = ?",
        arguments: [id])
      annotators[id] = db.lastInsertedRowID
    }
    for id in newDocuments {
      try db.execute(
        sql: """
          INSERT INTO main.document (externalId, text, title, source, meta, contentHash, length, tokens, importId, importedAt)
          SELECT externalId, text, title, source, meta, contentHash, length, tokens, ?, importedAt FROM other.document WHERE id = ?
          """, arguments: [mergeID, id])
      documents[id] = db.lastInsertedRowID
    }
    // NB: copied rows get ids above every id in use before the merge, never the id of a row
    // the merge just replaced: the event log's operations name rows by id, so a reused id
    // would let an old undo remove a merged annotation.
    var nextID =
      (try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) + 1 FROM main.annotation")) ?? 1
    for copy in copies {
      guard let document = documents[copy.document], let annotator = annotators[copy.annotator]
      else { continue }
      if copy.replaces {
        try Store.recordLocalIDs(db, documentID: DocumentID(document), annotatorID: annotator)
        try db.execute(
          sql: "DELETE FROM main.annotation WHERE documentId = ? AND annotatorId = ?",
          arguments: [document, annotator])
        try db.execute(
          sql: "DELETE FROM main.documentStatus WHERE documentId = ? AND annotatorId = ?",
          arguments: [document, annotator])
      }
      try db.execute(
        sql: """
          INSERT INTO main.annotation (id, documentId, annotatorId, kind, start, "end", target, value, origin, originDetail, createdAt, updatedAt, localId)
          SELECT ? + row_number() OVER (ORDER BY id) - 1, ?, ?, kind, start, "end", target, value, origin, originDetail, createdAt, updatedAt, localId
          FROM other.annotation WHERE documentId = ? AND annotatorId = ?
          """, arguments: [nextID, document, annotator, copy.document, copy.annotator])
      summary.annotationsAdded += db.changesCount
      nextID += Int64(db.changesCount)
      // The set keeps its spans' and notes' short ids; neither side's ids are given again.
      try db.execute(
        sql: """
          INSERT INTO main.localIdSequence (documentId, annotatorId, kind, last)
          SELECT ?, ?, kind, last FROM other.localIdSequence WHERE documentId = ? AND annotatorId = ?
          ON CONFLICT (documentId, annotatorId, kind) DO UPDATE SET last = max(last, excluded.last)
          """, arguments: [document, annotator, copy.document, copy.annotator])
      // The learned gazetteer reads entity rows' span texts.
      try Store.fillSpanTexts(db, documentID: DocumentID(document))
      try db.execute(
        sql: """
          INSERT INTO main.documentStatus (documentId, annotatorId, status, annotatedKinds, flagReason, importId, updatedAt)
          SELECT ?, ?, status, annotatedKinds, flagReason, ?, updatedAt
          FROM other.documentStatus WHERE documentId = ? AND annotatorId = ?
          """, arguments: [document, annotator, mergeID, copy.document, copy.annotator])
    }
    var touched = Set(copies.compactMap { documents[$0.document] })
    for copy in goldCopies {
      guard let document = documents[copy.document] else { continue }
      try db.execute(
        sql: """
          INSERT INTO main.goldDecision (documentId, item, value, decidedBy, decidedAt)
          SELECT ?, item, value, decidedBy, decidedAt FROM other.goldDecision WHERE documentId = ? AND item = ? AND true
          ON CONFLICT (documentId, item) DO UPDATE SET value = excluded.value, decidedBy = excluded.decidedBy,
            decidedAt = excluded.decidedAt
          """, arguments: [document, copy.document, copy.item])
      touched.insert(document)
    }
    if try hasGold() {
      for document in touched.sorted() {
        try Store.refreshGoldProgress(db, documentID: DocumentID(document))
      }
    }
    let fileName = (source as NSString).lastPathComponent
    for row in pendingEvents {
      try copyEvent(row, documents: documents, fileName: fileName)
    }
    let usesAfter = try declaredUses()
    let added = usesAfter.subtracting(usesBefore).sorted()
    guard added.isEmpty else {
      throw StoreError.invalid(
        "'\(source)' uses labels this database's schema does not declare: \(added.joined(separator: ", ")); "
          + "nothing was merged (load a schema that declares them with 'anno schema load', then merge again)"
      )
    }
    return summary
  }

  /// The status and annotation rows of one annotator on one document, in `schema`.
  private func state(_ schema: String, document: Int64, annotator: Int64) throws -> SetState {
    try SetState.read(db, schema, document: document, annotator: annotator)
  }

  /// The time of the latest change to one annotator's set on one document, in `schema`.
  private func latest(_ schema: String, document: Int64, annotator: Int64) throws -> Double {
    try SetState.latestChange(db, schema, document: document, annotator: annotator)
  }

  /// Appends one of their events, without annotator, marked as merged.
  private func copyEvent(_ row: Row, documents: [Int64: Int64], fileName: String) throws {
    let payloadText: String = row["payload"]
    let original = (try? JSONParser.parse(payloadText)) ?? .string(payloadText)
    let payload: JSONValue
    let summary: String
    if row["fingerprint"] as String? != nil {
      // Already a merged copy (the other database merged it from a third): keep it as is.
      payload = original
      summary = row["summary"]
    } else {
      var merged: [String: JSONValue] = [
        "fingerprint": .string(Self.fingerprint(row)), "from": .string(fileName),
        "event": .int(row["id"]),
        "action": .string(row["action"]),
      ]
      if let name: String = row["name"] { merged["annotator"] = .string(name) }
      if let document: String = row["externalId"] { merged["document"] = .string(document) }
      if let reverts: Int64 = row["reverts"] { merged["reverts"] = .int(reverts) }
      payload = .object(["merged": .object(merged), "original": original])
      summary = "merged from \(fileName): \(row["summary"] as String)"
    }
    let document = (row["documentId"] as Int64?).flatMap { documents[$0] }
    try db.execute(
      sql: """
        INSERT INTO main.event (annotatorId, documentId, action, reverts, summary, payload, createdAt)
        VALUES (NULL, ?, ?, NULL, ?, ?, ?)
        """,
      arguments: [
        document, row["action"] as String, summary, JSONWriter.string(for: payload),
        row["createdAt"] as Double,
      ])
  }

  /// Identifies an event across databases: what, who, where, when, and its payload.
  static func fingerprint(_ row: Row) -> String {
    let createdAt: Double = row["createdAt"]
    let parts: [String] = [
      row["action"], row["name"] ?? "", row["externalId"] ?? "",
      String(createdAt.bitPattern, radix: 16), row["summary"],
      row["payload"],
    ]
    return SHA256.hexDigest(of: Array(parts.joined(separator: "\u{0}").utf8))
  }

  /// Whether both databases have the adjudication tables.
  private func hasGold() throws -> Bool {
    try Int.fetchOne(
      db,
      sql: """
        SELECT (SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name = 'goldDecision')
          * (SELECT count(*) FROM other.sqlite_master WHERE type = 'table' AND name = 'goldDecision')
        """) == 1
  }

  /// Undeclared uses under this database's schema, without their counts.
  private func declaredUses() throws -> Set<String> {
    guard let schema = try? Store.schema(db) else { return [] }
    return Set(
      try Store.undeclaredUses(db, schema: schema).map { use in
        use.range(of: " (", options: .backwards).map { String(use[..<$0.lowerBound]) } ?? use
      })
  }

  /// The merge event's payload: counts, and every conflict with the version not kept.
  private func payload(_ summary: MergeSummary, losers: [JSONValue]) -> JSONValue {
    .object([
      "merge": .string(source),
      "documents_added": .int(Int64(summary.documentsAdded)),
      "annotators_added": .int(Int64(summary.annotatorsAdded)),
      "annotation_sets_added": .int(Int64(summary.annotationSetsAdded)),
      "events_copied": .int(Int64(summary.eventsCopied)),
      "schema_adopted": .bool(summary.schemaAdopted),
      "gold_decisions_added": .int(Int64(summary.goldDecisionsAdded)),
      "gold_decisions_replaced": .int(Int64(summary.goldDecisionsReplaced)),
      "conflicts": .array(losers),
    ])
  }
}
