import AnnoCore
import AnnoPipeline
import AnnoStore
import Testing

@testable import AnnoReport

/// How `anno agree` counts a document-level stance one annotator did not record.
@Suite struct NoStanceAgreementTests {
  /// Three documents: on `both`, both annotators record Russia; on `one`, only ann1 does and
  /// ann2 finished the document; on `unfinished`, only ann1 does and ann2 has not finished.
  static func store() throws -> Store {
    let store = try AgreementFixtures.store()
    let against = [Stance(target: "Russia", value: "against")]
    try AgreementFixtures.load(
      store,
      [
        (
          "both", "Moscow said no.",
          [
            AnnotationSet(annotator: "ann1", stances: against),
            AnnotationSet(annotator: "ann2", stances: against),
          ]
        ),
        (
          "one", "Moscow said no again.",
          [
            AnnotationSet(annotator: "ann1", stances: against),
            AnnotationSet(annotator: "ann2", stances: []),
          ]
        ),
        (
          "unfinished", "Moscow said no once more.",
          [
            AnnotationSet(annotator: "ann1", stances: against),
            AnnotationSet(annotator: "ann2", status: .inProgress, stances: []),
          ]
        ),
      ])
    return store
  }

  @Test func aFinishedDocumentWithoutARecordCountsAsNone() throws {
    let store = try Self.store()
    let report = try AgreementJob.report(
      store: store, schema: try #require(try store.schema()),
      options: ReportOptions(fields: ["stance:Kremlin"], statuses: nil))
    let section = try #require(report.section("stance:Russia"))
    // `both` and `one` are pairable (against/against, against/none); `unfinished` has one value.
    #expect(section.units == 3)
    #expect(section.pairableUnits == 2)
    #expect(section.measure(.percentAgreement)?.value == .value(0.5))
    // The unfinished document is listed too: one value against an open question.
    #expect(
      report.disagreements.map(\.summary) == [
        "one: stance:Russia ann1=against ann2=none",
        "unfinished: stance:Russia ann1=against ann2=—",
      ])
    #expect(report.notes == [NoStance.note])
    #expect(report.schema?.description == "schema anno-news v2")
  }

  @Test func noneIsADeclaredCategoryOfEveryStanceSection() throws {
    let store = try Self.store()
    let schema = try #require(try store.schema())
    #expect(NoStance.categories(schema) == ["favor", "against", "neutral", "none"])
    var declared = schema
    declared.stance.values = ["favor", "against", "none"]
    #expect(NoStance.categories(declared) == ["favor", "against", "none"])
  }
}
