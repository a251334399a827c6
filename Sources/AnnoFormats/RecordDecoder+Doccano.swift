import AnnoCore

extension RecordDecoder {
  /// Keys of a doccano record that carry no annotation.
  static let doccanoPlainKeys: Set<String> = [
    "id", "text", "data", "meta", "title", "source", "label", "labels", "entities", "cats",
    "annotations", "relations", "annotation_approver", "user", "created_at", "updated_at",
    "annotator", "doc_id", "username", "metadata",
  ]

  /// The spans a doccano record gives, the shape expected.
  static let doccanoSpanShape =
    #"[start, end, "LABEL"] or {"start_offset", "end_offset", "label"}"#

  /// Decodes a doccano record, of every export shape from 1.x to the current version:
  ///
  /// - `label` (sequence labelling `[[start, end, "LABEL"]]`, or classification
  ///   `["class", ...]`), `labels` (doccano 1.x and doccano-transformer, `[[start, end, L]]`),
  ///   `entities` (objects with `start_offset`/`end_offset`, or triples, as the intent
  ///   detection export writes), `cats` (a list of classes, or spaCy's `{class: 1.0}`),
  ///   and doccano 1.x `annotations` (`{"label": ID, "start_offset"?, "end_offset"?, "user"}`,
  ///   label ids resolved through `--doccano-labels`; one set per `user` when there are several).
  /// - Offsets are converted from `DecodeOptions.doccanoOffsets` to code points.
  /// - `relations` and `comments` are left out, with a note.
  func decodeDoccano(_ object: [String: JSONValue]) throws(DecodeError) -> DecodedLine {
    let record = try decodeDocument(
      object, textKey: object["text"] == nil && object["data"] != nil ? "data" : "text")
    let converter = DoccanoOffsets(text: record.text ?? "", unit: options.doccanoOffsets)
    var notes: [ImportNote] = []
    // Spans and classes by doccano user (nil: the record's own, `--annotator`).
    var spans: [Int?: [EntitySpan]] = [:]
    var classes: [Int?: [(String, String)]] = [:]
    var hasSpanLayer = false

    func span(_ start: Int, _ end: Int, _ label: String, _ path: String) throws(DecodeError)
      -> EntitySpan
    {
      guard start >= 0, start < end else {
        throw DecodeError("\(path): start \(start) must be less than end \(end)")
      }
      let range = try converter.convert(start..<end, path: path)
      return EntitySpan(
        start: range.lowerBound, end: range.upperBound, label: options.mapped(label))
    }
    func spanItem(_ item: JSONValue, _ path: String, allowsClass: Bool) throws(DecodeError) {
      switch item {
      case .array(let triple):
        guard triple.count == 3, let start = triple[0].intValue, let end = triple[1].intValue,
          case .string(let label) = triple[2]
        else {
          throw DecodeError(
            "\(path): expected \(Self.doccanoSpanShape), found an array of \(triple.count) item\(triple.count == 1 ? "" : "s")"
          )
        }
        spans[nil, default: []].append(try span(start, end, label, path))
      case .object(let o):
        guard
          let range = try range(
            o, path, startKey: "start_offset", endKey: "end_offset", required: true)
        else { return }
        let label = try doccanoLabel(o["label"], path)
        spans[nil, default: []].append(
          try span(range.lowerBound, range.upperBound, label, path))
      case .string(let name) where allowsClass:
        classes[nil, default: []].append((name, path))
      default:
        throw DecodeError(
          "\(path): expected \(Self.doccanoSpanShape)\(allowsClass ? " or a class name" : ""), found \(item.typeName)"
        )
      }
    }

    for key in ["label", "labels"] {
      switch object[key] {
      case .array(let items)?:
        // NB: an empty `label` is ambiguous (doccano writes it for both project kinds), so it
        // states no layer; `labels` and `entities` are span lists only.
        if key == "labels" || items.contains(where: { $0.arrayValue != nil }) {
          hasSpanLayer = true
        }
        for (i, item) in items.enumerated() {
          try spanItem(item, "\(key)[\(i)]", allowsClass: key == "label")
        }
      case .string(let name)?: classes[nil, default: []].append((name, key))
      case nil, .null?: break
      case let other?:
        throw DecodeError(
          "'\(key)' must be a list of \(Self.doccanoSpanShape)\(key == "label" ? " or of class names" : ""), not \(other.typeName)"
        )
      }
    }
    switch object["entities"] {
    case .array(let items)?:
      hasSpanLayer = true
      for (i, item) in items.enumerated() {
        try spanItem(item, "entities[\(i)]", allowsClass: false)
      }
    case nil, .null?: break
    case let other?:
      throw DecodeError(
        "'entities' must be a list of \(Self.doccanoSpanShape), not \(other.typeName)")
    }
    switch object["cats"] {
    case .array(let items)?:
      for (i, item) in items.enumerated() {
        guard case .string(let name) = item else {
          throw DecodeError("cats[\(i)]: expected a class name, found \(item.typeName)")
        }
        classes[nil, default: []].append((name, "cats[\(i)]"))
      }
    case .object(let scores)?:
      for (name, score) in scores.sorted(by: { $0.key < $1.key }) {
        let value: Double
        switch score {
        case .int(let i): value = Double(i)
        case .double(let d): value = d
        case .bool(let b): value = b ? 1 : 0
        default:
          throw DecodeError("cats.\(name): expected a score from 0 to 1, found \(score.typeName)")
        }
        if value >= 0.5 { classes[nil, default: []].append((name, "cats.\(name)")) }
      }
    case nil, .null?: break
    case let other?:
      throw DecodeError(
        "'cats' must be a list of class names or an object of class scores, not \(other.typeName)")
    }
    if let items = try objects(object["annotations"], "annotations") {
      for (i, item) in items.enumerated() {
        let path = "annotations[\(i)]"
        let user = item["user"]?.intValue
        let label = try doccanoLabel(item["label"], path)
        if let range = try range(
          item, path, startKey: "start_offset", endKey: "end_offset", required: false)
        {
          hasSpanLayer = true
          spans[user, default: []].append(try span(range.lowerBound, range.upperBound, label, path))
        } else {
          classes[user, default: []].append((label, path))
        }
      }
    }
    if let relations = object["relations"]?.arrayValue, !relations.isEmpty {
      notes.append(
        ImportNote(
          .leftOut, key: "relations", count: relations.count,
          reason: "Anno has no relation layer"))
    }
    for key in object.keys.sorted() where !Self.doccanoPlainKeys.contains(key) {
      guard let value = object[key], value != .null else { continue }
      if let list = value.arrayValue, list.isEmpty { continue }
      notes.append(
        ImportNote(
          .leftOut, key: key, count: value.arrayValue?.count ?? 1,
          reason: key.lowercased() == "comments"
            ? "Anno imports no doccano comments" : "not a doccano key Anno knows what to do with"))
    }
    // The record's own labels, then one set per doccano user of `annotations`.
    let users = Set(spans.keys).union(classes.keys).sorted { ($0 ?? -1) < ($1 ?? -1) }
    let named = users.compactMap { $0 }
    var records: [ImportRecord] = []
    for user in users.isEmpty ? [nil] : users {
      var copy = record
      let annotator =
        user == nil || (named.count == 1 && !users.contains(nil))
        ? defaultAnnotator : "\(defaultAnnotator)-user\(user!)"
      var set = AnnotationSet(annotator: annotator)
      if hasSpanLayer || spans[user] != nil { set.entities = spans[user] ?? [] }
      var labels: [String: String] = [:]
      for (name, path) in classes[user] ?? [] {
        try assignClass(options.mapped(name), path: path, to: &set, labels: &labels, record: &copy)
      }
      if !labels.isEmpty { set.labels = labels }
      let annotated =
        set.entities != nil || set.sentiment != nil || set.labels != nil || set.labelSets != nil
      copy.annotations = annotated ? set : nil
      copy.notes = records.isEmpty ? notes : []
      if !records.isEmpty { copy.text = nil }
      records.append(copy)
    }
    return records.count == 1 ? .record(records[0]) : .records(records)
  }

