import AnnoAgreement
import AnnoCore

/// Streaming tallies of one document-level field: one unit per document, one rating per
/// annotator (`nil` when the annotator gave none).
///
/// Memory is O(*q*²·*R*²) whatever the number of documents, plus, when bootstrapping, *R*
/// bytes per rated document.
struct FieldTally {
  /// The section name (`sentiment`, `stance:Russia`, `urgency`).
  let name: String
  /// The level the field's main α is computed at.
  let level: MeasurementLevel
  /// The declared categories, in order.
  let categories: [String]
  /// The numeric value of each category (interval and ratio fields), or `nil`.
  let values: [Double]?
  let index: [String: Int]
  /// The number of raters, *R*.
  let raterCount: Int
  /// Units counted by rating pattern while the patterns are few ((*q*+1)^*R* ≤ 4,096): the
  /// pattern is a base-(*q*+1) number, digit *r* = rater *r*'s category + 1 (0: no rating).
  /// Adding a unit is then one increment; the accumulators are built from the distinct
  /// patterns when read. Empty when there are too many patterns to count this way.
  private var patternCounts: [Int]
  /// The units added one by one (when `patternCounts` is empty).
  private var directAccumulator: RatingAccumulator
  private var directMajority: [RatingAccumulator]
  private var votes: [Int]
  private var pairUnit: [Int?] = [nil, nil]
  /// When bootstrapping: the rated documents' indices and their ratings, *R* bytes each
  /// (`UInt8.max` for none).
  private(set) var bootstrapDocuments: [Int32]?
  private(set) var bootstrapRatings: [UInt8] = []

  init(
    name: String, level: MeasurementLevel, categories: [String], raterCount: Int,
    keepsDocuments: Bool, countsPatterns: Bool = true
  ) {
    self.name = name
    self.level = level
    self.categories = categories
    var index: [String: Int] = [:]
    for (i, c) in categories.enumerated() where index[c] == nil { index[c] = i }
    self.index = index
    if level.needsValues {
      let numbers = categories.compactMap(Double.init)
      values = numbers.count == categories.count && numbers.allSatisfy(\.isFinite) ? numbers : nil
    } else {
      values = nil
    }
    // NB: a field must declare a category for the accumulator; an empty one stays empty.
    let q = max(1, categories.count)
    self.raterCount = raterCount
    directAccumulator = RatingAccumulator(categoryCount: q, raterCount: raterCount)
    directMajority = Array(
      repeating: RatingAccumulator(categoryCount: q, raterCount: 2), count: raterCount)
    votes = Array(repeating: 0, count: q)
    bootstrapDocuments = keepsDocuments ? [] : nil
    var patterns = 1
    for _ in 0..<raterCount where patterns <= Self.maximumPatterns { patterns *= q + 1 }
    patternCounts =
      countsPatterns && patterns <= Self.maximumPatterns ? Array(repeating: 0, count: patterns) : []
  }

  /// The most rating patterns counted by pattern rather than unit by unit.
  static let maximumPatterns = 4096

  /// The tallies of every unit added so far.
  var accumulator: RatingAccumulator { settled().accumulator }

  /// Each rater against the majority of the others, as a 2-rater accumulator per rater.
  var majority: [RatingAccumulator] { settled().majority }

  /// The direct tallies plus every counted pattern, added `count` times at once.
  private func settled() -> (accumulator: RatingAccumulator, majority: [RatingAccumulator]) {
    var acc = directAccumulator
    var majority = directMajority
    guard !patternCounts.isEmpty else { return (acc, majority) }
    let base = acc.categoryCount + 1
    var unit = [Int?](repeating: nil, count: raterCount)
    var votes = votes
    var pair: [Int?] = [nil, nil]
    for (pattern, count) in patternCounts.enumerated() where count > 0 {
      var rest = pattern
      for r in 0..<raterCount {
        let digit = rest % base
        rest /= base
        unit[r] = digit == 0 ? nil : digit - 1
      }
      acc.add(unit: unit, count: count)
      Self.addMajority(of: unit, to: &majority, count: count, votes: &votes, pair: &pair)
    }
    return (acc, majority)
  }

  /// Adds each rater's rating against the others' majority, `count` times.
  private static func addMajority(
    of unit: [Int?], to majority: inout [RatingAccumulator], count: Int, votes: inout [Int],
    pair: inout [Int?]
  ) {
    for rater in 0..<unit.count {
      guard let own = unit[rater],
        let top = Voting.plurality(of: unit, excluding: rater, votes: &votes)
      else { continue }
      pair[0] = own
      pair[1] = top
      majority[rater].add(unit: pair, count: count)
    }
  }

