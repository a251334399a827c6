import AnnoCore

/// What `anno agree` computes, resolved against the schema: the sections, labels and filters.
public struct AgreementPlan: Sendable {
  /// Which stance targets get a section.
  public enum TargetSelection: Sendable, Hashable {
    case none
    /// Declared targets, and every target seen in the data.
    case all
    /// Only these targets (stored names; compared by `StanceTargets.key`).
    case only(Set<String>)

    func includes(_ target: String) -> Bool {
      switch self {
      case .none: false
      case .all: true
      case .only(let names):
        names.contains(target)
          || names.contains { StanceTargets.key($0) == StanceTargets.key(target) }
      }
    }
  }

  /// The schema the categories come from.
  public var schema: LabelSchema
  /// Document sentiment.
  public var sentiment = false
  /// Document-level stance, one section per target.
  public var stance = TargetSelection.none
  /// Further schema fields, in schema order.
  public var fields: [DocumentField] = []
  /// The single-valued fields some annotator answered with no value (in the store), whose
  /// sections count that answer (see `NoValue`).
  public var noValueFields: Set<String> = []
  /// Entity spans.
  public var entities = false
  /// Span sentiment.
  public var spanSentiment = false
  /// Anchored stance, one section per target.
  public var anchoredStance = TargetSelection.none
  /// The entity labels compared, in declared order.
  public var entityLabels: [String]
  /// Only documents whose id matches.
  public var documentPattern: DocumentGlob?
  /// Only these documents (external ids), when given.
  public var documents: Set<String>?
  /// Bootstrap replicates (0: none) and seed.
  public var replicates: Int
  public var seed: UInt64

  /// Resolves `options` against `schema`.
  ///
  /// - Throws: `AgreementError` for an unknown section or label.
  public init(schema: LabelSchema, options: ReportOptions) throws {
    self.schema = schema
    documentPattern = options.documentPattern.map(DocumentGlob.init)
    documents = options.documents
    replicates = options.bootstrap
    seed = options.seed
    let declared = schema.entityLabels.map(\.name)
    if let wanted = options.labels {
      for label in wanted where !declared.contains(label) {
        throw AgreementError.unknownLabel(label, known: declared)
      }
      entityLabels = declared.filter(wanted.contains)
    } else {
      entityLabels = declared
    }
    guard let names = options.fields else {
      sentiment = true
      stance = .all
      fields = schema.fields
      entities = true
      spanSentiment = true
      anchoredStance = .all
      return
    }
    var stanceTargets: Set<String> = []
    var anchoredTargets: Set<String> = []
    var fieldNames: Set<String> = []
    for name in names {
      switch name {
      case "sentiment": sentiment = true
      case "stance": stance = .all
      case "entities": entities = true
      case "span_sentiment": spanSentiment = true
      case "stance_anchored": anchoredStance = .all
      default:
        if let target = Self.target(in: name, prefix: "stance:", schema: schema) {
          stanceTargets.insert(target)
        } else if let target = Self.target(in: name, prefix: "stance_anchored:", schema: schema) {
          anchoredTargets.insert(target)
        } else if schema.field(named: name) != nil {
          fieldNames.insert(name)
        } else {
          throw AgreementError.unknownSection(name, known: Self.sectionNames(schema))
        }
      }
    }
    if stance == .none && !stanceTargets.isEmpty { stance = .only(stanceTargets) }
    if anchoredStance == .none && !anchoredTargets.isEmpty {
      anchoredStance = .only(anchoredTargets)
    }
    fields = schema.fields.filter { fieldNames.contains($0.name) }
  }

  /// Whether any span layer is compared (then documents are tokenized).
  public var hasSpanLayers: Bool { entities || spanSentiment || anchoredStance != .none }

  private static func target(in name: String, prefix: String, schema: LabelSchema) -> String? {
    guard name.hasPrefix(prefix) else { return nil }
    // A target not in the schema may still be an ad-hoc target in the data.
    return try? schema.storedStanceTarget(String(name.dropFirst(prefix.count)))
  }

  /// Every name `--fields` accepts, for error messages.
  static func sectionNames(_ schema: LabelSchema) -> [String] {
    [
      "sentiment", "stance", "stance:TARGET", "entities", "span_sentiment", "stance_anchored",
      "stance_anchored:TARGET",
    ]
      + schema.fields.map(\.name)
  }
}

extension AgreementPlan {
  /// Whether the document with this external id is selected (`--docs` and the document set).
  public func includes(_ externalID: String) -> Bool {
    (documentPattern?.matches(externalID) ?? true) && (documents?.contains(externalID) ?? true)
  }
}
