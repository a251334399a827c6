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
    #expect(reason == "Prodigy answer 'reject'")
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
      "read as doccano JSONL (from its key 'label'; give --format to choose): label[0]: unknown class label 'joy' (expected one of negative, neutral, positive, diplomacy, politics, business, economy, sport, science, technology, health, culture, other, 1, 2, 3, 4, 5); declare it in a field's values, or name the field with --field NAME (and add the values to it with --new-labels)"
    ),
  ])
  func badRecordsNameTheKeyAtFault(json: String, message: String) throws {
    #expect(throws: DecodeError(message)) { try decoder.decode(try JSONParser.parse(json)) }
  }
}

/// Issue 22: every shape Prodigy and doccano write, decoded to what Anno keeps and notes of
/// what it leaves out.
@Suite struct ExistingDataDecoderTests {
  let schema = try! LabelSchema(yaml: BundledGuidelines.schemaYAML)

  func decoder(_ configure: (inout DecodeOptions) -> Void = { _ in }) -> RecordDecoder {
    var decoder = RecordDecoder(format: .auto, defaultAnnotator: "importer", schema: schema)
    configure(&decoder.options)
    return decoder
  }

  func record(_ json: String, _ decoder: RecordDecoder? = nil) throws -> ImportRecord {
    guard
      case .record(let record) = try (decoder ?? self.decoder()).decode(try JSONParser.parse(json))
    else { throw DecodeError("not one record") }
    return record
  }

  @Test func prodigyTokensBecomeTheTokenizationOnlyWhenTheyTileTheText() throws {
    let tiled = try record(
      #"{"text": "New York!", "tokens": [{"text": "New", "start": 0, "end": 3, "id": 0, "ws": true}, {"text": "York", "start": 4, "end": 8, "id": 1, "ws": false}, {"text": "!", "start": 8, "end": 9, "id": 2, "ws": false}], "spans": [], "answer": "accept"}"#
    )
    #expect(tiled.tokenRanges == [0..<3, 4..<8, 8..<9])
    #expect(tiled.notes.isEmpty)
    #expect(tiled.annotations?.entities == [])
    let gap = try record(
      #"{"text": "New York!", "tokens": [{"start": 0, "end": 3}, {"start": 4, "end": 8}], "answer": "accept"}"#
    )
    #expect(gap.tokenRanges == nil)
    #expect(gap.notes.map(\.key) == ["tokens"])
  }

  @Test func prodigyAnnotatorComesFromTheTaskAndRejectedBinaryTasksKeepTheirSpansAsRejections()
    throws
  {
    let r = try record(
      #"{"text": "Kerry spoke", "spans": [{"start": 0, "end": 5, "label": "PER"}], "answer": "reject", "_view_id": "ner", "_session_id": "news-bob", "_annotator_id": "news-ann"}"#
    )
    #expect(r.annotations == nil)
    #expect(r.rejectedSpans == [EntitySpan(start: 0, end: 5, label: "PER")])
    #expect(r.rejectionsAnnotator == "news-ann")
    // A rejected manual task is an unusable example: skipped, not rejections.
    guard
      case .skipped(let reason) = try decoder().decode(
        try JSONParser.parse(
          #"{"text": "Kerry", "spans": [{"start": 0, "end": 5, "label": "PER"}], "answer": "reject", "_view_id": "ner_manual"}"#
        ))
    else {
      Issue.record("expected a skip")
      return
    }
    #expect(reason == "Prodigy answer 'reject' on a ner_manual task")
  }

