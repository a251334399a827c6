import AnnoCore
import AnnoPipeline
import AnnoStore
import Foundation
import Testing

@testable import AnnoReport

/// Stores for the agreement report tests.
enum AgreementFixtures {
  /// A fresh in-memory store with the bundled schema (or another).
  static func store(yaml: String = BundledGuidelines.schemaYAML) throws -> Store {
    let store = try Store(path: nil)
    _ = try store.loadSchema(yaml: yaml, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    return store
  }

  /// The bundled schema with `urgency` as an interval field, for Krippendorff's published
  /// interval example (the bundled `urgency` is ordinal).
  static let intervalUrgencySchema: String = {
    let ordinal = "level: ordinal\n    values: [1, 2, 3, 4, 5]"
    precondition(BundledGuidelines.schemaYAML.contains(ordinal), "urgency is declared differently")
    return BundledGuidelines.schemaYAML.replacingOccurrences(
      of: ordinal, with: "level: interval\n    values: [1, 2, 3, 4, 5]")
  }()

  /// Imports `sets` by document id; every document's text is `text(id)`.
  static func load(_ store: Store, _ sets: [(id: ExternalID, text: String, sets: [AnnotationSet])])
    throws
  {
    _ = try store.importRecords(source: "test", replace: false) { t in
      for item in sets {
        try t.importRecord(
          document: Document(externalID: item.id, text: item.text), externalID: item.id,
          annotations: nil)
        for set in item.sets {
          try t.importRecord(document: nil, externalID: item.id, annotations: set)
        }
      }
    }
  }

  /// Krippendorff (2011), §C: 4 observers × 12 units, values 1–5, with missing data.
  static let krippendorff2011: [[Int?]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
    [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
  ]

  /// A store holding Krippendorff's data as `urgency` by observers A–D on documents u01–u12,
  /// with `urgency` interval (as in the published example) or as the bundled schema has it.
  static func krippendorffStore(interval: Bool = true) throws -> Store {
    let store = try store(yaml: interval ? intervalUrgencySchema : BundledGuidelines.schemaYAML)
    let observers = ["A", "B", "C", "D"]
    try load(
      store,
      (0..<12).map { u in
        let id = u < 9 ? "u0\(u + 1)" : "u\(u + 1)"
        let sets = observers.indices.compactMap { o in
          krippendorff2011[o][u].map {
            AnnotationSet(annotator: observers[o], labels: ["urgency": String($0)])
          }
        }
        return (ExternalID(id), "Unit \(u + 1).", sets)
      })
    return store
  }

  /// Three annotators on three short news items: entities, sentiment, stance, topic.
  static func newsStore() throws -> Store {
    let store = try store()
    let geneva = "Kerry met Lavrov in Geneva on grain."
    let berlin = "Scholz visited Paris and praised Macron."
    let sport = "Arsenal beat Chelsea in London."
    func set(
      _ who: String, _ entities: [(Int, Int, String)], sentiment: String?, stance: [Stance] = [],
      topic: String? = nil
    ) -> AnnotationSet {
      AnnotationSet(
        annotator: who, entities: entities.map { EntitySpan(start: $0.0, end: $0.1, label: $0.2) },
        sentiment: sentiment,
        stances: stance, labels: topic.map { ["topic": $0] })
    }
    try load(
      store,
      [
        (
          "geneva-grain-talks", geneva,
          [
            set(
              "ann1", [(0, 5, "PER"), (10, 16, "PER"), (20, 26, "LOC")], sentiment: "negative",
              stance: [Stance(target: "Russia", value: "against")], topic: "diplomacy"),
            set(
              "ann2", [(0, 5, "PER"), (20, 26, "LOC")], sentiment: "neutral",
              stance: [Stance(target: "Russia", value: "against")], topic: "diplomacy"),
            set(
              "ann3", [(0, 5, "PER"), (10, 16, "PER"), (20, 26, "LOC")], sentiment: "negative",
              stance: [Stance(target: "Russia", value: "neutral")], topic: "economy"),
          ]
        ),
        (
          "berlin/visit", berlin,
          [
            set(
              "ann1", [(0, 6, "PER"), (15, 20, "LOC"), (33, 39, "PER")], sentiment: "positive",
              topic: "diplomacy"),
            set(
              "ann2", [(0, 6, "PER"), (15, 20, "LOC"), (33, 39, "PER")], sentiment: "positive",
              topic: "diplomacy"),
            set(
              "ann3", [(0, 6, "PER"), (15, 20, "ORG"), (33, 39, "PER")], sentiment: "positive",
              topic: "politics"),
          ]
        ),
        (
          "sport/derby", sport,
          [
            set(
              "ann1", [(0, 7, "ORG"), (13, 20, "ORG"), (24, 30, "LOC")], sentiment: "neutral",
              topic: "sport"),
            set(
              "ann2", [(0, 7, "ORG"), (13, 20, "ORG"), (24, 30, "LOC")], sentiment: "positive",
              topic: "sport"),
            set("ann3", [(0, 7, "ORG"), (13, 20, "ORG")], sentiment: "neutral", topic: "sport"),
          ]
        ),
      ])
    return store
  }

  /// Builds the report of `store` and parses its JSON.
  static func json(_ store: Store, _ options: ReportOptions = ReportOptions()) throws -> JSONValue {
    let report = try AgreementJob.report(
      store: store, schema: try #require(try store.schema()), options: options)
    return try JSONParser.parse(Array(report.jsonText.utf8))
  }
}

extension JSONValue {
  /// The number payload, integer or double.
  var number: Double? {
    switch self {
    case .int(let i): Double(i)
    case .double(let d): d
    default: nil
    }
  }
}
