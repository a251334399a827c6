import AnnoAgreement
import AnnoCore
import AnnoStore

extension StudyReport {
  /// The study's rule in one line.
  var ruleLine: String {
    var line =
      "annotators \(rule.annotators.joined(separator: ", ")); "
      + "\(Figure.fixed(rule.overlap * 100, 0))% overlap coded by \(rule.perOverlapDocument), others by \(rule.perDocument); "
      + "gold rate \(Figure.fixed(rule.goldRate * 100, 0))%; seed \(rule.seed)"
    if let pattern = rule.documentPattern { line += "; documents matching \(pattern)" }
    return line
  }

  /// How the intervals and the estimate were made.
  var methodLine: String {
    "95% percentile bootstrap intervals over documents (\(replicates) replicates, seed \(seed)); "
      + "documents needed for a width under \(Figure.fixed(targetWidth, 2)): n·(width/\(Figure.fixed(targetWidth, 2)))², "
      + "as the width shrinks with 1/√n."
  }

  var queueTable: StudyTable {
    var table = StudyTable([
      "annotator", "queue", "single", "overlap", "gold", "done", "skipped", "remaining", "progress",
    ])
    for q in queues {
      table.rows.append(
        [q.annotator]
          + [q.total, q.single, q.overlap, q.gold, q.done, q.skipped, q.remaining].map {
            String($0)
          }
          + [q.total == 0 ? "—" : Figure.fixed(Double(q.done) * 100 / Double(q.total), 0) + "%"])
    }
    return table
  }

  var kindTable: StudyTable {
    var table = StudyTable(["assignment", "documents", "finished by all", "by some", "not started"])
    for k in kinds where k.documents > 0 {
      table.rows.append([
        k.kind.rawValue, String(k.documents), String(k.finishedByAll), String(k.finishedBySome),
        String(k.notStarted),
      ])
    }
    return table
  }

  var fieldTable: StudyTable {
    var table = StudyTable([
      "field", "measure", "value", "95% interval", "width", "documents", "needed", "more",
    ])
    for f in fields {
      let interval = f.interval.flatMap { i in
        i.lower.value.flatMap { l in
          i.upper.value.map { "[\(Figure.fixed(l, 3)), \(Figure.fixed($0, 3))]" }
        }
      }
      let width = f.projection.map { Figure.fixed($0.currentWidth, 3) }
      table.rows.append([
        f.section, f.measure.title, f.value.value.map { Figure.fixed($0, 3) } ?? "—",
        interval ?? "—", width ?? "—", String(f.documents),
        f.projection?.requiredUnits.value.map { String(Int($0)) } ?? "—",
        f.projection?.additionalUnits.value.map { String(Int($0)) } ?? "—",
      ])
    }
    return table
  }

  /// The sentences that say, per field, whether to keep double-coding.
  var advice: [String] {
    fields.compactMap { f in
      guard let p = f.projection, let more = p.additionalUnits.value else {
        if let reason = f.value.reason {
          return "\(f.section): no estimate, the coefficient is undefined (\(reason))"
        }
        return f.interval == nil
          ? nil : "\(f.section): no estimate, the interval is undefined"
      }
      if more == 0 {
        return
          "\(f.section): the interval is \(Figure.fixed(p.currentWidth, 3)) wide, under \(Figure.fixed(targetWidth, 2)): double-coding can stop for this field"
      }
      let caveat = f.documents < 5 ? " (on fewer than 5 documents: a rough guide)" : ""
      return
        "\(f.section): about \(Int(more)) more double-coded documents for an interval under \(Figure.fixed(targetWidth, 2))\(caveat)"
    }
  }

