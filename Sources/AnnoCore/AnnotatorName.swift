/// The rules for annotator names, wherever they come from: `--annotator`, `$ANNO_ANNOTATOR`,
/// the login name, or an imported record's `annotator`.
///
/// A name is stored, shown in prompts and reports, and becomes a folder name in brat exports,
/// so it must be something a person can read and type: not blank, no whitespace at either
/// end (`ann1` and `ann1 ` would be two annotators nobody can tell apart), no control
/// characters, at most 200 characters.
public enum AnnotatorName {
  /// The reserved name of the adjudicated version, written only by adjudication.
  public static let gold = "gold"

  /// The longest name accepted, in Unicode scalars.
  public static let maximumLength = 200

  /// What is wrong with `name`, as a sentence that goes after "annotator name '...' ";
  /// `nil` when it is a valid name.
  public static func problem(_ name: String) -> String? {
    let scalars = name.unicodeScalars
    guard let first = scalars.first, let last = scalars.last else { return "is empty" }
    if scalars.allSatisfy(\.properties.isWhitespace) { return "is blank" }
    if first.properties.isWhitespace || last.properties.isWhitespace {
      return "starts or ends with whitespace"
    }
    if scalars.contains(where: { $0.properties.generalCategory == .control }) {
      return "contains a control character"
    }
    if scalars.count > maximumLength { return "is longer than \(maximumLength) characters" }
    return nil
  }

  /// Checks a name, returning the message to show when it is invalid.
  public static func validationMessage(_ name: String) -> String? {
    problem(name).map { "annotator name \(AnnotationSet.quoted(name)) \($0)" }
  }

  /// The message for annotating as `gold`, which only adjudication writes.
  public static let goldRefusal =
    "'gold' is the adjudicated version: only 'anno adjudicate' and reviewers in review mode write it; annotate under your own name (--annotator NAME)"
}
