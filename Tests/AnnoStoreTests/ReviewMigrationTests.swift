import AnnoCore
import AnnoTestSupport
import Foundation
import GRDB
import Testing

@testable import AnnoStore

/// Migration v10: decisions on the per-label span items of older databases become one
/// decision per range, and the review queue of documents finished before it is computed.
@Suite struct ReviewMigrationTests {
  @Test func perLabelDecisionsMergeIntoOneDecisionPerRange() throws {
    let folder = try TemporaryDirectory()
    let path = folder.file("old.sqlite")
    let queue = try DatabaseQueue(path: path)
    try Store.migrator.migrate(queue, upTo: "v9 team roles")
    try queue.write { db in
      try db.execute(sql: "PRAGMA application_id = \(Store.applicationID)")
      try db.execute(
        sql: """
          INSERT INTO document (id, externalId, text, contentHash, length, importedAt)
            VALUES (1, '140', 'Anna met Boris in Kyiv.', 'h', 23, 0);
          INSERT INTO goldDecision (documentId, item, value, decidedBy, decidedAt) VALUES
            (1, 'entity|0:4|PER', 'present', 'auto:majority', 1),
            (1, 'entity|0:4|ORG', NULL, 'auto:majority', 1),
            (1, 'entity|9:14|LOC', NULL, 'auto:majority', 1),
            (1, 'entity|9:14|ORG', NULL, 'reviewer:rev', 2),
            (1, 'sentiment', 'neutral', 'auto:majority', 1);
          """)
    }
    try queue.close()
    let store = try Store(path: path)
    let decisions = try store.read { db in try Store.decisions(db, documentID: DocumentID(1)) }
    #expect(decisions.keys.sorted() == ["entity|0:4", "entity|9:14", "sentiment"])
    #expect(decisions["entity|0:4"]?.value == "PER")
    #expect(decisions["entity|0:4"]?.decidedBy == "auto:majority")
    // Both labels of 9:14 were decided absent; the later decider is kept.
    #expect(decisions["entity|9:14"].map { $0.value == nil } == true)
    #expect(decisions["entity|9:14"]?.decidedBy == "reviewer:rev")
    #expect(decisions["sentiment"]?.value == "neutral")
  }
}
