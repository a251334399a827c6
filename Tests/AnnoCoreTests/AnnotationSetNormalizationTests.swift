import AnnoTestSupport
import Testing

@testable import AnnoCore

/// `AnnotationSet.normalized()` sorts each list and keeps one of equal elements; it gives
/// what sorting the distinct elements of a `Set` gives, down to which of two canonically
/// equivalent spellings (equal as Swift strings) is kept.
@Suite struct AnnotationSetNormalizationTests {
  @Test func matchesSortingASetOnRandomListsWithDuplicates() {
    // "é" precomposed and decomposed are equal strings with different scalars.
    let labels = ["PER", "ORG", "caf\u{E9}", "cafe\u{301}", "Z"]
    var random = SplitMix(seed: 21)
    func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
    for _ in 0..<2_000 {
      let count = Int(random.next() % 12)
      let entities = (0..<count).map { _ in
        EntitySpan(start: pick([0, 1, 2]), end: pick([3, 4]), label: pick(labels))
      }
      let stances = (0..<count).map { _ in
        Stance(
          target: pick(labels), value: pick(["favor", "against"]), range: pick([nil, 0..<3, 1..<3]))
      }
      let notes = (0..<count).map { _ in Note(text: pick(labels), range: pick([nil, 2..<4])) }
      let sentiments = (0..<count).map { _ in
        SpanSentiment(
          start: pick([0, 5]), end: pick([6, 7]), value: pick(["positive", "negative"]))
      }
      let set = AnnotationSet(
        annotator: "a", entities: entities, spanSentiments: sentiments, stances: stances,
        notes: notes
      ).normalized()
      let expectedEntities = Array(Set(entities)).sorted()
      #expect(set.entities == expectedEntities)
      #expect(set.entities?.map { scalars($0.label) } == expectedEntities.map { scalars($0.label) })
      #expect(set.spanSentiments == Array(Set(sentiments)).sorted())
      let expectedStances = Array(Set(stances)).sorted()
      #expect(set.stances == expectedStances)
      #expect(set.stances?.map { scalars($0.target) } == expectedStances.map { scalars($0.target) })
      #expect(set.notes == Array(Set(notes)).sorted())
    }
  }

  @Test func keepsOneOfEachAndSortsByStartEndLabel() {
    let set = AnnotationSet(
      annotator: "a",
      entities: [
        EntitySpan(start: 5, end: 9, label: "ORG"), EntitySpan(start: 0, end: 4, label: "PER"),
        EntitySpan(start: 5, end: 9, label: "ORG"), EntitySpan(start: 0, end: 4, label: "LOC"),
      ]
    ).normalized()
    #expect(
      set.entities == [
        EntitySpan(start: 0, end: 4, label: "LOC"), EntitySpan(start: 0, end: 4, label: "PER"),
        EntitySpan(start: 5, end: 9, label: "ORG"),
      ])
  }
}
