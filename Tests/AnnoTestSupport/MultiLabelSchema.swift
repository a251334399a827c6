import AnnoCore

/// The bundled schema with `topic` declared `multiple: true`: a set-valued field for tests.
public enum MultiLabelSchema {
  /// The schema's YAML.
  public static let yaml: String = BundledGuidelines.schemaYAML.replacingOccurrences(
    of: "    level: nominal\n    values: [diplomacy",
    with: "    level: nominal\n    multiple: true\n    values: [diplomacy")

  /// The parsed schema.
  public static func schema() throws -> LabelSchema { try LabelSchema(yaml: yaml) }
}
