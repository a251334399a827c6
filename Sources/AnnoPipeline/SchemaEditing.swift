import AnnoCore
import Foundation

/// Edits of a schema's YAML text that keep the rest of it (comments, order, guidelines) as
/// the user wrote it.
public enum SchemaEditing {
  /// A problem with an edit, to show as is.
  public struct Failure: Error, LocalizedError, CustomStringConvertible {
    /// The message.
    public var description: String
    /// The message, for `localizedDescription`.
    public var errorDescription: String? { description }
  }

  /// The schema with entity labels added at the end of its `entities:` list, and its version
  /// one higher (unless `bumpsVersion` is off).
  public static func addingEntityLabels(
    _ labels: [String], to yaml: String, source: String, bumpsVersion: Bool = true
  ) throws -> String {
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let header = lines.firstIndex(where: { $0.hasPrefix("entities:") }),
      lines[header].trimmingCharacters(in: .whitespaces) == "entities:"
    else {
      throw Failure(
        description:
          "--new-labels needs the schema's 'entities:' as a block list ('entities:' on a line of its own); add the labels by hand and run 'anno schema load'"
      )
    }
    // The entries are the indented lines after the header, up to the next top-level key.
    var end = header + 1
    var indent = "  "
    var foundEntry = false
    while end < lines.count {
      let line = lines[end]
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if !line.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("-"), !trimmed.hasPrefix("#") {
        break
      }
      if !foundEntry, trimmed.hasPrefix("- ") {
        indent = String(line.prefix(while: { $0 == " " }))
        foundEntry = true
      }
      end += 1
    }
    while end > header + 1, lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty {
      end -= 1
    }
    var added: [String] = []
    for label in labels {
      guard LabelSchema.isPlainName(label) else {
        throw Failure(
          description:
            "label '\(label)' cannot be declared: entity labels use only letters, digits, '_' and '-'; rename it with --label-map \(label)=NAME"
        )
      }
      added.append("\(indent)- name: \(label)")
      added.append(
        "\(indent)  description: \"Added by anno import --new-labels (\(source.count > 60 ? "its input" : source)).\""
      )
    }
    lines.insert(contentsOf: added, at: end)
    if bumpsVersion { bumpVersion(&lines) }
    return lines.joined(separator: "\n")
  }

  /// The schema with values added to a document field's `values`, and its version one higher
  /// (unless `bumpsVersion` is off, when an earlier edit raised it already).
  public static func addingFieldValues(
    _ values: [String], to field: String, in yaml: String, bumpsVersion: Bool = true
  ) throws -> String {
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let fields = lines.firstIndex(where: { $0.hasPrefix("fields:") }),
      let entry = lines[(fields + 1)...].firstIndex(where: {
        let trimmed = $0.trimmingCharacters(in: .whitespaces)
        return trimmed == "- name: \(field)" || trimmed.hasPrefix("- name: \(field) ")
      })
    else {
      throw Failure(
        description:
          "--new-labels cannot find field '\(field)' as '- name: \(field)' under 'fields:'; add the values by hand and run 'anno schema load'"
      )
    }
    guard appendValues(values, inBlockAt: entry, of: &lines) else {
      throw Failure(description: "--new-labels cannot find the 'values:' of field '\(field)'")
    }
    if bumpsVersion { bumpVersion(&lines) }
    return lines.joined(separator: "\n")
  }

  /// The schema with values added at the end of the sentiment scale (`sentiment: values:`),
  /// and its version one higher (unless `bumpsVersion` is off).
  public static func addingSentimentValues(
    _ values: [String], in yaml: String, bumpsVersion: Bool = true
  ) throws -> String {
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let entry = lines.firstIndex(where: { $0.hasPrefix("sentiment:") }),
      appendValues(values, inBlockAt: entry, of: &lines)
    else {
      throw Failure(
        description:
          "--new-labels cannot find the sentiment scale as 'values:' under 'sentiment:'; add the values by hand and run 'anno schema load'"
      )
    }
    if bumpsVersion { bumpVersion(&lines) }
    return lines.joined(separator: "\n")
  }

