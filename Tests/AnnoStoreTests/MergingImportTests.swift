import AnnoCore
import AnnoTestSupport
import Testing

@testable import AnnoStore

/// Records of one input by one annotator (Prodigy tasks) merge into one annotation set; a
/// rejected span becomes a rejected suggestion, and contradictions follow the policy.
@Suite struct MergingImportTests {
  static let text = "Toyota sells the Corolla and Honda the Civic."
  static let corolla = EntitySpan(start: 17, end: 24, label: "MISC")
  static let civic = EntitySpan(start: 39, end: 44, label: "MISC")

  func task(
    _ t: ImportTransaction, accepted: [EntitySpan]?, rejected: [EntitySpan] = [],
    labels: [String: String]? = nil, policy: ConflictPolicy = .error
  ) throws {
    let set =
      accepted == nil && labels == nil
      ? nil : AnnotationSet(annotator: "ann1", entities: accepted, labels: labels)
    try t.importRecord(
      document: Document(externalID: "p", text: Self.text), externalID: "p", annotations: set,
      rejections: ("ann1", rejected), merging: policy)
  }

  @Test func tasksMergeAndRejectedSpansAreRejectedSuggestions() throws {
    let store = try StoreTests.makeStore()
    let summary = try store.importRecords(source: "t", replace: false) { t in
      try task(t, accepted: [Self.corolla])
      try task(t, accepted: [Self.corolla])
      try task(t, accepted: [Self.civic])
      try task(t, accepted: nil, rejected: [EntitySpan(start: 0, end: 6, label: "PER")])
      try task(t, accepted: nil, labels: ["topic": "business"])
    }
    #expect(summary.documentsAdded == 1 && summary.documentsUnchanged == 0)
    #expect(summary.annotationSetsAdded == 1)
    #expect(summary.recordsMerged == 2)
    #expect(summary.recordsRepeated == 1)
    #expect(summary.rejectionsKept == 1)
    #expect(summary.annotationsAdded == 3)
    let set = try #require(try store.annotations(of: "p", by: "ann1"))
    #expect(set.entities == [Self.corolla, Self.civic])
    #expect(set.labels == ["topic": "business"])
    let id = try #require(try store.document(externalID: "p")).id
    #expect(
      try store.rejectedSuggestions(documentID: id, annotator: "ann1")
        == [EntitySpan(start: 0, end: 6, label: "PER")])
  }

  @Test func contradictionsFollowThePolicy() throws {
    let store = try StoreTests.makeStore()
    #expect(throws: ImportRejection.self) {
      _ = try store.importRecords(source: "t", replace: false) { t in
        try task(t, accepted: [Self.corolla])
        try task(t, accepted: nil, rejected: [Self.corolla])
      }
    }
    let summary = try store.importRecords(source: "t", replace: false) { t in
      try task(t, accepted: [Self.corolla], policy: .last)
      try task(t, accepted: nil, rejected: [Self.corolla], policy: .last)
      try task(t, accepted: nil, labels: ["topic": "business"], policy: .last)
      try task(t, accepted: nil, labels: ["topic": "economy"], policy: .last)
    }
    #expect(summary.conflictsSettled == 2)
    let set = try #require(try store.annotations(of: "p", by: "ann1"))
    #expect(set.entities == [])
    #expect(set.labels == ["topic": "economy"])
    let id = try #require(try store.document(externalID: "p")).id
    #expect(try store.rejectedSuggestions(documentID: id, annotator: "ann1") == [Self.corolla])
  }
}
