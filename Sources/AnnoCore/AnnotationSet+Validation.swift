/// A span's text as the input claimed it, to be checked against the document.
public struct ClaimedText: Hashable, Sendable {
  /// Where the claim was made, for messages (`entities[2]`).
  public var path: String
  /// The claimed range.
  public var range: Range<Int>
  /// The claimed text.
  public var text: String

  /// Creates a claim.
  public init(path: String, range: Range<Int>, text: String) {
    self.path = path
    self.range = range
    self.text = text
  }
}

extension AnnotationSet {
  /// Every problem of this set against a document's text and the schema, as messages that
  /// name the offending entry and say what would be valid. Empty when the set is valid.
  ///
  /// Checks offsets (0 ≤ start < end ≤ length), labels, sentiment and stance values, stance
  /// targets, document fields and their values (a set-valued field's values each declared and
  /// each given once), claimed span texts, and exact duplicates.
  public func problems(in text: ScalarText, schema: LabelSchema, claims: [ClaimedText] = [])
    -> [String]
  {
    var problems: [String] = []
    let length = text.count
    func checkRange(_ range: Range<Int>, _ path: String) {
      if !TextRange(range).fits(inTextOfLength: length) {
        problems.append(
          "\(path): offsets \(range.lowerBound)..<\(range.upperBound) are outside the text (length \(length) code points)"
        )
      }
    }
    for (i, span) in (entities ?? []).enumerated() {
      checkRange(span.range, "entities[\(i)]")
      if schema.entityLabel(named: span.label) == nil {
        problems.append(
          "entities[\(i)]: " + Self.unknown("label", span.label, schema.entityLabels.map(\.name)))
      }
    }
    for (i, span) in (spanSentiments ?? []).enumerated() {
      checkRange(span.range, "span_sentiments[\(i)]")
      if !schema.sentiment.values.contains(span.value) {
        problems.append(
          "span_sentiments[\(i)]: " + Self.unknown("sentiment", span.value, schema.sentiment.values)
        )
      }
    }
    if let sentiment, !schema.sentiment.values.contains(sentiment) {
      problems.append("sentiment: " + Self.unknown("sentiment", sentiment, schema.sentiment.values))
    }
    for (i, stance) in (stances ?? []).enumerated() {
      if let range = stance.range { checkRange(range, "stances[\(i)]") }
      if !schema.stance.values.contains(stance.value) {
        problems.append(
          "stances[\(i)]: " + Self.unknown("stance value", stance.value, schema.stance.values))
      }
      do {
        _ = try StanceTargets(schema: schema).resolve(stance.target, creating: true)
      } catch {
        problems.append("stances[\(i)]: \(error.message)")
      }
    }
    for (field, value) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) {
      guard let declared = schema.field(named: field) else {
        problems.append("labels: " + Self.unknown("field", field, schema.fields.map(\.name)))
        continue
      }
      if declared.isMultiple {
        problems.append(
          "labels.\(field): field '\(field)' is multiple (a set of values); give its values as a list"
        )
      } else if declared.canonicalValue(value) == nil {
        problems.append("labels.\(field): " + Self.unknown("value", value, declared.values))
      }
    }
    for field in noValueFields.sorted() {
      guard let declared = schema.field(named: field) else {
        problems.append("labels: " + Self.unknown("field", field, schema.fields.map(\.name)))
        continue
      }
      if declared.isMultiple {
        problems.append(
          "labels.\(field): field '\(field)' is multiple (a set of values); give no value as an empty list"
        )
      } else if labels?[field] != nil {
        problems.append("labels.\(field): the field has a value and no value at once")
      }
    }
    for (field, values) in (labelSets ?? [:]).sorted(by: { $0.key < $1.key }) {
      guard let declared = schema.field(named: field) else {
        problems.append("labels: " + Self.unknown("field", field, schema.fields.map(\.name)))
        continue
      }
      guard declared.isMultiple else {
        problems.append(
          "labels.\(field): field '\(field)' is not multiple; give one value, not a list of \(values.count)"
        )
        continue
      }
      var seen: Set<String> = []
      for value in values {
        if declared.canonicalValue(value) == nil {
          problems.append("labels.\(field): " + Self.unknown("value", value, declared.values))
        } else if !seen.insert(value).inserted {
          problems.append("labels.\(field): '\(value)' is given twice; give each value once")
        }
      }
    }
    for (i, note) in (notes ?? []).enumerated() {
      if let range = note.range { checkRange(range, "notes[\(i)]") }
      if note.text.unicodeScalars.contains("\u{0}") {
        problems.append("notes[\(i)]: contains U+0000 (NUL), which cannot be stored; remove it")
      }
    }
    if annotator.unicodeScalars.contains("\u{0}")
      || flagReason?.unicodeScalars.contains("\u{0}") == true
    {
      problems.append(
        "annotator or flag_reason contains U+0000 (NUL), which cannot be stored; remove it")
    }
    for claim in claims where TextRange(claim.range).fits(inTextOfLength: length) {
      if !text.range(claim.range, equals: claim.text) {
        let actual = text[claim.range]
        problems.append(
          "\(claim.path): text \(Self.quoted(claim.text)) does not match the document, which has \(Self.quoted(actual)) at \(claim.range.lowerBound)..<\(claim.range.upperBound)"
        )
      }
    }
    problems += duplicateProblems(schema: schema)
    return problems
  }

  private func duplicateProblems(schema: LabelSchema) -> [String] {
    var problems: [String] = []
    func check<T: Hashable>(_ items: [T]?, _ name: String) {
      var seen: Set<T> = []
      for (i, item) in (items ?? []).enumerated() where !seen.insert(item).inserted {
        problems.append("\(name)[\(i)]: exact duplicate of an earlier entry")
      }
    }
    check(entities, "entities")
    check(spanSentiments, "span_sentiments")
    check(stances, "stances")
    check(notes, "notes")
    var documentTargets: Set<String> = []
    for (i, stance) in (stances ?? []).enumerated() where stance.range == nil {
      let target = (try? schema.storedStanceTarget(stance.target)) ?? stance.target
      if !documentTargets.insert(LabelSchema.stanceTargetKey(target)).inserted {
        problems.append(
          "stances[\(i)]: a second document-level stance toward '\(stance.target)'; give one value per target"
        )
      }
    }
    return problems
  }

  /// `unknown KIND 'value'; did you mean 'x'? (expected one of a, b, c)`.
  public static func unknown(_ kind: String, _ value: String, _ allowed: [String]) -> String {
    var message = "unknown \(kind) '\(value)'"
    if let close = Suggestion.closest(to: value, in: allowed) {
      message += "; did you mean '\(close)'?"
    }
    if !allowed.isEmpty { message += " (expected one of \(allowed.joined(separator: ", ")))" }
    return message
  }

  /// A text quoted for messages, shortened and with control characters made visible.
  public static func quoted(_ text: String, limit: Int = 60) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
      if count == limit {
        out += "…"
        break
      }
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\"": out += "\\\""
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
          out += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
      count += 1
    }
    return "\"\(out)\""
  }
}
