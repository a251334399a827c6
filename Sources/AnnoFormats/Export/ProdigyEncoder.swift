import AnnoCore

/// Prodigy task JSONL: one or more accepted tasks per annotated document.
///
/// - Entities: one `ner_manual` task (`spans_manual` when entities overlap, which
///   `ner_manual` cannot show); for a partial layer (spans confirmed one at a time), one
///   binary `ner` task per span, as `ner.teach` writes them. Each has `text`, `tokens` `[{end, id, start, text, ws}]` (all
///   covering tokens, whitespace tokens included, so token texts plus `ws` spaces rebuild the
///   text) and `spans` `[{end, label, start, text, token_end, token_start}]`
///   (`token_end` inclusive, as in Prodigy).
/// - Span sentiments: one `spans_manual` task labelled with the sentiment values.
/// - Document sentiment and each document field: a `choice` task (`label` is `sentiment` or
///   the field name, `options` the schema's values, `accept` the chosen one; `[]` for a field
///   annotated with no value).
/// - Stances: one `choice` task per stance, `label` `stance`, the target in `meta.target`,
///   and the anchor (if any) in `spans`.
///
/// Every task has `answer: "accept"`, `_annotator_id` (the annotator), `_session_id`
/// (`anno-ANNOTATOR`), `meta` `{annotator, id, ...}`, `offsets: "codepoint"` and hashes like
/// Prodigy's `set_hashes`: `_input_hash` from the text, `_task_hash` from the input hash and
/// the task keys (label, options, spans, and the stance target, so two targets never share a
/// task hash). Hashes are the first four bytes of SHA-256 as a signed 32-bit integer:
/// deterministic, though not equal to Prodigy's MurmurHash values.
struct ProdigyEncoder: RecordEncoder {
  let schema: LabelSchema
  let kinds: Set<AnnotationKindSelection>
  let asInputTasks: Bool

  init(_ context: FormatContext) {
    schema = context.schema
    kinds = context.options.kinds
    asInputTasks = context.options.asInputTasks
  }

  /// The fields of one task that differ between tasks of a document.
  private struct Task {
    var viewID: String
    var label: String?
    var options: [String]?
    var accept: [String]?
    var spans: [AlignedSpan]
    var spanLabelsAreTargets = false
    var withTokens: Bool
    var meta: [(String, String)] = []
    var target: String?
  }

  func record(
    _ document: PreparedDocument, index: Int, _ w: inout JSONWriter, _ summary: inout ExportSummary
  ) throws(ExportError) {
    let set = document.annotations
    var tasks: [Task] = []
    if set.entities != nil && set.partialEntities {
      // A partial layer: one binary `ner` task per confirmed span, as ner.teach records them.
      for span in document.entities {
        tasks.append(Task(viewID: "ner", spans: [span], withTokens: true))
      }
    } else if set.entities != nil {
      let overlaps = document.entityLayer.count != document.entities.count
      tasks.append(
        Task(
          viewID: overlaps ? "spans_manual" : "ner_manual", spans: document.entities,
          withTokens: true))
    }
    if set.spanSentiments != nil {
      tasks.append(
        Task(
          viewID: "spans_manual", spans: document.spanSentiments, withTokens: true,
          meta: [("kind", "span_sentiment")]))
    }
    if let sentiment = set.sentiment {
      tasks.append(
        Task(
          viewID: "choice", label: "sentiment", options: schema.sentiment.values,
          accept: [sentiment],
          spans: [], withTokens: false))
    }
    for stance in set.stances ?? [] {
      var spans: [AlignedSpan] = []
      if stance.range != nil {
        // A misaligned anchor that was skipped is absent here (and listed in the summary).
        guard var span = document.anchoredStances.first(where: { $0.stance == stance })?.span else {
          continue
        }
        span.label = stance.target
        spans = [span]
      }
      tasks.append(
        Task(
          viewID: "choice", label: "stance", options: schema.stance.values, accept: [stance.value],
          spans: spans, withTokens: !spans.isEmpty, meta: [("target", stance.target)],
          target: stance.target))
    }
    for (name, value) in (set.labels ?? [:]).sorted(by: { $0.key < $1.key }) {
      let field = schema.field(named: name)
      tasks.append(
        Task(
          viewID: "choice", label: name, options: field?.values ?? [value],
          accept: [field?.canonicalValue(value) ?? value], spans: [], withTokens: false))
    }
    // Annotated, no value chosen: the field's choice task accepted with nothing accepted.
    for name in set.noValueFields.sorted() where set.labels?[name] == nil {
      guard let field = schema.field(named: name) else { continue }
      tasks.append(
        Task(
          viewID: "choice", label: name, options: field.values, accept: [], spans: [],
          withTokens: false))
    }
    // A set-valued field: one choice task accepting every chosen option (multiple choice).
    for (name, chosen) in (set.labelSets ?? [:]).sorted(by: { $0.key < $1.key }) {
      let field = schema.field(named: name)
      tasks.append(
        Task(
          viewID: "choice", label: name, options: field?.values ?? chosen.sorted(),
          accept: field?.declaredOrder(chosen) ?? chosen.sorted(), spans: [], withTokens: false))
    }
    let inputHash = Self.hash32(
      "{\"text\":" + JSONWriter.string(for: .string(document.document.text)) + "}")
    for task in tasks {
      write(task, document, inputHash: inputHash, &w)
    }
  }

