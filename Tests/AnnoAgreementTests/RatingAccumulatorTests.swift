import AnnoAgreement
import AnnoCore
import Testing

@Suite struct RatingAccumulatorTests {
  @Test func pairwiseMeasuresUseOnlyUnitsBothRatersRated() {
    // Given rater 2 missing on two units, and a third unit only rater 0 rated
    let table = RatingTable(
      categories: ["a", "b"],
      units: [
        ["a", "a", "a"], ["b", "b", nil], ["a", "b", "b"], ["b", "b", nil], ["a", nil, nil],
      ])
    let acc = table.accumulator
    // Then the 0–1 table has the four units both rated, and 0–2 only two
    #expect(acc.contingencyTable(0, 1).rows == [[1, 1], [0, 2]])
    #expect(acc.contingencyTable(0, 2).rows == [[1, 1], [0, 0]])
    #expect(acc.contingencyTable(2, 0).rows == [[1, 0], [1, 0]])
    expectValue(acc.percentAgreement(0, 1), 0.75, tolerance: 1e-15)
  }

  @Test func alphaIgnoresUnitsWithASingleRating() {
    var acc = PublishedExampleTests.krippendorff2011.accumulator
    let before = acc.krippendorffAlpha(level: .interval, values: [1, 2, 3, 4, 5])
    acc.add(unit: [4, nil, nil, nil])  // category index 4, the value 5
    acc.add(unit: [nil, nil, nil, nil])
    #expect(acc.krippendorffAlpha(level: .interval, values: [1, 2, 3, 4, 5]) == before)
    #expect(acc.unitCount == 14)
    #expect(acc.pairableUnitCount == 11)
  }

  @Test func fleissWithMissingDataFollowsGwet() throws {
    // Units: (a, a, –), (a, b, b), (b, –, –). Gwet (2014): pₐ over units with ≥ 2 ratings,
    // π over units with ≥ 1.
    var acc = RatingAccumulator(categoryCount: 2, raterCount: 3)
    acc.add(units: [[0, 0, nil], [0, 1, 1], [1, nil, nil]])
    let pa = (1.0 + 1.0 / 3.0) / 2  // unit 1: 2/2 pairs agree; unit 2: 2/6
    expectValue(acc.percentAgreement, pa, tolerance: 1e-15)
    let shares = try #require(acc.categoryShares)
    #expect(abs(shares[0] - (1 + 1.0 / 3) / 3) < 1e-15)
    let pe = shares[0] * shares[0] + shares[1] * shares[1]
    expectValue(acc.fleissKappa, (pa - pe) / (1 - pe), tolerance: 1e-15)
  }

  @Test func percentAgreementStaysDefinedWhenKappaIsNot() {
    let acc = accumulator(fromTable: [[0, 0], [0, 7]])
    expectValue(acc.percentAgreement, 1, tolerance: 0)
    expectUndefined(acc.cohensKappa(0, 1))
    expectUndefined(acc.fleissKappa)
    expectUndefined(acc.krippendorffAlpha(level: .nominal))
    // AC1 and S measure against the declared categories, so they stay defined (and perfect).
    expectValue(acc.gwetsAC1, 1, tolerance: 1e-15)
    expectValue(acc.bennettsS, 1, tolerance: 1e-15)
  }

  @Test func everythingIsUndefinedWithoutPairableUnits() {
    var acc = RatingAccumulator(categoryCount: 3, raterCount: 2)
    acc.add(units: [[0, nil], [nil, 2], [nil, nil]])
    for m in [
      acc.percentAgreement, acc.fleissKappa, acc.gwetsAC1, acc.bennettsS, acc.congersKappa,
      acc.lightsKappa, acc.cohensKappa(0, 1), acc.krippendorffAlpha(level: .ordinal),
    ] {
      expectUndefined(m)
    }
  }

  @Test func singleDeclaredCategoryLeavesAC1AndSUndefined() {
    let acc = accumulator(fromTable: [[5]])
    expectUndefined(acc.gwetsAC1)
    expectUndefined(acc.bennettsS)
    expectUndefined(acc.weightedKappa(0, 1, weighting: .linear))
  }

  @Test func lightsKappaAveragesOnlyDefinedPairs() {
    // Raters 0 and 1 share units; rater 2 never rates alongside rater 0.
    let table = RatingTable(
      categories: [0, 1],
      units: [[0, 0, nil], [1, 1, nil], [0, 1, nil], [nil, 0, 0], [nil, 1, 1], [nil, 1, 0]])
    let acc = table.accumulator
    expectUndefined(acc.cohensKappa(0, 2))
    let k01 = acc.cohensKappa(0, 1).value ?? .nan
    let k12 = acc.cohensKappa(1, 2).value ?? .nan
    expectValue(acc.lightsKappa, (k01 + k12) / 2, tolerance: 1e-15)
  }

  @Test func ordinalAlphaUsesDeclaredOrderNotLabels() {
    // The same data, with the declared order reversed, gives the same ordinal α (δ² is
    // symmetric under reversal), but a scrambled order changes it.
    let rows: [[String?]] = [
      ["lo", "mid"], ["mid", "mid"], ["hi", "mid"], ["hi", "hi"], ["lo", "lo"],
    ]
    let forward = RatingTable(categories: ["lo", "mid", "hi"], units: rows).accumulator
    let backward = RatingTable(categories: ["hi", "mid", "lo"], units: rows).accumulator
    let scrambled = RatingTable(categories: ["mid", "lo", "hi"], units: rows).accumulator
    let a = forward.krippendorffAlpha(level: .ordinal)
    expectValue(backward.krippendorffAlpha(level: .ordinal), a.value ?? .nan, tolerance: 1e-12)
    #expect(scrambled.krippendorffAlpha(level: .ordinal) != a)
  }

