import Foundation
import Yams

/// A problem in a schema file, with the 1-based line it was found on.
public struct SchemaError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file name shown in the message (`schema.yaml`).
  public var file: String
  /// The 1-based line, or `nil` when the problem is the file as a whole.
  public var line: Int?
  /// What is wrong, and what to write instead.
  public var message: String

  /// Creates an error.
  public init(file: String, line: Int?, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `FILE:LINE: message`.
  public var description: String {
    line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
  }
}

extension LabelSchema {
  /// The terminal colours a label may use.
  public static let colorNames: [String] = {
    let base = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
    return base + base.map { "bright-\($0)" }
  }()

  /// Names a document field may not take, because other annotation kinds use them.
  public static let reservedFieldNames: Set<String> = [
    "sentiment", "stance", "entities", "span_sentiment", "notes", "labels", "id", "text",
  ]

  /// The longest entity label or field name, in UTF-8 bytes (at most 192 once encoded for a
  /// file name).
  public static let maximumNameBytes = 64

  /// Whether a name uses only letters, digits, `_` and `-` (entity labels and field names,
  /// which users type as one word and exports use in file names and columns).
  public static func isPlainName(_ name: String) -> Bool {
    !name.isEmpty
      && name.unicodeScalars.allSatisfy {
        $0.properties.isAlphabetic || $0.properties.numericType != nil
          || "_-".unicodeScalars.contains($0)
      }
  }

  /// Parses and validates a schema from YAML.
  ///
  /// - Parameters:
  ///   - yaml: the file's contents.
  ///   - file: the name used in error messages.
  /// - Throws: `SchemaError` naming the line of the first problem.
  public init(yaml: String, file: String = "schema.yaml") throws(SchemaError) {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: yaml) else {
        throw SchemaError(file: file, line: nil, message: "the schema is empty")
      }
      root = node
    } catch let error as SchemaError {
      throw error
    } catch let error as YamlError {
      throw SchemaError(file: file, line: error.line, message: "invalid YAML: \(error.problem)")
    } catch {
      throw SchemaError(file: file, line: nil, message: "invalid YAML: \(error)")
    }
    var reader = SchemaReader(file: file)
    self = try reader.schema(root)
  }
}

extension YamlError {
  fileprivate var line: Int? {
    switch self {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
      return mark.line
    default:
      return nil
    }
  }

  fileprivate var problem: String {
    switch self {
    case .scanner(_, let problem, _, _), .parser(_, let problem, _, _),
      .composer(_, let problem, _, _):
      return problem
    case .reader(let problem, _, _, _):
      return problem
    default:
      return "\(self)"
    }
  }
}

/// Walks the YAML node tree, keeping each node's line for messages.
private struct SchemaReader {
  let file: String

  func fail(_ node: Node?, _ message: String) -> SchemaError {
    SchemaError(file: file, line: node?.mark?.line, message: message)
  }

  func mapping(_ node: Node, _ what: String, allowed: [String]) throws(SchemaError) -> [String:
    Node]
  {
    guard case .mapping(let mapping) = node else {
      throw fail(node, "\(what) must be a mapping of keys to values")
    }
    var result: [String: Node] = [:]
    for (keyNode, value) in mapping {
      guard case .scalar(let key) = keyNode else { throw fail(keyNode, "keys must be plain words") }
      guard allowed.contains(key.string) else {
        let hint =
          Suggestion.closest(to: key.string, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
        throw fail(
          keyNode,
          "unknown key '\(key.string)' in \(what)\(hint) (allowed: \(allowed.joined(separator: ", ")))"
        )
      }
      result[key.string] = value
    }
    return result
  }

  func string(_ node: Node?, _ what: String, in parent: Node) throws(SchemaError) -> String {
    guard let node else { throw fail(parent, "missing '\(what)'") }
    guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
      throw fail(node, "'\(what)' must be a non-empty text")
    }
    try refuseControlCharacters(scalar.string, what, node)
    return scalar.string
  }

