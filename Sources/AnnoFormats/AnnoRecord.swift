import AnnoCore

/// Anno's own JSONL record: one document with one annotator's labels (version 1).
///
/// Keys (sorted as written): `annotator`, `entities` `[{end, label, start, text}]` (or
/// `entities_partial`, the same list, for a partial layer: spans confirmed one at a time, the
/// rest of the text not annotated), `flag_reason`, `id`, `labels` `{field: value}` (a set-valued field's values as a list, in
/// declared order: `{"topic": ["economy", "sport"]}`; `null` for a single-valued field annotated
/// with no value), `meta`, `notes` `[{end?, start?, text}]`,
/// `offsets` (always `"codepoint"`), `sentiment`, `source`, `span_sentiments`
/// `[{end, start, text, value}]`, `stances` `[{end?, start?, target, text?, value}]`,
/// `status`, `text`, `title`, `tokens` `[[start, end], ...]`. An absent list means "not
/// annotated"; an empty list means "annotated, none".
public enum AnnoRecord {
  /// The offset unit every record states.
  public static let offsetUnit = "codepoint"

  /// Writes one record as a JSON line (with its `\n`) into `writer`.
  ///
  /// - Parameters:
  ///   - item: the document and the annotation set.
  ///   - text: the document's scalars, for the span texts.
  ///   - schema: decides whether field values are written as numbers.
  public static func write(
    _ item: AnnotatedDocument, text: ScalarText, schema: LabelSchema, into writer: inout JSONWriter
  ) {
    let document = item.document
    let set = item.annotations
    var object = JSONObjectWriter(&writer)
    object.key("annotator", &writer)
    writer.string(set.annotator)
    if let entities = set.entities {
      object.key(set.partialEntities ? "entities_partial" : "entities", &writer)
      writeList(entities.sorted(), &writer) { span, w in
        var o = JSONObjectWriter(&w)
        o.key("end", &w)
        w.int(span.end)
        o.key("label", &w)
        w.string(span.label)
        o.key("start", &w)
        w.int(span.start)
        o.key("text", &w)
        w.string(scalars: text.scalars(in: span.range))
        o.end(&w)
      }
    }
    if let reason = set.flagReason {
      object.key("flag_reason", &writer)
      writer.string(reason)
    }
    object.key("id", &writer)
    writer.string(document.externalID.rawValue)
    if set.labels != nil || set.labelSets != nil || !set.noValueFields.isEmpty {
      let labels = set.labels ?? [:]
      let sets = set.labelSets ?? [:]
      object.key("labels", &writer)
      var o = JSONObjectWriter(&writer)
      let fields = Set(labels.keys).union(sets.keys).union(set.noValueFields)
      for field in fields.sorted(by: JSONWriter.keyOrder) {
        o.key(string: field, &writer)
        if labels[field] == nil && sets[field] == nil {
          writer.value(.null)
          continue
        }
        if let values = sets[field] {
          let ordered = schema.field(named: field)?.declaredOrder(values) ?? values.sorted()
          writeList(ordered, &writer) { value, w in w.string(value) }
          continue
        }
        let value = labels[field] ?? ""
        if schema.field(named: field)?.isNumeric == true, let number = Double(value) {
          if let int = Int(exactly: number) { writer.int(int) } else { writer.double(number) }
        } else {
          writer.string(value)
        }
      }
      o.end(&writer)
    }
    if let meta = document.meta {
      object.key("meta", &writer)
      writer.value(.object(meta))
    }
    if let notes = set.notes {
      object.key("notes", &writer)
      writeList(notes.sorted(), &writer) { note, w in
        var o = JSONObjectWriter(&w)
        if let range = note.range {
          o.key("end", &w)
          w.int(range.upperBound)
        }
        if let range = note.range {
          o.key("start", &w)
          w.int(range.lowerBound)
        }
        o.key("text", &w)
        w.string(note.text)
        o.end(&w)
      }
    }
    object.key("offsets", &writer)
    writer.string(offsetUnit)
    if let sentiment = set.sentiment {
      object.key("sentiment", &writer)
      writer.string(sentiment)
    }
    if let source = document.source {
      object.key("source", &writer)
      writer.string(source)
    }
    if let spanSentiments = set.spanSentiments {
      object.key("span_sentiments", &writer)
      writeList(spanSentiments.sorted(), &writer) { span, w in
        var o = JSONObjectWriter(&w)
        o.key("end", &w)
        w.int(span.end)
        o.key("start", &w)
        w.int(span.start)
        o.key("text", &w)
        w.string(scalars: text.scalars(in: span.range))
        o.key("value", &w)
        w.string(span.value)
        o.end(&w)
      }
    }
    if let stances = set.stances {
      object.key("stances", &writer)
      writeList(stances.sorted(), &writer) { stance, w in
        var o = JSONObjectWriter(&w)
        if let range = stance.range {
          o.key("end", &w)
          w.int(range.upperBound)
        }
        if let range = stance.range {
          o.key("start", &w)
          w.int(range.lowerBound)
        }
        o.key("target", &w)
        w.string(stance.target)
        if let range = stance.range {
          o.key("text", &w)
          w.string(scalars: text.scalars(in: range))
        }
        o.key("value", &w)
        w.string(stance.value)
        o.end(&w)
      }
    }
    object.key("status", &writer)
    writer.string(set.status.rawValue)
    object.key("text", &writer)
    writer.string(document.text)
    if let title = document.title {
      object.key("title", &writer)
      writer.string(title)
    }
    if let tokens = document.tokens {
      object.key("tokens", &writer)
      writeList(tokens, &writer) { token, w in
        w.byte(UInt8(ascii: "["))
        w.int(token.start)
        w.byte(UInt8(ascii: ","))
        w.int(token.end)
        w.byte(UInt8(ascii: "]"))
      }
    }
    object.end(&writer)
    writer.byte(UInt8(ascii: "\n"))
  }

  private static func writeList<T>(
    _ items: [T], _ writer: inout JSONWriter, _ element: (T, inout JSONWriter) -> Void
  ) {
    writer.byte(UInt8(ascii: "["))
    for (i, item) in items.enumerated() {
      if i > 0 { writer.byte(UInt8(ascii: ",")) }
      element(item, &writer)
    }
    writer.byte(UInt8(ascii: "]"))
  }
}