  @Test func prodigyChoiceWithSeveralAcceptsForASingleFieldIsRefusedByName() throws {
    #expect(
      throws: DecodeError(
        "read as a Prodigy task (from its key 'accept'; give --format to choose): accept[1]: a second value 'sport' for field 'topic' (after 'economy'); 'topic' is not multiple (set-valued), so it keeps one value"
      )
    ) {
      try decoder().decode(
        try JSONParser.parse(
          #"{"text": "x", "options": [{"id": "economy"}, {"id": "sport"}], "accept": ["economy", "sport"], "answer": "accept"}"#
        ))
    }
  }

  @Test func prodigyEntityLinkingAndRelationsAreLeftOutWithCounts() throws {
    let r = try record(
      #"{"text": "Paris is big", "spans": [{"start": 0, "end": 5, "label": "LOC"}], "options": [{"id": "Q90", "text": "Paris"}], "accept": ["Q90"], "relations": [{"head": 0, "child": 1, "label": "X"}], "answer": "accept", "_view_id": "choice"}"#
    )
    #expect(r.annotations?.entities == [EntitySpan(start: 0, end: 5, label: "LOC")])
    #expect(
      r.notes == [
        ImportNote(
          .leftOut, key: "relations", count: 1, reason: "Anno has no relation layer"),
        ImportNote(
          .leftOut, key: "accept", count: 1,
          reason: "entity-linking choices: Anno has no entity-linking layer"),
      ])
  }

  @Test func doccanoEveryShapeDecodes() throws {
    let spans = try record(
      #"{"text": "Kerry met Lavrov", "labels": [[0, 5, "PER"]], "entities": [[10, 16, "PER"]]}"#)
    #expect(
      spans.annotations?.entities == [
        EntitySpan(start: 0, end: 5, label: "PER"), EntitySpan(start: 10, end: 16, label: "PER"),
      ])
    let cats = try record(
      #"{"text": "x", "cats": {"positive": 1.0, "sport": true, "economy": 0.2}}"#)
    #expect(cats.annotations?.sentiment == "positive")
    #expect(cats.annotations?.labels == ["topic": "sport"])
    #expect(cats.annotations?.entities == nil)
    // An empty `label` says nothing: doccano writes it for unlabelled examples of any project.
    let empty = try record(#"{"text": "x", "label": []}"#)
    #expect(empty.annotations == nil)
  }

  @Test func doccanoAnnotationsOfSeveralUsersBecomeOneSetEach() throws {
    let labels = decoder { $0.doccanoLabels = ["3": "PER", "4": "positive"] }
    guard
      case .records(let records) = try labels.decode(
        try JSONParser.parse(
          #"{"id": 1, "text": "Kerry", "annotations": [{"label": 3, "start_offset": 0, "end_offset": 5, "user": 1}, {"label": 4, "user": 2}]}"#
        ))
    else {
      Issue.record("expected one record per user")
      return
    }
    #expect(records.map { $0.annotations?.annotator } == ["importer-user1", "importer-user2"])
    #expect(records[0].annotations?.entities == [EntitySpan(start: 0, end: 5, label: "PER")])
    #expect(records[1].annotations?.sentiment == "positive")
    #expect(records[1].text == nil)
  }

  @Test func doccanoOffsetsConvertFromUTF16AndGraphemes() throws {
    // "👩‍👩‍👧 Oslo": the family is 8 UTF-16 units, 5 code points, 1 grapheme.
    let text = "👩‍👩‍👧 Oslo"
    let utf16 = try record(#"{"text": "\#(text)", "label": [[9, 13, "LOC"]]}"#)
    #expect(utf16.annotations?.entities == [EntitySpan(start: 6, end: 10, label: "LOC")])
    let graphemes = try record(
      #"{"text": "\#(text)", "label": [[2, 6, "LOC"]]}"#, decoder { $0.doccanoOffsets = .grapheme })
    #expect(graphemes.annotations?.entities == [EntitySpan(start: 6, end: 10, label: "LOC")])
    #expect(throws: DecodeError.self) {
      try decoder().decode(
        try JSONParser.parse(#"{"text": "\#(text)", "label": [[1, 13, "LOC"]]}"#))
    }
  }

  @Test func labelMapRenamesSpansAndClasses() throws {
    let mapped = decoder { $0.labelMap = ["PERSON": "PER", "POS": "positive"] }
    let r = try record(#"{"text": "Kerry", "label": [[0, 5, "PERSON"], "POS"]}"#, mapped)
    #expect(r.annotations?.entities == [EntitySpan(start: 0, end: 5, label: "PER")])
    #expect(r.annotations?.sentiment == "positive")
  }
}

@Suite struct SetValuedImportTests {
  @Test func severalAcceptedChoicesFillASetValuedField() throws {
    let yaml = BundledGuidelines.schemaYAML.replacingOccurrences(
      of: "    level: nominal\n    values: [diplomacy",
      with: "    level: nominal\n    multiple: true\n    values: [diplomacy")
    let schema = try LabelSchema(yaml: yaml)
    #expect(schema.field(named: "topic")?.isMultiple == true)
    let decoder = RecordDecoder(format: .auto, defaultAnnotator: "a", schema: schema)
    guard
      case .record(let record) = try decoder.decode(
        try JSONParser.parse(
          #"{"text": "x", "options": [{"id": "economy"}, {"id": "sport"}], "accept": ["economy", "sport"], "answer": "accept"}"#
        ))
    else {
      Issue.record("expected a record")
      return
    }
    #expect(record.annotations?.labelSets == ["topic": ["economy", "sport"]])
    #expect(record.annotations?.labels == nil)
  }
}
