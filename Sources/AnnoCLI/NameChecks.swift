import AnnoCore
import AnnoShell
import AnnoStore

/// Names given on the command line that would otherwise select nothing without a word: each
/// is an error that says what is there, with the closest name.
extension AnnotationSession {
  /// Refuses `name` unless someone by that name has labels in the database.
  func checkAnnotator(_ name: String) throws {
    let names = try store.annotatorNames()
    guard !names.contains(name) else { return }
    throw CommandFailure(
      names.isEmpty
        ? "unknown annotator '\(name)': nobody has labels in this database yet"
        : AnnotationSet.unknown("annotator", name, names))
  }
}
