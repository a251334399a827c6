import AnnoCore

extension RecordDecoder {
  /// Keys of a Prodigy task that carry no annotation, read or passed over without a note.
  static let prodigyPlainKeys: Set<String> = [
    "text", "meta", "id", "title", "source", "_input_hash", "_task_hash", "_view_id",
    "_session_id", "_annotator_id", "_timestamp", "answer", "html", "image", "audio", "video",
    "priority", "score", "pattern", "config", "_is_binary", "label", "options", "accept", "spans",
    "tokens", "relations", "offsets",
  ]

  /// Views of binary NER tasks (`ner.teach` proposes one span per task): their accepted spans
  /// form a partial entity layer.
  static let prodigyBinaryNERViews: Set<String> = ["ner"]

  /// Views whose tasks are drawn by hand: a whole task's `reject` marks an unusable example,
  /// not wrong spans.
  static let prodigyManualViews: Set<String> = [
    "ner_manual", "spans_manual", "relations", "blocks", "pos_manual",
  ]

  /// Decodes a Prodigy task.
  ///
  /// - `answer` (`accept`, `reject`, `ignore`; absent: `accept`) applies to the whole task and
  ///   each span may carry its own. Accepted spans are entities; a rejected span (or every
  ///   span of a rejected binary task) becomes a rejected suggestion. An `ignore`d task, or a
  ///   rejected manual one, is skipped.
  /// - A task without `spans` has no entity layer (a text-classification task says nothing
  ///   about entities); `"spans": []` in an accepted manual task is "annotated, none". A
  ///   binary task (view `ner`, or spans with their own answers when no view is given) gives a
  ///   partial layer (`AnnotationSet.partialEntities`): its spans are right, the rest unknown.
  /// - Binary textcat (`label` and the answer) and choice (`options`, `accept`) answers fill
  ///   the document field whose declared values contain the label (or `--field`).
  /// - Tasks of the same input (`_input_hash`, else the same text) by the same annotator
  ///   (`_annotator_id`, else `_session_id`, else `--annotator`) merge into one set.
  /// - `tokens` become the document's tokenization when they tile the text.
  func decodeProdigy(_ object: [String: JSONValue]) throws(DecodeError) -> DecodedLine {
    var record = try decodeDocument(object, textKey: "text")
    // Anno's prodigy export says its unit; Prodigy's own tasks do not.
    try requireCodePointOffsets(object)
    if object["id"] == nil, object["meta"]?["id"] == nil, let hash = object["_input_hash"]?.intValue
    {
      record.externalID = "prodigy-\(hash)"
    }
    record.mergesWithSameInput = true
    let text = ScalarText(record.text ?? "")
    var notes: [ImportNote] = []
    record.tokenRanges = nil
    if let tokens = object["tokens"], tokens != .null {
      if let ranges = try? self.tokens(tokens), Self.tile(ranges, text) {
        record.tokenRanges = ranges
      } else {
        notes.append(
          ImportNote(
            .leftOut, key: "tokens",
            reason: "they do not tile the text; Anno's tokenizer tokenizes it instead"))
      }
    }
    let answer = try optionalString(object, "answer") ?? "accept"
    guard ["accept", "reject", "ignore"].contains(answer) else {
      throw DecodeError("'answer' must be accept, reject or ignore, not '\(answer)'")
    }
    if answer == "ignore" { return .skipped("Prodigy answer 'ignore'") }
    let view = try optionalString(object, "_view_id")
    if answer == "reject", let view, Self.prodigyManualViews.contains(view) {
      return .skipped("Prodigy answer 'reject' on a \(view) task")
    }
    let annotator = try prodigyAnnotator(object)
    var set = AnnotationSet(annotator: annotator)
    var claims: [ClaimedText] = []
    var spanLabels: Set<String> = []
    if let items = try objects(object["spans"], "spans") {
      var accepted: [EntitySpan] = []
      var seen: Set<EntitySpan> = []
      var duplicates = 0
      for (i, item) in items.enumerated() {
        let path = "spans[\(i)]"
        guard let range = try range(item, path, required: true) else { continue }
        let label = options.mapped(try requiredString(item, "label", path))
        spanLabels.insert(label)
        let spanAnswer = try optionalString(item, "answer") ?? answer
        guard ["accept", "reject", "ignore"].contains(spanAnswer) else {
          throw DecodeError(
            "\(path): 'answer' must be accept, reject or ignore, not '\(spanAnswer)'")
        }
        let span = EntitySpan(start: range.lowerBound, end: range.upperBound, label: label)
        if let claimed = try optionalString(item, "text") {
          claims.append(ClaimedText(path: path, range: range, text: claimed))
        }
        switch spanAnswer {
        case "reject": record.rejectedSpans.append(span)
        case "ignore":
          notes.append(ImportNote(.skipped, key: "spans", reason: "spans answered 'ignore'"))
        default:
          if seen.insert(span).inserted {
            accepted.append(span)
          } else {
            duplicates += 1
          }
        }
      }
      if duplicates > 0 {
        notes.append(
          ImportNote(
            .skipped, key: "spans", count: duplicates,
            reason: "the same span listed twice in one task"))
      }
      if answer == "accept" {
        set.entities = accepted
        // NB: a binary task (the `ner` view of ner.teach, or spans answered one by one) says
        // its spans are right, not that the rest of the text holds no entity.
        set.partialEntities =
          view.map { Self.prodigyBinaryNERViews.contains($0) }
          ?? items.contains { $0["answer"] != nil }
      }
    }
    if let relations = object["relations"]?.arrayValue, !relations.isEmpty {
      notes.append(
        ImportNote(
          .leftOut, key: "relations", count: relations.count,
          reason: "Anno has no relation layer"))
    }
    if let options = object["options"], options != .null {
      try decodeProdigyChoice(
        object, options: options, answer: answer, hasSpans: object["spans"] != nil, into: &set,
        record: &record, notes: &notes)
    } else if case .string(let rawLabel)? = object["label"] {
      // NB: binary NER tasks (ner.teach) repeat their span's label at the top.
      let label = options.mapped(rawLabel)
      if !spanLabels.contains(label) {
        if answer == "accept" {
          try assignProdigyClass(label, path: "label", into: &set, record: &record)
        } else {
          notes.append(
            ImportNote(
              .leftOut, key: "label",
              reason: "textcat answers 'reject': Anno keeps no 'not this label' value"))
        }
      }
    }
    for key in object.keys.sorted() where !Self.prodigyPlainKeys.contains(key) {
      guard let value = object[key], value != .null else { continue }
      notes.append(
        ImportNote(.leftOut, key: key, reason: "not a Prodigy key Anno knows what to do with"))
    }
    record.notes = notes
    record.claims = claims
    let annotated =
      set.entities != nil || set.sentiment != nil || set.labels != nil || set.labelSets != nil
    record.annotations = annotated ? set : nil
    // NB: a rejected task whose rejection Anno cannot keep (a textcat label) still imports
    // its text, so the summary can list what was left out of it.
    if !annotated && record.rejectedSpans.isEmpty && answer == "reject"
      && !notes.contains(where: { $0.kind == .leftOut })
    {
      return .skipped("Prodigy answer 'reject'")
    }
    record.rejectionsAnnotator = annotator
    return .record(record)
  }

