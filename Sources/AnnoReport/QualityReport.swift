import AnnoAgreement
import AnnoCore
import AnnoStore

/// `anno report quality`: each annotator against the known answers of the gold questions
/// they finished.
///
/// Entity spans are scored by exact match (same start, end and label): precision, recall and
/// F1 per label and micro-averaged over labels. Every document-level field (sentiment, each
/// stance target, each schema label field) gets Cohen's κ between the annotator and the
/// answer, over the gold questions where both have a value. An annotator is flagged when the
/// overall F1 or any defined κ is below the threshold.
package struct QualityReport: Sendable {
  /// One annotator's scores.
  package struct Annotator: Sendable {
    /// The name.
    package var name: String
    /// Gold questions they finished.
    package var questions = 0
    /// Exact-match span scores per label.
    package var perLabel: [String: SpanScore] = [:]
    /// Per field: the (answer, annotator) value pairs.
    package var fieldPairs: [String: [(String?, String?)]] = [:]

    /// The micro-average over labels.
    package var overall: SpanScore { perLabel.values.reduce(.zero, +) }

    /// Cohen's κ of the annotator against the answers on `field`, over the questions where
    /// both gave a value.
    package func kappa(_ field: String) -> Measure {
      let pairs = (fieldPairs[field] ?? []).compactMap { a, b in
        a.flatMap { x in b.map { (x, $0) } }
      }
      guard !pairs.isEmpty else { return .undefined(reason: "no gold question with both values") }
      let categories = Array(Set(pairs.flatMap { [$0.0, $0.1] })).sorted()
      let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
      var acc = RatingAccumulator(categoryCount: categories.count, raterCount: 2)
      for (answer, given) in pairs { acc.add(unit: [index[answer], index[given]]) }
      return acc.cohensKappa(0, 1)
    }

    /// Units (questions with both values) of `field`.
    package func units(_ field: String) -> Int {
      (fieldPairs[field] ?? []).filter { $0.0 != nil && $0.1 != nil }.count
    }
  }

  /// The annotators, by name.
  package var annotators: [Annotator]
  /// The gold questions in the store.
  package var questions: Int
  /// The span labels and document fields seen, in order.
  package var labels: [String]
  package var fields: [String]
  /// The flagging threshold.
  package var threshold: Double

  /// Why `annotator` is flagged (empty when not).
  package func flags(_ annotator: Annotator) -> [String] {
    var reasons: [String] = []
    if let f1 = annotator.overall.f1.value, f1 < threshold {
      reasons.append("span F1 \(Figure.fixed(f1, 3))")
    }
    for field in fields {
      if let k = annotator.kappa(field).value, k < threshold {
        reasons.append("\(field) κ \(Figure.fixed(k, 3))")
      }
    }
    return reasons
  }

  /// Reads the gold questions and the annotators' finished sets on them.
  package static func build(store: Store, threshold: Double) throws -> QualityReport {
    var byName: [String: Annotator] = [:]
    var labels: Set<String> = []
    var fields: Set<String> = []
    var questions = 0
    // A team's reviewers and managers are never counted as annotators.
    let notAnnotators = try store.nonAnnotatorMembers()
    try store.forEachGoldQuestion { question in
      questions += 1
      let answerSpans = Set(
        (question.answer.entities ?? []).map {
          LabeledSpan(start: $0.start, end: $0.end, label: $0.label)
        })
      let answerFields = documentFields(question.answer)
      labels.formUnion(answerSpans.map(\.label))
      fields.formUnion(answerFields.keys)
      for set in question.finished where !notAnnotators.contains(set.annotator) {
        var annotator = byName[set.annotator] ?? Annotator(name: set.annotator)
        annotator.questions += 1
        let given = Set(
          (set.entities ?? []).map { LabeledSpan(start: $0.start, end: $0.end, label: $0.label) })
        labels.formUnion(given.map(\.label))
        for (label, score) in SpanScore.exactPerLabel(reference: answerSpans, predicted: given) {
          annotator.perLabel[label, default: .zero] =
            annotator.perLabel[label, default: .zero] + score
        }
        let givenFields = documentFields(set)
        fields.formUnion(givenFields.keys)
        for field in Set(answerFields.keys).union(givenFields.keys) {
          annotator.fieldPairs[field, default: []].append((answerFields[field], givenFields[field]))
        }
        byName[set.annotator] = annotator
      }
    }
    return QualityReport(
      annotators: byName.values.sorted { CodePoint.precedes($0.name, $1.name) },
      questions: questions, labels: labels.sorted(), fields: fields.sorted(), threshold: threshold)
  }

  /// The document-level values of a set: `sentiment`, `stance:TARGET`, and schema fields.
  static func documentFields(_ set: AnnotationSet) -> [String: String] {
    var values: [String: String] = [:]
    if let sentiment = set.sentiment { values["sentiment"] = sentiment }
    for stance in set.stances ?? [] where stance.range == nil {
      values["stance:\(stance.target)"] = stance.value
    }
    for (field, value) in set.labels ?? [:] { values[field] = value }
    return values
  }

  // MARK: - Rendering

  /// The span table: one row per annotator and label, then the micro-average.
  var spanTable: StudyTable {
    var table = StudyTable([
      "annotator", "label", "gold", "given", "matched", "precision", "recall", "F1",
    ])
    for annotator in annotators {
      for label in labels + ["all labels"] {
        let score =
          label == "all labels" ? annotator.overall : annotator.perLabel[label] ?? .zero
        if label != "all labels" && score.referenceCount + score.predictedCount == 0 { continue }
        table.rows.append([
          annotator.name, label, String(score.referenceCount), String(score.predictedCount),
          String(score.matchedPredictedCount), cell(score.precision), cell(score.recall),
          cell(score.f1),
        ])
      }
    }
    return table
  }

  /// The field table: Cohen's κ per annotator and field.
  var fieldTable: StudyTable {
    var table = StudyTable(["annotator", "field", "questions", "Cohen's κ"])
    for annotator in annotators {
      for field in fields where annotator.units(field) > 0 || annotator.fieldPairs[field] != nil {
        table.rows.append([
          annotator.name, field, String(annotator.units(field)), cell(annotator.kappa(field)),
        ])
      }
    }
    return table
  }

  func cell(_ measure: Measure) -> String {
    measure.value.map { Figure.fixed($0, 3) } ?? "—"
  }

  /// The summary table: questions finished and flags.
  var summaryTable: StudyTable {
    var table = StudyTable(["annotator", "gold questions", "span F1", "flag"])
    for annotator in annotators {
      let reasons = flags(annotator)
      table.rows.append([
        annotator.name, String(annotator.questions), cell(annotator.overall.f1),
        reasons.isEmpty
          ? "ok" : "below \(Figure.fixed(threshold, 2)): " + reasons.joined(separator: ", "),
      ])
    }
    return table
  }

  /// The report in `format` (text, markdown or json).
  package func render(_ format: StudyFormat) -> String {
    let note =
      "Exact span match (start, end and label); Cohen's κ against the known answer per field; threshold \(Figure.fixed(threshold, 2))."
    let caveat =
      annotators.contains { $0.questions < 5 }
      ? "Fewer than 5 gold questions for some annotators: read their figures as indicative only."
      : nil
    switch format {
    case .json: return JSONWriter.string(for: json) + "\n"
    case .markdown, .html:
      var out = "# Annotator quality on gold questions\n\n\(questions) gold questions. \(note)\n\n"
      if let caveat { out += "\(caveat)\n\n" }
      out += summaryTable.markdown + "\n## Spans\n\n" + spanTable.markdown
      if !fields.isEmpty { out += "\n## Fields\n\n" + fieldTable.markdown }
      return out
    case .text, .csv:
      var out = "Annotator quality on gold questions: \(questions) gold questions\n\(note)\n"
      if let caveat { out += "\(caveat)\n" }
      out += "\n" + summaryTable.text + "\nspans\n" + spanTable.text
      if !fields.isEmpty { out += "\nfields\n" + fieldTable.text }
      return out
    }
  }

  var json: JSONValue {
    func measure(_ m: Measure) -> JSONValue { m.value.map(JSONValue.double) ?? .null }
    return .object([
      "gold_questions": .int(Int64(questions)),
      "threshold": .double(threshold),
      "annotators": .array(
        annotators.map { a in
          var perLabel: [String: JSONValue] = [:]
          for (label, score) in a.perLabel {
            perLabel[label] = .object([
              "gold": .int(Int64(score.referenceCount)), "given": .int(Int64(score.predictedCount)),
              "matched": .int(Int64(score.matchedPredictedCount)),
              "precision": measure(score.precision), "recall": measure(score.recall),
              "f1": measure(score.f1),
            ])
          }
          var fieldValues: [String: JSONValue] = [:]
          for field in fields where a.fieldPairs[field] != nil {
            fieldValues[field] = .object([
              "questions": .int(Int64(a.units(field))), "cohen_kappa": measure(a.kappa(field)),
            ])
          }
          let reasons = flags(a)
          return .object([
            "annotator": .string(a.name), "gold_questions": .int(Int64(a.questions)),
            "labels": .object(perLabel), "f1": measure(a.overall.f1),
            "precision": measure(a.overall.precision), "recall": measure(a.overall.recall),
            "fields": .object(fieldValues), "flagged": .bool(!reasons.isEmpty),
            "flags": .array(reasons.map(JSONValue.string)),
          ])
        }),
    ])
  }
}

/// The output formats of the study reports.
package enum StudyFormat: String, Sendable, CaseIterable {
  case text, markdown, json, csv, html
}
