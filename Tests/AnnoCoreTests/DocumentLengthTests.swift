import AnnoTestSupport
import Testing

@testable import AnnoCore

/// A document's length counts Unicode scalars, the offsets' unit, straight from its UTF-8.
@Suite struct DocumentLengthTests {
  @Test func lengthIsTheScalarCountOfEveryKindOfText() {
    let pieces = ["a", "é", "e\u{301}", "王", "👍🏽", "🇺🇦", "\r\n", "\u{0}", "’", "👩‍🔬", "Київ", " "]
    var random = SplitMix(seed: 5)
    for _ in 0..<1_000 {
      var text = ""
      for _ in 0..<Int(random.next() % 40) {
        text += pieces[Int(random.next() % UInt64(pieces.count))]
      }
      #expect(
        Document(externalID: "d", text: text).length == text.unicodeScalars.count,
        "\(text.debugDescription)")
    }
    #expect(Document(externalID: "d", text: "").length == 0)
    // Long texts: more than 255 eight-byte words of continuation bytes, which the count
    // takes in rounds.
    for repeats in [300, 1_000, 4_097] {
      let text = String(repeating: "Київ王👍🏽é", count: repeats) + "x"
      #expect(Document(externalID: "d", text: text).length == text.unicodeScalars.count)
    }
    // A text made from a substring goes through the same count.
    let sliced = String("xx👍🏽é yy".dropFirst(2))
    #expect(Document(externalID: "d", text: sliced).length == sliced.unicodeScalars.count)
  }
}
