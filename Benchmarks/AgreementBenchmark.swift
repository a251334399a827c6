import AnnoCore
import AnnoPipeline
import AnnoReport
import AnnoStore
import Foundation

/// The agreement report's cost on a large in-memory store (`documents` documents, three
/// annotators), with the store pass, the tokenizer and the document fields timed alone.
enum AgreementBenchmark {
  static func run(documents n: Int) throws {
    let store = try Store(path: nil)
    _ = try store.loadSchema(
      yaml: BundledGuidelines.schemaYAML, file: "schema.yaml", sourcePath: nil, guidelines: [:])
    let text = "Kerry met Lavrov in Geneva on Tuesday to talk about grain exports and sanctions."
    let sentiments = ["negative", "neutral", "positive"]
    let importStart = ContinuousClock.now
    _ = try store.importRecords(source: "bench", replace: false) { t in
      for d in 0..<n {
        let id = ExternalID("doc\(d)")
        try t.importRecord(
          document: Document(externalID: id, text: text + " \(d)"), externalID: id, annotations: nil
        )
        for (a, name) in ["ann1", "ann2", "ann3"].enumerated() {
          var entities = [
            EntitySpan(start: 0, end: 5, label: "PER"),
            EntitySpan(start: 20, end: 26, label: "LOC"),
          ]
          if (d + a) % 3 == 0 { entities.append(EntitySpan(start: 10, end: 16, label: "PER")) }
          try t.importRecord(
            document: nil, externalID: id,
            annotations: AnnotationSet(
              annotator: name, entities: entities, sentiment: sentiments[(d * 7 + a * (d % 2)) % 3],
              stances: [Stance(target: "Russia", value: (d + a) % 4 == 0 ? "against" : "neutral")],
              labels: ["topic": "diplomacy", "urgency": String(1 + (d + a) % 5)]))
        }
      }
    }
    print("import: \(ContinuousClock.now - importStart)")
    guard let schema = try store.schema() else {
      throw BenchmarkFailure(description: "the store has no schema")
    }
    let rawStart = ContinuousClock.now
    var rows = 0
    try store.forEachAnnotatedDocument(annotators: nil, statuses: [.done]) { _ in rows += 1 }
    print("store pass alone, \(rows) sets: \(ContinuousClock.now - rawStart)")
    let tokenStart = ContinuousClock.now
    for d in 0..<n { _ = Tokenizer().tokenize(text + " \(d)") }
    print("tokenizing alone: \(ContinuousClock.now - tokenStart)")
    let fieldsStart = ContinuousClock.now
    _ = try AgreementJob.report(
      store: store, schema: schema,
      options: ReportOptions(fields: ["sentiment", "stance", "topic", "urgency"]))
    print("document fields only: \(ContinuousClock.now - fieldsStart)")
    let start = ContinuousClock.now
    let report = try AgreementJob.report(
      store: store, schema: schema, options: ReportOptions())
    let elapsed = ContinuousClock.now - start
    let json = AgreementRenderer.render(report, format: .json, colors: false, width: 80)
    print("report of \(report.documents) documents: \(elapsed); json \(json.utf8.count) bytes")
    try BenchmarkFailure.check(
      report.documents == n, "the report covers \(report.documents) documents, not \(n)")
  }
}
