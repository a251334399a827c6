import AnnoCore
import Foundation
import GRDB

/// What `anno assign` (or an import under a study) placed.
public struct AssignmentSummary: Hashable, Sendable {
  /// Documents given to annotators.
  public var documents = 0
  /// Of those, documents in the overlap set.
  public var overlapDocuments = 0
  /// Gold questions put into queues.
  public var goldQuestions = 0
  /// Placements per annotator (documents and gold questions).
  public var placements: [String: Int] = [:]

  /// An empty summary.
  public init() {}
}

/// One annotator's queue, for `anno assign status`.
public struct QueueStatus: Hashable, Sendable {
  /// The annotator.
  public var annotator: String
  /// Documents in the queue that are coded by them alone (or by `perDocument` annotators).
  public var single = 0
  /// Overlap documents in the queue.
  public var overlap = 0
  /// Gold questions in the queue.
  public var gold = 0
  /// Documents of the queue they finished (done).
  public var done = 0
  /// Documents of the queue they skipped.
  public var skipped = 0

  /// Every document in the queue.
  public var total: Int { single + overlap + gold }
  /// Documents neither done nor skipped.
  public var remaining: Int { total - done - skipped }
}

/// Where `next` goes for an annotator.
public enum QueueStep: Hashable, Sendable {
  /// No study is in force: `next` walks the corpus as always.
  case noStudy
  /// The next unfinished document of the annotator's queue.
  case document(StoredDocument)
  /// Every document of the annotator's queue is done or skipped.
  case finished
  /// A study is in force and nothing is assigned to the annotator.
  case notAssigned
}

/// Where `prev` goes in a study: the document before the open one in the annotator's queue.
public enum QueueStepBack: Hashable, Sendable {
  /// No study is in force: `prev` walks the corpus in import order.
  case noStudy
  /// A study is in force and nothing is assigned to the annotator.
  case notAssigned
  /// The open document is not in the annotator's queue.
  case notInQueue
  /// The open document is the first of the queue.
  case first
  /// The document before the open one in the queue, finished or not.
  case document(StoredDocument)
}

/// How far an annotator is through their queue.
public struct QueueProgress: Hashable, Sendable {
  /// Documents of the queue the annotator has done.
  public var done: Int
  /// Documents in the queue.
  public var total: Int

  /// Progress of `done` documents of `total`.
  public init(done: Int, total: Int) {
    self.done = done
    self.total = total
  }
}

/// What `anno assign move` did.
public struct MoveSummary: Hashable, Sendable {
  /// Documents (and gold questions) handed over.
  public var moved = 0
  /// Gold questions dropped from the first queue because the second already has them.
  public var goldDropped = 0
  /// Documents left with the first annotator because the second already codes them.
  public var kept: [String] = []
}

extension Store {
  /// The assignment rule in force, or `nil` when no study has been assigned.
  public func assignmentRule() throws -> AssignmentRule? {
    try read { db in try Store.assignmentRule(db)?.rule }
  }

  static func assignmentRule(_ db: Database) throws -> (rule: AssignmentRule, row: Row)? {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM assignmentRule WHERE id = 1")
    else { return nil }
    let annotatorsJSON: String = row["annotators"]
    let annotators =
      (try? JSONSerialization.jsonObject(with: Data(annotatorsJSON.utf8))) as? [String] ?? []
    let rule = AssignmentRule(
      annotators: annotators, perDocument: row["perDocument"], overlap: row["overlap"],
      perOverlapDocument: row["perOverlapDocument"],
      seed: UInt64(bitPattern: row["seed"]), documentPattern: row["documentPattern"],
      goldRate: row["goldRate"])
    return (rule, row)
  }

  /// Stores `rule` and gives every unassigned document it selects its annotators, in one
  /// transaction (see ``AssignmentPlanner`` for the procedure).
  ///
  /// Gold questions are never assigned as work; they are mixed into the queues.
  ///
  /// - Throws: `StoreError.invalid` when a study is already assigned or the rule has a
  ///   problem.
  public func assign(_ rule: AssignmentRule) throws -> AssignmentSummary {
    if let problem = rule.problem { throw StoreError.invalid(problem) }
    if rule.annotators.contains(Store.goldAnnotator) {
      throw StoreError.invalid(
        "'\(Store.goldAnnotator)' is the adjudicated version, not an annotator; leave it out of --annotators"
      )
    }
    return try write { db in
      if try Store.assignmentRule(db) != nil {
        throw StoreError.invalid(
          "a study is assigned already; 'anno assign status' shows its queues and 'anno assign move' hands work over"
        )
      }
      let now = Store.now()
      let names = String(
        decoding: try JSONSerialization.data(withJSONObject: rule.annotators), as: UTF8.self)
      try db.execute(
        sql: """
          INSERT INTO assignmentRule (id, annotators, perDocument, overlap, perOverlapDocument, seed,
            documentPattern, goldRate, documents, overlapDocuments, generatorState, createdAt)
          VALUES (1, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)
          """,
        arguments: [
          names, rule.perDocument, rule.overlap, rule.perOverlapDocument,
          Int64(bitPattern: rule.seed), rule.documentPattern, rule.goldRate,
          Int64(bitPattern: rule.seed), now,
        ])
      for name in rule.annotators { _ = try Store.annotatorID(db, name: name, now: now) }
      return try Store.assignUnassigned(db, after: nil) ?? AssignmentSummary()
    }
  }

