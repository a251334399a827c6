import AnnoCore

/// doccano JSONL, in one of doccano's two import shapes, chosen by the selected kinds.
///
/// - With `entities` selected, sequence labelling: `{"annotator", "id", "label": [[start,
///   end, "LABEL"]], "offsets": "codepoint", "text"}`, every entity as given (doccano needs
///   no token alignment and allows overlaps). Document-level kinds cannot go in the same file
///   and are counted in the summary's `omitted`; export them with `--kinds sentiment,stance,labels`.
/// - Without `entities`, text classification: `{"annotator", "id", "label": [...],
///   "offsets", "text"}` where labels are the document sentiment as is (`positive`), each
///   field as `FIELD:VALUE` (`topic:sport`; a set-valued field gives one per value, as doccano's
///   multi-label classification does), and each document-level stance as
///   `stance:TARGET:VALUE`. Span sentiments and anchored stances are counted in `omitted`.
///
/// doccano keeps the extra keys (`annotator`, `id`, `offsets`) as metadata.
///
/// With `entities` selected, a set with no entity layer (its source annotated only classes)
/// or a partial one (left out, see `ExportFormat.expressesPartialEntities`) is written with
/// no `label` key: doccano imports it as a text not yet labelled, where `"label": []` would
/// say that the text names no entity.
struct DoccanoEncoder: RecordEncoder {
  let schema: LabelSchema
  let isSequenceLabelling: Bool

  init(_ context: FormatContext) {
    schema = context.schema
    isSequenceLabelling = context.options.kinds.contains(.entities)
  }

  func record(
    _ document: PreparedDocument, index: Int, _ w: inout JSONWriter, _ summary: inout ExportSummary
  ) throws(ExportError) {
    let set = document.annotations
    var o = JSONObjectWriter(&w)
    o.key("annotator", &w)
    w.string(document.annotator)
    o.key("id", &w)
    w.string(document.id)
    if isSequenceLabelling {
      if set.entities != nil {
        o.key("label", &w)
        w.list(document.entities) { span, w in w.triple(span.start, span.end, span.label) }
      }
      if set.sentiment != nil { summary.omitted["document sentiment", default: 0] += 1 }
      let fieldValues =
        (set.labels?.count ?? 0) + (set.labelSets ?? [:]).values.reduce(0) { $0 + $1.count }
      if fieldValues > 0 { summary.omitted["document field", default: 0] += fieldValues }
      if !(set.stances ?? []).isEmpty {
        summary.omitted["stance", default: 0] += set.stances?.count ?? 0
      }
    } else {
      o.key("label", &w)
      w.list(Self.classLabels(set, schema: schema)) { label, w in w.string(label) }
    }
    if !(set.spanSentiments ?? []).isEmpty {
      summary.omitted["span sentiment", default: 0] += set.spanSentiments?.count ?? 0
    }
    if !isSequenceLabelling {
      let anchored = (set.stances ?? []).filter { $0.range != nil }.count
      if anchored > 0 { summary.omitted["anchored stance", default: 0] += anchored }
    }
    o.key("offsets", &w)
    w.string(AnnoRecord.offsetUnit)
    o.key("text", &w)
    w.string(document.document.text)
    o.end(&w)
    w.newline()
  }

  /// The classification labels of a set: sentiment, then fields, then stances.
  static func classLabels(_ set: AnnotationSet, schema: LabelSchema) -> [String] {
    var labels: [String] = []
    if let sentiment = set.sentiment { labels.append(sentiment) }
    var fields: [(String, [String])] = (set.labels ?? [:]).map { name, value in
      (name, [schema.field(named: name)?.canonicalValue(value) ?? value])
    }
    for (name, chosen) in set.labelSets ?? [:] {
      fields.append((name, schema.field(named: name)?.declaredOrder(chosen) ?? chosen.sorted()))
    }
    for (name, values) in fields.sorted(by: { $0.0 < $1.0 }) {
      labels += values.map { "\(name):\($0)" }
    }
    for stance in set.stances ?? [] where stance.range == nil {
      labels.append("stance:\(stance.target):\(stance.value)")
    }
    return labels
  }
}