  private func write(
    _ task: Task, _ document: PreparedDocument, inputHash: Int32, _ w: inout JSONWriter
  ) {
    var taskKeys: [String: JSONValue] = [
      "spans": .array(
        task.spans.map { .array([.int(Int64($0.start)), .int(Int64($0.end)), .string($0.label)]) })
    ]
    if let label = task.label { taskKeys["label"] = .string(label) }
    if let options = task.options { taskKeys["options"] = .array(options.map { .string($0) }) }
    if let target = task.target { taskKeys["target"] = .string(target) }
    let taskHash = Self.hash32("\(inputHash) " + JSONWriter.string(for: .object(taskKeys)))
    let text = document.text
    var o = JSONObjectWriter(&w)
    if !asInputTasks {
      o.key("_annotator_id", &w)
      w.string(document.annotator)
    }
    o.key("_input_hash", &w)
    w.int(Int(inputHash))
    if !asInputTasks {
      o.key("_session_id", &w)
      w.string("anno-" + document.annotator)
    }
    o.key("_task_hash", &w)
    w.int(Int(taskHash))
    o.key("_view_id", &w)
    w.string(task.viewID)
    if let accept = task.accept {
      o.key("accept", &w)
      w.list(accept) { value, w in w.string(value) }
    }
    if !asInputTasks {
      o.key("answer", &w)
      w.string("accept")
    }
    if let label = task.label {
      o.key("label", &w)
      w.string(label)
    }
    o.key("meta", &w)
    let meta = ([("annotator", document.annotator), ("id", document.id)] + task.meta)
      .sorted { JSONWriter.keyOrder($0.0, $1.0) }
    var m = JSONObjectWriter(&w)
    for (key, value) in meta {
      m.key(string: key, &w)
      w.string(value)
    }
    m.end(&w)
    o.key("offsets", &w)
    w.string(AnnoRecord.offsetUnit)
    if let options = task.options {
      o.key("options", &w)
      w.list(options) { value, w in
        var option = JSONObjectWriter(&w)
        option.key("id", &w)
        w.string(value)
        option.key("text", &w)
        w.string(value)
        option.end(&w)
      }
    }
    if task.withTokens || !task.spans.isEmpty {
      o.key("spans", &w)
      w.list(task.spans) { span, w in
        var s = JSONObjectWriter(&w)
        s.key("end", &w)
        w.int(span.end)
        s.key("label", &w)
        w.string(span.label)
        s.key("start", &w)
        w.int(span.start)
        s.key("text", &w)
        w.string(text[span.range])
        s.key("token_end", &w)
        w.int(span.tokenEnd - 1)
        s.key("token_start", &w)
        w.int(span.tokenStart)
        s.end(&w)
      }
    }
    o.key("text", &w)
    w.string(document.document.text)
    if task.withTokens {
      o.key("tokens", &w)
      w.list(document.tokens.enumerated()) { pair, w in
        let (i, token) = pair
        var t = JSONObjectWriter(&w)
        t.key("end", &w)
        w.int(token.end)
        t.key("id", &w)
        w.int(i)
        t.key("start", &w)
        w.int(token.start)
        t.key("text", &w)
        w.string(text[token.range])
        t.key("ws", &w)
        token.spaceAfter ? w.raw("true") : w.raw("false")
        t.end(&w)
      }
    }
    o.end(&w)
    w.newline()
  }

  /// The first four bytes of SHA-256 of `key` as a signed 32-bit integer.
  static func hash32(_ key: String) -> Int32 {
    let digest = SHA256.digest(of: Array(key.utf8))
    let value =
      UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    return Int32(bitPattern: value)
  }
}
