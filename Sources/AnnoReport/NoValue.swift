import AnnoCore

/// How agreement counts a single-valued field annotated with no value (the annotator looked
/// and chose none: `AnnotationSet.noValueFields`).
///
/// Krippendorff's α takes the values of a variable to be exhaustive and mutually exclusive
/// (Krippendorff 2004, *Content Analysis*); an answer of "none of these", given after looking,
/// is one of the answers a coder can give, a judgment like any value, not a missing datum. On
/// a nominal field it is therefore a category of its own, compared like any value. On an
/// ordinal, interval or ratio field it is no point of the scale, and it counts as missing.
enum NoValue {
  /// The category name (in parentheses, so that no declared value is taken for it).
  static let category = "(no value)"

  /// The categories of a single-valued field's section: the declared values, and `(no value)`
  /// when the field is nominal and some annotator answered it with no value.
  static func categories(_ field: DocumentField, answered: Set<String>) -> [String] {
    counts(field) && answered.contains(field.name) ? field.values + [category] : field.values
  }

  /// Whether a no-value answer on `field` is a category (nominal fields) rather than missing.
  static func counts(_ field: DocumentField) -> Bool { field.level == .nominal }

  /// What the report says, once, when some field was answered with no value.
  static func note(fields: [DocumentField]) -> String {
    let nominal = fields.filter(counts).map(\.name)
    let scaled = fields.filter { !counts($0) }.map(\.name)
    var parts: [String] = []
    if !nominal.isEmpty {
      parts.append(
        "\(nominal.joined(separator: ", ")): an answer of no value (the annotator looked and chose none) is the category '\(category)', compared like any value"
      )
    }
    if !scaled.isEmpty {
      parts.append(
        "\(scaled.joined(separator: ", ")): an answer of no value is no point of the scale and counts as missing"
      )
    }
    return parts.joined(separator: "; ")
  }
}
