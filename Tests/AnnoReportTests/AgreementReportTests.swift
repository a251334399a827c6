import AnnoAgreement
import AnnoCore
import AnnoPipeline
import AnnoStore
import Foundation
import Testing

@testable import AnnoReport

/// The numbers and structure of the agreement report, through its JSON.
@Suite struct AgreementReportTests {
  @Test func urgencyMatchesKrippendorff2011PublishedAlphas() throws {
    // Given Krippendorff's 4 × 12 reliability data loaded as urgency (interval, 1–5),
    let json = try AgreementFixtures.json(
      try AgreementFixtures.krippendorffStore(), ReportOptions(fields: ["urgency"]))
    // when reported, the section's alphas are the published ones,
    let measures = try #require(json["sections"]?["urgency"]?["measures"])
    let nominal = try #require(measures["alpha_nominal"]?.number)
    let ordinal = try #require(measures["alpha_ordinal"]?.number)
    let interval = try #require(measures["alpha_interval"]?.number)
    #expect(abs(nominal - 0.743421052631579) < 1e-9)
    #expect(abs(ordinal - 0.8153875037548814) < 1e-9)
    #expect(abs(interval - 0.8491071428571428) < 1e-9)
    #expect((interval * 1000).rounded() / 1000 == 0.849)
    // an interval field reports no ratio alpha, and the header counts every unit rated.
    #expect(measures["alpha_ratio"] == nil)
    #expect(json["sections"]?["urgency"]?["units"] == .int(12))
    #expect(json["sections"]?["urgency"]?["pairable_units"] == .int(11))
    #expect(json["sections"]?["urgency"]?["level"] == .string("interval"))
    #expect(json["annotators"] == .array(["A", "B", "C", "D"].map(JSONValue.string)))
    #expect(json["documents"] == .int(12))
  }

  @Test func theBundledOrdinalUrgencyReportsOrdinalAndNominalAlphaOnly() throws {
    let json = try AgreementFixtures.json(
      try AgreementFixtures.krippendorffStore(interval: false), ReportOptions(fields: ["urgency"]))
    let measures = try #require(json["sections"]?["urgency"]?["measures"])
    #expect(json["sections"]?["urgency"]?["level"] == .string("ordinal"))
    #expect(abs((measures["alpha_ordinal"]?.number ?? 0) - 0.8153875037548814) < 1e-9)
    #expect(abs((measures["alpha_nominal"]?.number ?? 0) - 0.743421052631579) < 1e-9)
    #expect(measures["alpha_interval"] == nil)
    // Weighted kappa uses ranks, as it did for the interval field.
    #expect(measures["weighted_kappa_linear@A,B"]?.number != nil)
  }