  /// The schema with stance targets declared at the end of `stance: targets:` (which is made
  /// when the schema has none), and its version one higher (unless `bumpsVersion` is off).
  public static func addingStanceTargets(
    _ targets: [String], in yaml: String, bumpsVersion: Bool = true
  ) throws -> String {
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    func indent(_ line: String) -> Int { line.prefix(while: { $0 == " " }).count }
    func isContent(_ line: String) -> Bool {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      return !trimmed.isEmpty && !trimmed.hasPrefix("#")
    }
    guard let stance = lines.firstIndex(where: { $0.hasPrefix("stance:") }) else {
      throw Failure(
        description:
          "--new-labels cannot find 'stance:' in the schema; add the targets by hand and run 'anno schema load'"
      )
    }
    // The stance block: the indented lines after its header.
    var blockEnd = stance + 1
    var lastContent = stance
    while blockEnd < lines.count, !isContent(lines[blockEnd]) || indent(lines[blockEnd]) > 0 {
      if isContent(lines[blockEnd]) { lastContent = blockEnd }
      blockEnd += 1
    }
    let items = targets.map { target in
      "- name: "
        + (LabelSchema.isPlainName(target) ? target : JSONWriter.string(for: .string(target)))
    }
    if let header = lines[(stance + 1)..<blockEnd].firstIndex(where: {
      $0.trimmingCharacters(in: .whitespaces) == "targets:"
    }) {
      let headerIndent = indent(lines[header])
      var itemIndent = String(repeating: " ", count: headerIndent + 2)
      var last = header
      var line = header + 1
      while line < blockEnd {
        let current = lines[line]
        if isContent(current) {
          let trimmed = current.trimmingCharacters(in: .whitespaces)
          if indent(current) > headerIndent
            || (indent(current) == headerIndent && trimmed.hasPrefix("- "))
          {
            if trimmed.hasPrefix("- ") && last == header {
              itemIndent = String(current.prefix(while: { $0 == " " }))
            }
            last = line
          } else {
            break
          }
        }
        line += 1
      }
      lines.insert(contentsOf: items.map { itemIndent + $0 }, at: last + 1)
    } else {
      let keyIndent = lines[(stance + 1)..<blockEnd].first(where: isContent).map(indent) ?? 2
      let pad = String(repeating: " ", count: keyIndent)
      lines.insert(
        contentsOf: [pad + "targets:"] + items.map { pad + "  " + $0 }, at: lastContent + 1)
    }
    if bumpsVersion { bumpVersion(&lines) }
    return lines.joined(separator: "\n")
  }

  /// Appends values to the `values:` list (flow or block) of the entry whose first line is
  /// `entry`; false when the entry has no `values:`.
  private static func appendValues(
    _ values: [String], inBlockAt entry: Int, of lines: inout [String]
  ) -> Bool {
    func indent(_ line: String) -> Int { line.prefix(while: { $0 == " " }).count }
    // NB: a `- name:` entry's keys are indented past its dash; a top-level key's past column 0.
    let entryIndent = indent(lines[entry])
    var line = entry + 1
    while line < lines.count, lines[line].isEmpty || indent(lines[line]) > entryIndent {
      let trimmed = lines[line].trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("values:") {
        let quoted = values.map { value in
          LabelSchema.isPlainName(value) ? value : JSONWriter.string(for: .string(value))
        }
        if let close = lines[line].lastIndex(of: "]"), trimmed.contains("[") {
          let before = lines[line][..<close].trimmingCharacters(in: .whitespaces)
          let separator = before.hasSuffix("[") ? "" : ", "
          lines[line] =
            String(lines[line][..<close]) + separator + quoted.joined(separator: ", ")
            + String(lines[line][close...])
        } else {
          // A block list: the items follow, one per line.
          var last = line + 1
          var itemIndent = String(repeating: " ", count: indent(lines[line]) + 2)
          while last < lines.count,
            lines[last].trimmingCharacters(in: .whitespaces).hasPrefix("- ")
          {
            itemIndent = String(lines[last].prefix(while: { $0 == " " }))
            last += 1
          }
          lines.insert(contentsOf: quoted.map { "\(itemIndent)- \($0)" }, at: last)
        }
        return true
      }
      line += 1
    }
    return false
  }

  /// Raises the `version:` line by one.
  static func bumpVersion(_ lines: inout [String]) {
    if let versionLine = lines.firstIndex(where: { $0.hasPrefix("version:") }),
      let version = Int(
        lines[versionLine].dropFirst("version:".count).trimmingCharacters(in: .whitespaces))
    {
      lines[versionLine] = "version: \(version + 1)"
    }
  }
}

