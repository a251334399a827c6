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

  /// The canonical name of a stance target given by name or alias (case-insensitive);
  /// an ad-hoc target is returned as given when the schema allows those, else `nil`.
  public func canonicalStanceTarget(_ target: String) -> String? {
    let folded = target.lowercased()
    for declared in stance.targets {
      if declared.name.lowercased() == folded
        || declared.aliases.contains(where: { $0.lowercased() == folded })
      {
        return declared.name
      }
    }
    let trimmed = target.trimmingCharacters(in: .whitespacesAndNewlines)
    return stance.allowsAdHocTargets && !trimmed.isEmpty ? trimmed : nil
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
  public var targets: [StanceTarget]
  /// Whether targets not declared may be used.
  public var allowsAdHocTargets: Bool
  /// Guideline section.
  public var guideline: String?

  /// Creates a stance scheme.
  public init(
    values: [String], targets: [StanceTarget], allowsAdHocTargets: Bool, guideline: String? = nil
  ) {
    self.values = values
    self.targets = targets
    self.allowsAdHocTargets = allowsAdHocTargets
    self.guideline = guideline
  }
}

/// How the values of a field may be compared, which decides the agreement measures.
public enum MeasurementLevel: String, Hashable, Sendable, CaseIterable, Comparable {
  case nominal, ordinal, interval, ratio

  /// Levels are ordered nominal < ordinal < interval < ratio.
  public static func < (a: MeasurementLevel, b: MeasurementLevel) -> Bool {
    a.rank < b.rank
  }

  private var rank: Int {
    switch self {
    case .nominal: 0
    case .ordinal: 1
    case .interval: 2
    case .ratio: 3
    }
  }
}

/// A further document-level field, such as `topic` or `urgency`.
public struct DocumentField: Hashable, Sendable {
  /// The field's name.
  public var name: String
  /// A one-line definition.
  public var description: String
  /// The measurement level.
  public var level: MeasurementLevel
  /// The values, in declared order (numeric strings for interval and ratio fields).
  public var values: [String]
  /// Guideline section.
  public var guideline: String?

  /// Creates a field.
  public init(
    name: String, description: String = "", level: MeasurementLevel, values: [String],
    guideline: String? = nil
  ) {
    self.name = name
    self.description = description
    self.level = level
    self.values = values
    self.guideline = guideline
  }

  /// Whether values are numbers (interval and ratio fields).
  public var isNumeric: Bool { level >= .interval }

  /// The declared value equal to `value`, comparing numbers numerically for numeric fields.
  public func canonicalValue(_ value: String) -> String? {
    if values.contains(value) { return value }
    if isNumeric, let number = Double(value) {
      return values.first { Double($0) == number }
    }
    return nil
  }
}
