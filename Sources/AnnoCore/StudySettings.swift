/// How a team works on a corpus, from the schema's `study:` block.
///
/// A study is blind unless it says otherwise: an annotator does not see a colleague's labels,
/// or the gold version, of a document before finishing it.
public struct StudySettings: Hashable, Sendable {
  /// Where learned suggestions come from.
  public enum SuggestionSharing: String, Hashable, Sendable, CaseIterable {
    /// The annotator's own labels and gold decisions on other documents.
    case own
    /// Every annotator's labels too, except on documents coded by more than one annotator.
    case shared
  }

  /// `blind: true` (the default): annotators work blind to each other.
  public var isBlind = true
  /// `suggestions: own` (the default) or `shared`.
  public var suggestions = SuggestionSharing.own

  /// The defaults: blind, suggestions from one's own labels.
  public init() {}
}

/// What a member of a team does.
public enum TeamRole: String, Hashable, Sendable, CaseIterable, Comparable {
  /// Labels documents; counted in agreement, statistics and assignment; works blind.
  case annotator
  /// Adjudicates (writes the gold version); sees everything; never counted as an annotator.
  case reviewer
  /// Runs the study; sees everything; never counted as an annotator.
  case manager

  /// Whether the role sees every annotator's labels and the gold version.
  public var seesEverything: Bool { self != .annotator }

  public static func < (a: TeamRole, b: TeamRole) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}
