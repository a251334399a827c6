import AnnoCore

extension EntityPattern {
  /// The longest token pattern accepted, counting `+` twice (its matcher state set is a
  /// 64-bit mask).
  public static let maximumTokenCount = 63

  /// Reads a spaCy EntityRuler / Prodigy pattern file: one JSON object a line, blank lines
  /// allowed.
  ///
  /// Attribute keys are case-insensitive as in spaCy (`LOWER` and `lower`); labels are
  /// checked against `schema` unless it is `nil`.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - file: the name shown in diagnostics.
  ///   - schema: the schema whose entity labels patterns may use, or `nil` for any label.
  /// - Returns: the patterns in file order, each with its line.
  /// - Throws: `PatternFileError` listing every problem in the file.
  public static func parseJSONLines(
    _ text: String, file: String = "patterns.jsonl", schema: LabelSchema?
  ) throws(PatternFileError) -> [EntityPattern] {
    var patterns: [EntityPattern] = []
    var diagnostics: [PatternDiagnostic] = []
    // NB: split bytes, not Characters: "\r\n" is one Character and would not split at "\n".
    for (index, rawLine) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
      .enumerated()
    {
      var line = rawLine
      if line.last == 0x0D { line = line.dropLast() }
      if index == 0, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
      guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
      let number = index + 1
      let value: JSONValue
      do {
        value = try JSONParser.parse(line)
      } catch {
        diagnostics.append(
          PatternDiagnostic(file: file, line: number, column: error.column, message: error.message))
        continue
      }
      var reader = PatternReader(schema: schema)
      if let pattern = reader.read(value, line: number), reader.messages.isEmpty {
        patterns.append(pattern)
      }
      diagnostics += reader.messages.map {
        PatternDiagnostic(file: file, line: number, message: $0)
      }
    }
    guard diagnostics.isEmpty else { throw PatternFileError(diagnostics: diagnostics) }
    return patterns
  }
}

/// Reads one pattern object, collecting every problem in it.
private struct PatternReader {
  let schema: LabelSchema?
  var messages: [String] = []

  static let topLevelKeys = ["label", "pattern", "id"]
  static let attributes =
    ["orth", "text", "lower", "shape", "length", "op"]
    + TokenFlag.allCases.map { $0.rawValue.lowercased() }
  // NB: spaCy attributes that need a trained pipeline, and lexical ones Anno does not compute.
  static let pipelineAttributes: Set<String> = [
    "POS", "TAG", "MORPH", "LEMMA", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID",
    "SENT_START", "IS_SENT_START", "HEAD",
  ]
  static let unsupportedAttributes: Set<String> = [
    "NORM", "PREFIX", "SUFFIX", "IS_STOP", "IS_OOV", "LIKE_URL", "LIKE_EMAIL",
    "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "SPACY", "_",
  ]
  static let unsupportedPredicates: Set<String> = [
    "REGEX", "FUZZY", "INTERSECTS", "IS_SUBSET", "IS_SUPERSET",
  ]

  init(schema: LabelSchema?) {
    self.schema = schema
  }

  mutating func read(_ value: JSONValue, line: Int) -> EntityPattern? {
    guard let object = value.objectValue else {
      messages.append("expected a JSON object with 'label' and 'pattern', got \(value.typeName)")
      return nil
    }
    // Misspelt keys first, so that `lable` is reported once, not also as a missing `label`.
    var unknownKeyMessages: [String] = []
    var suggestedKeys: Set<String> = []
    for key in object.keys.sorted() where !Self.topLevelKeys.contains(key) {
      if let close = Suggestion.closest(to: key, in: Self.topLevelKeys), object[close] == nil {
        suggestedKeys.insert(close)
        unknownKeyMessages.append("unknown key '\(key)'; did you mean '\(close)'?")
      } else {
        unknownKeyMessages.append("unknown key '\(key)'; a pattern has 'label', 'pattern' and 'id'")
      }
    }
    let label = readLabel(object["label"], isSuggested: suggestedKeys.contains("label"))
    let body = readBody(object["pattern"], isSuggested: suggestedKeys.contains("pattern"))
    var id: String?
    if let value = object["id"] {
      if let string = value.stringValue {
        id = string
      } else {
        messages.append("'id' must be a string")
      }
    }
    messages += unknownKeyMessages
    guard let label, let body else { return nil }
    return EntityPattern(label: label, body: body, id: id, line: line)
  }

