import AnnoCore
import AnnoStore

/// Which sources suggestions come from.
enum SuggestionSource: String, CaseIterable {
  case patterns, learned, all
}

/// Builds the suggestion engine from the store: the loaded pattern file and the gazetteer
/// learned from the team's labels.
enum SuggestionProvider {
  /// The engine for a source, or `nil` when there is nothing to suggest from.
  ///
  /// - Parameter excluded: an annotator whose labels the learned gazetteer leaves out.
  static func engine(store: Store, schema: LabelSchema, source: SuggestionSource, excluding excluded: String? = nil) throws
    -> SuggestionEngine?
  {
    var matcher: PatternMatcher?
    if source != .learned {
      let stored = try store.patterns()
      if !stored.isEmpty {
        // Stored lines were valid when loaded; lines the schema no longer allows are dropped.
        var patterns: [EntityPattern] = []
        for line in stored {
          if let parsed = try? EntityPattern.parseJSONLines(line.json, file: line.file, schema: schema) {
            patterns += parsed.map { pattern in
              var pattern = pattern
              pattern.line = line.line
              return pattern
            }
          }
        }
        matcher = PatternMatcher(patterns: patterns)
      }
    }
    var gazetteer: Gazetteer?
    if source != .patterns {
      let entries = try store.learnedEntries(excluding: excluded)
      if !entries.isEmpty { gazetteer = Gazetteer(entries: entries) }
    }
    guard matcher != nil || gazetteer != nil else { return nil }
    return SuggestionEngine(patterns: matcher, gazetteer: gazetteer)
  }

  /// Where an accepted suggestion came from, as stored with the annotation.
  static func origin(of suggestion: SpanSuggestion) -> String {
    switch suggestion.source {
    case .pattern(let id, let index): return "pattern:" + (id ?? "#\(index + 1)")
    case .learned: return "learned"
    }
  }

  /// A short description of the source for `show` and `show suggestions`.
  static func describe(_ suggestion: SpanSuggestion) -> String {
    switch suggestion.source {
    case .pattern(let id, let index): return "pattern " + (id ?? "#\(index + 1)")
    case .learned(let distribution):
      return "learned " + distribution.entries.map { "\($0.label) \($0.count)" }.joined(separator: ", ")
    }
  }
}
