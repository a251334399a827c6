import AnnoAgreement
import AnnoStore

/// The computed agreement report of `anno agree`: a value, rendered by `AgreementRenderer`.
///
/// Annotators are in ascending code point order of their names, and so is every pair
/// (`first < second`). Undefined results are `Measure.undefined` with their reason.
public struct AgreementReport: Sendable, Hashable {
  /// The annotators compared, in ascending code point order.
  public var annotators: [String]
  /// The documents compared: those with an annotation set of at least one selected annotator.
  public var documents: Int
  /// What was selected, for the header (`status done`, `docs sport/*`, ...).
  public var selection: [String]
  /// One section per field or span layer, in report order.
  public var sections: [AgreementSection]
  /// The documents with the most disagreement, most first (at most ten).
  public var disagreements: [DocumentDisagreement]
  /// Each annotator against the majority of the others, per section.
  public var againstMajority: [MajorityComparison]
  /// The bootstrap settings, when confidence intervals were computed.
  public var bootstrap: BootstrapSettings?
  /// Things the reader should know (ignored undeclared labels, ...).
  public var notes: [String]
  /// The schema and guidelines the annotations were compared under, when they come from a
  /// store (a `--ratings` file has none).
  public var schema: SchemaVersion? = nil
  /// The documents coded by two or more of the annotators compared, when known (a
  /// `--ratings` file gives units, not documents).
  public var sharedDocuments: Int? = nil

  /// The section with this name, if reported.
  public func section(_ name: String) -> AgreementSection? { sections.first { $0.name == name } }

  /// Every pair of annotators, in order.
  public var pairs: [AnnotatorPair] { AnnotatorPair.all(of: annotators) }
}

/// Two different annotators, in ascending code point order of their names.
public struct AnnotatorPair: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The first annotator: rows of confusion tables, the reference of span recall.
  public var first: String
  /// The second annotator: columns of confusion tables, the reference of span precision.
  public var second: String

  /// The pair of `a` and `b`, ordered by code point whatever the argument order.
  public init(_ a: String, _ b: String) {
    precondition(a != b, "a pair needs two different annotators")
    if CodePoint.precedes(a, b) {
      (first, second) = (a, b)
    } else {
      (first, second) = (b, a)
    }
  }

  /// `A,B`, the pair's key in machine-readable output.
  public var key: String { "\(first),\(second)" }

  /// `A–B`, for people.
  public var description: String { "\(first)–\(second)" }

  public static func < (lhs: AnnotatorPair, rhs: AnnotatorPair) -> Bool {
    lhs.first != rhs.first
      ? CodePoint.precedes(lhs.first, rhs.first) : CodePoint.precedes(lhs.second, rhs.second)
  }

  /// Every pair of `annotators` (which must be sorted by code point), in lexicographic order.
  public static func all(of annotators: [String]) -> [AnnotatorPair] {
    var pairs: [AnnotatorPair] = []
    for i in annotators.indices {
      for j in annotators.indices where j > i {
        pairs.append(AnnotatorPair(annotators[i], annotators[j]))
      }
    }
    return pairs
  }
}

/// Ordering of names by Unicode code points, the order of annotators, pairs and JSON keys.
public enum CodePoint {
  /// Whether `a` comes before `b` by code points.
  public static func precedes(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
  }
}

/// The names of the report's coefficients, as they appear in machine-readable keys.
public enum MeasureName: String, Sendable, Hashable, CaseIterable {
  case percentAgreement = "percent_agreement"
  case alphaNominal = "alpha_nominal"
  case alphaOrdinal = "alpha_ordinal"
  case alphaInterval = "alpha_interval"
  case alphaRatio = "alpha_ratio"
  case alphaMASI = "alpha_masi"
  case alphaJaccard = "alpha_jaccard"
  case fleissKappa = "fleiss_kappa"
  case cohenKappa = "cohen_kappa"
  case cohenKappaMean = "cohen_kappa_mean"
  case scottPi = "scott_pi"
  case weightedKappaLinear = "weighted_kappa_linear"
  case weightedKappaQuadratic = "weighted_kappa_quadratic"
  case gwetAC1 = "gwet_ac1"
  case bennettS = "bennett_s"
  case congerKappa = "conger_kappa"
  case spanExactF1 = "span_exact_f1"
  case spanOverlapF1 = "span_overlap_f1"
  case spanExactPrecision = "span_exact_precision"
  case spanExactRecall = "span_exact_recall"
  case spanOverlapPrecision = "span_overlap_precision"
  case spanOverlapRecall = "span_overlap_recall"
  case tokenCohenKappa = "token_cohen_kappa"
  case tokenAlphaNominal = "token_alpha_nominal"
  case alphaU = "alpha_u"