  mutating func readLabel(_ value: JSONValue?, isSuggested: Bool) -> String? {
    guard let value else {
      if !isSuggested { messages.append("missing key 'label'") }
      return nil
    }
    guard let label = value.stringValue else {
      messages.append("'label' must be a string")
      return nil
    }
    if let schema, schema.entityLabel(named: label) == nil {
      let names = schema.entityLabels.map(\.name)
      if let close = Suggestion.closest(to: label, in: names) {
        messages.append("unknown label '\(label)'; did you mean '\(close)'?")
      } else {
        messages.append(
          "unknown label '\(label)'; the schema declares \(names.joined(separator: ", "))")
      }
      return nil
    }
    guard !label.isEmpty else {
      messages.append("'label' must not be empty")
      return nil
    }
    return label
  }

  mutating func readBody(_ value: JSONValue?, isSuggested: Bool) -> EntityPattern.Body? {
    switch value {
    case nil:
      if !isSuggested { messages.append("missing key 'pattern'") }
      return nil
    case .string(let phrase):
      guard phrase.contains(where: { !$0.isWhitespace }) else {
        messages.append("'pattern' is empty")
        return nil
      }
      return .phrase(phrase)
    case .array(let elements):
      guard !elements.isEmpty else {
        messages.append("'pattern' is empty")
        return nil
      }
      guard elements.allSatisfy({ $0.objectValue != nil }) else {
        messages.append("'pattern' must be a string or a list of token objects")
        return nil
      }
      let before = messages.count
      let specs = elements.compactMap { readToken($0.objectValue ?? [:]) }
      guard messages.count == before else { return nil }
      let states = specs.count + specs.filter { $0.quantifier == .oneOrMore }.count
      guard states <= EntityPattern.maximumTokenCount else {
        messages.append(
          "a token pattern may have at most \(EntityPattern.maximumTokenCount) tokens")
        return nil
      }
      return .tokens(specs)
    default:
      messages.append("'pattern' must be a string or a list of token objects")
      return nil
    }
  }

  mutating func readToken(_ object: [String: JSONValue]) -> TokenSpec? {
    var spec = TokenSpec([])
    var isValid = true
    for key in object.keys.sorted() {
      let value = object[key] ?? .null
      let name = key.uppercased()
      switch name {
      case "OP":
        if let op = value.stringValue, let quantifier = TokenQuantifier(rawValue: op) {
          spec.quantifier = quantifier
        } else if let op = value.stringValue {
          messages.append("unknown OP '\(op)'; use ?, *, +, ! or 1")
          isValid = false
        } else {
          messages.append("'\(key)' must be a string: ?, *, +, ! or 1")
          isValid = false
        }
        continue
      case "ORTH", "TEXT", "LOWER", "SHAPE":
        guard let tests = readStringTests(value, key: key) else {
          isValid = false
          continue
        }
        let make: (StringTest) -> TokenConstraint =
          switch name {
          case "LOWER": TokenConstraint.lower
          case "SHAPE": TokenConstraint.shape
          default: TokenConstraint.text
          }
        spec.constraints += tests.map(make)
      case "LENGTH":
        guard let tests = readIntegerTests(value, key: key) else {
          isValid = false
          continue
        }
        spec.constraints += tests.map(TokenConstraint.length)
      default:
        if let flag = TokenFlag(rawValue: name) {
          guard case .bool(let wanted) = value else {
            messages.append("'\(key)' must be true or false")
            isValid = false
            continue
          }
          spec.constraints.append(.flag(flag, wanted))
        } else {
          messages.append(unknownAttributeMessage(key))
          isValid = false
        }
      }
    }
    return isValid ? spec : nil
  }

