import AnnoAgreement
import Testing

/// Krippendorff's α on set-valued ratings, checked against nltk.
///
/// The fixtures and their reference values come from `scripts/set_alpha_reference.py`, which
/// computes `AnnotationTask(data, distance=masi_distance).alpha()` and the same with
/// `jaccard_distance` (nltk 3.10.4) and prints the table below; CI runs it with `--check` on
/// this file, so the numbers are recomputed on every run.
@Suite struct SetAlphaTests {
  struct Fixture: Sendable, CustomTestStringConvertible {
    var name: String
    var masi: Double
    var jaccard: Double
    var units: [String]

    var testDescription: String { name }

    /// One rater's set per entry (category indices), `nil` for "-".
    var ratings: [[Set<Int>?]] {
      var index: [String: Int] = [:]
      return units.map { row in
        row.split(separator: " | ", omittingEmptySubsequences: false).map { cell in
          guard cell != "-" else { return nil }
          return Set(
            cell.split(separator: ",").map { name in
              if let i = index[String(name)] { return i }
              index[String(name)] = index.count
              return index.count - 1
            })
        }
      }
    }

    var accumulator: SetRatingAccumulator {
      let ratings = self.ratings
      var accumulator = SetRatingAccumulator(raterCount: ratings[0].count)
      for unit in ratings { accumulator.add(unit: unit) }
      return accumulator
    }
  }