  /// The report in `format`: text, markdown, json or html.
  package func render(_ format: StudyFormat) -> String {
    switch format {
    case .json: return JSONWriter.string(for: json) + "\n"
    case .markdown, .csv:
      var out =
        "# Study report\n\n\(ruleLine)\n\n## Progress per annotator\n\n" + queueTable.markdown
      out += "\n## Progress per assignment\n\n" + kindTable.markdown
      out += "\n## Agreement on the overlap set\n\n"
      if let agreementNote { return out + agreementNote + "\n" }
      out +=
        "\(comparedDocuments) overlap documents finished by two or more annotators. \(methodLine)\n\n"
      out += fieldTable.markdown + "\n" + advice.map { "- \($0)\n" }.joined()
      return out
    case .html:
      var out = HTMLReport.pageOpening(
        title: "Study report", rules: [".why { color: #777; font-size: 0.85em; }"])
      out += "<p>\(StudyTable.escape(ruleLine))</p>\n<h2>Progress per annotator</h2>\n"
      out += queueTable.html + "<h2>Progress per assignment</h2>\n" + kindTable.html
      out += "<h2>Agreement on the overlap set</h2>\n"
      if let agreementNote {
        out += "<p>\(StudyTable.escape(agreementNote))</p>\n"
      } else {
        out +=
          "<p class=\"why\">\(comparedDocuments) overlap documents finished by two or more annotators. \(StudyTable.escape(methodLine))</p>\n"
        out += fieldTable.html + "<ul>\n"
        out += advice.map { "<li>\(StudyTable.escape($0))</li>\n" }.joined() + "</ul>\n"
      }
      return out + "</body>\n</html>\n"
    case .text:
      var out = "Study report\n\(ruleLine)\n\nprogress per annotator\n" + queueTable.text
      out += "\nprogress per assignment\n" + kindTable.text + "\nagreement on the overlap set\n"
      if let agreementNote { return out + "  " + agreementNote + "\n" }
      out +=
        "  \(comparedDocuments) overlap documents finished by two or more annotators.\n  \(methodLine)\n"
      out += fieldTable.text + "\n" + advice.map { "  \($0)\n" }.joined()
      return out
    }
  }

  var json: JSONValue {
    func measure(_ m: Measure?) -> JSONValue { m?.value.map(JSONValue.double) ?? .null }
    return .object([
      "rule": Self.json(rule),
      "annotators": .array(queues.map(Self.json)),
      "assignments": .object(
        Dictionary(
          uniqueKeysWithValues: kinds.map { k in
            (
              k.kind.rawValue,
              JSONValue.object([
                "documents": .int(Int64(k.documents)),
                "finished_by_all": .int(Int64(k.finishedByAll)),
                "finished_by_some": .int(Int64(k.finishedBySome)),
                "not_started": .int(Int64(k.notStarted)),
              ])
            )
          })),
      "compared_documents": .int(Int64(comparedDocuments)),
      "agreement_note": agreementNote.map(JSONValue.string) ?? .null,
      "bootstrap": .object([
        "replicates": .int(Int64(replicates)), "seed": .string(String(seed)),
        "confidence_level": .double(0.95),
      ]),
      "target_width": .double(targetWidth),
      "fields": .array(
        fields.map { f in
          .object([
            "field": .string(f.section), "measure": .string(f.measure.rawValue),
            "value": measure(f.value), "lower": measure(f.interval?.lower),
            "upper": measure(f.interval?.upper), "documents": .int(Int64(f.documents)),
            "width": f.projection.map { .double($0.currentWidth) } ?? .null,
            "documents_needed": measure(f.projection?.requiredUnits),
            "more_documents": measure(f.projection?.additionalUnits),
          ])
        }),
    ])
  }
}

extension StudyReport {
  /// A study's rule in JSON, as `anno report study` and `anno assign status` write it.
  package static func json(_ rule: AssignmentRule) -> JSONValue {
    .object([
      "annotators": .array(rule.annotators.map(JSONValue.string)),
      "per_doc": .int(Int64(rule.perDocument)), "overlap": .double(rule.overlap),
      "per_overlap_doc": .int(Int64(rule.perOverlapDocument)),
      "seed": .string(String(rule.seed)), "gold_rate": .double(rule.goldRate),
      "docs": rule.documentPattern.map(JSONValue.string) ?? .null,
    ])
  }

  /// One annotator's queue in JSON, as `anno report study` and `anno assign status` write it.
  package static func json(_ q: QueueStatus) -> JSONValue {
    .object([
      "annotator": .string(q.annotator), "queue": .int(Int64(q.total)),
      "single": .int(Int64(q.single)), "overlap": .int(Int64(q.overlap)),
      "gold": .int(Int64(q.gold)), "done": .int(Int64(q.done)),
      "skipped": .int(Int64(q.skipped)), "remaining": .int(Int64(q.remaining)),
    ])
  }
}
