import AnnoCore

extension RecordDecoder {
  // MARK: - spaCy JSONL

  /// Decodes a spaCy JSONL record, as `anno export --format spacy` writes it and as spaCy
  /// projects keep their annotations: `{"text", "entities"?, "spans"?, "cats"?, "meta"?}`.
  ///
  /// The id is `id`, `meta.id`, or `doc-` and the text's hash; the annotator `meta.annotator`,
  /// else `--annotator`. Entities come from the `sc` span group when present (every entity,
  /// overlapping ones too), else from `entities`, each `[start, end, "LABEL"]` or
  /// `{"start", "end", "label"}`. The `sentiment` group gives span sentiments and the `stance`
  /// group anchored stances (`"TARGET:value"`). `cats` are read by ``categories(_:path:into:)``.
  /// A layer the record leaves out stays "not annotated"; an empty `entities` or `sc` list is
  /// "annotated, none", an empty `sentiment` or `stance` group "not annotated";
  /// `entities_partial` is a partial entity layer (the rest of the text missing).
  func decodeSpacy(_ object: [String: JSONValue]) throws(DecodeError) -> ImportRecord {
    var record = try decodeDocument(object, textKey: "text")
    record.meta = nil
    if object["id"] == nil, case .string(let id)? = object["meta"]?["id"] {
      record.externalID = id
    }
    if let unit = object["offsets"], unit != .string(AnnoRecord.offsetUnit) {
      throw DecodeError(
        "spacy: 'offsets' must be \"codepoint\" (Unicode scalar offsets, as Python counts them)")
    }
    let annotator: String
    switch object["meta"]?["annotator"] {
    case .string(let name)?: annotator = name
    case nil, .null?: annotator = defaultAnnotator
    case let other?:
      throw DecodeError("spacy: 'meta.annotator' must be a string, not \(other.typeName)")
    }
    if let problem = AnnotatorName.problem(annotator) {
      throw DecodeError("spacy: annotator \(AnnotationSet.quoted(annotator)) \(problem)")
    }
    var set = AnnotationSet(annotator: annotator, status: .done)
    var groups: [String: JSONValue] = [:]
    switch object["spans"] {
    case .object(let o)?: groups = o
    case nil, .null?: break
    case let other?:
      throw DecodeError(
        "spacy: 'spans' must be an object of span groups ({\"sc\": [[start, end, \"LABEL\"]]}), not \(other.typeName)"
      )
    }
    for name in groups.keys.sorted() where !["sc", "sentiment", "stance"].contains(name) {
      throw DecodeError(
        "spacy: span group 'spans.\(name)' is not one Anno reads (sc: entities, sentiment: span sentiments, stance: anchored stances)"
      )
    }
    if let sc = groups["sc"] {
      set.entities = try spacySpans(sc, path: "spans.sc").map {
        EntitySpan(start: $0.range.lowerBound, end: $0.range.upperBound, label: $0.label)
      }
    } else if let entities = object["entities"], entities != .null {
      set.entities = try spacySpans(entities, path: "entities").map {
        EntitySpan(start: $0.range.lowerBound, end: $0.range.upperBound, label: $0.label)
      }
    }
    if let partial = object["entities_partial"], partial != .null {
      guard set.entities == nil else {
        throw DecodeError(
          "spacy: 'entities_partial' cannot come with 'entities' or 'spans.sc': a layer is complete or partial"
        )
      }
      set.entities = try spacySpans(partial, path: "entities_partial").map {
        EntitySpan(start: $0.range.lowerBound, end: $0.range.upperBound, label: $0.label)
      }
      set.partialEntities = true
    }
    // NB: the spacy format writes the sentiment and stance groups for every record, so an
    // empty group cannot say "annotated, none": it is read as not annotated.
    if let group = groups["sentiment"], group != .array([]) {
      set.spanSentiments = try spacySpans(group, path: "spans.sentiment").map {
        SpanSentiment(start: $0.range.lowerBound, end: $0.range.upperBound, value: $0.label)
      }
    }
    if let group = groups["stance"], group != .array([]) {
      var stances: [Stance] = []
      for (i, span) in try spacySpans(group, path: "spans.stance").enumerated() {
        guard let colon = span.label.lastIndex(of: ":"), colon != span.label.startIndex else {
          throw DecodeError(
            "spacy: spans.stance[\(i)]: the label must be \"TARGET:value\", found \(AnnotationSet.quoted(span.label))"
          )
        }
        stances.append(
          Stance(
            target: String(span.label[..<colon]),
            value: String(span.label[span.label.index(after: colon)...]), range: span.range))
      }
      set.stances = stances
    }
    switch object["cats"] {
    case .object(let cats)?:
      record.notes += try categories(
        cats.keys.sorted().map { ($0, cats[$0] ?? .null) }, path: "cats", into: &set)
    case nil, .null?: break
    case let other?:
      throw DecodeError(
        "spacy: 'cats' must be an object of category to 1.0 or 0.0, not \(other.typeName)")
    }
    record.annotations = set
    return record
  }