  /// The name people read (`Krippendorff's α ordinal`).
  public var title: String {
    switch self {
    case .percentAgreement: "percent agreement"
    case .alphaNominal: "Krippendorff's α nominal"
    case .alphaOrdinal: "Krippendorff's α ordinal"
    case .alphaInterval: "Krippendorff's α interval"
    case .alphaRatio: "Krippendorff's α ratio"
    case .alphaMASI: "Krippendorff's α MASI"
    case .alphaJaccard: "Krippendorff's α Jaccard"
    case .fleissKappa: "Fleiss' κ"
    case .cohenKappa: "Cohen's κ"
    case .cohenKappaMean: "mean pairwise Cohen's κ (Light)"
    case .scottPi: "Scott's π"
    case .weightedKappaLinear: "weighted κ linear"
    case .weightedKappaQuadratic: "weighted κ quadratic"
    case .gwetAC1: "Gwet's AC1"
    case .bennettS: "Bennett's S"
    case .congerKappa: "Conger's κ"
    case .spanExactF1: "span F1 exact"
    case .spanOverlapF1: "span F1 overlap"
    case .spanExactPrecision: "span precision exact"
    case .spanExactRecall: "span recall exact"
    case .spanOverlapPrecision: "span precision overlap"
    case .spanOverlapRecall: "span recall overlap"
    case .tokenCohenKappa: "token Cohen's κ (IOB2)"
    case .tokenAlphaNominal: "token α nominal (IOB2)"
    case .alphaU: "unitizing α_u"
    }
  }

  /// How the coefficient is read: Krippendorff's bands, Landis & Koch's, or not at all.
  public var scale: InterpretationScale {
    switch self {
    case .alphaNominal, .alphaOrdinal, .alphaInterval, .alphaRatio, .alphaMASI, .alphaJaccard,
      .tokenAlphaNominal, .alphaU:
      .krippendorff
    case .fleissKappa, .cohenKappa, .cohenKappaMean, .scottPi, .weightedKappaLinear,
      .weightedKappaQuadratic, .gwetAC1, .bennettS, .congerKappa, .tokenCohenKappa:
      .landisKoch
    default: .none
    }
  }
}

/// The verbal scale a coefficient is read on.
public enum InterpretationScale: Sendable, Hashable {
  /// α: reliable (≥ .800), tentative (≥ .667), unreliable.
  case krippendorff
  /// κ: Landis & Koch (1977).
  case landisKoch
  /// Proportions and F1: no verbal reading.
  case none
}

/// The key of one result: `NAME`, `NAME@A,B`, `NAME#LABEL` or `NAME@A,B#LABEL`.
public struct MeasureKey: Sendable, Hashable, CustomStringConvertible {
  /// The coefficient.
  public var name: MeasureName
  /// The annotator pair, or `nil` for all annotators.
  public var pair: AnnotatorPair?
  /// The label (span sections), or `nil` for all labels.
  public var label: String?

  /// Creates a key.
  public init(_ name: MeasureName, pair: AnnotatorPair? = nil, label: String? = nil) {
    self.name = name
    self.pair = pair
    self.label = label
  }

  /// The key as written in JSON.
  public var description: String {
    name.rawValue + (pair.map { "@" + $0.key } ?? "") + (label.map { "#" + $0 } ?? "")
  }
}

/// One result of the report, with its bootstrap interval when one was computed.
public struct ReportMeasure: Sendable, Hashable {
  /// What was measured.
  public var key: MeasureKey
  /// The value, or undefined with the reason.
  public var value: Measure
  /// The percentile bootstrap interval, if bootstrapped.
  public var interval: BootstrapInterval?

  /// Creates a result.
  public init(_ key: MeasureKey, _ value: Measure, interval: BootstrapInterval? = nil) {
    self.key = key
    self.value = value
    self.interval = interval
  }
}

