import AnnoCore
import AnnoStore

/// What an agreement or gold report covers: the annotators, sections, labels, documents and
/// statuses compared, and the bootstrap. `anno agree` parses it from its options.
public struct ReportOptions: Sendable {
  /// The annotators to compare (default: everyone who finished a document someone else also
  /// finished).
  public var annotators: [String]?
  /// The sections to report (default: all).
  public var fields: [String]?
  /// The entity labels span measures are restricted to (default: all).
  public var labels: [String]?
  /// The statuses of the annotation sets compared; `nil` for every status.
  public var statuses: Set<DocumentStatus>?
  /// Only documents whose id matches this glob.
  public var documentPattern: String?
  /// Only these documents (external ids), such as a study's overlap set; `nil` for all.
  public var documents: Set<String>?
  /// Bootstrap replicates over documents (0: none).
  public var bootstrap: Int
  /// The seed of the bootstrap's random generator.
  public var seed: UInt64

  /// Creates options; the defaults are every section of every annotator on done sets, no
  /// bootstrap.
  public init(
    annotators: [String]? = nil, fields: [String]? = nil, labels: [String]? = nil,
    statuses: Set<DocumentStatus>? = [.done], documentPattern: String? = nil, bootstrap: Int = 0,
    seed: UInt64 = 0
  ) {
    self.annotators = annotators
    self.fields = fields
    self.labels = labels
    self.statuses = statuses
    self.documentPattern = documentPattern
    self.bootstrap = bootstrap
    self.seed = seed
  }
}

/// The output formats of the agreement report.
public enum AgreementFormat: String, CaseIterable, Sendable {
  case text, markdown, json, html
}

/// Names that would otherwise select nothing without a word: each is an error that says what
/// is there, with the closest name.
extension ReportOptions {
  /// Refuses a `--fields stance:TARGET` (or `stance_anchored:TARGET`) whose target neither the
  /// schema declares nor any annotation uses, and a `--docs` pattern no document id matches.
  public func checkSelection(store: Store, schema: LabelSchema) throws {
    var targets: StanceTargets?
    for name in fields ?? [] {
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
      guard try store.document(externalID: ExternalID(pattern)) == nil else { return }
      let near = try store.documentIDs(withPrefix: String(pattern.prefix(1)), limit: 500).map(
        \.rawValue)
      throw AgreementError.noDocumentMatches(
        pattern, closest: Suggestion.closest(to: pattern, in: near))
    }
    let glob = DocumentGlob(pattern)
    let candidates = try store.documentIDs(withPrefix: literal, limit: documentScanLimit).map(
      \.rawValue)
    // Past the limit, the pattern may still match further on: it is not refused.
    if candidates.count < documentScanLimit && !candidates.contains(where: glob.matches) {
      throw AgreementError.noDocumentMatches(pattern, closest: nil)
    }
  }
}
