import AnnoCore
import AnnoStore

/// Names given on the command line that would otherwise select nothing without a word: each
/// is an error that says what is there, with the closest name.
extension Session {
  /// Refuses `name` unless someone by that name has labels in the database.
  func checkAnnotator(_ name: String) throws {
    let names = try store.annotatorNames()
    guard !names.contains(name) else { return }
    throw CLIError.message(
      names.isEmpty
        ? "unknown annotator '\(name)': nobody has labels in this database yet"
        : AnnotationSet.unknown("annotator", name, names))
  }
}

extension AgreementOptions {
  /// Refuses a `--fields stance:TARGET` (or `stance_anchored:TARGET`) whose target neither the
  /// schema declares nor any annotation uses, and a `--docs` pattern no document id matches.
  func checkSelection(store: Store, schema: LabelSchema) throws {
    var targets: StanceTargets?
    for name in fields?.names ?? [] {
      guard let colon = name.firstIndex(of: ":"),
        ["stance", "stance_anchored"].contains(String(name[..<colon]))
      else { continue }
      let target = String(name[name.index(after: colon)...])
      let known =
        try targets
        ?? StanceTargets(schema: schema, inUse: store.stanceTargetsInUse().map(\.target))
      targets = known
      guard (try? known.resolve(target, creating: false)) == nil else { continue }
      throw AgreementError.unknownTarget(
        target,
        known: schema.stance.targets.flatMap { [$0.name] + $0.aliases }
          + schema.stance.admittedTargets + known.inUse)
    }
    if let documentPattern { try Self.checkDocuments(documentPattern, store: store) }
  }

  /// How many ids sharing a pattern's literal beginning are looked at for a match.
  static let documentScanLimit = 10_000

  static func checkDocuments(_ pattern: String, store: Store) throws {
    let wildcards: Set<Character> = ["*", "?", "[", "\\"]
    let literal = String(pattern.prefix { !wildcards.contains($0) })
    if literal == pattern {
      guard try store.document(externalID: pattern) == nil else { return }
      let near = try store.documentIDs(withPrefix: String(pattern.prefix(1)), limit: 500)
      throw AgreementError.noDocumentMatches(
        pattern, closest: Suggestion.closest(to: pattern, in: near))
    }
    let glob = DocumentGlob(pattern)
    let candidates = try store.documentIDs(withPrefix: literal, limit: documentScanLimit)
    // Past the limit, the pattern may still match further on: it is not refused.
    if candidates.count < documentScanLimit && !candidates.contains(where: glob.matches) {
      throw AgreementError.noDocumentMatches(pattern, closest: nil)
    }
  }
}