  /// A doccano label: its text, or a doccano 1.x label id resolved through the label file.
  func doccanoLabel(_ value: JSONValue?, _ path: String) throws(DecodeError) -> String {
    switch value {
    case .string(let s)?: return s
    case .int(let id)?:
      guard let labels = options.doccanoLabels else {
        throw DecodeError(
          "\(path): label \(id) is a doccano 1.x label id; give the project's label file with --doccano-labels labels.json (doccano: Labels → Export Labels)"
        )
      }
      guard let text = labels[String(id)] else {
        throw DecodeError(
          "\(path): label id \(id) is not in the --doccano-labels file (it has ids \(labels.keys.sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }.joined(separator: ", ")))"
        )
      }
      return text
    case nil: throw DecodeError("\(path): missing key 'label'")
    case let other?:
      throw DecodeError("\(path): 'label' must be a label text or id, not \(other.typeName)")
    }
  }

  /// The field (or sentiment, as `""`) whose declared values contain a class label.
  func classField(_ name: String) -> String? {
    if let field = options.field { return field }
    if schema.sentiment.values.contains(name) { return "" }
    return schema.fields.first(where: { $0.values.contains(name) })?.name
  }

  /// Maps a text-classification label to the sentiment or a document field (`--field`, else
  /// the field whose declared values contain it), and records it among the record's classes.
  func assignClass(
    _ name: String, path: String, to set: inout AnnotationSet, labels: inout [String: String],
    record: inout ImportRecord
  ) throws(DecodeError) {
    if options.infersSchema {
      record.classes.append((field: options.field, value: name))
      return
    }
    guard let field = classField(name) else {
      let known = schema.sentiment.values + schema.fields.flatMap(\.values)
      throw DecodeError(
        "\(path): " + AnnotationSet.unknown("class label", name, known)
          + "; declare it in a field's values, or name the field with --field NAME (and add the values to it with --new-labels)"
      )
    }
    record.classes.append((field: field.isEmpty ? nil : field, value: name))
    if field.isEmpty {
      if let earlier = set.sentiment, earlier != name {
        throw DecodeError(
          "\(path): a second sentiment class '\(name)' (after '\(earlier)'); the sentiment takes one value"
        )
      }
      set.sentiment = name
      return
    }
    guard let declared = schema.field(named: field) else {
      throw DecodeError(
        "\(path): " + AnnotationSet.unknown("field", field, schema.fields.map(\.name)))
    }
    if declared.isMultiple {
      // A set-valued field takes every class given.
      let value = declared.canonicalValue(name) ?? name
      var sets = set.labelSets ?? [:]
      if !(sets[field] ?? []).contains(value) { sets[field, default: []].append(value) }
      set.labelSets = sets
      return
    }
    if let earlier = labels[field], earlier != name {
      throw DecodeError(
        "\(path): a second value '\(name)' for field '\(field)' (after '\(earlier)'); '\(field)' is not multiple (set-valued), so it keeps one value"
      )
    }
    labels[field] = declared.canonicalValue(name) ?? name
  }
}

