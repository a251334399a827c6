import AnnoAgreement
import AnnoCore
import Testing

@testable import AnnoReport

/// A field's tallies are the same whether units are counted by rating pattern or one by one.
@Suite struct FieldTallyTests {
  @Test(arguments: [
    (categories: 5, raters: 3), (categories: 2, raters: 4), (categories: 9, raters: 3),
  ])
  func countingByPatternGivesTheSameTalliesAsAddingEachUnit(categories q: Int, raters: Int) {
    // Given the same pseudo-random units, some ratings missing, fed to both ways of counting,
    let names = (0..<q).map { "c\($0)" }
    var byPattern = FieldTally(
      name: "f", level: .ordinal, categories: names, raterCount: raters, keepsDocuments: false)
    var oneByOne = FieldTally(
      name: "f", level: .ordinal, categories: names, raterCount: raters, keepsDocuments: false,
      countsPatterns: false)
    var random = SplitMix64(seed: UInt64(q * 31 + raters))
    for document in 0..<2_000 {
      let unit: [Int?] = (0..<raters).map { _ in
        random.next() % 10 == 0 ? nil : Int(random.next() % UInt64(q))
      }
      byPattern.add(unit, document: document)
      oneByOne.add(unit, document: document)
    }
    // every count behind every measure is identical, and so is the rendered section.
    #expect(byPattern.accumulator == oneByOne.accumulator)
    #expect(byPattern.majority == oneByOne.majority)
    #expect(byPattern.accumulator.unitCount > 1_500)
    let annotators = (0..<raters).map { "r\($0)" }
    #expect(
      byPattern.majorityComparisons(annotators: annotators)
        == oneByOne.majorityComparisons(annotators: annotators))
    #expect(
      byPattern.section(annotators: annotators, intervals: [:])
        == oneByOne.section(annotators: annotators, intervals: [:]))
  }

  @Test func manyRatersFallBackToAddingEachUnit() {
    // Given 6 categories and 6 raters (7^6 patterns, more than are counted by pattern),
    var tally = FieldTally(
      name: "f", level: .nominal, categories: (0..<6).map(String.init), raterCount: 6,
      keepsDocuments: false)
    tally.add([0, 0, 1, nil, 5, 5], document: 0)
    tally.add([0, 0, 0, 0, 0, 0], document: 1)
    // the tallies still hold both units.
    #expect(tally.accumulator.unitCount == 2)
    #expect(tally.accumulator.contingencyTable(0, 1).rows[0][0] == 2)
  }
}
