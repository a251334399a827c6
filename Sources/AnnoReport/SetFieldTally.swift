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

  init(name: String, categories: [String], raterCount: Int) {
    self.name = name
    self.categories = categories
    var index: [String: Int] = [:]
    for (i, c) in categories.enumerated() where index[c] == nil { index[c] = i }
    self.index = index
    accumulator = SetRatingAccumulator(raterCount: raterCount)
  }

  /// Adds one document's sets (by rater); a unit nobody rated is counted and otherwise
  /// ignored.
  mutating func add(_ unit: [Set<Int>?]) {
    guard unit.contains(where: { $0 != nil }) else { return }
    accumulator.add(unit: unit)
  }

  /// The report section: α MASI and α Jaccard, without pairwise tables.
  func section() -> AgreementSection {
    AgreementSection(
      name: name, kind: .document(level: .nominal), categories: categories,
      units: accumulator.unitCount, pairableUnits: accumulator.pairableUnitCount,
      documents: accumulator.unitCount,
      measures: [
        ReportMeasure(
          MeasureKey(.alphaMASI), accumulator.krippendorffAlpha(distance: .masi), interval: nil),
        ReportMeasure(
          MeasureKey(.alphaJaccard), accumulator.krippendorffAlpha(distance: .jaccard),
          interval: nil),
      ],
      counts: [:], confusions: [])
  }
}
