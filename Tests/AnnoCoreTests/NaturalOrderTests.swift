import AnnoCore
import Testing

@Suite struct NaturalOrderTests {
  @Test func keysWriteEachDigitRunAsItsLengthAndDigits() {
    #expect(NaturalOrder.key("") == "")
    #expect(NaturalOrder.key("doc-007") == "doc-\u{1}017")
    #expect(NaturalOrder.key("x000") == "x\u{1}010")
    #expect(NaturalOrder.key("entity|140:1045") == "entity|\u{1}03140:\u{1}041045")
    // Letters beside the digits, ASCII or not, are copied as they are.
    #expect(NaturalOrder.key("é12ü٣") == "é\u{1}0212ü٣")
    // A run longer than 99 digits says 99 and keeps every digit.
    let long = String(repeating: "7", count: 120)
    #expect(NaturalOrder.key("n" + long) == "n\u{1}99" + long)
  }

  @Test func sortedAgreesWithPrecedes() {
    let texts = [
      "doc-10", "doc-9", "doc-09", "doc-9a", "doc-", "140", "1045", "0", "00", "a7", "b1", "é2",
      "e10", "entity|9:12", "entity|140:150", "entity|1045:1050", "sentiment", "stance|Ukraine",
    ]
    let expected = texts.sorted(by: NaturalOrder.precedes)
    #expect(NaturalOrder.sorted(texts, by: { $0 }) == expected)
    #expect(NaturalOrder.sorted(texts.reversed(), by: { $0 }) == expected)
    // Same key, different text ("doc-9" and "doc-09"): the plain text breaks the tie.
    #expect(expected.firstIndex(of: "doc-09")! < expected.firstIndex(of: "doc-9")!)
    #expect(expected.prefix(4) == ["0", "00", "140", "1045"])
  }
}
