import AnnoCore
import Testing

@testable import AnnoAgreement

/// `SpanStudy.tokenTags` skips untagged stretches and reads spans as integer arrays; it
/// gives exactly the tags of the plain token-by-token definition below, on random documents
/// with nested, overlapping, touching and duplicate spans and tokens that cross span edges.
@Suite struct TokenTagsTests {
  /// Token by token: open every span starting at or before the token, close those ending at
  /// or before it, the first open span containing the token wins (earliest start, longest,
  /// first label); `B` unless the previous token went to the same span.
  static func referenceTags(_ study: SpanStudy, _ document: SpanDocument, annotator: Int) -> [Int] {
    let spans = document.annotations[annotator].sorted {
      if $0.start != $1.start { return $0.start < $1.start }
      if $0.end != $1.end { return $0.end > $1.end }
      return study.index($0.label) < study.index($1.label)
    }
    var tags: [Int] = []
    var previous: Int? = nil
    var next = 0
    var open: [Int] = []
    for token in document.tokens {
      while next < spans.count && spans[next].start <= token.lowerBound {
        open.append(next)
        next += 1
      }
      open.removeAll { spans[$0].end <= token.lowerBound }
      guard let w = open.first(where: { spans[$0].end >= token.upperBound }) else {
        tags.append(0)
        previous = nil
        continue
      }
      let label = study.index(spans[w].label)
      tags.append(previous == w ? 2 + 2 * label : 1 + 2 * label)
      previous = w
    }
    return tags
  }

  @Test func tagsEqualTheTokenByTokenDefinition() {
    let labels = ["PER", "ORG", "LOC"]
    var random = SplitMix64(seed: 77)
    for round in 0..<3_000 {
      // Tokens: random lengths with random gaps, sometimes none at all.
      var tokens: [Range<Int>] = []
      var offset = 0
      for _ in 0..<Int.random(in: 0...25, using: &random) {
        offset += Int.random(in: 0...2, using: &random)
        let length = Int.random(in: 1...4, using: &random)
        tokens.append(offset..<(offset + length))
        offset += length
      }
      let length = offset + 3
      let spans: [LabeledSpan] = (0..<Int.random(in: 0...7, using: &random)).map { _ in
        let start = Int.random(in: 0..<length, using: &random)
        return LabeledSpan(
          start: start, end: min(length, start + Int.random(in: 1...12, using: &random)),
          label: labels[Int.random(in: 0..<labels.count, using: &random)])
      }
      let study = SpanStudy(labels: labels, annotatorCount: 1)
      let document = SpanDocument(length: length, tokens: tokens, annotations: [spans])
      #expect(
        study.tokenTags(of: document, annotator: 0)
          == Self.referenceTags(study, document, annotator: 0),
        "round \(round): \(spans) over \(tokens)")
      // The sparse form lists exactly the tokens the definition does not tag `O`.
      let indexed = spans.map {
        IndexedSpan(start: $0.start, end: $0.end, label: study.index($0.label))
      }
      let expected = Self.referenceTags(study, document, annotator: 0).enumerated().filter {
        $0.element != 0
      }
      let sparse = SpanStudy.taggedTokens(of: indexed, tokens: tokens)
      #expect(
        sparse.map(\.token) == expected.map(\.offset)
          && sparse.map(\.tag) == expected.map(\.element), "round \(round)")
    }
  }
}
