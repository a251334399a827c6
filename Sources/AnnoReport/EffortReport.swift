import AnnoAgreement
import AnnoCore
import AnnoStore

/// `anno report effort`: how long annotation took, from the event log alone.
///
/// Active time follows ``EffortLedger``: the time between two consecutive actions of an
/// annotator counts for the document (and the labels) of the second, unless it is longer than
/// the idle threshold. Seconds per document are over the documents the annotator finished
/// (done), each with the active time logged on it.
package struct EffortReport: Sendable {
  /// One annotator's figures.
  package struct Row: Sendable {
    package var annotator: String
    package var effort: AnnotatorEffort
    package var finished: [String]
  }

  /// The annotators who acted or finished something, by name.
  package var rows: [Row]
  /// The labels seen, in order.
  package var labels: [String]
  /// The idle threshold in seconds.
  package var idleSeconds: Double
  /// Review effort, apart from the annotators': the active time of edits to someone else's
  /// labels (the gold version), and everything the team's reviewers and managers did, by
  /// name. Reviewers and managers are never counted as annotators.
  package var review: [String: AnnotatorEffort] = [:]

  /// Reads the event log and the finished documents.
  package static func build(store: Store, idleSeconds: Double) throws -> EffortReport {
    var ledger = EffortLedger(idleThreshold: idleSeconds)
    var reviewLedger = EffortLedger(idleThreshold: idleSeconds)
    let notAnnotators = try store.nonAnnotatorMembers()
    try store.forEachLoggedAction { action in
      guard action.annotator != Store.goldAnnotator else { return }
      if action.isReview || notAnnotators.contains(action.annotator) {
        reviewLedger.record(
          annotator: action.annotator, document: action.externalID.rawValue, time: action.time,
          addedLabels: action.addedLabels)
      } else {
        ledger.record(
          annotator: action.annotator, document: action.externalID.rawValue, time: action.time,
          addedLabels: action.addedLabels)
      }
    }
    var finished = try store.finishedDocuments()
    for name in notAnnotators { finished[name] = nil }
    let names = Set(ledger.annotators.keys).union(finished.keys).sorted(by: CodePoint.precedes)
    let rows = names.map {
      Row(
        annotator: $0, effort: ledger.annotators[$0] ?? AnnotatorEffort(),
        finished: (finished[$0] ?? []).map(\.rawValue))
    }
    let labels = Set(rows.flatMap { $0.effort.spansByLabel.keys }).sorted()
    var report = EffortReport(rows: rows, labels: labels, idleSeconds: idleSeconds)
    report.review = reviewLedger.annotators
    return report
  }

  static func cell(_ m: Measure, _ decimals: Int) -> String {
    m.value.map { Figure.fixed($0, decimals) } ?? "—"
  }

  /// One row per annotator.
  var table: StudyTable {
    var table = StudyTable([
      "annotator", "documents done", "active hours", "documents/hour", "spans/minute",
      "median s/document", "p90 s/document",
    ])
    for row in rows {
      let e = row.effort
      table.rows.append([
        row.annotator, String(row.finished.count), Figure.fixed(e.activeSeconds / 3600, 2),
        Self.cell(e.documentsPerHour(row.finished.count), 1), Self.cell(e.spansPerMinute, 2),
        Self.cell(e.secondsPerDocument(row.finished, quantile: 0.5), 1),
        Self.cell(e.secondsPerDocument(row.finished, quantile: 0.9), 1),
      ])
    }
    return table
  }

  /// One row per annotator and label: spans, seconds, seconds per span.
  var labelTable: StudyTable {
    var table = StudyTable(["annotator", "label", "spans", "seconds", "s/span"])
    for row in rows {
      for label in labels where row.effort.spansByLabel[label] != nil {
        table.rows.append([
          row.annotator, label, String(row.effort.spansByLabel[label] ?? 0),
          Figure.fixed(row.effort.secondsByLabel[label] ?? 0, 1),
          Self.cell(row.effort.secondsPerSpan(of: label), 1),
        ])
      }
    }
    return table
  }

  /// The report in `format`: text, markdown, json or csv (one row per annotator, with a
  /// seconds-per-span column for every label).
  package func render(_ format: StudyFormat) -> String {
    let note =
      "Active time from the event log; a gap longer than \(Figure.fixed(idleSeconds, 0)) s between two actions counts nothing."
    switch format {
    case .json: return JSONWriter.string(for: json) + "\n"
    case .csv:
      var wide = table
      wide.header =
        [
          "annotator", "documents_done", "active_hours", "documents_per_hour", "spans_per_minute",
          "median_seconds_per_document", "p90_seconds_per_document",
        ] + labels.map { "seconds_per_span:\($0)" }
      for (i, row) in rows.enumerated() {
        wide.rows[i] = wide.rows[i].map { $0 == "—" ? "" : $0 }
        wide.rows[i] += labels.map {
          row.effort.secondsPerSpan(of: $0).value.map { Figure.fixed($0, 1) } ?? ""
        }
      }
      return wide.csv
    case .markdown, .html:
      return "# Annotation effort\n\n\(note)\n\n" + table.markdown + "\n## Seconds per label\n\n"
        + labelTable.markdown
        + (review.isEmpty
          ? "" : "\n## Review (not annotation)\n\n\(Self.reviewNote)\n\n" + reviewTable.markdown)
    case .text:
      return "Annotation effort\n\(note)\n\n" + table.text + "\nseconds per label\n"
        + labelTable.text
        + (review.isEmpty
          ? "" : "\nreview (not annotation)\n\(Self.reviewNote)\n" + reviewTable.text)
    }
  }

  static let reviewNote =
    "Edits to the gold version, and whatever reviewers and managers did: never counted as annotation."

  /// One row per reviewer: documents touched, active time.
  var reviewTable: StudyTable {
    var table = StudyTable(["reviewer", "documents", "active hours", "active seconds"])
    for name in review.keys.sorted(by: CodePoint.precedes) {
      let e = review[name] ?? AnnotatorEffort()
      table.rows.append([
        name, String(e.secondsByDocument.count), Figure.fixed(e.activeSeconds / 3600, 2),
        Figure.fixed(e.activeSeconds, 0),
      ])
    }
    return table
  }

  var json: JSONValue {
    func measure(_ m: Measure) -> JSONValue { m.value.map(JSONValue.double) ?? .null }
    return .object([
      "idle_seconds": .double(idleSeconds),
      "review": .array(
        review.keys.sorted(by: CodePoint.precedes).map { name in
          let e = review[name] ?? AnnotatorEffort()
          return .object([
            "reviewer": .string(name),
            "documents": .int(Int64(e.secondsByDocument.count)),
            "active_seconds": .double(e.activeSeconds),
            "active_hours": .double(e.activeSeconds / 3600),
          ])
        }),
      "annotators": .array(
        rows.map { row in
          let e = row.effort
          var perLabel: [String: JSONValue] = [:]
          for label in e.spansByLabel.keys {
            perLabel[label] = .object([
              "spans": .int(Int64(e.spansByLabel[label] ?? 0)),
              "seconds": .double(e.secondsByLabel[label] ?? 0),
              "seconds_per_span": measure(e.secondsPerSpan(of: label)),
            ])
          }
          return .object([
            "annotator": .string(row.annotator),
            "documents_done": .int(Int64(row.finished.count)),
            "active_seconds": .double(e.activeSeconds),
            "active_hours": .double(e.activeSeconds / 3600),
            "documents_per_hour": measure(e.documentsPerHour(row.finished.count)),
            "spans": .int(Int64(e.spans)),
            "spans_per_minute": measure(e.spansPerMinute),
            "median_seconds_per_document": measure(
              e.secondsPerDocument(row.finished, quantile: 0.5)),
            "p90_seconds_per_document": measure(e.secondsPerDocument(row.finished, quantile: 0.9)),
            "labels": .object(perLabel),
          ])
        }),
    ])
  }
}
