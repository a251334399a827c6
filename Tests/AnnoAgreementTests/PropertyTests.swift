import AnnoAgreement
import AnnoCore
import Testing

/// Seeded invariants over random studies: 2–5 raters, 2–6 categories, about 10% missing.
@Suite struct PropertyTests {
  struct Study {
    var q: Int
    var r: Int
    var units: [[Int?]]

    init(seed: UInt64) {
      var rng = SplitMix64(seed: seed)
      q = 2 + Int(rng.next() % 5)
      r = 2 + Int(rng.next() % 4)
      let n = 5 + Int(rng.next() % 60)
      let (q, r) = (q, r)
      // Raters agree with a per-unit "truth" most of the time, so coefficients spread out.
      units = (0..<n).map { _ in
        let truth = Int(rng.next() % UInt64(q))
        return (0..<r).map { _ in
          if rng.next() % 10 == 0 { return nil }
          return rng.next() % 3 == 0 ? Int(rng.next() % UInt64(q)) : truth
        }
      }
    }

    var accumulator: RatingAccumulator {
      var acc = RatingAccumulator(categoryCount: q, raterCount: r)
      acc.add(units: units)
      return acc
    }

    func mapped(raters permutation: [Int]) -> RatingAccumulator {
      var acc = RatingAccumulator(categoryCount: q, raterCount: r)
      for unit in units { acc.add(unit: permutation.map { unit[$0] }) }
      return acc
    }

    func mapped(categories permutation: [Int]) -> RatingAccumulator {
      var acc = RatingAccumulator(categoryCount: q, raterCount: r)
      for unit in units { acc.add(unit: unit.map { $0.map { permutation[$0] } }) }
      return acc
    }
  }

  static let seeds: [UInt64] = Array(1...40)

  static func shuffled(_ count: Int, seed: UInt64) -> [Int] {
    var rng = SplitMix64(seed: seed &* 7919)
    return Array(0..<count).shuffled(using: &rng)
  }

  /// Every multi-rater measure, in a fixed order.
  static func multiRater(_ acc: RatingAccumulator, values: [Double]) -> [Measure] {
    [
      acc.percentAgreement, acc.fleissKappa, acc.congersKappa, acc.gwetsAC1, acc.bennettsS,
      acc.lightsKappa,
    ] + MeasurementLevel.allCases.map { acc.krippendorffAlpha(level: $0, values: values) }
  }

  static func expectSame(
    _ x: [Measure], _ y: [Measure], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(x.count == y.count, sourceLocation: sourceLocation)
    for (a, b) in zip(x, y) {
      switch (a.value, b.value) {
      case (let u?, let v?):
        #expect(abs(u - v) < 1e-12, "\(a) vs \(b)", sourceLocation: sourceLocation)
      case (nil, nil): break
      default: Issue.record("\(a) vs \(b)", sourceLocation: sourceLocation)
      }
    }
  }

  @Test(arguments: seeds)
  func measuresAreSymmetricInRaters(seed: UInt64) {
    let study = Study(seed: seed)
    let values = (0..<study.q).map { Double($0 * $0 + 1) }
    let permutation = Self.shuffled(study.r, seed: seed)
    Self.expectSame(
      Self.multiRater(study.accumulator, values: values),
      Self.multiRater(study.mapped(raters: permutation), values: values))
    let acc = study.accumulator
    for pair in acc.raterPairs {
      Self.expectSame(
        [
          acc.cohensKappa(pair.a, pair.b), acc.scottsPi(pair.a, pair.b),
          acc.weightedKappa(pair.a, pair.b, weighting: .quadratic),
        ],
        [
          acc.cohensKappa(pair.b, pair.a), acc.scottsPi(pair.b, pair.a),
          acc.weightedKappa(pair.b, pair.a, weighting: .quadratic),
        ])
    }
  }

  @Test(arguments: seeds)
  func nominalMeasuresAreInvariantToRenamingCategories(seed: UInt64) {
    let study = Study(seed: seed)
    let renamed = study.mapped(categories: Self.shuffled(study.q, seed: seed))
    let acc = study.accumulator
    func nominal(_ a: RatingAccumulator) -> [Measure] {
      [
        a.percentAgreement, a.fleissKappa, a.congersKappa, a.gwetsAC1, a.bennettsS, a.lightsKappa,
        a.krippendorffAlpha(level: .nominal),
      ]
        + a.raterPairs.flatMap { [a.cohensKappa($0.a, $0.b), a.scottsPi($0.a, $0.b)] }
    }
    Self.expectSame(nominal(acc), nominal(renamed))
  }

