import AnnoCore
import AnnoStore

/// Which sources suggestions come from.
public enum SuggestionSource: String, CaseIterable, Sendable {
  case patterns, learned, all
}

/// Builds the suggestion engine from the store: the loaded pattern file and the gazetteer
/// learned from the team's labels.
public enum SuggestionProvider {
  /// The engine for a source, or `nil` when there is nothing to suggest from.
  ///
  /// - Parameter excluded: an annotator whose labels the learned gazetteer leaves out.
  public static func engine(
    store: Store, schema: LabelSchema, source: SuggestionSource, excluding excluded: String? = nil
  ) throws
    -> SuggestionEngine?
  {
    let matcher = source == .learned ? nil : try patternMatcher(store: store, schema: schema)
    let gazetteer =
      source == .patterns ? nil : try learnedGazetteer(store: store, excluding: excluded)
    guard matcher != nil || gazetteer != nil else { return nil }
    return SuggestionEngine(patterns: matcher, gazetteer: gazetteer)
  }

  /// The matcher of the stored patterns, or `nil` when none are loaded.
  public static func patternMatcher(store: Store, schema: LabelSchema) throws -> PatternMatcher? {
    let stored = try store.patterns()
    guard !stored.isEmpty else { return nil }
    // Stored lines were valid when loaded; lines the schema no longer allows are dropped.
    var patterns: [EntityPattern] = []
    for line in stored {
      if let parsed = try? EntityPattern.parseJSONLines(line.json, file: line.file, schema: schema)
      {
        patterns += parsed.map { pattern in
          var pattern = pattern
          pattern.line = line.line
          return pattern
        }
      }
    }
    return PatternMatcher(patterns: patterns)
  }

  /// The gazetteer learned from the team's labels, or `nil` when nobody labelled anything.
  public static func learnedGazetteer(store: Store, excluding excluded: String? = nil) throws
    -> Gazetteer?
  {
    let entries = try store.learnedEntries(excluding: excluded)
    return entries.isEmpty ? nil : Gazetteer(entries: entries)
  }

  /// Where an accepted suggestion came from, as stored with the annotation.
  public static func origin(of suggestion: SpanSuggestion) -> String {
    switch suggestion.source {
    case .pattern(let id, let index): return "pattern:" + (id ?? "#\(index + 1)")
    case .learned: return "learned"
    }
  }

  /// A short description of the source for `show` and `show suggestions`.
  public static func describe(_ suggestion: SpanSuggestion) -> String {
    switch suggestion.source {
    case .pattern(let id, let index): return "pattern " + (id ?? "#\(index + 1)")
    case .learned(let distribution):
      return "learned "
        + distribution.entries.map { "\($0.label) \($0.count)" }.joined(separator: ", ")
    }
  }
}
