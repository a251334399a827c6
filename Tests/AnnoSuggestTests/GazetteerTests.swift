import AnnoCore
import AnnoSuggest
import Testing

@Suite struct GazetteerTests {
  static let entries: [Gazetteer.Entry] = [
    .init(text: "Georgia", label: "LOC", count: 7),
    .init(text: "Georgia", label: "PER", count: 1),
    .init(text: "Georgia", label: "LOC", count: 2),
    .init(text: "European Union", label: "ORG", count: 3),
    .init(text: "European", label: "MISC", count: 5),
    .init(text: "U.S.", label: "LOC", count: 4),
    .init(text: "Tbilisi", label: "LOC", count: 0),
  ]

  func matches(_ gazetteer: Gazetteer, in text: String) -> [Gazetteer.Match] {
    gazetteer.matches(in: ScalarText(text), tokens: Tokenizer().tokenize(text))
  }

  @Test func sumsCountsPerLabelAndNamesTheMajority() throws {
    // Given "Georgia" annotated as LOC 9 times and PER once
    let gazetteer = Gazetteer(entries: Self.entries)
    // When a document mentions it
    let found = matches(gazetteer, in: "Talks in Georgia resumed.")
    // Then the match carries the distribution and its majority label
    let match = try #require(found.first)
    #expect(found.count == 1)
    #expect(match.range == 9..<16)
    #expect(match.label == "LOC")
    #expect(
      match.distribution.entries == [.init(label: "LOC", count: 9), .init(label: "PER", count: 1)])
    #expect(match.distribution.total == 10)
    #expect(match.distribution.count(of: "PER") == 1)
    #expect(match.distribution.share(of: "LOC") == 0.9)
  }

  @Test func matchesExactCaseOnly() {
    let gazetteer = Gazetteer(entries: Self.entries)
    #expect(matches(gazetteer, in: "georgia and GEORGIA").isEmpty)
  }

  @Test func ignoresEntriesWithoutAPositiveCount() {
    let gazetteer = Gazetteer(entries: Self.entries)
    #expect(gazetteer.count == 4)
    #expect(matches(gazetteer, in: "In Tbilisi today.").isEmpty)
  }

  @Test func keepsTheLongestMatchesThatDoNotOverlap() {
    let gazetteer = Gazetteer(entries: Self.entries)
    let text = "The European Union and the U.S. met European leaders."
    let found = matches(gazetteer, in: text).map { "\(ScalarText(text)[$0.range])/\($0.label)" }
    #expect(found == ["European Union/ORG", "U.S./LOC", "European/MISC"])
    #expect(
      gazetteer.allMatches(in: ScalarText(text), tokens: Tokenizer().tokenize(text)).count == 4)
  }

  @Test func breaksMajorityTiesByLabelNameWhateverTheOrder() {
    let forward = LabelDistribution(counts: ["PER": 2, "LOC": 2, "ORG": 1])
    #expect(forward?.majority == "LOC")
    #expect(forward?.entries.map(\.label) == ["LOC", "PER", "ORG"])
    #expect(LabelDistribution(counts: ["PER": 0]) == nil)
  }

  @Test func holdsAHundredThousandEntries() {
    // Given 100,000 distinct two-token names
    let entries = (0..<100_000).map {
      Gazetteer.Entry(text: "Name\($0) Surname\($0 % 977)", label: $0 % 3 == 0 ? "PER" : "ORG")
    }
    let gazetteer = Gazetteer(entries: entries)
    #expect(gazetteer.count == 100_000)
    // Then the last one is found like the first
    let found = matches(gazetteer, in: "Name99999 Surname345 spoke.")
    #expect(found.map(\.range) == [0..<20])
    #expect(found.map(\.label) == ["PER"])
  }
}