/// The agreement on one field (`sentiment`, `stance:Russia`, `urgency`) or span layer
/// (`entities`, `span_sentiment`, `stance_anchored:Russia`).
public struct AgreementSection: Sendable, Hashable {
  /// Whether the section rates documents or spans.
  public enum Kind: Sendable, Hashable {
    /// One rating per document, at a level of measurement.
    case document(level: MeasurementLevel)
    /// Labelled spans, compared by matching and over tokens.
    case spans
  }

  /// The section's key in the report (`sentiment`, `stance:Russia`, `entities`).
  public var name: String
  /// Document field or span layer.
  public var kind: Kind
  /// The declared categories (document fields) or labels (span layers), in declared order.
  public var categories: [String]
  /// Units with at least one rating: documents for fields, tokens for span layers.
  public var units: Int
  /// Units with at least two ratings.
  public var pairableUnits: Int
  /// The documents with at least one rating (fields) or annotation set (span layers).
  public var documents: Int
  /// The results, in report order.
  public var measures: [ReportMeasure]
  /// Integer counts under keys named like measures (`spans_first@A,B#PER`, `documents@A,B`).
  public var counts: [String: Int]
  /// The confusion table of every pair.
  public var confusions: [PairConfusion]

  /// The result under `key`, if reported.
  public func measure(_ name: MeasureName, pair: AnnotatorPair? = nil, label: String? = nil)
    -> ReportMeasure?
  {
    let key = MeasureKey(name, pair: pair, label: label)
    return measures.first { $0.key == key }
  }

  /// Whether the section compares spans.
  public var isSpanLayer: Bool { kind == .spans }
}

/// Which category (or label) the first annotator of a pair chose against the second's.
public struct PairConfusion: Sendable, Hashable {
  /// The annotators: `first` gives the rows, `second` the columns.
  public var pair: AnnotatorPair
  /// Row and column names; for span layers the last is `nil`, "no span".
  public var categories: [String?]
  /// `counts[row][column]`.
  public var counts: [[Int]]

  /// The off-diagonal cells with a count, most frequent first.
  public var confusedCells: [(first: String?, second: String?, count: Int)] {
    var cells: [(first: String?, second: String?, count: Int)] = []
    for (i, row) in counts.enumerated() {
      for (j, n) in row.enumerated() where i != j && n > 0 {
        cells.append((categories[i], categories[j], n))
      }
    }
    return cells.enumerated().sorted {
      ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset)
    }.map(\.element)
  }
}

/// One document where annotators disagree, with what differs.
public struct DocumentDisagreement: Sendable, Hashable {
  /// The document's external id.
  public var documentID: String
  /// How many items differ (fields, spans).
  public var score: Int
  /// The differing items, one line each (`sentiment ann1=negative ann2=neutral`).
  public var differences: [Difference]

  /// One differing item of a document.
  public struct Difference: Sendable, Hashable {
    /// The section it belongs to.
    public var section: String
    /// What differs, for people.
    public var description: String
  }

  /// `id: difference; difference`.
  public var summary: String {
    "\(documentID): " + differences.map(\.description).joined(separator: "; ")
  }
}

/// One annotator against the majority of the other annotators on one section.
public struct MajorityComparison: Sendable, Hashable {
  /// The annotator.
  public var annotator: String
  /// The section (`sentiment`, `entities` over token tags, ...).
  public var section: String
  /// Units the annotator rated where the others had a strict majority.
  public var units: Int
  /// Cohen's κ of the annotator against the majority.
  public var kappa: Measure
  /// The proportion of those units where the annotator agrees with the majority.
  public var percentAgreement: Measure
}

/// How confidence intervals were computed.
public struct BootstrapSettings: Sendable, Hashable {
  /// The number of replicates.
  public var replicates: Int
  /// The generator's seed.
  public var seed: UInt64
  /// The confidence level (0.95).
  public var confidenceLevel: Double
}

extension MajorityComparison {
  /// Each annotator's tally against the majority of the others (a two-rater accumulator per
  /// annotator: own rating, majority rating), as comparisons for one section.
  static func list(section: String, annotators: [String], majority: [RatingAccumulator])
    -> [MajorityComparison]
  {
    zip(annotators, majority).map { annotator, acc in
      MajorityComparison(
        annotator: annotator, section: section, units: acc.unitCount, kappa: acc.cohensKappa(0, 1),
        percentAgreement: acc.percentAgreement(0, 1))
    }
  }
}
