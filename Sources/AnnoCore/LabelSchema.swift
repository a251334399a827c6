import Foundation

/// The labels annotators may use, as declared in `Guidelines/schema.yaml`.
///
/// The schema in force lives in the store; every label, value and target an annotator or an
/// importer gives is checked against it.
public struct LabelSchema: Hashable, Sendable {
  /// The schema's name.
  public var name: String
  /// The schema's version, bumped by its authors when labels change.
  public var version: Int
  /// The overview guideline reference (`file.md` or `file.md#section`), if any.
  public var guideline: String?
  /// Entity labels, in declared order.
  public var entityLabels: [EntityLabel]
  /// The sentiment scale, used for document and span sentiment.
  public var sentiment: SentimentScale
  /// Stance values and targets.
  public var stance: StanceScheme
  /// Further document-level fields (topic, urgency, ...).
  public var fields: [DocumentField]
  /// Whether one annotator may give one range two entity labels (the shell asks for
  /// `--also`); `allow_several_labels_per_span: false` forbids it.
  public var allowsSeveralLabelsPerSpan: Bool
  /// How a team works on the corpus (`study:`): blind by default, suggestions from one's own
  /// labels.
  public var study = StudySettings()

  /// Creates a schema.
  public init(
    name: String, version: Int, guideline: String? = nil, entityLabels: [EntityLabel],
    sentiment: SentimentScale, stance: StanceScheme, fields: [DocumentField],
    allowsSeveralLabelsPerSpan: Bool = true
  ) {
    self.name = name
    self.version = version
    self.guideline = guideline
    self.entityLabels = entityLabels
    self.sentiment = sentiment
    self.stance = stance
    self.fields = fields
    self.allowsSeveralLabelsPerSpan = allowsSeveralLabelsPerSpan
  }

  /// The entity label with this name, if declared.
  public func entityLabel(named name: String) -> EntityLabel? {
    entityLabels.first { $0.name == name }
  }

  /// The document field with this name, if declared.
  public func field(named name: String) -> DocumentField? {
    fields.first { $0.name == name }
  }

}

/// An entity label such as PER.
public struct EntityLabel: Hashable, Sendable {
  /// The label as written in data (`PER`).
  public var name: String
  /// A one-line definition.
  public var description: String
  /// A one-letter shortcut for the shell, if any.
  public var key: String?
  /// A terminal colour name (`cyan`, `bright-red`, ...), if any.
  public var color: String?
  /// The guideline section (`entities.md#per`), if any.
  public var guideline: String?

  /// Creates an entity label.
  public init(
    name: String, description: String, key: String? = nil, color: String? = nil,
    guideline: String? = nil
  ) {
    self.name = name
    self.description = description
    self.key = key
    self.color = color
    self.guideline = guideline
  }
}

/// The ordered sentiment scale (negative < neutral < positive).
public struct SentimentScale: Hashable, Sendable {
  /// Values from lowest to highest.
  public var values: [String]
  /// Guideline section for document sentiment.
  public var guideline: String?
  /// Guideline section for span sentiment.
  public var spanGuideline: String?

  /// Creates a scale.
  public init(values: [String], guideline: String? = nil, spanGuideline: String? = nil) {
    self.values = values
    self.guideline = guideline
    self.spanGuideline = spanGuideline
  }
}

/// A named stance target with its aliases.
public struct StanceTarget: Hashable, Sendable {
  /// The canonical name.
  public var name: String
  /// Other names that mean the same target.
  public var aliases: [String]

  /// Creates a target.
  public init(name: String, aliases: [String] = []) {
    self.name = name
    self.aliases = aliases
  }
}