  @Test(arguments: seeds)
  func identicalRatersAgreePerfectly(seed: UInt64) {
    let study = Study(seed: seed)
    var acc = RatingAccumulator(categoryCount: study.q, raterCount: study.r)
    for (u, unit) in study.units.enumerated() {
      acc.add(unit: unit.map { _ in u % study.q })  // every rater gives the same value
    }
    let values = (0..<study.q).map { Double($0) * 1.5 + 1 }
    for level in MeasurementLevel.allCases {
      expectValue(acc.krippendorffAlpha(level: level, values: values), 1, tolerance: 1e-12)
    }
    for m in [acc.fleissKappa, acc.congersKappa, acc.gwetsAC1, acc.bennettsS, acc.lightsKappa] {
      expectValue(m, 1, tolerance: 1e-12)
    }
  }

  @Test(arguments: seeds)
  func singleCategoryLeavesChanceCorrectedMeasuresUndefined(seed: UInt64) {
    let study = Study(seed: seed)
    var acc = RatingAccumulator(categoryCount: study.q, raterCount: study.r)
    let only = Int(seed % UInt64(study.q))
    for unit in study.units { acc.add(unit: unit.map { $0.map { _ in only } }) }
    for level in MeasurementLevel.allCases {
      expectUndefined(acc.krippendorffAlpha(level: level, values: (0..<study.q).map(Double.init)))
    }
    expectUndefined(acc.fleissKappa)
    expectUndefined(acc.congersKappa)
    expectUndefined(acc.lightsKappa)
    for pair in acc.raterPairs {
      expectUndefined(acc.cohensKappa(pair.a, pair.b))
      expectUndefined(acc.scottsPi(pair.a, pair.b))
      expectUndefined(acc.weightedKappa(pair.a, pair.b, weighting: .linear))
    }
    if acc.pairableUnitCount > 0 { expectValue(acc.percentAgreement, 1, tolerance: 0) }
  }

  @Test(arguments: seeds)
  func coefficientsNeverExceedOne(seed: UInt64) {
    let study = Study(seed: seed)
    let acc = study.accumulator
    var all = Self.multiRater(acc, values: (0..<study.q).map(Double.init))
    for pair in acc.raterPairs {
      all += [acc.cohensKappa(pair.a, pair.b), acc.scottsPi(pair.a, pair.b)]
      all += KappaWeighting.allCases.map { acc.weightedKappa(pair.a, pair.b, weighting: $0) }
    }
    for m in all {
      if let v = m.value { #expect(v <= 1 + 1e-12 && v.isFinite, "\(m)") }
    }
  }

  @Test(arguments: seeds)
  func mergingPartsEqualsAddingAllUnits(seed: UInt64) {
    let study = Study(seed: seed)
    let cut = study.units.count / 3
    var first = RatingAccumulator(categoryCount: study.q, raterCount: study.r)
    var second = first
    first.add(units: study.units[..<cut])
    second.add(units: study.units[cut...])
    #expect(second + first == study.accumulator)
  }

  @Test(arguments: seeds)
  func twoCompleteRatersReduceToTheirClassicForms(seed: UInt64) {
    let study = Study(seed: seed)
    var acc = RatingAccumulator(categoryCount: study.q, raterCount: 2)
    for unit in study.units { acc.add(unit: [unit[0] ?? 0, unit[1] ?? 1 % study.q]) }
    let n = Double(acc.unitCount)
    Self.expectSame([acc.fleissKappa], [acc.scottsPi(0, 1)])
    Self.expectSame(
      [acc.congersKappa, acc.lightsKappa], [acc.cohensKappa(0, 1)] + [acc.cohensKappa(0, 1)])
    Self.expectSame([acc.percentAgreement], [acc.percentAgreement(0, 1)])
    // Krippendorff's α is Scott's π corrected for sample size: α = 1 − (2n − 1)/(2n)·(1 − π).
    Self.expectSame(
      [acc.krippendorffAlpha(level: .nominal)],
      [acc.scottsPi(0, 1).map { 1 - (2 * n - 1) / (2 * n) * (1 - $0) }])
  }
}
