import AnnoCore

/// How agreement counts a document-level stance an annotator did not record.
///
/// The guidelines (after SemEval-2016 Task 6) record a stance only when the text takes a
/// position, so on a document an annotator finished with the stance layer considered, no
/// record toward a target is an answer: `none`, no position. It is compared like any value.
/// On a document not finished (or from a set that leaves stance out) it stays missing.
/// Anchored stances are spans, and a missing one already counts like a missing span.
enum NoStance {
  /// The category an absent record counts as.
  static let category = "none"

  /// The categories of a `stance:TARGET` section: the schema's values, and `none` unless the
  /// schema declares it itself.
  static func categories(_ schema: LabelSchema) -> [String] {
    schema.stance.values.contains(category)
      ? schema.stance.values : schema.stance.values + [category]
  }

  /// Whether an absent document-level record in `set` counts as `none`.
  static func counts(in set: AnnotationSet) -> Bool {
    set.status == .done && set.stances != nil
  }

  /// What the report says about absent records, once per report with a stance section.
  static let note =
    "stance: where one annotator recorded a document-level stance toward a target, another who finished the document without one counts as 'none' (no position); anchored stances count like spans"
}
