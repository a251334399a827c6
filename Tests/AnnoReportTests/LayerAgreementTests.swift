import AnnoCore
import AnnoPipeline
import AnnoStore
import Testing

@testable import AnnoReport

/// Agreement over what each set's source annotated: a set with no entity layer, or a partial
/// one, is left out of entity agreement; a field answered with no value is a category of its
/// own (nominal) or missing (ordinal).
@Suite struct LayerAgreementTests {
  static let anna = "Anna met Bob in Paris."
  static let rome = "Rome is calm."
  static let per = [
    EntitySpan(start: 0, end: 4, label: "PER"), EntitySpan(start: 9, end: 12, label: "PER"),
  ]
  static let loc = [EntitySpan(start: 0, end: 4, label: "LOC")]

  /// d1: ann1 tags Anna and Bob, ann2 Anna, ann3 only gave a topic (no entity layer);
  /// d2: ann1 and ann2 tag Rome, ann3 accepted Rome one span at a time (a partial layer);
  /// d3: ann1 only gave a topic, ann2 tags Anna, ann3 annotated entities and found none.
  static func sets(leavingOutWhatHasNoLayer: Bool) -> [(
    id: ExternalID, text: String, sets: [AnnotationSet]
  )] {
    let omit = leavingOutWhatHasNoLayer
    return [
      (
        "d1", anna,
        [
          AnnotationSet(annotator: "ann1", entities: per),
          AnnotationSet(annotator: "ann2", entities: [per[0]]),
        ] + (omit ? [] : [AnnotationSet(annotator: "ann3", labels: ["topic": "other"])])
      ),
      (
        "d2", rome,
        [
          AnnotationSet(annotator: "ann1", entities: loc),
          AnnotationSet(annotator: "ann2", entities: loc),
        ] + (omit ? [] : [AnnotationSet(annotator: "ann3", entities: loc, partialEntities: true)])
      ),
      (
        "d3", anna,
        (omit ? [] : [AnnotationSet(annotator: "ann1", labels: ["topic": "other"])]) + [
          AnnotationSet(annotator: "ann2", entities: [per[0]]),
          AnnotationSet(annotator: "ann3", entities: []),
        ]
      ),
    ]
  }

