import AnnoCore
import AnnoFormats
import Testing

@Suite struct RecordDecoderTests {
  let decoder = RecordDecoder(
    format: .auto, defaultAnnotator: "importer",
    schema: try! LabelSchema(yaml: BundledGuidelines.schemaYAML))

  func record(_ json: String) throws -> ImportRecord {
    guard case .record(let record) = try decoder.decode(try JSONParser.parse(json)) else {
      throw DecodeError("skipped")
    }
    return record
  }

  @Test func plainDocumentsKeepMetaTokensAndGetAHashIDWhenNoneIsGiven() throws {
    let doc = try record(
      #"{"id": "d1", "text": "Hi there", "title": "T", "meta": {"src": "x"}, "tokens": [[0, 2], [3, 8]]}"#
    )
    #expect(doc.externalID == "d1")
    #expect(doc.meta == ["src": .string("x")])
    #expect(doc.tokenRanges == [0..<2, 3..<8])
    #expect(doc.annotations == nil)
    let anonymous = try record(#"{"text": "Hi"}"#)
    #expect(
      anonymous.externalID == "doc-" + String(SHA256.hexDigest(of: Array("Hi".utf8)).prefix(16)))
  }

  @Test func annoRecordsCarryEveryKindAndTheirClaimedTexts() throws {
    let r = try record(
      #"{"id": "k", "text": "Kerry met Lavrov", "annotator": "ann1", "status": "done", "offsets": "codepoint", "entities": [{"start": 0, "end": 5, "label": "PER", "text": "Kerry"}], "sentiment": "neutral", "span_sentiments": [{"start": 10, "end": 16, "value": "negative"}], "stances": [{"target": "kremlin", "value": "against", "start": 10, "end": 16, "text": "Lavrov"}], "labels": {"topic": "diplomacy", "urgency": 3.0}, "notes": [{"text": "check"}]}"#
    )
    let set = try #require(r.annotations)
    #expect(set.annotator == "ann1")
    #expect(set.entities == [EntitySpan(start: 0, end: 5, label: "PER")])
    #expect(set.spanSentiments == [SpanSentiment(start: 10, end: 16, value: "negative")])
    #expect(set.stances == [Stance(target: "Russia", value: "against", range: 10..<16)])
    #expect(set.labels == ["topic": "diplomacy", "urgency": "3"])
    #expect(set.notes == [Note(text: "check")])
    #expect(r.claims.map(\.text) == ["Kerry", "Lavrov"])
  }

  @Test func prodigyAcceptedTasksImportAndOthersAreSkipped() throws {
    let r = try record(
      #"{"text": "Kerry spoke", "spans": [{"start": 0, "end": 5, "label": "PER", "token_start": 0, "token_end": 0}], "answer": "accept", "_input_hash": 42}"#
    )
    #expect(r.externalID == "prodigy-42")
    #expect(r.annotations?.entities == [EntitySpan(start: 0, end: 5, label: "PER")])
    #expect(r.annotations?.annotator == "importer")
    guard
      case .skipped(let reason) = try decoder.decode(
        try JSONParser.parse(#"{"text": "x", "answer": "reject"}"#))
    else {
      Issue.record("expected a skip")
      return
    }
    #expect(reason == "Prodigy answer is 'reject', not 'accept'")
  }

  @Test func doccanoSpansAndClassesMapToEntitiesSentimentAndFields() throws {
    let spans = try record(#"{"id": 7, "text": "Kerry spoke", "label": [[0, 5, "PER"]]}"#)
    #expect(spans.externalID == "7")
    #expect(spans.annotations?.entities == [EntitySpan(start: 0, end: 5, label: "PER")])
    let classes = try record(#"{"id": "c", "text": "Goal!", "label": ["positive", "sport"]}"#)
    #expect(classes.annotations?.sentiment == "positive")
    #expect(classes.annotations?.labels == ["topic": "sport"])
  }

  @Test(arguments: [
    (#"[1, 2]"#, "expected a JSON object, found an array"),
    (#"{"id": "x"}"#, "missing key 'text'"),
    (#"{"id": "x", "text": ["a"]}"#, "'text' must be a string, not an array"),
    (
      #"{"id": "x", "text": "a", "annotator": "a", "offsets": "utf16"}"#,
      "'offsets' must be \"codepoint\" (Unicode scalar offsets); convert UTF-16 or byte offsets first"
    ),
    (
      #"{"id": "x", "text": "abc", "entities": [{"start": 2, "end": 1, "label": "PER"}]}"#,
      "entities[0]: start 2 must be less than end 1"
    ),
    (
      #"{"id": "x", "text": "abc", "entities": [{"start": 0, "label": "PER"}]}"#,
      "entities[0]: missing key 'end'"
    ),
    (
      #"{"id": "x", "text": "abc", "status": "finished"}"#,
      "unknown status 'finished' (expected one of todo, in_progress, done, skipped, flagged)"
    ),
    (
      #"{"text": "abc", "label": ["joy"]}"#,
      "label[0]: unknown class label 'joy' (expected one of negative, neutral, positive, diplomacy, politics, business, economy, sport, science, technology, health, culture, other, 1, 2, 3, 4, 5)"
    ),
  ])
  func badRecordsNameTheKeyAtFault(json: String, message: String) throws {
    #expect(throws: DecodeError(message)) { try decoder.decode(try JSONParser.parse(json)) }
  }
}
