import AnnoAgreement
import AnnoCore
import AnnoStore
import Testing

@testable import AnnoReport

@Suite struct QualityReportTests {
  @Test func kappaPerFieldAndExactSpanScoresAgainstGoldAnswers() throws {
    // Given four gold questions and one annotator's finished answers on them
    let store = try Store(path: nil)
    _ = try store.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    let gold = ["neutral", "neutral", "positive", "negative"]
    let given = ["neutral", "positive", "positive", "negative"]
    _ = try store.importRecords(source: "test", replace: false) { transaction in
      for i in 0..<4 {
        let id = ExternalID("g\(i)")
        try transaction.importRecord(
          document: Document(externalID: id, text: "Anna Berg met Carl Dahl."), externalID: id,
          annotations: nil)
        try transaction.addGoldItem(
          externalID: id,
          answer: AnnotationSet(
            annotator: "key",
            entities: [
              EntitySpan(start: 0, end: 9, label: "PER"),
              EntitySpan(start: 14, end: 23, label: "PER"),
            ], sentiment: gold[i]), source: "test")
        try transaction.importRecord(
          document: nil, externalID: id,
          annotations: AnnotationSet(
            annotator: "ann1", status: .done,
            entities: [EntitySpan(start: 0, end: 9, label: "PER")]
              + (i == 0
                ? [EntitySpan(start: 14, end: 23, label: "ORG")] : []),
            sentiment: given[i]))
      }
    }
    // When the quality report is built
    let report = try QualityReport.build(store: store, threshold: 0.7)
    let ann1 = try #require(report.annotators.first)
    #expect(report.questions == 4)
    #expect(ann1.questions == 4)
    // Then Cohen's κ on sentiment is as sklearn's cohen_kappa_score([1,1,2,0], [1,2,2,0]):
    // pₒ = 3/4, pₑ = (1·1 + 2·1 + 1·2)/16 = 5/16, κ = (3/4 − 5/16)/(1 − 5/16) = 7/11
    let kappa = try #require(ann1.kappa("sentiment").value)
    #expect(abs(kappa - 7.0 / 11) < 1e-12)
    // Spans: PER gold 8, given 4, all 4 match (P 1, R 0.5); ORG given 1, matched 0
    #expect(
      ann1.perLabel["PER"]
        == SpanScore(
          referenceCount: 8, predictedCount: 4, matchedReferenceCount: 4, matchedPredictedCount: 4))
    #expect(ann1.perLabel["ORG"]?.precision == .value(0))
    // micro: 4 matched of 5 given and 8 gold: F1 = 2·(4/5)(1/2)/(4/5 + 1/2) = 8/13
    #expect(abs((ann1.overall.f1.value ?? 0) - 8.0 / 13) < 1e-12)
    #expect(report.flags(ann1) == ["span F1 0.615", "sentiment κ 0.636"])
  }
}