  /// Spans as `[start, end, "LABEL"]` triples or `{"start", "end", "label"}` objects.
  func spacySpans(_ value: JSONValue, path: String) throws(DecodeError) -> [(
    range: Range<Int>, label: String
  )] {
    guard case .array(let items) = value else {
      throw DecodeError("spacy: '\(path)' must be a list of [start, end, \"LABEL\"]")
    }
    var spans: [(range: Range<Int>, label: String)] = []
    for (i, item) in items.enumerated() {
      let start: Int?
      let end: Int?
      let label: String?
      switch item {
      case .array(let triple) where triple.count == 3:
        (start, end, label) = (triple[0].intValue, triple[1].intValue, triple[2].stringValue)
      case .object:
        (start, end, label) = (
          item["start"]?.intValue, item["end"]?.intValue, item["label"]?.stringValue
        )
      default:
        (start, end, label) = (nil, nil, nil)
      }
      guard let start, let end, let label else {
        throw DecodeError(
          "spacy: \(path)[\(i)]: expected [start, end, \"LABEL\"] or {\"start\", \"end\", \"label\"}"
        )
      }
      guard start >= 0, start < end else {
        throw DecodeError("spacy: \(path)[\(i)]: start \(start) must be less than end \(end)")
      }
      spans.append((start..<end, label))
    }
    return spans
  }

  /// Reads spaCy categories into a set: `sentiment:VALUE`, `stance:TARGET:VALUE`,
  /// `FIELD:VALUE` for a field of the schema, or a bare value of the sentiment scale or of
  /// exactly one field. A category scored 1.0 (or `true`) is chosen; 0.0 is not; any other
  /// score is no gold label and is refused.
  ///
  /// A single-valued field whose categories are all 0.0 was annotated with no value chosen,
  /// and is stored so (`AnnotationSet.noValueFields`).
  ///
  /// - Returns: a note for the sentiment and the set-valued fields whose categories are all
  ///   0.0: the source annotated them and chose no value, which Anno cannot store for them
  ///   (it keeps "not annotated" only), so the import lists them as left out; empty otherwise.
  @discardableResult
  func categories(
    _ cats: [(String, JSONValue)], path: String, into set: inout AnnotationSet
  ) throws(DecodeError) -> [ImportNote] {
    var labels = set.labels ?? [:]
    var labelSets = set.labelSets ?? [:]
    var stances = set.stances ?? []
    // The sentiment ("sentiment") and fields the categories score, and those given a value.
    var scored: Set<String> = []
    var valued: Set<String> = []
    func owner(_ key: String) -> String? {
      let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
      if parts.count == 2, parts[0] == "sentiment" { return "sentiment" }
      if parts.count == 2, parts[0] == "stance" { return nil }
      if parts.count == 2, schema.field(named: parts[0]) != nil { return parts[0] }
      if schema.sentiment.values.contains(key) { return "sentiment" }
      return schema.fields.first { $0.values.contains(key) }?.name
    }
    for (key, score) in cats {
      let chosen: Bool
      switch score {
      case .bool(let b): chosen = b
      case .int(let i) where i == 0 || i == 1: chosen = i == 1
      case .double(let d) where d == 0 || d == 1: chosen = d == 1
      default:
        throw DecodeError(
          "\(path).\(key): expected 1.0 (chosen) or 0.0 (not chosen), found \(score == .null ? "null" : JSONWriter.string(for: score)); scores between are predictions, not labels"
        )
      }
      if let owner = owner(key) {
        scored.insert(owner)
        if chosen { valued.insert(owner) }
      }
      guard chosen else { continue }
      let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
      if parts.count == 2, parts[0] == "sentiment" {
        guard set.sentiment == nil else {
          throw DecodeError("\(path).\(key): a second sentiment chosen ('\(set.sentiment ?? "")')")
        }
        set.sentiment = parts[1]
      } else if parts.count == 2, parts[0] == "stance", let colon = parts[1].lastIndex(of: ":") {
        stances.append(
          Stance(
            target: String(parts[1][..<colon]),
            value: String(parts[1][parts[1].index(after: colon)...])))
      } else if parts.count == 2, let field = schema.field(named: parts[0]), field.isMultiple {
        // A set-valued field: every category at 1.0 is one of its values (multi-label).
        labelSets[field.name, default: []].append(field.canonicalValue(parts[1]) ?? parts[1])
      } else if parts.count == 2, schema.field(named: parts[0]) != nil {
        guard labels[parts[0]] == nil else {
          throw DecodeError("\(path).\(key): a second value chosen for field '\(parts[0])'")
        }
        labels[parts[0]] = schema.field(named: parts[0])?.canonicalValue(parts[1]) ?? parts[1]
      } else if schema.sentiment.values.contains(key), set.sentiment == nil {
        set.sentiment = key
      } else if let field = schema.fields.first(where: { $0.values.contains(key) }),
        field.isMultiple
      {
        labelSets[field.name, default: []].append(key)
      } else if let field = schema.fields.first(where: { $0.values.contains(key) }),
        labels[field.name] == nil
      {
        labels[field.name] = key
      } else {
        throw DecodeError(
          "\(path).\(key): expected sentiment:VALUE, stance:TARGET:VALUE, FIELD:VALUE for a field of the schema ("
            + schema.fields.map(\.name).joined(separator: ", ")
            + ") or a value of the sentiment scale or of one field")
      }
    }
    var unvalued: [String] = []
    for name in scored.subtracting(valued).sorted() {
      if let field = schema.field(named: name), !field.isMultiple {
        set.noValueFields.insert(name)
      } else {
        unvalued.append(name)
      }
    }
    if !labels.isEmpty || !set.noValueFields.isEmpty { set.labels = labels }
    if !labelSets.isEmpty { set.labelSets = labelSets }
    if !stances.isEmpty { set.stances = stances }
    guard !unvalued.isEmpty else { return [] }
    return [
      ImportNote(
        .leftOut, key: "cats", count: unvalued.count,
        reason:
          "annotated with no value, every category 0.0 (\(unvalued.joined(separator: ", "))): Anno keeps no 'none of these' value for the sentiment or a set-valued field, so it reads as not annotated"
      )
    ]
  }
}