  /// Labels and fields name files in exports (hf configs), where a name stays short enough
  /// for any file system once encoded.
  func refuseLongName(_ name: String, _ what: String, _ node: Node?) throws(SchemaError) {
    if name.utf8.count > LabelSchema.maximumNameBytes {
      throw fail(
        node,
        "\(what) '\(name.prefix(20))…' is longer than \(LabelSchema.maximumNameBytes) bytes in UTF-8; shorten it"
      )
    }
  }

  /// Names and values are typed, shown and written into exports: no control characters.
  func refuseControlCharacters(_ text: String, _ what: String, _ node: Node) throws(SchemaError) {
    if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      throw fail(
        node, "'\(what)' must not contain control characters (\(AnnotationSet.quoted(text)))")
    }
  }

  func optionalString(_ node: Node?, _ what: String) throws(SchemaError) -> String? {
    guard let node else { return nil }
    guard case .scalar(let scalar) = node else { throw fail(node, "'\(what)' must be a text") }
    return scalar.string
  }

  func strings(_ node: Node?, _ what: String, in parent: Node, allowEmpty: Bool = false)
    throws(SchemaError) -> [String]
  {
    guard let node else { throw fail(parent, "missing '\(what)'") }
    guard case .sequence(let sequence) = node else {
      throw fail(node, "'\(what)' must be a list, e.g. [a, b, c]")
    }
    var values: [String] = []
    for item in sequence {
      guard case .scalar(let scalar) = item, !scalar.string.isEmpty else {
        throw fail(item, "each entry of '\(what)' must be a non-empty text")
      }
      try refuseControlCharacters(scalar.string, what, item)
      if values.contains(scalar.string) {
        throw fail(item, "'\(scalar.string)' appears twice in '\(what)'")
      }
      values.append(scalar.string)
    }
    if values.isEmpty && !allowEmpty { throw fail(node, "'\(what)' must not be empty") }
    return values
  }

  func sequence(_ node: Node?, _ what: String, in parent: Node) throws(SchemaError) -> [Node] {
    guard let node else { throw fail(parent, "missing '\(what)'") }
    guard case .sequence(let sequence) = node else { throw fail(node, "'\(what)' must be a list") }
    return Array(sequence)
  }

  mutating func schema(_ root: Node) throws(SchemaError) -> LabelSchema {
    let top = try mapping(
      root, "the schema",
      allowed: [
        "schema", "version", "guidelines", "entities", "allow_several_labels_per_span",
        "sentiment", "stance", "fields", "study",
      ])
    let name = try string(top["schema"], "schema", in: root)
    let versionText = try string(top["version"], "version", in: root)
    guard let version = Int(versionText), version > 0 else {
      throw fail(top["version"], "'version' must be a positive whole number, not '\(versionText)'")
    }
    let entityNodes = try sequence(top["entities"], "entities", in: root)
    var entityLabels: [EntityLabel] = []
    var keys: [String: String] = [:]
    for node in entityNodes {
      let entry = try mapping(
        node, "an entity label", allowed: ["name", "description", "key", "color", "guideline"])
      let labelName = try string(entry["name"], "name", in: node)
      guard LabelSchema.isPlainName(labelName) else {
        throw fail(
          entry["name"], "entity label '\(labelName)' may use only letters, digits, '_' and '-'")
      }
      try refuseLongName(labelName, "entity label", entry["name"])
      if entityLabels.contains(where: { $0.name == labelName }) {
        throw fail(entry["name"], "entity label '\(labelName)' is declared twice")
      }
      let key = try optionalString(entry["key"], "key")
      if let key {
        guard key.count == 1 else {
          throw fail(entry["key"], "'key' must be one character, not '\(key)'")
        }
        if let other = keys[key] {
          throw fail(entry["key"], "key '\(key)' is already used by \(other)")
        }
        keys[key] = labelName
      }
      let color = try optionalString(entry["color"], "color")
      if let color, !LabelSchema.colorNames.contains(color) {
        let hint =
          Suggestion.closest(to: color, in: LabelSchema.colorNames).map { "did you mean '\($0)'? " }
          ?? ""
        throw fail(
          entry["color"],
          "unknown colour '\(color)'; \(hint)use one of \(LabelSchema.colorNames.joined(separator: ", "))"
        )
      }
      entityLabels.append(
        EntityLabel(
          name: labelName,
          description: try optionalString(entry["description"], "description") ?? "",
          key: key, color: color, guideline: try optionalString(entry["guideline"], "guideline")))
    }
    if entityLabels.isEmpty {
      throw fail(top["entities"], "'entities' must declare at least one label")
    }
    let allowsSeveralLabels = try flag(
      top["allow_several_labels_per_span"], "allow_several_labels_per_span", default: true)

    guard let sentimentNode = top["sentiment"] else { throw fail(root, "missing 'sentiment'") }
    let sentimentEntry = try mapping(
      sentimentNode, "sentiment", allowed: ["values", "guideline", "span_guideline"])
    let sentiment = SentimentScale(
      values: try strings(sentimentEntry["values"], "values", in: sentimentNode),
      guideline: try optionalString(sentimentEntry["guideline"], "guideline"),
      spanGuideline: try optionalString(sentimentEntry["span_guideline"], "span_guideline"))

    guard let stanceNode = top["stance"] else { throw fail(root, "missing 'stance'") }
    let stanceEntry = try mapping(
      stanceNode, "stance",
      allowed: ["values", "targets", "allow_ad_hoc_targets", "ad_hoc_targets", "guideline"])
    var targets: [StanceTarget] = []
    var targetNames: Set<String> = []
    let targetNodes =
      try stanceEntry["targets"].map { (n) throws(SchemaError) in
        try sequence(n, "targets", in: stanceNode)
      } ?? []
    for node in targetNodes {
      let entry = try mapping(node, "a stance target", allowed: ["name", "aliases"])
      let targetName = try string(entry["name"], "name", in: node)
      let aliases =
        try entry["aliases"].map { (n) throws(SchemaError) in
          try strings(n, "aliases", in: node, allowEmpty: true)
        } ?? []
      for alias in [targetName] + aliases {
        guard targetNames.insert(LabelSchema.stanceTargetKey(alias)).inserted else {
          throw fail(
            node,
            "stance target name or alias '\(alias)' is used twice (names compare without case or a leading article)"
          )
        }
      }
      targets.append(StanceTarget(name: targetName, aliases: aliases))
    }
    var admitted: [String] = []
    if let admittedNode = stanceEntry["ad_hoc_targets"] {
      admitted = try strings(admittedNode, "ad_hoc_targets", in: stanceNode, allowEmpty: true)
      let items: [Node] = {
        if case .sequence(let sequence) = admittedNode { return Array(sequence) }
        return []
      }()
      for (index, name) in admitted.enumerated() {
        let node = index < items.count ? items[index] : admittedNode
        guard !name.unicodeScalars.contains("\u{0}") else {
          throw fail(node, "ad-hoc target '\(name)' contains U+0000 (NUL)")
        }
        guard targetNames.insert(LabelSchema.stanceTargetKey(name)).inserted else {
          throw fail(
            node,
            "ad-hoc target '\(name)' is already a target, an alias or another ad-hoc target (names compare without case or a leading article)"
          )
        }
      }
    }
    let allowsAdHoc = try flag(
      stanceEntry["allow_ad_hoc_targets"], "allow_ad_hoc_targets", default: true)
    if !allowsAdHoc && targets.isEmpty && admitted.isEmpty {
      throw fail(
        stanceNode,
        "ad-hoc targets are off, so 'targets' or 'ad_hoc_targets' must name at least one target")
    }
    let stance = StanceScheme(
      values: try strings(stanceEntry["values"], "values", in: stanceNode), targets: targets,
      allowsAdHocTargets: allowsAdHoc, admittedTargets: admitted,
      guideline: try optionalString(stanceEntry["guideline"], "guideline"))

    var fields: [DocumentField] = []
    let fieldNodes =
      try top["fields"].map { (n) throws(SchemaError) in try sequence(n, "fields", in: root) } ?? []
    for node in fieldNodes {
      let entry = try mapping(
        node, "a document field",
        allowed: ["name", "description", "level", "values", "multiple", "guideline"])
      let fieldName = try string(entry["name"], "name", in: node)
      // NB: a field name names a command argument, a CSV column and an hf config folder.
      guard LabelSchema.isPlainName(fieldName) else {
        throw fail(
          entry["name"], "field name '\(fieldName)' may use only letters, digits, '_' and '-'")
      }
      try refuseLongName(fieldName, "field name", entry["name"])
      if LabelSchema.reservedFieldNames.contains(fieldName) {
        throw fail(entry["name"], "'\(fieldName)' is reserved; give the field another name")
      }
      if fields.contains(where: { $0.name == fieldName }) {
        throw fail(entry["name"], "field '\(fieldName)' is declared twice")
      }
      let levelText = try string(entry["level"], "level", in: node)
      guard let level = DocumentField.Level(rawValue: levelText) else {
        throw fail(
          entry["level"], "unknown level '\(levelText)'; use nominal, ordinal, interval or ratio")
      }
      let values = try strings(entry["values"], "values", in: node)
      if level.isNumeric {
        for (index, value) in values.enumerated() where Double(value) == nil {
          let valueNode: Node? = {
            if case .sequence(let seq) = entry["values"] { return Array(seq)[index] }
            return entry["values"]
          }()
          throw fail(
            valueNode, "\(level.rawValue) field '\(fieldName)' needs numeric values, not '\(value)'"
          )
        }
      }
      let isMultiple = try flag(entry["multiple"], "multiple", default: false)
      if isMultiple && level != .nominal {
        throw fail(
          entry["multiple"],
          "field '\(fieldName)' is multiple, so its values are compared as sets of names: give it level: nominal, not \(level.rawValue)"
        )
      }
      fields.append(
        DocumentField(
          name: fieldName,
          description: try optionalString(entry["description"], "description") ?? "",
          level: level, values: values,
          guideline: try optionalString(entry["guideline"], "guideline"), isMultiple: isMultiple))
    }
    var schema = LabelSchema(
      name: name, version: version, guideline: try optionalString(top["guidelines"], "guidelines"),
      entityLabels: entityLabels, sentiment: sentiment, stance: stance, fields: fields,
      allowsSeveralLabelsPerSpan: allowsSeveralLabels)
    if let studyNode = top["study"] {
      schema.study = try study(studyNode)
    }
    return schema
  }

  /// `study: {blind: true, suggestions: own}`: how a team's annotators work.
  func study(_ node: Node) throws(SchemaError) -> StudySettings {
    let entry = try mapping(node, "study", allowed: ["blind", "suggestions"])
    var settings = StudySettings()
    settings.isBlind = try flag(entry["blind"], "blind", default: true)
    if let sharingNode = entry["suggestions"] {
      let text = try string(sharingNode, "suggestions", in: node)
      guard let sharing = StudySettings.SuggestionSharing(rawValue: text) else {
        throw fail(sharingNode, "'suggestions' must be own or shared, not '\(text)'")
      }
      settings.suggestions = sharing
    }
    return settings
  }

  func flag(_ node: Node?, _ what: String, default value: Bool) throws(SchemaError) -> Bool {
    guard let node else { return value }
    switch try optionalString(node, what) {
    case "true", "yes": return true
    case "false", "no": return false
    default: throw fail(node, "'\(what)' must be true or false")
    }
  }
}