  @Test func setsWithoutACompleteEntityLayerAreLeftOutOfEntityAgreement() throws {
    let store = try AgreementFixtures.store()
    try AgreementFixtures.load(store, Self.sets(leavingOutWhatHasNoLayer: false))
    let json = try AgreementFixtures.json(store, ReportOptions(fields: ["entities"]))
    let measures = try #require(json["sections"]?["entities"]?["measures"])
    // ann1 and ann2 share d1 and d2 (d3 has no entity layer of ann1's): ann1 tags 3 spans,
    // ann2 2, both of them ann1's: P = 2/2, R = 2/3, F1 = 2·1·(2/3) / (1 + 2/3) = 0.8.
    #expect(measures["span_exact_precision@ann1,ann2"]?.number == 1)
    #expect(measures["span_exact_recall@ann1,ann2"]?.number == 2.0 / 3.0)
    let f1 = try #require(measures["span_exact_f1@ann1,ann2"]?.number)
    #expect(abs(f1 - 0.8) < 1e-12)
    // ann1 and ann3 share no document where both annotated every entity.
    #expect(measures["span_exact_f1@ann1,ann3"]?.number == nil)
    // ann2 tagged Anna on d3, where ann3 said "no entities": recall 0 of 1.
    #expect(measures["span_exact_recall@ann2,ann3"]?.number == 0)

    // Leaving the sets out is the same as their not being there at all.
    let without = try AgreementFixtures.store()
    try AgreementFixtures.load(without, Self.sets(leavingOutWhatHasNoLayer: true))
    let reference = try AgreementFixtures.json(without, ReportOptions(fields: ["entities"]))
    #expect(json["sections"]?["entities"] == reference["sections"]?["entities"])
    #expect(json["disagreements"] == reference["disagreements"])

    // The report says how many sets it left out, and why.
    let notes = try #require(json["notes"]?.arrayValue).compactMap(\.stringValue)
    #expect(
      notes.contains(
        "left out of entities: 2 annotation sets with no entity layer (their source did not annotate entities; counting them would claim their texts name nothing)"
      ), "\(notes)")
    #expect(
      notes.contains(
        "left out of entities: 1 annotation set with a partial entity layer (spans accepted one at a time; the rest of the text not annotated)"
      ), "\(notes)")
  }

  // The disagreement ranking names annotators by their place among those in the layer: with
  // ann1 left out of d3, the span only ann2 tagged is ann2's, not ann1's.
  @Test func disagreementRankingNamesTheAnnotatorsInTheLayer() throws {
    let store = try AgreementFixtures.store()
    try AgreementFixtures.load(store, Self.sets(leavingOutWhatHasNoLayer: false))
    let report = try AgreementJob.report(
      store: store, schema: try #require(try store.schema()),
      options: ReportOptions(fields: ["entities"]))
    let d3 = try #require(report.disagreements.first { $0.documentID == "d3" })
    #expect(d3.differences.map(\.description) == [#"PER "Anna" only ann2"#])
    let d1 = try #require(report.disagreements.first { $0.documentID == "d1" })
    #expect(d1.differences.map(\.description) == [#"PER "Bob" only ann1"#])
    #expect(report.disagreements.allSatisfy { $0.documentID != "d2" })
  }

  static func noValue(_ annotator: String, _ field: String) -> AnnotationSet {
    AnnotationSet(annotator: annotator, labels: [:], noValueFields: [field])
  }

  // "No value" after looking is an answer: on nominal topic it is a category of its own.
  @Test func noValueIsANominalCategoryAndMissingOnAnOrdinalScale() throws {
    let store = try AgreementFixtures.store()
    func value(_ annotator: String, _ field: String, _ value: String) -> AnnotationSet {
      AnnotationSet(annotator: annotator, labels: [field: value])
    }
    try AgreementFixtures.load(
      store,
      [
        ("d1", "One.", [value("ann1", "topic", "economy"), value("ann2", "topic", "economy")]),
        ("d2", "Two.", [value("ann1", "topic", "sport"), value("ann2", "topic", "sport")]),
        ("d3", "Three.", [Self.noValue("ann1", "topic"), Self.noValue("ann2", "topic")]),
        ("d4", "Four.", [value("ann1", "topic", "economy"), Self.noValue("ann2", "topic")]),
        ("d5", "Five.", [value("ann1", "urgency", "3"), Self.noValue("ann2", "urgency")]),
        ("d6", "Six.", [value("ann1", "urgency", "2"), value("ann2", "urgency", "2")]),
        ("d7", "Seven.", [value("ann1", "urgency", "4"), value("ann2", "urgency", "4")]),
      ])
    let json = try AgreementFixtures.json(store, ReportOptions(fields: ["topic", "urgency"]))
    let topic = try #require(json["sections"]?["topic"])
    #expect(topic["categories"]?.arrayValue?.last == .string("(no value)"))
    #expect(topic["pairable_units"] == .int(4))
    // Coincidences: e–e 2, s–s 2, n–n 2, e–n 1, n–e 1; n_e = 3, n_s = 2, n_n = 3, n = 8.
    // α = 1 − (n − 1) · 2 / (n² − Σ n_c²) = 1 − 7 · 2 / (64 − 22) = 2/3. (As missing data,
    // d3 and d4 would drop out and α would be 1.)
    let alpha = try #require(topic["measures"]?["alpha_nominal"]?.number)
    #expect(abs(alpha - 2.0 / 3.0) < 1e-12)
    let disagreements = try #require(json["disagreements"]?.arrayValue)
    #expect(
      disagreements.contains {
        $0["document"] == .string("d4")
          && $0["differences"]?.arrayValue?.contains {
            $0["description"] == .string("topic ann1=economy ann2=(no value)")
          } == true
      }, "\(disagreements)")
    // On urgency (ordinal) no value is no point of the scale: d5 is not pairable.
    let urgency = try #require(json["sections"]?["urgency"])
    #expect(urgency["categories"]?.arrayValue?.contains(.string("(no value)")) == false)
    #expect(urgency["pairable_units"] == .int(2))
    #expect(urgency["measures"]?["alpha_ordinal"]?.number == 1)
    let notes = try #require(json["notes"]?.arrayValue).compactMap(\.stringValue)
    #expect(
      notes.contains(
        "topic: an answer of no value (the annotator looked and chose none) is the category '(no value)', compared like any value; urgency: an answer of no value is no point of the scale and counts as missing"
      ), "\(notes)")
  }

  // A field nobody answered with no value keeps its declared categories.
  @Test func fieldsWithoutNoValueAnswersKeepTheirCategories() throws {
    let store = try AgreementFixtures.store()
    try AgreementFixtures.load(
      store,
      [
        (
          "d1", "One.",
          [
            AnnotationSet(annotator: "ann1", labels: ["topic": "economy"]),
            AnnotationSet(annotator: "ann2", labels: ["topic": "sport"]),
          ]
        )
      ])
    let json = try AgreementFixtures.json(store, ReportOptions(fields: ["topic"]))
    #expect(
      json["sections"]?["topic"]?["categories"]?.arrayValue?.contains(.string("(no value)"))
        == false)
    #expect(
      json["notes"]?.arrayValue?.contains { $0.stringValue?.contains("no value") == true } == false)
  }
}