/// Converts doccano offsets to code points.
struct DoccanoOffsets {
  let unit: DoccanoOffsetUnit
  /// Code point offset of each offset in `unit` (`nil` inside a character); `nil` when the
  /// units agree with code points for this text.
  let table: [Int?]?

  init(text: String, unit: DoccanoOffsetUnit) {
    self.unit = unit
    switch unit {
    case .codepoint:
      table = nil
    case .utf16:
      guard text.unicodeScalars.contains(where: { $0.value > 0xFFFF }) else {
        table = nil
        return
      }
      var table: [Int?] = []
      for (i, scalar) in text.unicodeScalars.enumerated() {
        table.append(i)
        if scalar.value > 0xFFFF { table.append(nil) }
      }
      table.append(text.unicodeScalars.count)
      self.table = table
    case .grapheme:
      guard text.count != text.unicodeScalars.count else {
        table = nil
        return
      }
      var table: [Int?] = []
      var position = 0
      for character in text {
        table.append(position)
        position += character.unicodeScalars.count
      }
      table.append(position)
      self.table = table
    }
  }

  func convert(_ range: Range<Int>, path: String) throws(DecodeError) -> Range<Int> {
    guard let table else { return range }
    func offset(_ value: Int) throws(DecodeError) -> Int {
      guard value < table.count else {
        throw DecodeError(
          "\(path): offset \(value) is past the end of the text (\(table.count - 1) \(unit == .utf16 ? "UTF-16 code units" : "grapheme clusters"))"
        )
      }
      guard let converted = table[value] else {
        throw DecodeError(
          "\(path): offset \(value) falls inside a character when counted in UTF-16 code units; if this file counts code points (doccano 1.x), give --doccano-offsets codepoint"
        )
      }
      return converted
    }
    return try offset(range.lowerBound)..<offset(range.upperBound)
  }
}