  /// Adds one document's ratings; a unit nobody rated is left out.
  mutating func add(_ unit: [Int?], document: Int) {
    precondition(
      unit.count == raterCount,
      "a unit has \(unit.count) ratings but the study has \(raterCount) raters")
    guard unit.contains(where: { $0 != nil }) else { return }
    if patternCounts.isEmpty {
      directAccumulator.add(unit: unit)
      Self.addMajority(of: unit, to: &directMajority, count: 1, votes: &votes, pair: &pairUnit)
    } else {
      let base = directAccumulator.categoryCount + 1
      var pattern = 0
      for rating in unit.reversed() {
        let digit = rating.map { $0 + 1 } ?? 0
        precondition(digit < base, "category index \(digit - 1) is outside 0..<\(base - 1)")
        pattern = pattern * base + digit
      }
      patternCounts[pattern] += 1
    }
    if bootstrapDocuments != nil {
      bootstrapDocuments?.append(Int32(document))
      for rating in unit { bootstrapRatings.append(rating.map { UInt8($0) } ?? UInt8.max) }
    }
  }

  /// The accumulator of the rated documents drawn `multiplicity[document]` times each.
  func resampled(_ multiplicity: [Int32]) -> RatingAccumulator {
    var acc = RatingAccumulator(
      categoryCount: directAccumulator.categoryCount, raterCount: raterCount)
    guard let documents = bootstrapDocuments else { return acc }
    var unit = [Int?](repeating: nil, count: raterCount)
    for (i, document) in documents.enumerated() {
      let times = multiplicity[Int(document)]
      guard times > 0 else { continue }
      for r in 0..<raterCount {
        let byte = bootstrapRatings[i * raterCount + r]
        unit[r] = byte == UInt8.max ? nil : Int(byte)
      }
      for _ in 0..<times { acc.add(unit: unit) }
    }
    return acc
  }

  // MARK: - Measures

  /// The levels α is reported at: the field's level and every level below it.
  var alphaLevels: [MeasurementLevel] {
    MeasurementLevel.allCases.filter { $0.rank <= level.rank }
  }

  /// Krippendorff's α of `acc` at `level`, undefined when the categories are not numbers.
  func alpha(_ acc: RatingAccumulator, level: MeasurementLevel) -> Measure {
    guard level.needsValues else { return acc.krippendorffAlpha(level: level) }
    guard let values else {
      return .undefined(reason: "the field's declared values are not all numbers")
    }
    if level == .ratio && values.contains(where: { $0 < 0 }) {
      return .undefined(reason: "ratio alpha needs non-negative values")
    }
    return acc.krippendorffAlpha(level: level, values: values)
  }

  /// The α the field is judged by: at its own level.
  func mainAlpha(_ acc: RatingAccumulator) -> Measure { alpha(acc, level: level) }

  /// The report section, with `intervals` attached to the measures they belong to.
  func section(annotators: [String], intervals: [MeasureKey: BootstrapInterval]) -> AgreementSection
  {
    let acc = accumulator
    var measures: [ReportMeasure] = []
    func add(_ key: MeasureKey, _ value: Measure) {
      measures.append(ReportMeasure(key, value, interval: intervals[key]))
    }
    add(MeasureKey(.percentAgreement), acc.percentAgreement)
    for l in alphaLevels { add(MeasureKey(MeasureName.alpha(l)), alpha(acc, level: l)) }
    add(MeasureKey(.fleissKappa), acc.fleissKappa)
    add(MeasureKey(.cohenKappaMean), acc.lightsKappa)
    add(MeasureKey(.congerKappa), acc.congersKappa)
    add(MeasureKey(.gwetAC1), acc.gwetsAC1)
    add(MeasureKey(.bennettS), acc.bennettsS)
    let weighted = level != .nominal
    var confusions: [PairConfusion] = []
    for pair in acc.raterPairs {
      let key = AnnotatorPair(annotators[pair.a], annotators[pair.b])
      let table = acc.contingencyTable(pair.a, pair.b)
      add(MeasureKey(.percentAgreement, pair: key), table.percentAgreement)
      add(MeasureKey(.cohenKappa, pair: key), table.cohensKappa)
      add(MeasureKey(.scottPi, pair: key), table.scottsPi)
      if weighted {
        add(MeasureKey(.weightedKappaLinear, pair: key), table.weightedKappa(.linear))
        add(MeasureKey(.weightedKappaQuadratic, pair: key), table.weightedKappa(.quadratic))
      }
      confusions.append(PairConfusion(pair: key, categories: categories, counts: table.rows))
    }
    return AgreementSection(
      name: name, kind: .document(level: level), categories: categories, units: acc.unitCount,
      pairableUnits: acc.pairableUnitCount, documents: acc.unitCount, measures: measures,
      counts: [:],
      confusions: confusions)
  }

  /// Each annotator against the majority of the others.
  func majorityComparisons(annotators: [String]) -> [MajorityComparison] {
    MajorityComparison.list(section: name, annotators: annotators, majority: majority)
  }
}

extension MeasureName {
  /// `alpha_nominal`, ... for a level.
  static func alpha(_ level: MeasurementLevel) -> MeasureName {
    switch level {
    case .nominal: .alphaNominal
    case .ordinal: .alphaOrdinal
    case .interval: .alphaInterval
    case .ratio: .alphaRatio
    }
  }
}