  static let fixtures: [Fixture] = [
    Fixture(
      name: "three raters, overlapping topics",
      masi: 0.38732394366197154,
      jaccard: 0.47625160462130933,
      units: [
        "economy,politics | economy | economy,politics",
        "sport | sport | sport,health",
        "diplomacy | politics | diplomacy,politics",
        "science,health | health | science",
        "business | business,economy | economy",
        "sport | sport | sport",
      ]),
    Fixture(
      name: "four raters, missing ratings",
      masi: 0.3242901951199644,
      jaccard: 0.39558916194076876,
      units: [
        "economy | economy,business | - | business",
        "politics,diplomacy | - | diplomacy | politics,diplomacy",
        "sport | sport | sport | -",
        "health | science | - | -",
        "- | economy | - | -",
        "business,economy,politics | economy,politics | business | economy",
        "science | science,health | science,health | health",
        "diplomacy | diplomacy | politics | diplomacy,politics",
      ]),
    Fixture(
      name: "seeded study, 3 raters, 40 units",
      masi: 0.5657360294954756,
      jaccard: 0.6601055572803477,
      units: [
        "diplomacy | politics | politics",
        "economy,health | economy,science | economy,science,health",
        "science,health | science | science",
        "business,sport | business | business,economy",
        "diplomacy,politics,economy | diplomacy,sport | diplomacy",
        "diplomacy,science,health | diplomacy,sport,health | diplomacy,health",
        "business,economy,health | economy,science | diplomacy,business,economy,science",
        "politics,business | politics,health | politics,business",
        "politics,science | politics,science | science",
        "business,economy,health | economy,health | business,economy,health",
        "politics | politics | politics",
        "politics,science,health | diplomacy,politics,science | diplomacy,politics,economy",
        "diplomacy,health | diplomacy,health | diplomacy,health",
        "sport | sport | sport",
        "business,economy | business,economy,sport | diplomacy,business,economy",
        "business | business | business",
        "politics | politics | politics,economy",
        "economy | economy | economy",
        "economy,sport,science | economy,sport,science | politics,economy,sport,science",
        "health | health | health",
        "health | health | diplomacy,health",
        "politics,sport,science | politics,sport,science | politics,sport,science",
        "economy | economy | economy",
        "diplomacy,politics,sport | diplomacy,politics,sport | diplomacy,politics,sport",
        "diplomacy | diplomacy,health | diplomacy,health",
        "science | politics,science | politics,sport,science",
        "sport,health | science,health | economy,health",
        "economy | economy | economy",
        "politics,business,science | business,science | business",
        "business,sport,health | sport,health | sport",
        "politics | politics | politics",
        "science | science | science",
        "politics,science | politics | politics",
        "science | science | business,science",
        "diplomacy,business,sport | diplomacy,business | diplomacy,business",
        "diplomacy | diplomacy | diplomacy",
        "politics,economy,sport | politics,economy | politics",
        "diplomacy,business,sport | diplomacy,business | diplomacy,business",
        "health | business,health | business,health",
        "health | health | economy,health",
      ]),
    Fixture(
      name: "seeded study, 5 raters, 60 units, 15% missing",
      masi: 0.47335531082451743,
      jaccard: 0.570560012376122,
      units: [
        "diplomacy,economy,science | diplomacy,economy,science | diplomacy,economy,science | diplomacy,economy,science | diplomacy,economy,science",
        "sport | sport | sport | sport | -",
        "- | economy,science | economy,science | economy,science | economy,science",
        "- | diplomacy,politics,science | - | diplomacy,politics,science | diplomacy,politics,science",
        "diplomacy,sport | diplomacy,business,sport | diplomacy,business,sport | diplomacy,business,sport | business,sport",
        "business,economy | diplomacy,economy | - | economy | -",
        "politics | politics,science | politics,economy | economy | health",
        "politics,business | politics,business | politics,business,health | - | -",
        "business,sport | - | economy,sport | economy,sport | -",
        "sport,science | business,sport,science | sport | business,economy,sport,science | economy,sport,science",
        "economy,health | economy | - | economy | economy",
        "diplomacy | - | diplomacy | diplomacy,science | diplomacy",
        "- | - | business | business | business,sport",
        "- | economy | economy,health | politics,economy | economy",
        "- | diplomacy,science,health | diplomacy,health | diplomacy,science | diplomacy,economy,science",
        "- | diplomacy,politics | diplomacy,health | - | diplomacy",
        "diplomacy,politics,sport | diplomacy,politics,sport | diplomacy,politics,sport | - | -",
        "diplomacy,science,health | science,health | diplomacy,science,health | - | diplomacy,health",
        "politics,business | politics,business | politics,business | politics | politics,business",
        "politics,science | - | science | science | science",
        "- | sport | sport | sport | -",
        "sport,science,health | sport,science,health | sport,science,health | sport,health | science,health",
        "diplomacy,health | diplomacy,politics | diplomacy,health | diplomacy,sport,health | diplomacy,health",
        "business,sport,science | sport | sport,science | - | -",
        "politics,health | politics,business,science | politics,business,health | - | politics,health",
        "diplomacy,science | - | diplomacy,politics,science | diplomacy,politics,science | diplomacy,politics,science",
        "politics,health | politics,economy,health | politics | politics,health | diplomacy,politics,health",
        "business | business | business,economy | business | business,health",
        "economy,sport | diplomacy,economy,sport | diplomacy,economy,sport | - | diplomacy,economy,sport",
        "health | - | diplomacy,business,health | diplomacy,business,health | business,health",
        "business,economy,health | business,economy,health | business,economy,health | economy,health | business,economy,health",
        "sport | - | - | diplomacy,sport,science | diplomacy,sport",
        "health | sport,health | health | health | health",
        "economy,sport | politics,economy,sport | - | politics,economy,sport | politics,economy,sport",
        "sport | sport,health | diplomacy,sport | health | sport,health",
        "- | politics | politics | diplomacy,politics,business | politics,business,science",
        "politics,science | politics,science | - | politics | politics,science",
        "diplomacy,business,sport | - | diplomacy,sport | diplomacy,politics | -",
        "diplomacy,health | - | diplomacy,health | health | -",
        "politics,economy,sport | politics,economy | politics,economy | economy | politics,economy",
        "- | diplomacy,economy,science | - | economy,health | economy,science",
        "- | economy | sport,health | sport | sport",
        "- | health | science,health | science,health | science,health",
        "politics,science | - | - | politics,science | science",
        "politics,business,health | politics,health | politics,business,health | politics,business | politics,business,sport,health",
        "business,economy,sport | - | - | business,economy,sport | business,sport",
        "economy,health | business,sport,health | - | health | diplomacy,sport,health",
        "politics,science | politics,economy,science | politics,economy,science | politics,economy | politics,economy,science",
        "business | business | business | business | business,science",
        "politics,economy,science | economy,sport | economy,sport | politics,economy | diplomacy,politics",
        "sport,health | health | - | - | economy,sport,health",
        "politics,sport | - | politics,sport | politics,sport | sport",
        "politics,economy | economy | - | - | economy",
        "economy | economy | - | economy | diplomacy,economy",
        "economy,health | business,economy,health | business,economy,science | business,economy,health | business,economy,health",
        "science,health | business,science | - | diplomacy,sport,science | business,sport,science",
        "diplomacy,economy | business,economy | economy | economy | -",
        "- | diplomacy,sport,health | - | - | diplomacy,economy,sport",
        "science | economy,science | economy,science | economy,science | business,economy,science",
        "health | business,health | business | politics,business,health | business,health",
      ]),
  ]

