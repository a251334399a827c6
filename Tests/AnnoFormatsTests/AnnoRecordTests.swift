import AnnoCore
import AnnoFormats
import AnnoTestSupport
import Testing

@Suite struct AnnoRecordTests {
  let schema = try! LabelSchema(yaml: BundledGuidelines.schemaYAML)

  @Test func writesSortedKeysSpanTextsAndNumericFieldsAsNumbers() {
    let document = Document(
      externalID: "k", text: "Zoë met 王毅\r\n", title: "T", meta: ["b": .int(1), "a": .string("x")])
    let set = AnnotationSet(
      annotator: "ann1", status: .done,
      entities: [
        EntitySpan(start: 8, end: 10, label: "PER"), EntitySpan(start: 0, end: 3, label: "PER"),
      ],
      sentiment: "positive", stances: [Stance(target: "Russia", value: "neutral")],
      labels: ["urgency": "2", "topic": "other"])
    var writer = JSONWriter()
    AnnoRecord.write(
      AnnotatedDocument(document: document, annotations: set), text: ScalarText(document.text),
      schema: schema, into: &writer)
    #expect(
      String(decoding: writer.bytes, as: UTF8.self)
        == #"{"annotator":"ann1","entities":[{"end":3,"label":"PER","start":0,"text":"Zoë"},{"end":10,"label":"PER","start":8,"text":"王毅"}],"id":"k","labels":{"topic":"other","urgency":2},"meta":{"a":"x","b":1},"offsets":"codepoint","sentiment":"positive","stances":[{"target":"Russia","value":"neutral"}],"status":"done","text":"Zoë met 王毅\r\n","title":"T"}"#
        + "\n")
  }

  @Test func writtenRecordsDecodeToTheSameSet() throws {
    let document = Document(externalID: "d", text: "👍🏽 Kerry said “no” in Sochi.")
    let set = AnnotationSet(
      annotator: "a", status: .flagged, entities: [EntitySpan(start: 3, end: 8, label: "PER")],
      spanSentiments: [SpanSentiment(start: 14, end: 18, value: "negative")], sentiment: "negative",
      stances: [Stance(target: "Russia", value: "against", range: 14..<18)], labels: [:],
      notes: [Note(text: "odd", range: 0..<2)], flagReason: "unsure")
    var writer = JSONWriter()
    AnnoRecord.write(
      AnnotatedDocument(document: document, annotations: set), text: ScalarText(document.text),
      schema: schema, into: &writer)
    let decoder = RecordDecoder(format: .anno, defaultAnnotator: "x", schema: schema)
    guard
      case .record(let record) = try decoder.decode(try JSONParser.parse(writer.bytes.dropLast()))
    else {
      Issue.record("expected a record")
      return
    }
    #expect(record.annotations == set.normalized())
    #expect(record.problems(in: ScalarText(document.text), schema: schema).isEmpty)
  }

  @Test func aSetValuedFieldIsAListInDeclaredOrderAndReadsBack() throws {
    let schema = try MultiLabelSchema.schema()
    let document = Document(externalID: "d", text: "Markets fell after the cup final.")
    let set = AnnotationSet(
      annotator: "a", labels: ["urgency": "3"], labelSets: ["topic": ["sport", "economy"]])
    var writer = JSONWriter()
    AnnoRecord.write(
      AnnotatedDocument(document: document, annotations: set), text: ScalarText(document.text),
      schema: schema, into: &writer)
    let line = String(decoding: writer.bytes, as: UTF8.self)
    #expect(line.contains(#""labels":{"topic":["economy","sport"],"urgency":3}"#))
    let decoder = RecordDecoder(format: .anno, defaultAnnotator: "x", schema: schema)
    guard
      case .record(let record) = try decoder.decode(try JSONParser.parse(writer.bytes.dropLast()))
    else {
      Issue.record("expected a record")
      return
    }
    #expect(record.annotations == set.normalized())
    // One value given for a set-valued field is a set of one.
    let single = try decoder.decode(
      try JSONParser.parse(Array(#"{"id": "e", "text": "x", "labels": {"topic": "sport"}}"#.utf8)))
    guard case .record(let one) = single else {
      Issue.record("expected a record")
      return
    }
    #expect(one.annotations?.labelSets == ["topic": ["sport"]])
  }
}
