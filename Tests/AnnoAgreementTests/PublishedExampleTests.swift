import AnnoAgreement
import Testing

/// Worked examples with the values their sources publish.
@Suite struct PublishedExampleTests {
  /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", §C: 4 observers ×
  /// 12 units, values 1–5, with missing data (rows are observers A–D).
  static let krippendorff2011: RatingTable<Int> = RatingTable(
    categories: [1, 2, 3, 4, 5],
    raterRows: [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
      [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
    ])

  // Published to three decimals; the second value is Python `krippendorff` 0.9.0 on the same
  // matrix (value_domain=[1, 2, 3, 4, 5]), for a 1e-9 comparison.
  @Test(arguments: [
    (MeasurementLevel.nominal, 0.743, 0.743421052631579),
    (.ordinal, 0.815, 0.8153875037548814),
    (.interval, 0.849, 0.8491071428571428),
    (.ratio, 0.797, 0.7974027747116121),
  ])
  func krippendorffAlphaMatchesKrippendorff2011(
    level: MeasurementLevel, published: Double, python: Double
  ) {
    let alpha = Self.krippendorff2011.accumulator.krippendorffAlpha(
      level: level, values: [1, 2, 3, 4, 5])
    expectValue(alpha, published, tolerance: 0.0005)
    expectValue(alpha, python, tolerance: 1e-9)
    // The same α from the coincidence matrix alone (Krippendorff 2011, §C's table of o_ck).
    let fromCoincidences = RatingAccumulator.krippendorffAlpha(
      coincidences: Self.krippendorff2011.accumulator.coincidenceMatrix, level: level,
      values: [1, 2, 3, 4, 5])
    expectValue(fromCoincidences, python, tolerance: 1e-9)
  }

  /// Fleiss (1971, page 379): 30 subjects, 6 raters, 5 diagnoses; P̄ = .5556, P̄e = .220, κ = .430.
  @Test func fleissKappaMatchesFleiss1971() throws {
    let subjects: [[Int]] = [
      [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
      [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
      [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
      [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
      [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
      [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
      [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
      [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]
    let table = RatingTable(categories: [1, 2, 3, 4, 5], units: subjects)
    let acc = table.accumulator
    expectValue(acc.percentAgreement, 0.5556, tolerance: 0.00005)
    let shares = try #require(acc.categoryShares)
    expectValue(.value(shares.reduce(0) { $0 + $1 * $1 }), 0.220, tolerance: 0.0005)
    expectValue(acc.fleissKappa, 0.430, tolerance: 0.0005)
  }

  /// Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories, κ = 0.210
  /// (statsmodels' `fleiss_kappa` gives 0.20993070442195522).
  @Test func fleissKappaMatchesWikipediaExample() {
    let acc = accumulator(fromDistribution: [
      [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ])
    expectValue(acc.fleissKappa, 0.210, tolerance: 0.0005)
    expectValue(acc.fleissKappa, 0.20993070442195522, tolerance: 1e-9)
    expectValue(acc.percentAgreement, 0.378, tolerance: 0.0005)
  }

  // Wikipedia, "Cohen's kappa": yes/no tables [[a, b], [c, d]] (rows rater A) and κ.
  @Test(arguments: [
    ([[20, 5], [10, 15]], 0.4),
    ([[45, 15], [25, 15]], 0.1304),
    ([[25, 35], [5, 35]], 0.2593),
  ])
  func cohensKappaMatchesWikipediaExamples(table: [[Int]], kappa: Double) {
    expectValue(ContingencyTable(table).cohensKappa, kappa, tolerance: 0.00005)
    expectValue(accumulator(fromTable: table).cohensKappa(0, 1), kappa, tolerance: 0.00005)
  }

  // Artstein & Poesio (2008), Computational Linguistics 34(4), pp. 558 and 568. The paper
  // computes from rounded pₑ (.545, .401), so its last digit may be one off: tolerance 1e-3.
  @Test(arguments: [
    ([[20, 10], [20, 50]], 0.7, 0.4, 0.341, 0.348),
    ([[46, 0, 0], [6, 32, 6], [0, 0, 10]], 0.88, 0.82, 0.799, 0.801),
  ])
  func twoRaterCoefficientsMatchArtsteinPoesio2008(
    table: [[Int]], agreement: Double, s: Double, pi: Double, kappa: Double
  ) {
    let acc = accumulator(fromTable: table)
    expectValue(acc.percentAgreement, agreement, tolerance: 1e-12)
    expectValue(acc.bennettsS, s, tolerance: 0.001)
    expectValue(acc.scottsPi(0, 1), pi, tolerance: 0.001)
    expectValue(acc.cohensKappa(0, 1), kappa, tolerance: 0.001)
  }

  /// Artstein & Poesio (2008, page 568): α = .800 (from rounded D_o = .120, D_e = .601).
  @Test func krippendorffAlphaMatchesArtsteinPoesio2008() {
    let acc = accumulator(fromTable: [[46, 0, 0], [6, 32, 6], [0, 0, 10]])
    expectValue(acc.krippendorffAlpha(level: .nominal), 0.800, tolerance: 0.001)
  }

  /// Gwet's irrCAC vignette ("Calculating Chance-corrected Agreement Coefficients"),
  /// `cont3x3abstractors`, values printed to seven digits.
  @Test func twoRaterCoefficientsMatchIrrCACVignette() {
    let acc = accumulator(fromTable: [[13, 0, 0], [0, 20, 7], [0, 4, 56]])
    expectValue(acc.cohensKappa(0, 1), 0.7964094, tolerance: 5e-8)
    expectValue(acc.scottsPi(0, 1), 0.7962397, tolerance: 5e-8)
    expectValue(acc.gwetsAC1, 0.8493305, tolerance: 5e-8)
    expectValue(acc.bennettsS, 0.835, tolerance: 5e-8)
    expectValue(acc.krippendorffAlpha(level: .nominal), 0.7972585, tolerance: 5e-8)
    expectValue(acc.percentAgreement, 0.89, tolerance: 1e-12)
  }

  /// Gwet (2008)'s AC1 on a skewed 2×2 study, by hand: pₐ = .9, π_y = .85,
  /// pₑ = 2·.85·.15 = .255, AC1 = .645/.745 = .8658; Scott's π = .6078.
  @Test func gwetsAC1ResistsTheKappaParadox() {
    let acc = accumulator(fromTable: [[8, 1], [0, 1]])
    expectValue(acc.gwetsAC1, 0.645 / 0.745, tolerance: 1e-12)
    expectValue(acc.scottsPi(0, 1), 0.6078, tolerance: 0.00005)
  }

  /// Krippendorff (1995, page 57), pair A (Bertha, Bill) digitised into 24 binary units:
  /// κ = .385, π = .314, α = .329.
  @Test func digitisedUnitizingExampleMatchesKrippendorff1995() {
    let bertha = "001111111100001111110000"
    let bill = "000011110000000110000000"
    var acc = RatingAccumulator(categoryCount: 2, raterCount: 2)
    for (x, y) in zip(bertha, bill) { acc.add(unit: [x == "1" ? 1 : 0, y == "1" ? 1 : 0]) }
    expectValue(acc.cohensKappa(0, 1), 0.385, tolerance: 0.0005)
    expectValue(acc.scottsPi(0, 1), 0.314, tolerance: 0.0005)
    expectValue(acc.krippendorffAlpha(level: .nominal), 0.329, tolerance: 0.0005)
  }

  // Weighted κ on a 4×4 ordinal table; reference values from scikit-learn 1.9.1,
  // `cohen_kappa_score(y1, y2, weights=w, labels=[0, 1, 2, 3])` on the expanded table.
  @Test(arguments: [
    (KappaWeighting.linear, 0.6159280667951188),
    (.quadratic, 0.7049518569463549),
  ])
  func weightedKappaMatchesScikitLearn(weighting: KappaWeighting, expected: Double) {
    let table = ContingencyTable([[11, 3, 1, 0], [2, 9, 4, 1], [0, 3, 8, 2], [1, 0, 2, 5]])
    expectValue(table.weightedKappa(weighting), expected, tolerance: 1e-12)
    expectValue(table.cohensKappa, 0.5047619047619047, tolerance: 1e-12)
  }
}