  @Test func againstMajorityComparesEachRaterWithTheOthers() {
    let table = RatingTable(
      categories: ["x", "y"],
      units: [["x", "x", "x"], ["y", "x", "x"], ["y", "y", "x"], ["x", "y", nil]])
    let vsMajority = table.againstMajority(of: 0)
    // Unit 3: others tie (y, x), skipped. Unit 4: only rater 1 besides: majority y.
    #expect(vsMajority.contingencyTable(0, 1).rows == [[1, 1], [1, 0]])
  }

  @Test func measureDescriptionsReadWell() {
    #expect(Measure.value(0.7434).description == "0.743")
    #expect(Measure.value(-0.0004).description == "0.000")
    #expect(Measure.value(-0.25).description == "-0.250")
    #expect(Measure.undefined(reason: "no data").description == "undefined (no data)")
  }
}

@Suite struct BootstrapTests {
  @Test func splitMix64MatchesTheReferenceSequence() {
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(rng.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func bootstrapIsDeterministicForASeed() {
    let table = PublishedExampleTests.krippendorff2011
    func run(_ seed: UInt64) -> BootstrapInterval {
      var rng = SplitMix64(seed: seed)
      return table.bootstrap(replicates: 200, using: &rng) { $0.krippendorffAlpha(level: .nominal) }
    }
    #expect(run(42) == run(42))
    #expect(run(42) != run(43))
  }

  @Test func intervalBracketsTheEstimateOnLargeData() throws {
    let study = PropertyTests.Study(seed: 7)
    var parts: [RatingAccumulator] = []
    for chunk in stride(from: 0, to: study.units.count, by: 4) {
      var acc = RatingAccumulator(categoryCount: study.q, raterCount: study.r)
      acc.add(units: study.units[chunk..<min(chunk + 4, study.units.count)])
      parts.append(acc)
    }
    var rng = SplitMix64(seed: 1)
    let ci = BootstrapInterval.resampling(parts, replicates: 500, using: &rng) { $0.fleissKappa }
    let estimate = try #require(study.accumulator.fleissKappa.value)
    let lower = try #require(ci.lower.value)
    let upper = try #require(ci.upper.value)
    #expect(lower <= estimate && estimate <= upper)
    #expect(lower < upper)
    #expect(ci.definedReplicates + ci.undefinedReplicates == 500)
  }

  @Test func percentileBoundsInterpolateLikeNumpy() {
    // numpy.percentile([1..10], [2.5, 97.5]) == [1.225, 9.775]
    let ci = BootstrapInterval(estimates: (1...10).map { .value(Double($0)) })
    expectValue(ci.lower, 1.225, tolerance: 1e-12)
    expectValue(ci.upper, 9.775, tolerance: 1e-12)
  }

  @Test func allUndefinedReplicatesGiveUndefinedBounds() {
    let ci = BootstrapInterval(estimates: [.undefined(reason: "x"), .undefined(reason: "y")])
    expectUndefined(ci.lower)
    expectUndefined(ci.upper)
    #expect(ci.undefinedReplicates == 2)
  }
}

@Suite struct InterpretationTests {
  @Test(arguments: [
    (0.800, Interpretation.Reliability.reliable), (0.799, .tentative), (0.667, .tentative),
    (0.666, .unreliable), (-0.2, .unreliable),
  ])
  func krippendorffBands(alpha: Double, band: Interpretation.Reliability) {
    #expect(Interpretation.krippendorff(alpha) == band)
  }

  @Test(arguments: [
    (-0.01, Interpretation.Strength.poor), (0.0, .slight), (0.20, .slight), (0.21, .fair),
    (0.40, .fair), (0.41, .moderate), (0.60, .moderate), (0.61, .substantial), (0.80, .substantial),
    (0.81, .almostPerfect), (1.0, .almostPerfect),
  ])
  func landisKochBands(kappa: Double, band: Interpretation.Strength) {
    #expect(Interpretation.landisKoch(kappa) == band)
  }

  @Test func undefinedMeasuresHaveNoBand() {
    #expect(Interpretation.krippendorff(Measure.undefined(reason: "x")) == nil)
    #expect(Interpretation.landisKoch(Measure.undefined(reason: "x")) == nil)
  }
}

@Suite struct RatingAccumulatorCountTests {
  @Test func addingAUnitWithACountEqualsAddingItThatManyTimes() {
    let units: [([Int?], Int)] = [
      ([0, 0, 0], 7), ([0, 1, nil], 3), ([nil, nil, 2], 2), ([nil, nil, nil], 4), ([2, 2, 1], 0),
    ]
    var once = RatingAccumulator(categoryCount: 3, raterCount: 3)
    var repeated = RatingAccumulator(categoryCount: 3, raterCount: 3)
    for (unit, count) in units {
      once.add(unit: unit, count: count)
      for _ in 0..<count { repeated.add(unit: unit) }
    }
    #expect(once == repeated)
    #expect(once.krippendorffAlpha(level: .nominal) == repeated.krippendorffAlpha(level: .nominal))
  }
}
