import AnnoCore

/// spaCy-ready JSONL, one document per line.
///
/// Keys: `cats` (one-hot over the schema's declared values: `sentiment:VALUE`,
/// `stance:TARGET:VALUE` for each target with a document-level stance, `FIELD:VALUE` for each
/// field the set fills, as 1.0 or 0.0; every value of a field annotated with no value 0.0), `entities` `[[start, end, label]]` (the
/// non-overlapping layer, for `doc.ents`; absent when the set has no entity layer, spaCy's
/// "missing"), `entities_partial` `[[start, end, label]]` instead of `entities` and `spans.sc`
/// for a partial layer (spans confirmed one at a time, Prodigy's `ner.teach`: the rest of the
/// text is missing, for `doc.set_ents(spans, default="missing")`), `meta` `{annotator, id}`,
/// `offsets`
/// (`"codepoint"`), `spans` groups for `doc.spans` (`sc`: every entity including overlapping
/// ones; `sentiment`: `[start, end, value]`; `stance`: `[start, end, "TARGET:value"]` for
/// anchored stances), and `text`. Every span is on token boundaries, so
/// `Doc.char_span(start, end, label, alignment_mode="strict")` on `spacy.blank("en")` accepts it.
struct SpacyEncoder: RecordEncoder {
  let schema: LabelSchema
  let kinds: Set<AnnotationKindSelection>

  init(_ context: FormatContext) {
    schema = context.schema
    kinds = context.options.kinds
  }

  func record(
    _ document: PreparedDocument, index: Int, _ w: inout JSONWriter, _ summary: inout ExportSummary
  ) throws(ExportError) {
    // A set that never annotated entities (a text-classification import) has no `entities`
    // key, which spaCy reads as "not annotated", never as "no entities".
    let hasLayer = kinds.contains(.entities) && document.annotations.entities != nil
    let isPartial = hasLayer && document.annotations.partialEntities
    let hasEntityLayer = hasLayer && !isPartial
    var object = JSONObjectWriter(&w)
    object.key("cats", &w)
    var cats = JSONObjectWriter(&w)
    for (key, value) in Self.categories(document.annotations, schema: schema) {
      cats.key(string: key, &w)
      w.double(value)
    }
    cats.end(&w)
    if hasEntityLayer {
      object.key("entities", &w)
      w.list(document.entityLayer) { span, w in w.triple(span.start, span.end, span.label) }
    }
    if isPartial {
      object.key("entities_partial", &w)
      w.list(document.entities) { span, w in w.triple(span.start, span.end, span.label) }
    }
    document.writeMetaAndOffsets(&object, &w)
    object.key("spans", &w)
    var spans = JSONObjectWriter(&w)
    if hasEntityLayer {
      spans.key("sc", &w)
      w.list(document.entities) { span, w in w.triple(span.start, span.end, span.label) }
    }
    if kinds.contains(.sentiment) {
      spans.key("sentiment", &w)
      w.list(document.spanSentiments) { span, w in w.triple(span.start, span.end, span.label) }
    }
    if kinds.contains(.stance) {
      spans.key("stance", &w)
      w.list(document.anchoredStances) { pair, w in
        w.triple(pair.span.start, pair.span.end, pair.span.label)
      }
    }
    spans.end(&w)
    object.key("text", &w)
    w.string(document.document.text)
    object.end(&w)
    w.newline()
  }

  /// The one-hot categories of a set, sorted by key.
  static func categories(_ set: AnnotationSet, schema: LabelSchema) -> [(String, Double)] {
    var cats: [(String, Double)] = []
    if let sentiment = set.sentiment {
      for value in schema.sentiment.values {
        cats.append(("sentiment:\(value)", value == sentiment ? 1 : 0))
      }
    }
    for stance in set.stances ?? [] where stance.range == nil {
      for value in schema.stance.values {
        cats.append(("stance:\(stance.target):\(value)", value == stance.value ? 1 : 0))
      }
    }
    for (name, given) in set.labels ?? [:] {
      let field = schema.field(named: name)
      let chosen = field?.canonicalValue(given) ?? given
      for value in field?.values ?? [given] {
        cats.append(("\(name):\(value)", value == chosen ? 1 : 0))
      }
    }
    // Annotated, no value chosen: the field scored, none of its values chosen.
    for name in set.noValueFields where set.labels?[name] == nil {
      for value in schema.field(named: name)?.values ?? [] {
        cats.append(("\(name):\(value)", 0))
      }
    }
    // A set-valued field: every declared value, 1.0 when the set holds it (multi-label).
    for (name, chosen) in set.labelSets ?? [:] {
      let field = schema.field(named: name)
      for value in field?.declaredOrder(chosen + (field?.values ?? [])) ?? chosen.sorted() {
        cats.append(("\(name):\(value)", chosen.contains(value) ? 1 : 0))
      }
    }
    return cats.sorted { JSONWriter.keyOrder($0.0, $1.0) }
  }
}
