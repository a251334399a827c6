import AnnoCore
import Foundation
import GRDB
import Testing

@testable import AnnoStore

@Suite struct AssignmentTests {
  static let annotators = ["ann1", "ann2", "ann3"]

  /// A store with documents `d01`…`dNN` and the first `gold` of them as gold questions.
  static func makeStore(documents: Int, gold: Int = 0) throws -> Store {
    let store = try StoreTests.makeStore()
    _ = try store.importRecords(source: "test", replace: false) { transaction in
      for i in 1...documents {
        let id = ExternalID(String(format: "d%02d", i))
        try transaction.importRecord(
          document: Document(externalID: id, text: "Text of \(id)."), externalID: id,
          annotations: nil)
        if i <= gold {
          try transaction.addGoldItem(
            externalID: id,
            answer: AnnotationSet(
              annotator: "x", entities: [EntitySpan(start: 0, end: 4, label: "PER")]),
            source: "test")
        }
      }
    }
    return store
  }

  static func queues(_ store: Store) throws -> [String: [(ExternalID, AssignmentKind)]] {
    var result: [String: [(Int, ExternalID, AssignmentKind)]] = [:]
    try store.read { db in
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT n.name, d.externalId, a.position, a.kind FROM assignment a
          JOIN annotator n ON n.id = a.annotatorId JOIN document d ON d.id = a.documentId
          """)
      {
        result[row["name"], default: []].append(
          (row["position"], row["externalId"], AssignmentKind(rawValue: row["kind"]) ?? .single))
      }
    }
    return result.mapValues { $0.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) } }
  }

  @Test func aStudyOfThirtyDocumentsIsBalancedWithNineOverlapDocuments() throws {
    // Given 30 documents and 3 gold questions
    let store = try Self.makeStore(documents: 33, gold: 3)
    let rule = AssignmentRule(
      annotators: Self.annotators, overlap: 0.3, seed: 7, goldRate: 0.1)
    // When they are assigned with 30% overlap, 2 annotators per overlap document
    let summary = try store.assign(rule)
    // Then 9 of the 30 regular documents are double-coded: 21 + 2·9 = 39 placements, 13 each
    #expect(summary.documents == 30)
    #expect(summary.overlapDocuments == 9)
    let queues = try Self.queues(store)
    let loads = Self.annotators.map { name in
      queues[name, default: []].filter { $0.1 != .gold }.count
    }
    #expect(loads == [13, 13, 13])
    // Every regular document has its annotators, gold questions are never work
    var coders: [ExternalID: Int] = [:]
    for (_, queue) in queues {
      for (id, kind) in queue where kind != .gold { coders[id, default: 0] += 1 }
    }
    #expect(coders.count == 30)
    #expect(coders.values.filter { $0 == 2 }.count == 9)
    #expect(coders["d01"] == nil && coders["d02"] == nil && coders["d03"] == nil)
    // Each queue of 13 documents gets round(0.1 · 5) = 1 gold question, at position 4
    for name in Self.annotators {
      let queue = queues[name, default: []]
      #expect(queue.count == 14)
      #expect(queue.indices.filter { queue[$0].1 == .gold } == [4])
    }
    // The overlap documents are spread through each queue, not bunched at one end
    for name in Self.annotators {
      let positions = queues[name, default: []].indices.filter { queues[name]?[$0].1 == .overlap }
      #expect(positions.count == 6)
      #expect(positions.first ?? 99 < 5 && positions.last ?? 0 > 9)
    }
    let statuses = try store.queueStatuses()
    #expect(statuses.map(\.annotator) == Self.annotators)
    #expect(statuses.map(\.total) == [14, 14, 14])
    #expect(statuses.map(\.overlap) == [6, 6, 6])
  }

  @Test func theSameSeedGivesTheSameQueuesAndAnotherSeedOthers() throws {
    func plan(_ seed: UInt64) throws -> [String: [ExternalID]] {
      let store = try Self.makeStore(documents: 30)
      _ = try store.assign(AssignmentRule(annotators: Self.annotators, overlap: 0.3, seed: seed))
      return try Self.queues(store).mapValues { $0.map(\.0) }
    }
    #expect(try plan(42) == plan(42))
    #expect(try plan(42) != plan(43))
  }

  @Test func loadsDifferByAtMostOneForAnyShape() throws {
    for (documents, overlap, perOverlap) in [(31, 0.2, 2), (17, 0.5, 3), (10, 0.0, 2), (7, 1.0, 2)]
    {
      let store = try Self.makeStore(documents: documents)
      _ = try store.assign(
        AssignmentRule(
          annotators: ["a", "b", "c", "d"], overlap: overlap, perOverlapDocument: perOverlap,
          seed: UInt64(documents)))
      let loads = try Self.queues(store).values.map(\.count)
      #expect((loads.max() ?? 0) - (loads.min() ?? 0) <= 1, "\(documents) \(overlap): \(loads)")
      #expect(
        loads.reduce(0, +) == documents + Int((overlap * Double(documents) + 0.5).rounded(.down))
          * (perOverlap - 1))
    }
  }

  @Test func documentsImportedLaterFollowTheStoredRule() throws {
    // Given a study of 20 documents
    let store = try Self.makeStore(documents: 20)
    _ = try store.assign(AssignmentRule(annotators: Self.annotators, overlap: 0.5, seed: 1))
    // When 10 more arrive
    let summary = try store.importRecords(source: "more", replace: false) { transaction in
      for i in 21...30 {
        let id: ExternalID = "d\(i)"
        try transaction.importRecord(
          document: Document(externalID: id, text: "Text \(i)."), externalID: id, annotations: nil)
      }
    }
    // Then they are assigned by the same rule: 15 of 30 overlap in all, loads still balanced
    #expect(summary.assignment?.documents == 10)
    #expect(summary.assignment?.overlapDocuments == 5)
    let loads = try Self.queues(store).values.map(\.count)
    #expect(loads.reduce(0, +) == 45)
    #expect((loads.max() ?? 0) - (loads.min() ?? 0) <= 1)
  }

  /// Imports gold questions `ids` with their documents, in one import.
  static func importGold(_ store: Store, _ ids: [ExternalID]) throws -> ImportSummary {
    try store.importRecords(source: "gold", replace: false) { transaction in
      for id in ids {
        try transaction.importRecord(
          document: Document(externalID: id, text: "Gold \(id)."), externalID: id,
          annotations: nil)
        try transaction.addGoldItem(
          externalID: id,
          answer: AnnotationSet(
            annotator: "x", entities: [EntitySpan(start: 0, end: 4, label: "PER")]),
          source: "test")
      }
    }
  }

  @Test func goldQuestionsAddedAfterAssigningEnterTheQueuesAtTheGoldRate() throws {
    // Given 30 documents assigned at gold rate 0.1 before any gold question exists: 13 each
    let store = try Self.makeStore(documents: 30)
    _ = try store.assign(
      AssignmentRule(annotators: Self.annotators, overlap: 0.3, seed: 7, goldRate: 0.1))
    let before = try Self.queues(store)
    #expect(before.values.map(\.count) == [13, 13, 13])
    // and ann1 has finished the first 4 documents of their queue
    for (id, _) in (before["ann1"] ?? []).prefix(4) {
      let row = try #require(try store.document(externalID: id)).id
      try store.apply([.setStatus(.done, flagReason: nil)], to: row, by: "ann1", summary: "done")
    }
    // When 3 gold questions arrive
    let summary = try Self.importGold(store, ["g1", "g2", "g3"])
    // Then each queue of 13 takes one, the first (⌊0.1·13 + ½⌋ = 1; at 14, ⌊1.4 + ½⌋ = 1 is
    // held): three placed, none assigned as regular work
    #expect(summary.assignment?.goldQuestions == 3)
    #expect(summary.assignment?.documents == 0)
    let after = try Self.queues(store)
    for name in Self.annotators {
      let queue = after[name] ?? []
      #expect(queue.filter { $0.1 == .gold }.map(\.0) == ["g1"], "\(name)")
      // The rest keeps its order
      #expect(queue.filter { $0.1 != .gold }.map(\.0) == (before[name] ?? []).map(\.0))
      // Spread through what is not finished: before the ⌊r/2⌋-th of r open documents, so
      // after ann1's 4 finished ones and 4 of their 9 open ones (position 8); 6 of 13 for the
      // others (position 6)
      #expect(queue.firstIndex { $0.1 == .gold } == (name == "ann1" ? 8 : 6), "\(name)")
    }
    // A gold question more changes nothing: every queue holds its share
    #expect(try Self.importGold(store, ["g4"]).assignment?.goldQuestions == 0)
    // When 30 more documents are imported, they follow the same rule, gold questions too: each
    // queue grows by 13 documents, and before the documents that make it 15 and 25 long,
    // ⌊0.1·15 + ½⌋ = 2 and ⌊0.1·25 + ½⌋ = 3 call for g2 and g3
    let more = try store.importRecords(source: "more", replace: false) { transaction in
      for i in 31...60 {
        let id: ExternalID = "d\(i)"
        try transaction.importRecord(
          document: Document(externalID: id, text: "Text \(i)."), externalID: id, annotations: nil)
      }
    }
    #expect(more.assignment?.documents == 30)
    #expect(more.assignment?.overlapDocuments == 9)
    for (name, queue) in try Self.queues(store) {
      #expect(queue.count == 29, "\(name)")
      #expect(queue.filter { $0.1 == .gold }.map(\.0) == ["g1", "g2", "g3"], "\(name)")
      #expect(Set(queue.map(\.0)).count == queue.count, "\(name): a document twice")
    }
  }

  @Test func nextFollowsTheQueueAndSkipsFinishedDocuments() throws {
    let store = try Self.makeStore(documents: 12)
    #expect(try store.nextInQueue(after: nil, by: "ann1") == .noStudy)
    _ = try store.assign(AssignmentRule(annotators: Self.annotators, overlap: 0, seed: 3))
    let queue = try Self.queues(store)["ann1", default: []].map(\.0)
    #expect(queue.count == 4)
    func next(after id: ExternalID?) throws -> ExternalID? {
      let row = try id.flatMap { try store.document(externalID: $0)?.id }
      if case .document(let stored) = try store.nextInQueue(after: row, by: "ann1") {
        return stored.document.externalID
      }
      return nil
    }
    #expect(try next(after: nil) == queue[0])
    #expect(try next(after: queue[0]) == queue[1])
    // When the second is done, next steps over it; after the last it wraps around
    let second = try #require(try store.document(externalID: queue[1])).id
    try store.apply([.setStatus(.done, flagReason: nil)], to: second, by: "ann1", summary: "done")
    #expect(try next(after: queue[0]) == queue[2])
    #expect(try next(after: queue[3]) == queue[0])
    #expect(try store.nextInQueue(after: nil, by: "someone") == .notAssigned)
    // list shows the queue in its order, with the annotator's status
    #expect(try store.listDocuments(.all, by: "ann1", limit: 10).map(\.externalID) == queue)
    #expect(
      try store.listDocuments(.todo, by: "ann1", limit: 10).map(\.externalID)
        == queue.filter { $0 != queue[1] })
    #expect(try store.listDocuments(.all, by: "someone", limit: 20).count == 12)
  }

  @Test func prevRetracesTheQueueAndProgressCountsItsDoneDocuments() throws {
    let store = try Self.makeStore(documents: 12)
    let outside = try #require(try store.document(externalID: "d01")).id
    #expect(try store.previousInQueue(before: outside, by: "ann1") == .noStudy)
    #expect(try store.queueProgress(of: "ann1") == nil)
    _ = try store.assign(AssignmentRule(annotators: Self.annotators, overlap: 0, seed: 3))
    let queue = try Self.queues(store)["ann1", default: []].map(\.0)
    func row(_ id: ExternalID) throws -> DocumentID {
      try #require(try store.document(externalID: id)).id
    }
    func previous(before id: ExternalID) throws -> ExternalID? {
      if case .document(let stored) = try store.previousInQueue(before: row(id), by: "ann1") {
        return stored.document.externalID
      }
      return nil
    }
    // prev goes back along the queue, over finished documents too, and stops at its start
    try store.apply(
      [.setStatus(.done, flagReason: nil)], to: row(queue[1]), by: "ann1", summary: "done")
    #expect(try previous(before: queue[2]) == queue[1])
    #expect(try previous(before: queue[1]) == queue[0])
    #expect(try store.previousInQueue(before: row(queue[0]), by: "ann1") == .first)
    let notMine = try #require(try Self.queues(store)["ann2"]?.first?.0)
    #expect(try store.previousInQueue(before: row(notMine), by: "ann1") == .notInQueue)
    #expect(try store.previousInQueue(before: row(queue[0]), by: "someone") == .notAssigned)
    // Progress counts the queue's done documents, not the corpus
    #expect(try store.queueProgress(of: "ann1") == QueueProgress(done: 1, total: queue.count))
    #expect(try store.queueProgress(of: "someone") == nil)
  }

  @Test func moveHandsUnfinishedWorkOverAndRefusesSharedDocuments() throws {
    let store = try Self.makeStore(documents: 12)
    _ = try store.assign(AssignmentRule(annotators: Self.annotators, overlap: 0.5, seed: 5))
    let before = try Self.queues(store)
    let first = try #require(before["ann3"]?.first?.0)
    let firstID = try #require(try store.document(externalID: first)).id
    try store.apply([.setStatus(.done, flagReason: nil)], to: firstID, by: "ann3", summary: "done")
    // ann2 shares overlap documents with ann3: moving to ann2 is refused without --keep-shared
    #expect(throws: StoreError.self) {
      try store.moveAssignments(from: "ann3", to: "ann2", keepingShared: false)
    }
    // Moving to a newcomer hands over everything unfinished, in ann3's order
    let summary = try store.moveAssignments(from: "ann3", to: "ann4", keepingShared: false)
    let after = try Self.queues(store)
    #expect(summary.moved == (before["ann3"]?.count ?? 0) - 1)
    #expect(after["ann3"]?.map(\.0) == [first])
    #expect(after["ann4"]?.map(\.0) == Array((before["ann3"] ?? []).dropFirst().map(\.0)))
    #expect(try store.assignmentRule()?.annotators == ["ann1", "ann2", "ann4"])
    #expect(throws: StoreError.self) {
      try store.moveAssignments(from: "ann3", to: "ann4", keepingShared: false)
    }
  }

  @Test func aSecondAssignIsRefused() throws {
    let store = try Self.makeStore(documents: 3)
    _ = try store.assign(AssignmentRule(annotators: ["a", "b"], overlap: 0, seed: 1))
    #expect(throws: StoreError.self) {
      try store.assign(AssignmentRule(annotators: ["a", "b"], overlap: 0, seed: 1))
    }
  }
}