  /// The annotator of a task: `_annotator_id`, else `_session_id`, else `--annotator`.
  func prodigyAnnotator(_ object: [String: JSONValue]) throws(DecodeError) -> String {
    for key in ["_annotator_id", "_session_id"] {
      let name: String
      switch object[key] {
      case .string(let s)?: name = s
      case .int(let i)?: name = String(i)
      case nil, .null?: continue
      case let other?: throw DecodeError("'\(key)' must be a string, not \(other.typeName)")
      }
      if let problem = AnnotatorName.problem(name) {
        throw DecodeError("'\(key)' \(AnnotationSet.quoted(name)) \(problem)")
      }
      return name
    }
    return defaultAnnotator
  }

  /// A choice task: `options` `[{"id", "text"}]` and the accepted ids in `accept`.
  func decodeProdigyChoice(
    _ object: [String: JSONValue], options optionList: JSONValue, answer: String, hasSpans: Bool,
    into set: inout AnnotationSet, record: inout ImportRecord, notes: inout [ImportNote]
  ) throws(DecodeError) {
    guard case .array(let items) = optionList else {
      throw DecodeError("'options' must be a list of {\"id\", \"text\"} objects")
    }
    var accepted: [JSONValue] = []
    switch object["accept"] {
    case .array(let ids)?: accepted = ids
    case nil, .null?: break
    case let other?:
      throw DecodeError("'accept' must be a list of option ids, not \(other.typeName)")
    }
    if hasSpans {
      // Entity linking (nel.manual): the choice is about the span, e.g. a Wikidata id.
      if !accepted.isEmpty {
        notes.append(
          ImportNote(
            .leftOut, key: "accept", count: accepted.count,
            reason: "entity-linking choices: Anno has no entity-linking layer"))
      }
      return
    }
    guard answer == "accept" else {
      notes.append(
        ImportNote(
          .leftOut, key: "accept", count: max(1, accepted.count),
          reason: "choice answers 'reject': Anno keeps no 'none of these' value"))
      return
    }
    var texts: [String: String] = [:]
    var ids: [String] = []
    for (i, item) in items.enumerated() {
      guard case .object(let option) = item, let id = option["id"] else {
        throw DecodeError("options[\(i)]: expected {\"id\", \"text\"}, found \(item.typeName)")
      }
      if let key = Self.scalarText(id) {
        ids.append(key)
        if let text = option["text"]?.stringValue { texts[key] = text }
      }
    }
    guard !accepted.isEmpty else {
      // The annotator looked and chose none: an answer, for the field the options belong to.
      let task = object["label"]?.stringValue
      guard !options.infersSchema,
        let field = choiceField(task: task, ids: ids, texts: texts), !field.isMultiple
      else {
        notes.append(
          ImportNote(
            .leftOut, key: "accept",
            reason:
              "choices accepted with no option chosen, not for one single-valued field (name it with --field NAME): Anno keeps no 'none of these' value for the sentiment or a set-valued field"
          ))
        return
      }
      if set.labels == nil { set.labels = [:] }
      set.noValueFields.insert(field.name)
      return
    }
    var chosen: [String] = []
    for (i, id) in accepted.enumerated() {
      guard let key = Self.scalarText(id) else {
        throw DecodeError("accept[\(i)]: expected an option id, found \(id.typeName)")
      }
      // NB: an id that is no declared value may be a number; its option's text may be.
      let value = options.mapped(key)
      if options.field == nil, !options.infersSchema, classField(value) == nil,
        let text = texts[key].map(options.mapped), classField(text) != nil
      {
        chosen.append(text)
      } else {
        chosen.append(value)
      }
    }
    for (i, value) in chosen.enumerated() {
      try assignProdigyClass(value, path: "accept[\(i)]", into: &set, record: &record)
    }
  }