  /// Assigns the documents after row id `after` (every document when `nil`) that have no
  /// annotator yet, are not gold questions and match the rule's pattern, by the rule in force.
  ///
  /// - Returns: what was placed, or `nil` when no study is assigned.
  static func assignUnassigned(_ db: Database, after: DocumentID?) throws
    -> AssignmentSummary?
  {
    guard let (rule, row) = try assignmentRule(db) else { return nil }
    let glob = rule.documentPattern.map(DocumentGlob.init)
    var documents: [DocumentID] = []
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT d.id, d.externalId FROM document d WHERE d.id > ?
        AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.documentId = d.id)
        AND NOT EXISTS (SELECT 1 FROM goldItem g WHERE g.documentId = d.id)
        ORDER BY d.id
        """, arguments: [after ?? DocumentID(0)])
    while let row = try rows.next() {
      if glob?.matches(row["externalId"]) ?? true { documents.append(row["id"]) }
    }
    guard !documents.isEmpty else { return AssignmentSummary() }
    var state = AssignmentState(
      documents: row["documents"], overlapDocuments: row["overlapDocuments"],
      generatorState: UInt64(bitPattern: row["generatorState"]), loads: [:], queueLengths: [:],
      gold: [:])
    for queue in try Row.fetchAll(
      db,
      sql: """
        SELECT n.name, sum(a.kind <> 'gold') AS load, sum(a.kind = 'overlap') AS overlap,
          sum(a.kind = 'single') AS single, max(a.position) + 1 AS length
        FROM assignment a JOIN annotator n ON n.id = a.annotatorId GROUP BY a.annotatorId
        """)
    {
      state.loads[queue["name"]] = queue["load"]
      state.queueLengths[queue["name"]] = queue["length"]
      state.kindLoads[queue["name"]] = [.overlap: queue["overlap"], .single: queue["single"]]
    }
    for held in try Row.fetchAll(
      db,
      sql: """
        SELECT n.name, a.documentId FROM assignment a JOIN annotator n ON n.id = a.annotatorId
        WHERE a.kind = 'gold'
        """)
    {
      state.gold[held["name"], default: []].insert(held["documentId"])
    }
    let goldItems = try DocumentID.fetchAll(
      db, sql: "SELECT documentId FROM goldItem ORDER BY position")
    var planner = AssignmentPlanner(rule: rule, state: state, goldItems: goldItems)
    let placements = planner.place(documents)
    let now = Store.now()
    var annotatorIDs: [String: Int64] = [:]
    for name in rule.annotators {
      annotatorIDs[name] = try Store.annotatorID(db, name: name, now: now)
    }
    let insert = try db.cachedStatement(
      sql: "INSERT INTO assignment (documentId, annotatorId, position, kind) VALUES (?, ?, ?, ?)")
    var summary = AssignmentSummary()
    for placement in placements {
      guard let annotatorID = annotatorIDs[placement.annotator] else { continue }
      try insert.execute(
        arguments: [
          placement.documentID, annotatorID, placement.position, placement.kind.rawValue,
        ])
      summary.placements[placement.annotator, default: 0] += 1
      if placement.kind == .gold { summary.goldQuestions += 1 }
    }
    summary.documents = planner.state.documents - state.documents
    summary.overlapDocuments = planner.state.overlapDocuments - state.overlapDocuments
    try db.execute(
      sql:
        "UPDATE assignmentRule SET documents = ?, overlapDocuments = ?, generatorState = ? WHERE id = 1",
      arguments: [
        planner.state.documents, planner.state.overlapDocuments,
        Int64(bitPattern: planner.state.generatorState),
      ])
    return summary
  }

  /// Tops every queue of the study up to its share of gold questions (see
  /// ``AssignmentPlanner/toppingUpGold(_:goldItems:rate:)``): gold questions added after the
  /// queues were assigned enter them at the rule's gold rate.
  ///
  /// - Returns: gold questions placed per annotator; empty without a study, a gold rate or a
  ///   shortfall.
  static func placeGoldQuestions(_ db: Database) throws -> [String: Int] {
    guard let (rule, _) = try assignmentRule(db), rule.goldRate > 0 else { return [:] }
    let goldItems = try DocumentID.fetchAll(
      db, sql: "SELECT documentId FROM goldItem ORDER BY position")
    guard !goldItems.isEmpty else { return [:] }
    var placed: [String: Int] = [:]
    let now = Store.now()
    for name in rule.annotators {
      let annotatorID = try Store.annotatorID(db, name: name, now: now)
      // Most imports leave every queue at its share: only a queue short of gold is read.
      let counts = try Row.fetchOne(
        db.cachedStatement(
          sql:
            "SELECT count(*), ifnull(sum(kind = 'gold'), 0) FROM assignment WHERE annotatorId = ?"
        ), arguments: [annotatorID])
      let (length, held): (Int, Int) = (counts?[0] ?? 0, counts?[1] ?? 0)
      guard AssignmentPlanner.goldDue(rate: rule.goldRate, length: length) > held,
        held < goldItems.count
      else { continue }
      let queue = try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT a.documentId, a.kind, EXISTS (SELECT 1 FROM documentStatus s
              WHERE s.documentId = a.documentId AND s.annotatorId = a.annotatorId
                AND s.status IN ('done', 'skipped')) AS finished
            FROM assignment a WHERE a.annotatorId = ? ORDER BY a.position
            """), arguments: [annotatorID]
      ).map {
        QueuedDocument(
          documentID: $0["documentId"], kind: AssignmentKind(rawValue: $0["kind"]) ?? .single,
          isFinished: $0["finished"])
      }
      let (topped, added) = AssignmentPlanner.toppingUpGold(
        queue, goldItems: goldItems, rate: rule.goldRate)
      guard added > 0 else { continue }
      // Positions are unique per annotator: the queue is written afresh in its new order.
      try db.execute(sql: "DELETE FROM assignment WHERE annotatorId = ?", arguments: [annotatorID])
      let insert = try db.cachedStatement(
        sql: "INSERT INTO assignment (documentId, annotatorId, position, kind) VALUES (?, ?, ?, ?)")
      for (position, entry) in topped.enumerated() {
        try insert.execute(
          arguments: [entry.documentID, annotatorID, position, entry.kind.rawValue])
      }
      placed[name] = added
    }
    return placed
  }

  /// Each annotator's queue: its documents by kind, and how many are done and skipped, in the
  /// rule's order of annotators (then anyone else who holds a queue, by name).
  public func queueStatuses() throws -> [QueueStatus] {
    try read { db in
      guard let (rule, _) = try Store.assignmentRule(db) else { return [] }
      var byName: [String: QueueStatus] = [:]
      for name in rule.annotators { byName[name] = QueueStatus(annotator: name) }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT n.name, a.kind, ifnull(s.status, 'todo') AS status, count(*) AS count
          FROM assignment a JOIN annotator n ON n.id = a.annotatorId
          LEFT JOIN documentStatus s ON s.documentId = a.documentId AND s.annotatorId = a.annotatorId
          GROUP BY n.name, a.kind, ifnull(s.status, 'todo')
          """)
      {
        let name: String = row["name"]
        var queue = byName[name] ?? QueueStatus(annotator: name)
        let count: Int = row["count"]
        switch AssignmentKind(rawValue: row["kind"]) {
        case .single: queue.single += count
        case .overlap: queue.overlap += count
        case .gold: queue.gold += count
        case nil: break
        }
        switch row["status"] as String {
        case "done": queue.done += count
        case "skipped": queue.skipped += count
        default: break
        }
        byName[name] = queue
      }
      let others = byName.keys.filter { !rule.annotators.contains($0) }.sorted()
      return (rule.annotators + others).compactMap { byName[$0] }
    }
  }

  /// Whether a study is in force and `annotator` holds a queue in it.
  enum QueueHolder {
    case noStudy
    case notAssigned
    case annotator(id: Int64)
  }

  /// Whether a study is in force and `annotator` holds a queue in it: two index lookups.
  static func queueHolder(_ db: Database, _ annotator: String) throws -> QueueHolder {
    guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM assignmentRule)") == true
    else { return .noStudy }
    guard
      let annotatorID = try Int64.fetchOne(
        db.cachedStatement(sql: "SELECT id FROM annotator WHERE name = ?"), arguments: [annotator]),
      try Bool.fetchOne(
        db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM assignment WHERE annotatorId = ?)"),
        arguments: [annotatorID]) == true
    else { return .notAssigned }
    return .annotator(id: annotatorID)
  }

  /// The next document of the annotator's queue after `documentID` that they have neither
  /// done nor skipped, wrapping around to the start of the queue.
  ///
  /// - Complexity: two index lookups and an index walk along the queue from the current
  ///   position; it steps over the annotator's finished documents only.
  public func nextInQueue(after documentID: DocumentID?, by annotator: String) throws -> QueueStep {
    try read { db in
      let annotatorID: Int64
      switch try Store.queueHolder(db, annotator) {
      case .noStudy: return .noStudy
      case .notAssigned: return .notAssigned
      case .annotator(let id): annotatorID = id
      }
      let position =
        try documentID.flatMap {
          try Int.fetchOne(
            db.cachedStatement(
              sql: "SELECT position FROM assignment WHERE annotatorId = ? AND documentId = ?"),
            arguments: [annotatorID, $0])
        } ?? -1
      let sql = """
        SELECT d.* FROM assignment a JOIN document d ON d.id = a.documentId
        WHERE a.annotatorId = ? AND a.position > ? AND NOT EXISTS (
          SELECT 1 FROM documentStatus s WHERE s.documentId = a.documentId AND s.annotatorId = a.annotatorId
            AND s.status IN ('done', 'skipped'))
        ORDER BY a.position LIMIT 1
        """
      for start in [position, -1] {
        if let row = try Row.fetchOne(
          db.cachedStatement(sql: sql), arguments: [annotatorID, start])
        {
          return .document(Store.storedDocument(row))
        }
      }
      return .finished
    }
  }

  /// The document before `documentID` in the annotator's queue, whatever its status, so that
  /// `prev` retraces what `next` walked.
  ///
  /// - Complexity: two index lookups and one step back along the queue's index.
  public func previousInQueue(before documentID: DocumentID, by annotator: String) throws
    -> QueueStepBack
  {
    try read { db in
      let annotatorID: Int64
      switch try Store.queueHolder(db, annotator) {
      case .noStudy: return .noStudy
      case .notAssigned: return .notAssigned
      case .annotator(let id): annotatorID = id
      }
      guard
        let position = try Int.fetchOne(
          db.cachedStatement(
            sql: "SELECT position FROM assignment WHERE annotatorId = ? AND documentId = ?"),
          arguments: [annotatorID, documentID])
      else { return .notInQueue }
      let sql = """
        SELECT d.* FROM assignment a JOIN document d ON d.id = a.documentId
        WHERE a.annotatorId = ? AND a.position < ? ORDER BY a.position DESC LIMIT 1
        """
      guard
        let row = try Row.fetchOne(
          db.cachedStatement(sql: sql), arguments: [annotatorID, position])
      else { return .first }
      return .document(Store.storedDocument(row))
    }
  }

  /// How many documents of the annotator's queue are done, of how many; `nil` without a
  /// study or when nothing is assigned to them.
  ///
  /// - Complexity: an index range scan over the annotator's queue; the shell's prompt calls
  ///   it for every line.
  public func queueProgress(of annotator: String) throws -> QueueProgress? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db.cachedStatement(
            sql: """
              SELECT count(*) AS total, count(s.documentId) AS done
              FROM annotator n JOIN assignment a ON a.annotatorId = n.id
              LEFT JOIN documentStatus s ON s.documentId = a.documentId
                AND s.annotatorId = a.annotatorId AND s.status = 'done'
              WHERE n.name = ?
              """),
          arguments: [annotator])
      else { return nil }
      let total: Int = row["total"]
      return total == 0 ? nil : QueueProgress(done: row["done"], total: total)
    }
  }

  /// Hands every document of `source`'s queue that they have neither done nor skipped to
  /// `target`, at the end of `target`'s queue in `source`'s order, and puts `target` in the
  /// rule's place of `source` (documents imported later go to `target`).
  ///
  /// A document `target` already codes cannot be handed over: the move is refused, or with
  /// `keepingShared` those stay with `source`. Gold questions `target` already has leave
  /// `source`'s queue.
  ///
  /// - Throws: `StoreError.invalid` without a study, for the same name twice, for a source
  ///   without unfinished work, or for shared documents without `keepingShared`.
  public func moveAssignments(from source: String, to target: String, keepingShared: Bool)
    throws -> MoveSummary
  {
    guard source != target else {
      throw StoreError.invalid("--from and --to name the same annotator, '\(source)'")
    }
    if target == Store.goldAnnotator {
      throw StoreError.invalid(
        "'\(Store.goldAnnotator)' is the adjudicated version, not an annotator")
    }
    return try write { db in
      guard var (rule, _) = try Store.assignmentRule(db) else {
        throw StoreError.invalid("no study is assigned; 'anno assign --annotators …' starts one")
      }
      let now = Store.now()
      guard
        let sourceID = try Int64.fetchOne(
          db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [source])
      else { throw StoreError.invalid("no annotator is named '\(source)'") }
      let targetID = try Store.annotatorID(db, name: target, now: now)
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT a.documentId, a.kind, d.externalId,
            EXISTS (SELECT 1 FROM assignment t WHERE t.documentId = a.documentId AND t.annotatorId = ?) AS shared
          FROM assignment a JOIN document d ON d.id = a.documentId
          WHERE a.annotatorId = ? AND NOT EXISTS (
            SELECT 1 FROM documentStatus s WHERE s.documentId = a.documentId AND s.annotatorId = a.annotatorId
              AND s.status IN ('done', 'skipped'))
          ORDER BY a.position
          """, arguments: [targetID, sourceID])
      guard !rows.isEmpty else {
        throw StoreError.invalid("'\(source)' has no unfinished documents to hand over")
      }
      var summary = MoveSummary()
      let shared = rows.filter { ($0["shared"] as Bool) && ($0["kind"] as String) != "gold" }
      if !shared.isEmpty && !keepingShared {
        let ids = shared.prefix(5).map { $0["externalId"] as String }.joined(separator: ", ")
        throw StoreError.invalid(
          "'\(target)' already codes \(shared.count) of the documents ('\(ids)'\(shared.count > 5 ? ", …" : "")); one annotator cannot code a document twice: add --keep-shared to leave those with '\(source)', or move to someone else"
        )
      }
      var position =
        try Int.fetchOne(
          db, sql: "SELECT ifnull(max(position), -1) + 1 FROM assignment WHERE annotatorId = ?",
          arguments: [targetID]) ?? 0
      for row in rows {
        let documentID: DocumentID = row["documentId"]
        if row["shared"] as Bool {
          if (row["kind"] as String) == "gold" {
            try db.execute(
              sql: "DELETE FROM assignment WHERE documentId = ? AND annotatorId = ?",
              arguments: [documentID, sourceID])
            summary.goldDropped += 1
          } else {
            summary.kept.append(row["externalId"])
          }
          continue
        }
        try db.execute(
          sql:
            "UPDATE assignment SET annotatorId = ?, position = ? WHERE documentId = ? AND annotatorId = ?",
          arguments: [targetID, position, documentID, sourceID])
        position += 1
        summary.moved += 1
      }
      if let index = rule.annotators.firstIndex(of: source) {
        if rule.annotators.contains(target) {
          rule.annotators.remove(at: index)
        } else {
          rule.annotators[index] = target
        }
      }
      // A rule needs as many annotators as a document takes; with fewer left, later documents
      // still follow the remaining ones as far as they go.
      if rule.annotators.count
        >= max(rule.perDocument, rule.overlap > 0 ? rule.perOverlapDocument : 0)
      {
        let names = String(
          decoding: try JSONSerialization.data(withJSONObject: rule.annotators), as: UTF8.self)
        try db.execute(
          sql: "UPDATE assignmentRule SET annotators = ? WHERE id = 1", arguments: [names])
      }
      return summary
    }
  }

  /// Each document's place in the study: its external id, kind, and its annotators with
  /// whether each finished it (done), in document order.
  public func forEachAssignedDocument(
    _ body: (
      _ externalID: String, _ kind: AssignmentKind, _ annotators: [(name: String, isDone: Bool)]
    ) throws -> Void
  ) throws {
    try read { db in
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT d.externalId, a.kind, n.name, ifnull(s.status = 'done', 0) AS isDone
          FROM assignment a JOIN document d ON d.id = a.documentId
          JOIN annotator n ON n.id = a.annotatorId
          LEFT JOIN documentStatus s ON s.documentId = a.documentId AND s.annotatorId = a.annotatorId
          ORDER BY a.documentId, n.name
          """)
      var current: (id: String, kind: AssignmentKind, annotators: [(name: String, isDone: Bool)])?
      while let row = try rows.next() {
        let id: String = row["externalId"]
        if let c = current, c.id != id {
          try body(c.id, c.kind, c.annotators)
          current = nil
        }
        if current == nil {
          current = (id, AssignmentKind(rawValue: row["kind"]) ?? .single, [])
        }
        current?.annotators.append((row["name"], row["isDone"]))
      }
      if let c = current { try body(c.id, c.kind, c.annotators) }
    }
  }
}
