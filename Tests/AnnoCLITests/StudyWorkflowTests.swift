import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoStore

/// A scripted study: 3 annotators and a reviewer, 30 documents, 30% overlap coded by 2, gold
/// rate 0.1, every action logged at an explicit time, so the reports can be checked against
/// numbers computed by hand.
@Suite(.serialized) struct StudyWorkflowTests {
  static let annotators = ["ann1", "ann2", "ann3"]
  static let text = "Anna Berg met Carl Dahl in Oslo on day "

  /// The seconds each annotator reads before the first label of the i-th document of their
  /// queue. Index 0 (their first action) and 7 (after a 600 s pause) never count; ann3's
  /// 130 s at index 3 is longer than the 120 s idle threshold and does not count either.
  static let reading: [String: [Double]] = [
    "ann1": [0, 25, 30, 35, 40, 45, 50, 0, 20, 22, 24, 26, 28, 30],
    "ann2": [0, 30, 30, 30, 30, 30, 30, 0, 30, 30, 30, 30, 30, 30],
    "ann3": [0, 60, 60, 130, 60, 60, 60, 0, 60, 60, 60, 60, 60, 60],
  ]

  static func number(_ id: String) -> Int {
    id.hasPrefix("g") ? 100 + (Int(id.dropFirst()) ?? 0) : Int(id.dropFirst()) ?? 0
  }

  /// The document sentiment an annotator gives document `id`.
  static func sentiment(_ annotator: String, _ id: String) -> String {
    let n = number(id)
    switch annotator {
    case "ann1": return n % 3 == 0 ? "positive" : "neutral"
    case "ann2": return n % 4 == 0 ? "positive" : "neutral"
    default: return n % 3 == 0 ? (n % 5 == 0 ? "negative" : "positive") : "neutral"
    }
  }