  /// The field a choice task asks about: `--field`, else the task's `label` when it names a
  /// field, else the one field whose declared values hold every option (by id, else by text).
  func choiceField(task label: String?, ids: [String], texts: [String: String]) -> DocumentField? {
    if let name = options.field { return schema.field(named: name) }
    if let label, let field = schema.field(named: label) { return field }
    guard !ids.isEmpty else { return nil }
    let byID = ids.map(options.mapped)
    let byText = ids.map { texts[$0].map(options.mapped) ?? "" }
    let matching = schema.fields.filter { field in
      byID.allSatisfy { field.canonicalValue($0) != nil }
        || byText.allSatisfy { field.canonicalValue($0) != nil }
    }
    return matching.count == 1 ? matching[0] : nil
  }

  /// The text of a string or whole-number id.
  static func scalarText(_ value: JSONValue) -> String? {
    switch value {
    case .string(let s): return s
    case .int(let i): return String(i)
    default: return nil
    }
  }

  /// Fills the document field a Prodigy class label belongs to.
  func assignProdigyClass(
    _ label: String, path: String, into set: inout AnnotationSet, record: inout ImportRecord
  ) throws(DecodeError) {
    var labels = set.labels ?? [:]
    try assignClass(label, path: path, to: &set, labels: &labels, record: &record)
    if !labels.isEmpty { set.labels = labels }
  }

  /// Whether token ranges tile the text: in order, not overlapping, and every character
  /// between two tokens (or before the first, after the last) is whitespace.
  static func tile(_ ranges: [Range<Int>], _ text: ScalarText) -> Bool {
    var position = 0
    for range in ranges {
      guard range.lowerBound >= position, range.upperBound <= text.count, !range.isEmpty else {
        return false
      }
      for i in position..<range.lowerBound where !text.scalars[i].properties.isWhitespace {
        return false
      }
      position = range.upperBound
    }
    for i in position..<text.count where !text.scalars[i].properties.isWhitespace {
      return false
    }
    return true
  }
}
