import AnnoCore
import AnnoTestSupport
import Testing

@Suite struct AnnotationValidationTests {
  let schema = try! LabelSchema(yaml: BundledGuidelines.schemaYAML)

  @Test func acceptsAValidSetOverEmojiAndCJK() throws {
    let sample = try MarkedText("⟦PER Zoë⟧ 👍🏽 met ⟦PER 王毅⟧ in ⟦LOC Київ⟧ 🇺🇦.")
    let set = AnnotationSet(
      annotator: "a", entities: sample.spans, sentiment: "positive",
      stances: [Stance(target: "Moscow", value: "against")],
      labels: ["topic": "diplomacy", "urgency": "3"])
    #expect(set.problems(in: ScalarText(sample.text), schema: schema).isEmpty)
    #expect(ScalarText(sample.text)[sample.spans[1].range] == "王毅")
  }

  @Test func reportsEveryProblemWithAHint() {
    let text = ScalarText("Kerry met Lavrov.")
    let set = AnnotationSet(
      annotator: "a",
      entities: [
        EntitySpan(start: 0, end: 5, label: "PRE"), EntitySpan(start: 10, end: 40, label: "PER"),
        EntitySpan(start: 10, end: 40, label: "PER"),
      ],
      sentiment: "postive",
      stances: [
        Stance(target: "Russia", value: "favour"), Stance(target: "Moscow", value: "against"),
      ],
      labels: ["topik": "sport"])
    #expect(
      set.problems(
        in: text, schema: schema,
        claims: [ClaimedText(path: "entities[0]", range: 0..<5, text: "Kerri")]) == [
          "entities[0]: unknown label 'PRE'; did you mean 'PER'? (expected one of PER, ORG, LOC, MISC)",
          "entities[1]: offsets 10..<40 are outside the text (length 17 code points)",
          "entities[2]: offsets 10..<40 are outside the text (length 17 code points)",
          "sentiment: unknown sentiment 'postive'; did you mean 'positive'? (expected one of negative, neutral, positive)",
          "stances[0]: unknown stance value 'favour'; did you mean 'favor'? (expected one of favor, against, neutral)",
          "labels: unknown field 'topik'; did you mean 'topic'? (expected one of topic, urgency)",
          "entities[0]: text \"Kerri\" does not match the document, which has \"Kerry\" at 0..<5",
          "entities[2]: exact duplicate of an earlier entry",
          "stances[1]: a second document-level stance toward 'Moscow'; give one value per target",
        ])
  }

  @Test func quotedTextShowsControlCharactersAndEscapes() {
    #expect(AnnotationSet.quoted("a\u{1B}[31m\nb") == #""a\u{1b}[31m\nb""#)
  }

  @Test func suggestionsFindCloseWordsOnly() {
    #expect(Suggestion.closest(to: "ORGG", in: ["PER", "ORG"]) == "ORG")
    #expect(Suggestion.closest(to: "pesitive", in: ["negative", "positive"]) == "positive")
    #expect(Suggestion.closest(to: "xyz", in: ["PER", "ORG"]) == nil)
    #expect(Suggestion.editDistance(Array("ab".unicodeScalars), Array("ba".unicodeScalars)) == 1)
  }

  @Test func markedTextGivesCodePointOffsets() throws {
    let sample = try MarkedText("🇺🇦 ⟦ORG ⟦LOC Paris⟧ Saint-Germain⟧")
    #expect(sample.text == "🇺🇦 Paris Saint-Germain")
    #expect(
      sample.spans == [
        EntitySpan(start: 3, end: 8, label: "LOC"), EntitySpan(start: 3, end: 22, label: "ORG"),
      ])
  }
}
