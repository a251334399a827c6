import AnnoCore

extension RecordDecoder {
  // MARK: - Anno

  /// Checks the `offsets` key Anno's exports write (anno, prodigy): absent or `codepoint`.
  func requireCodePointOffsets(_ object: [String: JSONValue]) throws(DecodeError) {
    guard let unit = object["offsets"], unit != .string(AnnoRecord.offsetUnit) else { return }
    throw DecodeError(
      "'offsets' must be \"codepoint\" (Unicode scalar offsets); convert UTF-16 or byte offsets first"
    )
  }

  func decodeAnno(_ object: [String: JSONValue]) throws(DecodeError) -> ImportRecord {
    var record = try decodeDocument(object, textKey: "text", textRequired: false)
    try requireCodePointOffsets(object)
    let annotator = try optionalString(object, "annotator") ?? defaultAnnotator
    if let problem = AnnotatorName.problem(annotator) {
      throw DecodeError("'annotator' \(AnnotationSet.quoted(annotator)) \(problem)")
    }
    var set = AnnotationSet(annotator: annotator)
    if let statusText = try optionalString(object, "status") {
      guard let status = DocumentStatus(rawValue: statusText) else {
        throw DecodeError(
          AnnotationSet.unknown("status", statusText, DocumentStatus.allCases.map(\.rawValue)))
      }
      set.status = status
    }
    var claims: [ClaimedText] = []
    /// The spans listed under `key`, each with its range, the string under `valueKey` and the
    /// text it claims (checked later against the document).
    func spans<Span>(
      _ key: String, valueKey: String, make: (Range<Int>, String) -> Span
    ) throws(DecodeError) -> [Span]? {
      guard let items = try objects(object[key], key) else { return nil }
      var spans: [Span] = []
      for (i, item) in items.enumerated() {
        let path = "\(key)[\(i)]"
        guard let range = try range(item, path, required: true) else { continue }
        let value = try requiredString(item, valueKey, path)
        if let text = try optionalString(item, "text") {
          claims.append(ClaimedText(path: path, range: range, text: text))
        }
        spans.append(make(range, value))
      }
      return spans
    }
    if let spans = try spans(
      "entities", valueKey: "label",
      make: { EntitySpan(start: $0.lowerBound, end: $0.upperBound, label: $1) })
    {
      set.entities = spans
    }
    if let spans = try spans(
      "entities_partial", valueKey: "label",
      make: { EntitySpan(start: $0.lowerBound, end: $0.upperBound, label: $1) })
    {
      guard set.entities == nil else {
        throw DecodeError(
          "'entities' and 'entities_partial' cannot both be given: a layer is complete or partial")
      }
      set.entities = spans
      set.partialEntities = true
    }
    if let spans = try spans(
      "span_sentiments", valueKey: "value",
      make: { SpanSentiment(start: $0.lowerBound, end: $0.upperBound, value: $1) })
    {
      set.spanSentiments = spans
    }
    set.sentiment = try optionalString(object, "sentiment")
    if let items = try objects(object["stances"], "stances") {
      var stances: [Stance] = []
      for (i, item) in items.enumerated() {
        let path = "stances[\(i)]"
        let target = try requiredString(item, "target", path)
        let value = try requiredString(item, "value", path)
        let anchor = try range(item, path, required: false)
        if let anchor, let text = try optionalString(item, "text") {
          claims.append(ClaimedText(path: path, range: anchor, text: text))
        }
        stances.append(
          Stance(
            target: (try? schema.storedStanceTarget(target)) ?? target, value: value,
            range: anchor))
      }
      set.stances = stances
    }
    switch object["labels"] {
    case .object(let fields)?:
      var labels: [String: String] = [:]
      var sets: [String: [String]] = [:]
      var noValue: Set<String> = []
      for (name, value) in fields {
        switch value {
        case .null:
          // Annotated, no value chosen (a set-valued field says so with an empty list).
          guard schema.field(named: name)?.isMultiple != true else {
            throw DecodeError(
              "labels.\(name): field '\(name)' is multiple; give no value as an empty list, not null"
            )
          }
          noValue.insert(name)
        case .string(let s): labels[name] = s
        case .int(let i): labels[name] = String(i)
        case .double(let d):
          labels[name] = d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .array(let items):
          sets[name] = try items.enumerated().map { (i, item) throws(DecodeError) in
            guard case .string(let s) = item else {
              throw DecodeError("labels.\(name)[\(i)]: must be a string, not \(item.typeName)")
            }
            return s
          }
        default:
          throw DecodeError(
            "labels.\(name): must be a string, a number, a list of strings or null (no value), not \(value.typeName)"
          )
        }
      }
      // A set-valued field given one value is a set of one.
      for (name, value) in labels where schema.field(named: name)?.isMultiple == true {
        sets[name] = [value]
        labels[name] = nil
      }
      // An empty list: no value for the field.
      sets = sets.filter { !$0.value.isEmpty }
      if !labels.isEmpty || sets.isEmpty { set.labels = labels }
      if !sets.isEmpty { set.labelSets = sets }
      set.noValueFields = noValue
    case nil, .null?: break
    case let other?:
      throw DecodeError(
        "'labels' must be an object of field names to values, not \(other.typeName)")
    }
    if let items = try objects(object["notes"], "notes") {
      var notes: [Note] = []
      for (i, item) in items.enumerated() {
        let path = "notes[\(i)]"
        notes.append(
          Note(
            text: try requiredString(item, "text", path),
            range: try range(item, path, required: false)))
      }
      set.notes = notes
    }
    set.flagReason = try optionalString(object, "flag_reason")
    if let labels = set.labels {
      // Numeric fields: store the declared spelling, so 3.0 and "3" both become "3".
      set.labels = labels.reduce(into: [:]) { result, entry in
        result[entry.key] =
          schema.field(named: entry.key)?.canonicalValue(entry.value) ?? entry.value
      }
    }
    record.annotations = set
    record.claims = claims
    return record
  }
}
