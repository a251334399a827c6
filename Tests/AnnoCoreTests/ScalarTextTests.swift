import AnnoCore
import AnnoTestSupport
import Testing

@Suite struct ScalarTextTests {
  @Test func decodesEveryScalarLikeTheStandardLibrary() {
    var generator = SplitMix(seed: 11)
    // Long ASCII runs too, which are decoded eight bytes at a time, at every offset.
    let pieces: [String] = [
      "a", "é", "e\u{301}", "王", "👍🏽", "🇺🇦", "👩‍🔬", "\r\n", "\u{0}", "\u{10FFFF}", "ß", " ",
      "plain ascii words", "\u{7F}x",
    ]
    for _ in 0..<1_000 {
      var text = ""
      for _ in 0..<(generator.next() % 40) {
        text += pieces[Int(generator.next() % UInt64(pieces.count))]
      }
      let scalars = ScalarText(text)
      #expect(scalars.scalars == Array(text.unicodeScalars))
      if scalars.count > 1 {
        let range = 1..<scalars.count
        var view = String.UnicodeScalarView()
        view.append(contentsOf: Array(text.unicodeScalars)[range])
        #expect(scalars.slice(range) == String(view))
        #expect(scalars.range(range, equals: String(view)))
      }
    }
  }

  @Test func refusesRangesThatDoNotFit() {
    let text = ScalarText("abc")
    #expect(text.slice(2..<4) == nil)
    #expect(!text.range(2..<4, equals: "c"))
  }
}
