import AnnoCore
import AnnoShell
import AnnoStore

/// Names given on the command line that would otherwise select nothing without a word: each
/// is an error that says what is there, with the closest name.
extension AnnotationSession {
  /// Refuses `name` unless someone by that name has labels in the database.
  ///
  /// In a blind study the error names nobody else (no did-you-mean) unless the user is a
  /// reviewer or manager: who else labels the corpus is not an annotator's to see.
  func checkAnnotator(_ name: String) throws {
    let names = try store.annotatorNames()
    guard !names.contains(name) else { return }
    if names.isEmpty {
      throw CommandFailure("unknown annotator '\(name)': nobody has labels in this database yet")
    }
    guard try StudyAccess(session: self).mayListAnnotators else {
      throw CommandFailure(
        "unknown annotator '\(name)': '\(name)' has no labels in this database yet")
    }
    throw CommandFailure(AnnotationSet.unknown("annotator", name, names))
  }
}

extension Session {
  /// The study access of a command run from argv: blind for a name the team lists as an
  /// annotator (given by `--annotator` or `$ANNO_ANNOTATOR`), as in the shell; a name the
  /// team does not list (by default the login name of whoever runs the study) sees everything.
  func commandLineAccess() throws -> StudyAccess {
    try StudyAccess(session: self, unlistedWorkBlind: false)
  }

  /// Refuses `what` (a command that shows colleagues' labels or the gold version across the
  /// corpus) to a user working blind.
  func requireSeesEverything(_ what: String) throws {
    try commandLineAccess().requireSeesEverything(
      what, instead: "a reviewer or manager runs it ('anno team list' shows who)")
  }
}

extension CommandPlace {
  /// The user's study access: the shell's, or on the command line that of the global
  /// annotator, blind only for a name the team lists as an annotator.
  func access(of session: any AnnotationSession) throws -> StudyAccess {
    switch self {
    case .commandLine: try StudyAccess(session: session, unlistedWorkBlind: false)
    case .shell(let context): try context.access()
    }
  }
}