  @Test func everyCoefficientIsReportedUnderOneNamingScheme() throws {
    let json = try AgreementFixtures.json(
      try AgreementFixtures.krippendorffStore(), ReportOptions(fields: ["urgency"]))
    let measures = try #require(json["sections"]?["urgency"]?["measures"]?.objectValue)
    let whole = [
      "percent_agreement", "alpha_nominal", "alpha_ordinal", "alpha_interval", "fleiss_kappa",
      "cohen_kappa_mean",
      "conger_kappa", "gwet_ac1", "bennett_s",
    ]
    let perPair = [
      "percent_agreement", "cohen_kappa", "scott_pi", "weighted_kappa_linear",
      "weighted_kappa_quadratic",
    ]
    let pairs = ["A,B", "A,C", "A,D", "B,C", "B,D", "C,D"]
    let expected = Set(whole + perPair.flatMap { name in pairs.map { "\(name)@\($0)" } })
    #expect(Set(measures.keys) == expected)
    // Cross-check with the statistics module on the same table.
    let table = RatingTable(
      categories: [1, 2, 3, 4, 5], raterRows: AgreementFixtures.krippendorff2011)
    let acc = table.accumulator
    #expect(measures["fleiss_kappa"]?.number == acc.fleissKappa.value)
    #expect(measures["cohen_kappa@A,C"]?.number == acc.cohensKappa(0, 2).value)
    #expect(
      measures["weighted_kappa_quadratic@B,D"]?.number
        == acc.weightedKappa(1, 3, weighting: .quadratic).value)
  }

  @Test func pairKeysNameAnnotatorsInCodePointOrder() throws {
    // Given annotators whose names sort differently by case,
    let store = try AgreementFixtures.store()
    try AgreementFixtures.load(
      store,
      [
        (
          "d1", "One.",
          ["bob", "Ann", "carl"].map { AnnotationSet(annotator: $0, sentiment: "negative") }
        ),
        (
          "d2", "Two.",
          ["bob", "Ann", "carl"].map {
            AnnotationSet(annotator: $0, sentiment: $0 == "bob" ? "positive" : "neutral")
          }
        ),
      ])
    // when they are named in any order,
    let json = try AgreementFixtures.json(
      store, ReportOptions(annotators: ["carl", "bob", "Ann"], fields: ["sentiment"]))
    // then annotators and pair keys follow code points: "Ann" < "bob" < "carl".
    #expect(json["annotators"] == .array(["Ann", "bob", "carl"].map(JSONValue.string)))
    let keys = try #require(json["sections"]?["sentiment"]?["measures"]?.objectValue?.keys)
    #expect(keys.contains("cohen_kappa@Ann,bob"))
    #expect(keys.contains("cohen_kappa@bob,carl"))
    #expect(!keys.contains("cohen_kappa@bob,Ann"))
    #expect(json["confusions"]?["sentiment"]?["Ann,bob"] != nil)
  }

  @Test func undefinedCoefficientIsNullWithItsReason() throws {
    // Given three annotators who all said "neutral" on every document,
    let store = try AgreementFixtures.store()
    try AgreementFixtures.load(
      store,
      ["d1", "d2", "d3"].map { id in
        (
          id, "Text \(id).",
          ["a", "b", "c"].map { AnnotationSet(annotator: $0, sentiment: "neutral") }
        )
      })
    let json = try AgreementFixtures.json(store, ReportOptions(fields: ["sentiment"]))
    let section = try #require(json["sections"]?["sentiment"])
    // then kappas are null, never 1, 0 or NaN, with the reason beside them,
    #expect(section["measures"]?["cohen_kappa@a,b"] == .null)
    #expect(section["measures"]?["fleiss_kappa"] == .null)
    #expect(section["measures"]?["alpha_nominal"] == .null)
    let reason = "all ratings are in one category, so chance agreement is 1"
    #expect(section["reasons"]?["cohen_kappa@a,b"] == .string(reason))
    #expect(json["reasons"]?["sentiment"]?["fleiss_kappa"] == .string(reason))
    #expect(json["reasons"]?["sentiment"]?["alpha_nominal"] != nil)
    // while percent agreement is a plain 1.
    #expect(section["measures"]?["percent_agreement"] == .double(1))
  }

  @Test func spanLayerReportsF1TokenKappaAndUnitizingAlpha() throws {
    let json = try AgreementFixtures.json(
      try AgreementFixtures.newsStore(), ReportOptions(fields: ["entities"]))
    let entities = try #require(json["sections"]?["entities"])
    let measures = try #require(entities["measures"])
    // ann1 has 3 + 3 + 3 spans, ann2 2 + 3 + 3; ann2's 8 all match exactly: P = 1, R = 8/9.
    #expect(measures["span_exact_precision@ann1,ann2"]?.number == 1)
    #expect(measures["span_exact_recall@ann1,ann2"]?.number == 8.0 / 9.0)
    let f1 = try #require(measures["span_exact_f1@ann1,ann2"]?.number)
    #expect(abs(f1 - 2 * (8.0 / 9.0) / (1 + 8.0 / 9.0)) < 1e-12)
    #expect(entities["counts"]?["spans_first@ann1,ann2#PER"] == .int(4))
    #expect(entities["counts"]?["exact_matches@ann1,ann3#LOC"] == .int(1))
    // Keys per label and overall exist for every measure of the layer.
    for key in [
      "span_overlap_f1@ann2,ann3#ORG", "token_cohen_kappa@ann1,ann2",
      "token_cohen_kappa@ann1,ann2#PER",
      "token_alpha_nominal", "token_alpha_nominal#LOC", "alpha_u", "alpha_u#PER",
    ] {
      #expect(measures[key] != nil, "missing \(key)")
    }
    // Nobody marked MISC: its F1 is undefined with a reason.
    #expect(measures["span_exact_f1@ann1,ann2#MISC"] == .null)
    #expect(
      entities["reasons"]?["span_exact_f1@ann1,ann2#MISC"]
        == .string("neither annotator has a span"))
    // ann1 LOC "Paris" against ann3 ORG is a confusion.
    let confusion = try #require(
      json["confusions"]?["entities"]?["ann1,ann3"]?["counts"]?.arrayValue)
    #expect(confusion[2].arrayValue?[1] == .int(1))
  }

  /// α_u needs each annotator's spans of a label to be a partition: when two overlap, the
  /// reason names the annotator and the document where it first happens, not indices.
  @Test func unitizingAlphaNamesWhoseSpansOverlapAndWhere() throws {
    let store = try AgreementFixtures.store()
    let text = "Ada Lovelace met Charles Babbage in London."
    func set(_ annotator: String, _ spans: [(Int, Int, String)]) -> AnnotationSet {
      AnnotationSet(
        annotator: annotator,
        entities: spans.map { EntitySpan(start: $0.0, end: $0.1, label: $0.2) })
    }
    try AgreementFixtures.load(
      store,
      [
        ("d1", text, [set("ann1", [(0, 12, "PER")]), set("ann2", [(0, 12, "PER")])]),
        // ann2's two PER spans overlap here, ann1's in d3 (ann2 comes first in the report).
        (
          "d2", text,
          [set("ann1", [(17, 32, "PER")]), set("ann2", [(17, 32, "PER"), (25, 32, "PER")])]
        ),
        (
          "d3", text,
          [set("ann1", [(0, 12, "PER"), (4, 12, "PER")]), set("ann2", [(0, 12, "PER")])]
        ),
      ])
    let json = try AgreementFixtures.json(store, ReportOptions(fields: ["entities"]))
    let reasons = try #require(json["sections"]?["entities"]?["reasons"])
    #expect(reasons["alpha_u#PER"] == .string("ann1 has overlapping PER spans in document d3"))
    #expect(reasons["alpha_u"] == .string("ann1 has overlapping PER spans in document d3"))
    #expect(json["sections"]?["entities"]?["measures"]?["alpha_u#LOC"] == .null)
  }

  @Test func tokenMeasuresMatchASpanStudyOfTheSameDocuments() throws {
    // Given the news documents as one SpanStudy, tokenized the same way,
    let store = try AgreementFixtures.newsStore()
    var study = SpanStudy(labels: ["PER", "ORG", "LOC", "MISC"], annotatorCount: 3)
    var perLabel = SpanStudy(labels: ["PER"], annotatorCount: 3)
    var group: [AnnotatedDocument] = []
    func flush() {
      guard let document = group.first?.document else { return }
      let tokens = Tokenizer().tokenize(document.text).filter { !$0.isSpace }.map(\.range)
      let spans = group.map { item in
        (item.annotations.entities ?? []).map {
          LabeledSpan(start: $0.start, end: $0.end, label: $0.label)
        }
      }
      study.append(SpanDocument(length: document.length, tokens: tokens, annotations: spans))
      perLabel.append(
        SpanDocument(
          length: document.length, tokens: tokens,
          annotations: spans.map { $0.filter { $0.label == "PER" } }))
      group = []
    }
    try store.forEachAnnotatedDocument(annotators: nil, statuses: nil) { item in
      if group.first?.document.externalID != item.document.externalID { flush() }
      group.append(item)
    }
    flush()
    // when the report is built,
    let report = try AgreementJob.report(
      store: store, schema: try #require(try store.schema()),
      options: ReportOptions(fields: ["entities"]))
    let section = try #require(report.section("entities"))
    // then its token and unitizing measures are the study's.
    #expect(section.measure(.tokenAlphaNominal)?.value == study.tokenAlpha())
    #expect(
      section.measure(.tokenCohenKappa, pair: AnnotatorPair("ann1", "ann3"))?.value
        == study.tokenKappa(0, 2))
    #expect(section.measure(.alphaU)?.value == study.unitizingAlpha().alpha)
    #expect(
      section.measure(.alphaU, label: "LOC")?.value == study.unitizingAlpha(label: "LOC").alpha)
    let exact = study.spanAgreement(1, 2, matching: .exact)
    #expect(
      section.measure(.spanExactF1, pair: AnnotatorPair("ann2", "ann3"))?.value == exact.overall.f1)
    // Per-label token α and κ (merged tags) equal a study of that label alone.
    let a = try #require(section.measure(.tokenAlphaNominal, label: "PER")?.value.value)
    let b = try #require(perLabel.tokenAlpha().value)
    #expect(abs(a - b) < 1e-12)
    let k = try #require(
      section.measure(.tokenCohenKappa, pair: AnnotatorPair("ann1", "ann2"), label: "PER")?.value
        .value)
    #expect(abs(k - (perLabel.tokenKappa(0, 1).value ?? .nan)) < 1e-12)
  }

  @Test func nominalAlphaFromCoincidencesEqualsTheLibrary() {
    let table = RatingTable(
      categories: [1, 2, 3, 4, 5], raterRows: AgreementFixtures.krippendorff2011)
    let acc = table.accumulator
    #expect(
      RatingAccumulator.krippendorffAlpha(coincidences: acc.coincidenceMatrix, level: .nominal)
        .value.map { ($0 * 1e12).rounded() }
        == acc.krippendorffAlpha(level: .nominal).value.map { ($0 * 1e12).rounded() })
  }

  @Test func disagreementsAreRankedWithWhatDiffers() throws {
    let report = try AgreementJob.report(
      store: try AgreementFixtures.newsStore(),
      schema: try #require(try AgreementFixtures.newsStore().schema()),
      options: ReportOptions(annotators: ["ann1", "ann2"]))
    // geneva: sentiment and Lavrov (2); sport: sentiment (1); berlin: nothing.
    #expect(report.disagreements.map(\.documentID) == ["geneva-grain-talks", "sport/derby"])
    #expect(
      report.disagreements.first?.summary
        == #"geneva-grain-talks: sentiment ann1=negative ann2=neutral; PER "Lavrov" only ann1"#)
  }

  @Test func disagreementsBreakTiesByDocumentID() {
    var ranking = DisagreementRanking(limit: 2)
    for (id, score) in [("b", 1), ("c", 3), ("a", 1), ("d", 1)] {
      if ranking.qualifies(score: score, documentID: id) {
        ranking.insert(DocumentDisagreement(documentID: id, score: score, differences: []))
      }
    }
    #expect(ranking.ranked.map(\.documentID) == ["c", "a"])
  }

  @Test func everyAnnotatorIsComparedWithTheMajority() throws {
    let json = try AgreementFixtures.json(
      try AgreementFixtures.newsStore(), ReportOptions(fields: ["topic"]))
    // ann3 departs on topic twice out of three; ann1 and ann2 never.
    #expect(json["against_majority"]?["ann1"]?["topic"]?["percent_agreement"]?.number == 1)
    let ann3 = try #require(
      json["against_majority"]?["ann3"]?["topic"]?["percent_agreement"]?.number)
    #expect(abs(ann3 - 1.0 / 3.0) < 1e-12)
    #expect(json["against_majority"]?["ann3"]?["topic"]?["units"] == .int(3))
  }

  @Test func defaultAnnotatorsAreThoseSharingAFinishedDocument() throws {
    // Given a fourth annotator who finished only a document nobody else did,
    let store = try AgreementFixtures.newsStore()
    try AgreementFixtures.load(
      store, [("solo", "Alone.", [AnnotationSet(annotator: "zoe", sentiment: "neutral")])])
    // and a fifth whose set is unfinished,
    _ = try store.importRecords(source: "t", replace: false) { t in
      try t.importRecord(
        document: nil, externalID: "sport/derby",
        annotations: AnnotationSet(annotator: "yan", status: .inProgress, sentiment: "negative"))
    }
    let json = try AgreementFixtures.json(store, ReportOptions(fields: ["sentiment"]))
    #expect(json["annotators"] == .array(["ann1", "ann2", "ann3"].map(JSONValue.string)))
    #expect(json["documents"] == .int(3))
    // With --include-unfinished, yan joins.
    let all = try AgreementFixtures.json(store, ReportOptions(fields: ["sentiment"], statuses: nil))
    #expect(all["annotators"] == .array(["ann1", "ann2", "ann3", "yan"].map(JSONValue.string)))
  }

  @Test func documentsAreSelectedByGlob() throws {
    let json = try AgreementFixtures.json(
      try AgreementFixtures.newsStore(),
      ReportOptions(fields: ["sentiment"], documentPattern: "sport/*"))
    #expect(json["documents"] == .int(1))
    #expect(DocumentGlob("sport/*").matches("sport/a/b"))
    #expect(!DocumentGlob("sport/*").matches("news/sport/a"))
    #expect(DocumentGlob("d?-[a-c]x").matches("d1-bx"))
    #expect(!DocumentGlob("d?-[!a-c]x").matches("d1-bx"))
    #expect(DocumentGlob("*grain*").matches("geneva-grain-talks"))
  }

  @Test func bootstrapIsDeterministicForASeed() throws {
    let store = try AgreementFixtures.krippendorffStore()
    let options = ReportOptions(fields: ["urgency"], bootstrap: 200, seed: 7)
    let first = try AgreementFixtures.json(store, options)
    let again = try AgreementFixtures.json(store, options)
    #expect(first == again)
    let interval = try #require(first["bootstrap"]?["intervals"]?["urgency"]?["alpha_interval"])
    let lower = try #require(interval["lower"]?.number)
    let upper = try #require(interval["upper"]?.number)
    #expect(lower <= 0.849 && 0.849 <= upper && upper <= 1)
    #expect(first["bootstrap"]?["intervals"]?["urgency"]?["fleiss_kappa"] != nil)
    let other = try AgreementFixtures.json(
      store, ReportOptions(fields: ["urgency"], bootstrap: 200, seed: 8))
    #expect(other["bootstrap"] != first["bootstrap"])
  }

  @Test func spanBootstrapCoversF1AndTokenAlpha() throws {
    let json = try AgreementFixtures.json(
      try AgreementFixtures.newsStore(),
      ReportOptions(fields: ["entities"], bootstrap: 50, seed: 1))
    let intervals = try #require(json["bootstrap"]?["intervals"]?["entities"])
    #expect(intervals["span_exact_f1@ann1,ann2"]?["lower"]?.number != nil)
    #expect(intervals["token_alpha_nominal"]?["defined_replicates"] != nil)
  }

  @Test func unknownNamesAreRefusedWithTheChoices() throws {
    let store = try AgreementFixtures.newsStore()
    let schema = try #require(try store.schema())
    #expect(throws: AgreementError.unknownAnnotator("ann9", known: ["ann1", "ann2", "ann3"])) {
      try AgreementJob.report(
        store: store, schema: schema,
        options: ReportOptions(annotators: ["ann1", "ann9"]))
    }
    #expect(throws: AgreementError.unknownLabel("FOO", known: ["PER", "ORG", "LOC", "MISC"])) {
      try AgreementJob.report(
        store: store, schema: schema, options: ReportOptions(labels: ["FOO"]))
    }
    #expect(
      AgreementError.unknownSection("mood", known: ["sentiment"]).errorDescription
        == "no field or layer 'mood' (use one of: sentiment)")
  }

  @Test func reportIsWrittenAtomically() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "agree-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("report.md").path
    try AgreementRenderer.write("old\n", toPath: path)
    try AgreementRenderer.write("new\n", toPath: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.md"])
  }
}
