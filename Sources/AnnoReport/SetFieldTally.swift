import AnnoAgreement
import AnnoCore

/// Streaming tallies of one set-valued document field (`multiple: true`): one unit per
/// document, per annotator the set of values they chose (`nil` when they gave none).
///
/// The field's section reports Krippendorff's α under the MASI distance (its main α) and
/// under the Jaccard distance, as `nltk.metrics.agreement` computes them (Passonneau 2006).
struct SetFieldTally {
  /// The section name (the field's name).
  let name: String
  /// The declared values, in order.
  let categories: [String]
  let index: [String: Int]
  private(set) var accumulator: SetRatingAccumulator
  /// When bootstrapping: each rated document's index and its sets by rater.
  private(set) var bootstrapUnits: [(document: Int32, unit: [Set<Int>?])]?

  init(name: String, categories: [String], raterCount: Int, keepsDocuments: Bool = false) {
    self.name = name
    self.categories = categories
    var index: [String: Int] = [:]
    for (i, c) in categories.enumerated() where index[c] == nil { index[c] = i }
    self.index = index
    accumulator = SetRatingAccumulator(raterCount: raterCount)
    bootstrapUnits = keepsDocuments ? [] : nil
  }

  /// Adds one document's sets (by rater); a unit nobody rated is counted and otherwise
  /// ignored.
  mutating func add(_ unit: [Set<Int>?], document: Int) {
    guard unit.contains(where: { $0 != nil }) else { return }
    accumulator.add(unit: unit)
    bootstrapUnits?.append((Int32(document), unit))
  }

  /// The accumulator of the rated documents drawn `multiplicity[document]` times each.
  func resampled(_ multiplicity: [Int32]) -> SetRatingAccumulator {
    var acc = SetRatingAccumulator(raterCount: accumulator.raterCount)
    for (document, unit) in bootstrapUnits ?? [] {
      for _ in 0..<multiplicity[Int(document)] { acc.add(unit: unit) }
    }
    return acc
  }

  /// The measures, by key: α under the MASI distance (the main α), then under Jaccard.
  static func measures(_ acc: SetRatingAccumulator) -> [(MeasureKey, Measure)] {
    [
      (MeasureKey(.alphaMASI), acc.krippendorffAlpha(distance: .masi)),
      (MeasureKey(.alphaJaccard), acc.krippendorffAlpha(distance: .jaccard)),
    ]
  }

  /// The report section: α MASI and α Jaccard, with `intervals` attached, without pairwise
  /// tables.
  func section(intervals: [MeasureKey: BootstrapInterval]) -> AgreementSection {
    AgreementSection(
      name: name, kind: .document(level: .nominal), categories: categories,
      units: accumulator.unitCount, pairableUnits: accumulator.pairableUnitCount,
      documents: accumulator.unitCount,
      measures: Self.measures(accumulator).map { key, value in
        ReportMeasure(key, value, interval: intervals[key])
      },
      counts: [:], confusions: [])
  }
}