/// What `anno import --new-labels` adds to the schema in force: the entity labels, sentiment
/// values, stance targets and (with `--field`) class values that the input uses and the
/// schema lacks.
public struct SchemaAdditions {
  /// Entity labels to declare.
  public var entityLabels: [String] = []
  /// Values to append to the sentiment scale.
  public var sentimentValues: [String] = []
  /// Stance targets to declare (only when the schema admits no ad-hoc targets; otherwise an
  /// unknown target is imported as an ad-hoc one).
  public var stanceTargets: [String] = []
  /// The field named by `--field` and the class values it lacks.
  public var fieldValues: (field: String, values: [String])?

  /// What `inference` found that `schema` lacks.
  public init(_ inference: SchemaInference, schema: LabelSchema, field: String?) {
    entityLabels = inference.entityLabels.map(\.name).filter {
      schema.entityLabel(named: $0) == nil
    }
    // NB: the classes of a record whose field is not named could be sentiment or a field's
    // values; only `--field` says where they go.
    sentimentValues = inference.sentimentValues.map(\.value).filter {
      !schema.sentiment.values.contains($0)
    }
    if !schema.stance.allowsAdHocTargets {
      let targets = StanceTargets(schema: schema)
      var seen: Set<String> = []
      for (name, _) in inference.stanceTargets {
        guard (try? targets.resolve(name, creating: false)) == nil,
          seen.insert(StanceTargets.key(name)).inserted
        else { continue }
        stanceTargets.append(name)
      }
    }
    if let field, let declared = schema.field(named: field) {
      let values =
        inference.classes.first(where: { $0.field == field })?.values.map(\.value).filter {
          declared.canonicalValue($0) == nil
        } ?? []
      if !values.isEmpty { fieldValues = (field, values) }
    }
  }

  /// Whether there is nothing to add.
  public var isEmpty: Bool {
    entityLabels.isEmpty && sentimentValues.isEmpty && stanceTargets.isEmpty && fieldValues == nil
  }

  /// The schema's YAML with everything added and its version one higher.
  public func applied(to yaml: String, source: String) throws -> String {
    var yaml = yaml
    if !entityLabels.isEmpty {
      yaml = try SchemaEditing.addingEntityLabels(
        entityLabels, to: yaml, source: source, bumpsVersion: false)
    }
    if !sentimentValues.isEmpty {
      yaml = try SchemaEditing.addingSentimentValues(sentimentValues, in: yaml, bumpsVersion: false)
    }
    if !stanceTargets.isEmpty {
      yaml = try SchemaEditing.addingStanceTargets(stanceTargets, in: yaml, bumpsVersion: false)
    }
    if let fieldValues {
      yaml = try SchemaEditing.addingFieldValues(
        fieldValues.values, to: fieldValues.field, in: yaml, bumpsVersion: false)
    }
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    SchemaEditing.bumpVersion(&lines)
    return lines.joined(separator: "\n")
  }

  /// Everything added, as the schema event lists it: `PRODUCT`, `sentiment:mixed`,
  /// `stance target:Greenland`, `topic:shipping`.
  public var items: [String] {
    entityLabels + sentimentValues.map { "sentiment:\($0)" }
      + stanceTargets.map { "stance target:\($0)" }
      + (fieldValues.map { field in field.values.map { "\(field.field):\($0)" } } ?? [])
  }

  /// What the import says it added, one line per kind:
  /// `schema: added entity label PRODUCT (--new-labels)`.
  public var lines: [String] {
    func list(_ what: String, _ names: [String]) -> String? {
      names.isEmpty
        ? nil
        : "schema: added \(what)\(names.count == 1 ? "" : "s") \(names.joined(separator: ", "))"
    }
    var lines: [String] = []
    if let line = list("entity label", entityLabels) { lines.append(line + " (--new-labels)") }
    if let line = list("sentiment value", sentimentValues) {
      lines.append(
        line
          + " at the end of the scale (--new-labels; reorder it in the schema if the scale runs otherwise)"
      )
    }
    if let line = list("stance target", stanceTargets) { lines.append(line + " (--new-labels)") }
    if let fieldValues, let line = list("value", fieldValues.values) {
      lines.append(line + " to field '\(fieldValues.field)' (--new-labels)")
    }
    return lines
  }
}