  @Test(arguments: fixtures) func alphaMatchesNLTK(_ fixture: Fixture) throws {
    let accumulator = fixture.accumulator
    let masi = try #require(accumulator.krippendorffAlpha(distance: .masi).value)
    let jaccard = try #require(accumulator.krippendorffAlpha(distance: .jaccard).value)
    #expect(abs(masi - fixture.masi) < 1e-9)
    #expect(abs(jaccard - fixture.jaccard) < 1e-9)
  }

  @Test func distancesAreNLTKs() {
    // nltk's doctest: masi_distance({1, 2}, {1, 2, 3, 4}) == 0.6666666666666667.
    #expect(abs(SetDistance.masi([1, 2], [1, 2, 3, 4]) - 2.0 / 3.0) < 1e-15)
    #expect(SetDistance.jaccard([1, 2], [1, 2, 3, 4]) == 0.5)
    // Overlap without inclusion: monotonicity 1/3.
    #expect(abs(SetDistance.masi([1, 2], [2, 3]) - (1 - 1.0 / 3.0 / 3.0)) < 1e-15)
    #expect(abs(SetDistance.jaccard([1, 2], [2, 3]) - 2.0 / 3.0) < 1e-15)
    for distance in SetDistance.allCases {
      #expect(distance([1, 2], [1, 2]) == 0)
      #expect(distance([1], [2]) == 1)
      #expect(distance([], []) == 0)
      #expect(distance([], [3]) == 1)
    }
  }

  @Test func identicalRatersAgreePerfectly() {
    var accumulator = SetRatingAccumulator(raterCount: 3)
    for unit: Set<Int> in [[0, 1], [2], [1, 3], [0]] {
      accumulator.add(unit: [unit, unit, nil])
      accumulator.add(unit: [unit, unit, unit])
    }
    for distance in SetDistance.allCases {
      #expect(accumulator.krippendorffAlpha(distance: distance) == .value(1))
    }
  }

  @Test func degenerateDataIsUndefinedWithAReason() {
    var single = SetRatingAccumulator(raterCount: 2)
    single.add(unit: [[0, 1], nil])
    #expect(
      single.krippendorffAlpha(distance: .masi)
        == .undefined(reason: "no unit has at least two ratings"))
    var same = SetRatingAccumulator(raterCount: 2)
    same.add(unit: [[0, 1], [0, 1]])
    same.add(unit: [[0, 1], [0, 1]])
    #expect(
      same.krippendorffAlpha(distance: .jaccard)
        == .undefined(reason: "all pairable values are equal, so expected disagreement is 0"))
  }

  @Test func mergingEqualsAccumulatingOnce() throws {
    let fixture = try #require(Self.fixtures.last)
    let ratings = fixture.ratings
    var first = SetRatingAccumulator(raterCount: ratings[0].count)
    var second = SetRatingAccumulator(raterCount: ratings[0].count)
    for (i, unit) in ratings.enumerated() {
      if i % 3 == 0 { first.add(unit: unit) } else { second.add(unit: unit) }
    }
    second.merge(first)
    #expect(second.unitCount == ratings.count)
    let merged = try #require(second.krippendorffAlpha(distance: .masi).value)
    #expect(abs(merged - fixture.masi) < 1e-12)
  }
}
