import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoStore

/// A scripted study: 3 annotators, a reviewer and a manager, 30 documents, 30% overlap coded
/// by 2, gold rate 0.1, every action logged at an explicit time, so the reports can be checked
/// against numbers computed by hand.
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

  /// The study's 30 documents and 3 gold questions (with their answers) as two JSONL files in
  /// `folder`.
  static func corpus(_ folder: TemporaryDirectory) throws -> (documents: String, gold: String) {
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
    return (try folder.write("docs.jsonl", documents), try folder.write("gold.jsonl", gold))
  }

  /// Builds the study in `folder`/study.sqlite through the binary (team, import, gold
  /// questions, assignment), then has each of `working` work their queue through `next` at
  /// explicit times, the reviewer review and the manager label a gold question. Returns each
  /// working annotator's queue in the order worked.
  static func makeStudy(_ folder: TemporaryDirectory, working: [String] = annotators) throws -> (
    String, [String: [String]]
  ) {
    let db = folder.file("study.sqlite")
    let (docs, goldFile) = try corpus(folder)
    #expect(try AnnoBinary.run(["--db", db, "import", docs]).status == 0)
    let roles = annotators.map { ($0, "annotator") } + [("rev", "reviewer"), ("boss", "manager")]
    for (name, role) in roles {
      let member = try AnnoBinary.run(["--db", db, "team", "add", name, "--role", role])
      #expect(member.status == 0, "\(member.stderr)")
    }
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
    for (a, annotator) in annotators.enumerated() where working.contains(annotator) {
      var t = Double(a + 1) * 1_000_000
      var current: DocumentID?
      var i = 0
      while case .document(let next) = try store.nextInQueue(after: current, by: annotator) {
        let id = next.document.externalID.rawValue
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
    // The manager labels the gold question g1 and marks it done, 10 s apart: not an annotator,
    // so neither quality nor effort counts it as one.
    let g1 = try #require(try store.document(externalID: "g1")).id
    for (k, edit) in [
      Edit.add(
        kind: .entity, range: 0..<9, target: nil, value: "PER", origin: "manual",
        originDetail: nil),
      .setStatus(.done, flagReason: nil),
    ].enumerated() {
      try Store.$fixedTime.withValue(6_000_000 + Double(k) * 10) {
        _ = try store.apply([edit], to: g1, by: "boss", summary: "boss")
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
    // Reviewers and managers are not annotators: the reviewer's two edits of the gold version
    // 30 s apart (30 s on 1 document) and the manager's two actions 10 s apart are review
    #expect(rows.keys.sorted() == Self.annotators)
    let review = Dictionary(
      uniqueKeysWithValues: (effort["review"]?.arrayValue ?? []).map {
        ($0["reviewer"]?.stringValue ?? "", $0)
      })
    #expect(review.keys.sorted() == ["boss", "rev"])
    #expect(review["rev"]?["active_seconds"]?.doubleValue == 30)
    #expect(review["rev"]?["documents"]?.doubleValue == 1)
    #expect(review["boss"]?["active_seconds"]?.doubleValue == 10)
    let effortText = try AnnoBinary.run(["--db", db, "report", "effort"]).stdout
    #expect(effortText.contains("review (not annotation)"), "\(effortText)")
    let annotation = effortText.components(separatedBy: "review (not annotation)")[0]
    #expect(!annotation.contains("rev") && !annotation.contains("boss"), "\(effortText)")
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

  /// Issue 23: no command an annotator can run, in the shell or from argv, shows a colleague's
  /// labels on a document before they finish it. ann1 has worked their whole queue (PER on
  /// "Anna Berg" and LOC on "Oslo" everywhere; the reviewer's gold version of d01 has PER only,
  /// and gold answers are never shown), ann2 nothing yet: "LOC" and "@ann1#" must not appear.
  @Test func noAnnotatorCommandRevealsAnothersLabelsBeforeDone() throws {
    let folder = try TemporaryDirectory()
    let (db, _) = try Self.makeStudy(folder, working: ["ann1"])
    let store = try Store(path: db)
    let shared = try store.read { db in
      try String.fetchOne(
        db,
        sql: """
          SELECT d.externalId FROM assignment a JOIN assignment b ON b.documentId = a.documentId
          JOIN annotator x ON x.id = a.annotatorId JOIN annotator y ON y.id = b.annotatorId
          JOIN document d ON d.id = a.documentId
          WHERE x.name = 'ann1' AND y.name = 'ann2' AND a.kind = 'overlap' ORDER BY d.id LIMIT 1
          """)
    }
    let id = try #require(shared)
    func revealed(_ output: String) -> Bool { output.contains("LOC") || output.contains("@ann1#") }
    let shellCommands = [
      "show", "show --all", "show 1-1 --all", "show spans", "show suggestions", "compare ann1",
      "tag PER ann1#1", "accept all", "list all", "next", "status", "stats", "stats --format json",
      "export --format anno", "export --annotator ann2 --include-unfinished",
      "export --gold --include-unfinished", "export --format prodigy --suggestions", "agree",
      "agree --against gold", "review", "history",
    ]
    for command in shellCommands {
      let result = try AnnoBinary.run([
        "--db", db, "--annotator", "ann2", "shell", "-c", "open \(id); \(command)",
      ])
      #expect(!revealed(result.stdout + result.stderr), "\(command): \(result.stdout)")
    }
    let argv: [[String]] = [
      ["export"], ["export", "--all"], ["export", "--gold"], ["export", "--format", "csv"],
      ["export", "--include-unfinished"], ["agree"], ["agree", "--against", "gold"],
      ["adjudicate"], ["report", "study"], ["report", "quality"], ["report", "effort"],
      ["stats"], ["stats", "--format", "json"], ["suggest", "eval"], ["assign", "status"],
      ["team", "list"],
    ]
    for arguments in argv {
      for (flag, environment) in [
        (["--annotator", "ann2"], [:]), ([], ["ANNO_ANNOTATOR": "ann2"]),
      ] {
        let result = try AnnoBinary.run(
          ["--db", db] + flag + arguments, environment: environment)
        #expect(
          !revealed(result.stdout + result.stderr),
          "\(flag) \(environment) \(arguments): \(result.stdout)")
      }
    }
    // The same commands do show ann1's labels to the reviewer: the check can fail
    for name in ["rev", "boss"] {
      let shown = try AnnoBinary.run([
        "--db", db, "--annotator", name, "shell", "-c", "open \(id); show --all",
      ])
      #expect(revealed(shown.stdout), "\(name): \(shown.stderr)")
    }
    // Once ann2 finishes the document, its colleagues' labels there are theirs to see
    let finished = try AnnoBinary.run([
      "--db", db, "--annotator", "ann2", "shell", "-c", "open \(id); done; open \(id); show --all",
    ])
    #expect(finished.stdout.contains("LOC@ann1#"), "\(finished.stdout) \(finished.stderr)")
  }

  /// Gold questions added after `anno assign` enter every queue at the gold rate.
  @Test func goldQuestionsAddedAfterAssigningEnterEveryQueue() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("late.sqlite")
    let (docs, gold) = try Self.corpus(folder)
    try AnnoBinary.prepare(["--db", db, "import", docs])
    let assigned = try AnnoBinary.prepare([
      "--db", db, "assign", "--annotators", "ann1,ann2,ann3", "--overlap", "0.3", "--seed",
      "2023", "--gold-rate", "0.1",
    ])
    #expect(
      assigned.stdout.contains(
        "note: no gold questions yet; those 'anno gold-items add' adds enter every queue at --gold-rate 0.1"
      ), "\(assigned.stdout)")
    let added = try AnnoBinary.prepare(["--db", db, "gold-items", "add", "--from", gold])
    // Each queue of 13 takes ⌊0.1·13 + ½⌋ = 1
    #expect(
      added.stdout.contains("entered the queues at gold rate 0.1: ann1 1, ann2 1, ann3 1"),
      "\(added.stdout)")
    let status = try AnnoBinary.prepare(["--db", db, "assign", "status"])
    #expect(
      status.stdout.contains(
        """
        ann1          14       7        6     1     0        0         14
        ann2          14       7        6     1     0        0         14
        ann3          14       7        6     1     0        0         14
        """), "\(status.stdout)")
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
      var current: DocumentID?
      var ids: [String] = []
      while case .document(let next) = try store.nextInQueue(after: current, by: annotator),
        !ids.contains(next.document.externalID.rawValue)
      {
        ids.append(next.document.externalID.rawValue)
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