  func unknownAttributeMessage(_ key: String) -> String {
    let name = key.uppercased()
    if Self.pipelineAttributes.contains(name) {
      return "token attribute '\(key)' needs a trained pipeline; Anno matches on text only"
    }
    if Self.unsupportedAttributes.contains(name) {
      return "token attribute '\(key)' is not supported"
    }
    // Suggest in the key's own case: `lowr` gets `lower`, `LOWR` gets `LOWER`.
    let isUpper = key == key.uppercased() && key != key.lowercased()
    let candidates = Self.attributes.map { isUpper ? $0.uppercased() : $0 }
    if let close = Suggestion.closest(to: key, in: candidates) {
      return "unknown token attribute '\(key)'; did you mean '\(close)'?"
    }
    return "unknown token attribute '\(key)'"
  }

  mutating func readStringTests(_ value: JSONValue, key: String) -> [StringTest]? {
    if let string = value.stringValue { return [.equals(string)] }
    let shape = "'\(key)' must be a string or an object with IN or NOT_IN"
    guard let object = value.objectValue, !object.isEmpty else {
      messages.append(shape)
      return nil
    }
    var tests: [StringTest] = []
    for predicate in object.keys.sorted() {
      let strings = object[predicate]?.arrayValue?.compactMap(\.stringValue)
      let isList = strings != nil && strings?.count == object[predicate]?.arrayValue?.count
      switch predicate.uppercased() {
      case "IN", "NOT_IN":
        guard let strings, isList else {
          messages.append("'\(predicate)' must be a list of strings")
          return nil
        }
        tests.append(predicate.uppercased() == "IN" ? .isIn(strings) : .isNotIn(strings))
      default:
        messages.append(unknownPredicateMessage(predicate, candidates: ["IN", "NOT_IN"]))
        return nil
      }
    }
    return tests
  }

  mutating func readIntegerTests(_ value: JSONValue, key: String) -> [IntegerTest]? {
    if case .int = value, let int = value.intValue { return [.compare(.equal, int)] }
    guard let object = value.objectValue, !object.isEmpty else {
      messages.append(
        "'\(key)' must be an integer or an object with IN, NOT_IN, ==, !=, >=, <=, > or <")
      return nil
    }
    var tests: [IntegerTest] = []
    for predicate in object.keys.sorted() {
      let operand = object[predicate] ?? .null
      if let comparison = IntegerComparison(rawValue: predicate) {
        guard case .int = operand, let bound = operand.intValue else {
          messages.append("'\(predicate)' must be an integer")
          return nil
        }
        tests.append(.compare(comparison, bound))
        continue
      }
      switch predicate.uppercased() {
      case "IN", "NOT_IN":
        let integers = operand.arrayValue?.compactMap { item -> Int? in
          if case .int = item { return item.intValue }
          return nil
        }
        guard let integers, integers.count == operand.arrayValue?.count else {
          messages.append("'\(predicate)' must be a list of integers")
          return nil
        }
        tests.append(predicate.uppercased() == "IN" ? .isIn(integers) : .isNotIn(integers))
      default:
        let candidates = ["IN", "NOT_IN"] + IntegerComparison.allCases.map(\.rawValue)
        messages.append(unknownPredicateMessage(predicate, candidates: candidates))
        return nil
      }
    }
    return tests
  }

  func unknownPredicateMessage(_ predicate: String, candidates: [String]) -> String {
    if Self.unsupportedPredicates.contains(predicate.uppercased()) {
      return "predicate '\(predicate)' is not supported; use \(candidates.joined(separator: ", "))"
    }
    if let close = Suggestion.closest(to: predicate, in: candidates) {
      return "unknown predicate '\(predicate)'; did you mean '\(close)'?"
    }
    return "unknown predicate '\(predicate)'; use \(candidates.joined(separator: ", "))"
  }
}