  /// Builds the study in `folder`/study.sqlite through the binary (import, gold questions,
  /// assignment), then has each annotator work their queue through `next` at explicit times.
  /// Returns each annotator's queue in the order worked.
  static func makeStudy(_ folder: TemporaryDirectory) throws -> (String, [String: [String]]) {
    let db = folder.file("study.sqlite")
    var documents = ""
    for n in 1...30 {
      let id = String(format: "d%02d", n)
      documents += #"{"id": "\#(id)", "text": "\#(text)\#(n)."}"# + "\n"
    }
    var gold = ""
    for k in 1...3 {
      gold +=
        #"{"id": "g\#(k)", "text": "\#(text)\#(100 + k).", "annotator": "key", "status": "done", "#
        + #""entities": [{"start": 0, "end": 9, "label": "PER"}, {"start": 14, "end": 23, "label": "PER"}, "#
        + #"{"start": 27, "end": 31, "label": "LOC"}], "sentiment": "neutral"}"# + "\n"
    }
    let docs = try folder.write("docs.jsonl", documents)
    let goldFile = try folder.write("gold.jsonl", gold)
    #expect(try AnnoBinary.run(["--db", db, "import", docs]).status == 0)
    let added = try AnnoBinary.run(["--db", db, "gold-items", "add", "--from", goldFile])
    #expect(added.status == 0, "\(added.stderr)")
    #expect(added.stdout.contains("3 gold questions in all; 3 new documents"))
    let assigned = try AnnoBinary.run([
      "--db", db, "assign", "--annotators", "ann1,ann2,ann3", "--per-doc", "1", "--overlap", "0.3",
      "--per-overlap-doc", "2", "--seed", "2023", "--gold-rate", "0.1",
    ])
    #expect(assigned.status == 0, "\(assigned.stderr)")
    #expect(
      assigned.stdout.hasPrefix(
        "assigned 30 documents to ann1, ann2, ann3 (seed 2023): 9 overlap coded by 2 each, 21 coded by 1; 3 gold questions mixed in"
      ))
    let store = try Store(path: db)
    var queues: [String: [String]] = [:]
    for (a, annotator) in annotators.enumerated() {
      var t = Double(a + 1) * 1_000_000
      var current: Int64?
      var i = 0
      while case .document(let next) = try store.nextInQueue(after: current, by: annotator) {
        let id = next.document.externalID
        queues[annotator, default: []].append(id)
        if i == 7 { t += 600 } else if i > 0 { t += reading[annotator]?[i] ?? 0 }
        func act(_ edits: [Edit]) throws {
          try Store.$fixedTime.withValue(t) {
            _ = try store.apply(edits, to: next.id, by: annotator, summary: "step")
          }
        }
        func add(_ kind: AnnotationKind, _ range: Range<Int>?, _ value: String) -> Edit {
          .add(
            kind: kind, range: range, target: nil, value: value, origin: "manual", originDetail: nil
          )
        }
        try act([add(.entity, 0..<9, "PER")])
        t += 10
        try act([add(.entity, 27..<31, annotator == "ann3" ? "ORG" : "LOC")])
        t += 5
        try act([add(.sentiment, nil, sentiment(annotator, id))])
        t += 5
        try act([.setStatus(.done, flagReason: nil)])
        current = next.id
        i += 1
      }
    }
    // The reviewer puts one span into the gold version of d01, twice 30 s apart.
    let d01 = try #require(try store.document(externalID: "d01")).id
    for (k, range) in [0..<9, 14..<23].enumerated() {
      try Store.$fixedTime.withValue(5_000_000 + Double(k) * 30) {
        _ = try store.apply(
          [
            .add(
              kind: .entity, range: range, target: nil, value: "PER", origin: "manual",
              originDetail: nil)
          ], to: d01, by: "rev", onBehalfOf: Store.goldAnnotator, summary: "review")
      }
    }
    return (db, queues)
  }

  @Test func theStudyIsAssignedWorkedAndReported() throws {
    let folder = try TemporaryDirectory()
    let (db, queues) = try Self.makeStudy(folder)
    // Assignment: 13 documents and 1 gold question each, the gold question 5th in every queue
    for annotator in Self.annotators {
      let queue = queues[annotator] ?? []
      #expect(queue.count == 14)
      #expect(queue.firstIndex(of: "g1") == 4)
    }
    let overlap = Set(
      queues.values.flatMap { $0 }.filter { id in
        !id.hasPrefix("g") && queues.values.filter { $0.contains(id) }.count == 2
      })
    #expect(overlap.count == 9)
    // Determinism: the same command on a copy of the corpus gives the same queues
    #expect(
      try Self.queuesAfterAssigning(folder, seed: 2023)
        == Self.queuesAfterAssigning(folder, seed: 2023))
    #expect(
      try Self.queuesAfterAssigning(folder, seed: 2023)
        != Self.queuesAfterAssigning(folder, seed: 2024))

    // Effort, by hand from the scripted times (see `reading`): a document takes its reading
    // time + 10 + 5 + 5 s, except the first (20 s) and those after a pause over 120 s (20 s).
    // ann1: 20, 45, 50, 55, 60, 65, 70, 20, 40, 42, 44, 46, 48, 50 = 655 s
    // ann2: 20, 6 × 50, 20, 6 × 50 = 640 s; ann3: 20, 80, 80, 20, 3 × 80, 20, 6 × 80 = 940 s
    let effort = try Self.json(db, ["effort", "--format", "json", "--idle", "120s"])
    let rows = Dictionary(
      uniqueKeysWithValues: (effort["annotators"]?.arrayValue ?? []).map {
        ($0["annotator"]?.stringValue ?? "", $0)
      })
    let expected: [String: [String: Double]] = [
      "ann1": [
        "active_seconds": 655, "documents_done": 14, "median_seconds_per_document": 47,
        "p90_seconds_per_document": 63.5, "documents_per_hour": 14 * 3600 / 655.0,
        "spans_per_minute": 28 * 60 / 655.0,
      ],
      "ann2": [
        "active_seconds": 640, "documents_done": 14, "median_seconds_per_document": 50,
        "p90_seconds_per_document": 50, "documents_per_hour": 78.75, "spans_per_minute": 2.625,
      ],
      "ann3": [
        "active_seconds": 940, "documents_done": 14, "median_seconds_per_document": 80,
        "p90_seconds_per_document": 80, "documents_per_hour": 14 * 3600 / 940.0,
        "spans_per_minute": 28 * 60 / 940.0,
      ],
    ]
    for (annotator, figures) in expected {
      for (key, value) in figures {
        let got = rows[annotator]?[key]?.doubleValue ?? .nan
        #expect(abs(got - value) < 1e-9, "\(annotator) \(key): \(got), expected \(value)")
      }
    }
    // Per label: PER closes each reading gap (ann1: 25+30+35+40+45+50+20+22+24+26+28+30 = 375 s
    // over 14 spans), LOC the 10 s after it.
    #expect(rows["ann1"]?["labels"]?["PER"]?["seconds"]?.doubleValue == 375)
    #expect(rows["ann1"]?["labels"]?["LOC"]?["seconds_per_span"]?.doubleValue == 10)
    #expect(rows["ann3"]?["labels"]?["PER"]?["seconds"]?.doubleValue == 660)
    // The reviewer's two actions 30 s apart: 30 s, no finished document
    #expect(rows["rev"]?["active_seconds"]?.doubleValue == 30)
    #expect(rows["rev"]?["documents_done"]?.doubleValue == 0)
    let csv = try AnnoBinary.run(["--db", db, "report", "effort", "--format", "csv"]).stdout
    #expect(csv.contains("\r\nann1,14,0.18,76.9,2.56,47.0,63.5,10.0,,26.8\r\n"))

    // Quality on the gold question g1 (answer PER 0..<9, PER 14..<23, LOC 27..<31): ann1 and
    // ann2 give PER 0..<9 and LOC: P = 2/2, R = 2/3, F1 = 0.8; ann3 gives ORG for LOC:
    // P = 1/2, R = 1/3, F1 = 0.4, below 0.7
    let quality = try Self.json(db, ["quality", "--format", "json", "--threshold", "0.7"])
    let scores = Dictionary(
      uniqueKeysWithValues: (quality["annotators"]?.arrayValue ?? []).map {
        ($0["annotator"]?.stringValue ?? "", $0)
      })
    #expect(scores.keys.sorted() == Self.annotators)
    #expect(abs((scores["ann1"]?["f1"]?.doubleValue ?? 0) - 0.8) < 1e-12)
    #expect(abs((scores["ann1"]?["recall"]?.doubleValue ?? 0) - 2.0 / 3) < 1e-12)
    #expect(abs((scores["ann1"]?["labels"]?["PER"]?["f1"]?.doubleValue ?? 0) - 2.0 / 3) < 1e-12)
    #expect(abs((scores["ann3"]?["f1"]?.doubleValue ?? 0) - 0.4) < 1e-12)
    #expect(scores["ann3"]?["labels"]?["ORG"]?["precision"]?.doubleValue == 0)
    #expect(scores["ann3"]?["flagged"] == .bool(true))
    #expect(scores["ann1"]?["flagged"] == .bool(false))
    // One gold question each: κ is undefined (a single unit, one category)
    #expect(scores["ann1"]?["fields"]?["sentiment"]?["cohen_kappa"] == .null)

    // The study report: 9 overlap documents; sentiment α and its interval as
    // scripts/study_reference.py computes them (α = −0.2142857, [−0.5454545, 0], width
    // 0.5454545: 9·(0.5454545/0.1)² = 267.8 → 268 documents, 259 more)
    let study = try Self.json(
      db, ["study", "--format", "json", "--bootstrap", "1000", "--seed", "5"])
    #expect(study["compared_documents"]?.doubleValue == 9)
    let fields = study["fields"]?.arrayValue ?? []
    let sentiment = try #require(fields.first { $0["field"]?.stringValue == "sentiment" })
    #expect(abs((sentiment["value"]?.doubleValue ?? 0) - -0.2142857142857144) < 1e-12)
    #expect(abs((sentiment["lower"]?.doubleValue ?? 0) - -0.5454545454545454) < 1e-12)
    #expect(abs(sentiment["upper"]?.doubleValue ?? 1) < 1e-12)
    #expect(sentiment["documents_needed"]?.doubleValue == 268)
    #expect(sentiment["more_documents"]?.doubleValue == 259)
    #expect(!fields.contains { $0["field"]?.stringValue == "topic" })
    for kind in ["single", "overlap"] {
      #expect(study["assignments"]?[kind]?["not_started"]?.doubleValue == 0)
    }
    #expect(study["assignments"]?["overlap"]?["finished_by_all"]?.doubleValue == 9)
    let text = try AnnoBinary.run(["--db", db, "report", "study", "--seed", "5"]).stdout
    #expect(
      text.contains("sentiment: about 259 more double-coded documents for an interval under 0.10"))
    for format in ["markdown", "html"] {
      let rendered = try AnnoBinary.run(["--db", db, "report", "study", "--format", format])
      #expect(rendered.status == 0 && rendered.stdout.contains("Study report"))
    }
  }

  static func json(_ db: String, _ arguments: [String]) throws -> JSONValue {
    let result = try AnnoBinary.run(["--db", db, "report"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    return try JSONParser.parse(result.stdout)
  }

  /// The queues `anno assign` gives a fresh copy of the study's 30 documents.
  static func queuesAfterAssigning(_ folder: TemporaryDirectory, seed: Int) throws -> String {
    let db = folder.file("copy-\(UUID().uuidString).sqlite")
    #expect(try AnnoBinary.run(["--db", db, "import", folder.file("docs.jsonl")]).status == 0)
    #expect(
      try AnnoBinary.run([
        "--db", db, "assign", "--annotators", "ann1,ann2,ann3", "--overlap", "0.3", "--seed",
        String(seed),
      ]).status == 0)
    let store = try Store(path: db)
    var out = ""
    for annotator in annotators {
      var current: Int64?
      var ids: [String] = []
      while case .document(let next) = try store.nextInQueue(after: current, by: annotator),
        !ids.contains(next.document.externalID)
      {
        ids.append(next.document.externalID)
        current = next.id
      }
      out += annotator + ": " + ids.joined(separator: " ") + "\n"
    }
    return out
  }
}

extension JSONValue {
  /// The number, whether written as an integer or not.
  fileprivate var doubleValue: Double? {
    switch self {
    case .int(let i): Double(i)
    case .double(let d): d
    default: nil
    }
  }
}
