import AnnoCore
import AnnoStore
import Testing

@testable import AnnoReport

/// Agreement over what each set's source annotated: a field answered with no value is a
/// category of its own (nominal) or missing (ordinal).
@Suite struct LayerAgreementTests {
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
