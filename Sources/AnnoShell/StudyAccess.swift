import AnnoCore
import AnnoStore

/// Who the user is in the study, and what they may see of colleagues' work.
///
/// Without a team (`anno team add`) nobody has a role and nothing is hidden. With one, an
/// annotator — or a name the team does not list — works blind unless the schema says
/// `study: {blind: false}`: another annotator's labels and the gold version of a document stay
/// hidden until they mark it done. Reviewers and managers see everything.
package struct StudyAccess {
  /// The user's name (`--annotator`, `$ANNO_ANNOTATOR` or the login name).
  package var name: String
  /// Their role, or `nil` when the team does not list them.
  package var role: TeamRole?
  /// Whether a team is set up.
  package var hasTeam: Bool
  /// The schema's `study:` settings.
  package var settings: StudySettings
  /// Whether a name the team does not list works blind (in the shell) or sees everything (on
  /// the command line, where the name defaults to the login name of whoever runs the study).
  package var blindsUnlisted: Bool

  /// The access of the session's user, read afresh (the team may change between commands).
  ///
  /// - Parameters:
  ///   - unlistedWorkBlind: whether a name the team does not list works blind: in the shell it
  ///     does; a command run from argv is blind only for a name the team lists as an
  ///     annotator.
  package init(session: any AnnotationSession, unlistedWorkBlind: Bool = true) throws {
    name = session.annotator
    role = try session.store.teamRole(of: name)
    hasTeam = try role != nil || session.store.hasTeam()
    settings = session.schema.study
    blindsUnlisted = unlistedWorkBlind
  }

  /// Whether colleagues' labels are hidden from this user on documents they have not finished.
  package var isBlind: Bool {
    guard hasTeam && settings.isBlind else { return false }
    guard let role else { return blindsUnlisted }
    return !role.seesEverything
  }

  /// Whether messages may name the annotators in the database (a did-you-mean, a list of
  /// known names): not in a blind study, except to a reviewer or manager.
  package var mayListAnnotators: Bool {
    !(hasTeam && settings.isBlind) || (role?.seesEverything ?? false)
  }

  /// Whether this user may see other annotators' labels and the gold version of a document.
  package func mayReadOthers(on documentID: DocumentID, store: Store) throws -> Bool {
    try !isBlind || store.hasFinished(documentID: documentID, annotator: name)
  }

  /// Refuses `what` (which would show colleagues' labels on the document) until the user
  /// finished it.
  package func requireFinished(
    _ documentID: DocumentID, externalID: ExternalID, store: Store, for what: String
  )
    throws
  {
    guard try !mayReadOthers(on: documentID, store: store) else { return }
    throw ShellError(
      "blind study: \(what) shows other annotators' labels, which you see on "
        + "\(AnnotationSet.quoted(externalID.rawValue)) only after you finish it ('done'); "
        + "a reviewer or manager can look now")
  }

  /// Refuses `what` (which shows colleagues' labels across the corpus) to a blind annotator.
  package func requireSeesEverything(_ what: String, instead: String) throws {
    guard isBlind else { return }
    throw ShellError(
      "blind study: \(what) shows other annotators' labels and the gold version, which "
        + "\(roleDescription)s do not see; \(instead)")
  }

  /// `annotator`, `reviewer`, `manager`, or `annotator (not in the team)`.
  package var roleDescription: String { role?.rawValue ?? "annotator" }

  /// How the shell states the mode in force, e.g. `blind study: you are an annotator; …`.
  package var modeDescription: String {
    guard hasTeam else {
      return
        "no team: every annotator can see every label ('anno team add NAME --role annotator' starts a blind study)"
    }
    let who =
      role.map { "you are \($0 == .annotator ? "an" : "a") \($0.rawValue)" }
      ?? "you are not in the team, so you work as an annotator"
    if !settings.isBlind {
      return "open study (study.blind: false): \(who); everyone sees every label"
    }
    if isBlind {
      let suggestions =
        settings.suggestions == .shared
        ? "suggestions learn from the team, except on documents others code too"
        : "suggestions learn from your own labels and the gold version of other documents"
      return
        "blind study: \(who); colleagues' labels and the gold version stay hidden on a document until you finish it; \(suggestions)"
    }
    return "blind study: \(who) and see every annotator's labels"
  }

  /// The short mark the prompt carries: `blind`, or nothing.
  package var promptMark: String? { isBlind ? "blind" : nil }

  /// Where learned suggestions on `documentID` may come from.
  package func learningScope(on documentID: DocumentID, store: Store) throws -> LearningScope {
    guard isBlind else { return .team }
    if settings.suggestions == .shared,
      try store.otherAnnotators(on: documentID, than: name).isEmpty
    {
      return .shared(documentID)
    }
    return .own(documentID)
  }
}

/// The labels a learned gazetteer reads.
package enum LearningScope: Hashable {
  /// Every annotator's (no blindness).
  case team
  /// The user's own, and the gold version of every other document.
  case own(DocumentID)
  /// Everyone's, except others' labels on this document.
  case shared(DocumentID)
}