/// Stance values (SemEval-2016 Task 6: favor, against, neutral) and targets.
public struct StanceScheme: Hashable, Sendable {
  /// The values, in declared order.
  public var values: [String]
  /// Declared targets.
  public var targets: [StanceTarget] { didSet { index = Self.index(targets, admittedTargets) } }
  /// Whether new ad-hoc targets may be created (`allow_ad_hoc_targets`).
  public var allowsAdHocTargets: Bool
  /// Ad-hoc targets the study admits in advance (`ad_hoc_targets`): known without being
  /// created, like declared targets, but without aliases and not expected on every document.
  public var admittedTargets: [String] {
    didSet { index = Self.index(targets, admittedTargets) }
  }
  /// Guideline section.
  public var guideline: String?
  /// Declared names and aliases and admitted targets by `LabelSchema.stanceTargetKey`, with
  /// the name each stands for (the first wins, as the schema reader refuses clashes).
  private(set) var index: [String: IndexedTarget] = [:]

  /// A declared or admitted target found by key.
  struct IndexedTarget: Hashable, Sendable {
    var name: String
    var isAdmitted: Bool
  }

  private static func index(_ targets: [StanceTarget], _ admitted: [String]) -> [String:
    IndexedTarget]
  {
    var index: [String: IndexedTarget] = [:]
    for target in targets {
      for written in [target.name] + target.aliases {
        let key = LabelSchema.stanceTargetKey(written)
        if index[key] == nil { index[key] = IndexedTarget(name: target.name, isAdmitted: false) }
      }
    }
    for name in admitted {
      let key = LabelSchema.stanceTargetKey(name)
      if index[key] == nil { index[key] = IndexedTarget(name: name, isAdmitted: true) }
    }
    return index
  }

  /// Creates a stance scheme.
  public init(
    values: [String], targets: [StanceTarget], allowsAdHocTargets: Bool,
    admittedTargets: [String] = [], guideline: String? = nil
  ) {
    self.values = values
    self.targets = targets
    self.allowsAdHocTargets = allowsAdHocTargets
    self.admittedTargets = admittedTargets
    self.guideline = guideline
    index = Self.index(targets, admittedTargets)
  }
}

/// A further document-level field, such as `topic` or `urgency`.
public struct DocumentField: Hashable, Sendable {
  /// The field's name.
  public var name: String
  /// A one-line definition.
  public var description: String
  /// The measurement level.
  public var level: Level
  /// The values, in declared order (numeric strings for interval and ratio fields).
  public var values: [String]
  /// Guideline section.
  public var guideline: String?
  /// Whether a document may take several of the values at once (`multiple: true`): the
  /// field's value is then a set, such as the topics of an article (multi-label
  /// classification). Set-valued fields are nominal.
  public var isMultiple: Bool

  /// Creates a field.
  public init(
    name: String, description: String = "", level: Level, values: [String],
    guideline: String? = nil, isMultiple: Bool = false
  ) {
    self.name = name
    self.description = description
    self.level = level
    self.values = values
    self.guideline = guideline
    self.isMultiple = isMultiple
  }

  /// Whether values are numbers: interval and ratio fields, and fields whose every declared
  /// value is a number (an ordinal 1–5 scale). Such values compare numerically (`3.0` is `3`)
  /// and are exported as JSON numbers.
  public var isNumeric: Bool { level.isNumeric || values.allSatisfy { Double($0) != nil } }

  /// The declared value equal to `value`, comparing numbers numerically for numeric fields.
  public func canonicalValue(_ value: String) -> String? {
    if values.contains(value) { return value }
    if isNumeric, let number = Double(value) {
      return values.first { Double($0) == number }
    }
    return nil
  }

  /// Values of this field in declared order, each once; values it does not declare follow,
  /// sorted (so that a stored set still shows after its schema changed).
  public func declaredOrder(_ given: some Sequence<String>) -> [String] {
    let chosen = Set(given)
    let declared = values.filter { chosen.contains($0) }
    return declared + chosen.subtracting(declared).sorted()
  }
}

extension DocumentField {
  /// How the values of a field may be compared (Stevens 1946), as `schema.yaml` declares it:
  /// unordered names, ordered names, or numbers on an interval or a ratio scale. The agreement
  /// report measures a field at its level (AnnoReport maps it to the statistics' own level).
  public enum Level: String, Hashable, Sendable, CaseIterable {
    case nominal, ordinal, interval, ratio

    /// Whether the level compares values as numbers: interval and ratio.
    public var isNumeric: Bool { self == .interval || self == .ratio }
  }
}
