import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoFormats

/// The file readers on inputs in each tool's own shape (written for these tests after the
/// shapes in the tools' documentation and test data).
@Suite struct FormatReaderTests {
  static let schema = try! LabelSchema(yaml: BundledGuidelines.schemaYAML)

  /// What a reader found, flattened for assertions.
  struct Found {
    var records: [(record: ImportRecord, file: String, line: Int)] = []
    var invalid: [String] = []
    var skipped: [String] = []
    var leftOut: [LeftOut] = []

    /// Each record's entities as `"text" LABEL`.
    func entities(_ index: Int) -> [String] {
      let record = records[index].record
      let scalars = Array((record.text ?? "").unicodeScalars)
      return (record.annotations?.entities ?? []).map {
        "\(String(String.UnicodeScalarView(scalars[$0.start..<$0.end]))) \($0.label)"
      }
    }
  }

  static func read(_ path: String, _ format: InputFormat, annotator: String = "ann1") throws
    -> Found
  {
    var found = Found()
    try FormatReaders.read(
      path: path, format: format, defaultAnnotator: annotator, schema: schema
    ) { event in
      switch event {
      case .record(let record, let file, let line, _): found.records.append((record, file, line))
      case .invalid(let file, let line, _, let message):
        found.invalid.append("\((file as NSString).lastPathComponent):\(line): \(message)")
      case .skipped(_, let line, _, let reason): found.skipped.append("\(line): \(reason)")
      case .leftOut(let item): found.leftOut.append(item)
      }
    }
    return found
  }

  // MARK: - CoNLL

  @Test func conll2003WithDocStartPosChunkAndIOB1Tags() throws {
    let folder = try TemporaryDirectory()
    let path = try folder.write(
      "eng.testa.conll",
      """
      -DOCSTART- -X- -X- O

      CRICKET NNP I-NP O
      - : O O
      LEICESTERSHIRE NNP I-NP I-ORG
      TAKE NNP I-NP O
      OVER IN I-PP O
      AT NNP I-NP O
      TOP NNP I-NP O
      AFTER NNP I-NP O
      INNINGS NNP I-NP O
      VICTORY NN I-NP O
      . . O O

      LONDON NNP I-NP I-LOC
      1996-08-30 CD I-NP O

      -DOCSTART- -X- -X- O

      Germany NNP I-NP I-LOC
      Poland NNP I-NP B-LOC
      and CC O O
      Jürgen NNP I-NP I-PER
      Klinsmann NNP I-NP I-PER
      🇩🇪 SYM O O

      """)
    let found = try Self.read(path, .conll)
    #expect(found.invalid.isEmpty)
    try #require(found.records.count == 2)
    #expect(
      found.records[0].record.text
        == "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP AFTER INNINGS VICTORY .\nLONDON 1996-08-30")
    #expect(found.entities(0) == ["LEICESTERSHIRE ORG", "LONDON LOC"])
    #expect(found.records[0].line == 1)
    // IOB1: B- only separates two adjacent entities of one type.
    #expect(found.entities(1) == ["Germany LOC", "Poland LOC", "Jürgen Klinsmann PER"])
    #expect(found.records[1].line == 18)
    let second = found.records[1].record
    #expect(second.text == "Germany Poland and Jürgen Klinsmann 🇩🇪")
    // Offsets count code points: the flag is two, after 36 scalars.
    #expect(second.tokenRanges?.last == 36..<38)
    #expect(second.externalID == FormatReaders.contentID(of: second.text ?? ""))
    #expect(second.annotations?.annotator == "ann1")
    // The POS and chunk columns are counted as left out, one per token.
    #expect(
      found.leftOut == [
        LeftOut(
          what: "token with CoNLL columns between the token and the tag (POS, chunk)", count: 19,
          reason: "Anno keeps the token and the entity tag (the last column)")
      ])
  }

  @Test func bioesAndBilouTagsAndDoccanosTabSeparatedBlocks() throws {
    let folder = try TemporaryDirectory()
    let bioes = try folder.write(
      "bioes.conll",
      "-DOCSTART- O\n\nNew B-LOC\nYork E-LOC\nmayor O\nAdams S-PER\nof O\nthe B-ORG\nCity I-ORG\nCouncil E-ORG\n"
    )
    let found = try Self.read(bioes, .conll)
    #expect(found.entities(0) == ["New York LOC", "Adams PER", "the City Council ORG"])
    let bilou = try folder.write(
      "bilou.conll", "Kerry U-PER\nvisited O\nSão B-LOC\nPaulo L-LOC\n")
    #expect(try Self.read(bilou, .conll).entities(0) == ["Kerry PER", "São Paulo LOC"])
    // doccano's CoNLL export: TOKEN<TAB>TAG, one document per blank-line-separated block.
    let doccano = try folder.write(
      "doccano.conll",
      "EU\tB-ORG\nrejects\tO\nGerman\tB-MISC\ncall\tO\n\r\nPeter\tB-PER\nBlackburn\tI-PER\r\n")
    let blocks = try Self.read(doccano, .conll)
    try #require(blocks.records.count == 2)
    #expect(blocks.entities(0) == ["EU ORG", "German MISC"])
    #expect(blocks.entities(1) == ["Peter Blackburn PER"])
    #expect(blocks.records[1].line == 6)
  }

  @Test func conllErrorsNameTheLineAndTheShapeExpected() throws {
    let folder = try TemporaryDirectory()
    let path = try folder.write(
      "bad.conll",
      "-DOCSTART- -X- O O\n\nKerry B-PER\nvisited O\nParis E-LOC\n\n-DOCSTART- -X- O O\n\nLyon\n\n-DOCSTART- -X- O O\n\nRome X-LOC\n-DOCSTART-\n\nfine O\n"
    )
    let found = try Self.read(path, .conll)
    #expect(
      found.invalid == [
        "bad.conll:5: tag 'E-LOC' ends an entity that no B-LOC or I-LOC began (E- closes an entity in BIOES/BILOU)",
        "bad.conll:9: expected 'TOKEN TAG' or 'TOKEN ... TAG' columns separated by spaces or tabs (CoNLL), found one column",
        "bad.conll:13: tag 'X-LOC' is not O, a label, or B-, I-, E-, S-, L- or U- followed by a label",
      ])
    #expect(found.records.count == 1)
  }

  // MARK: - brat

  @Test func bratFolderWithAttributesNotesAndWhatItLeavesOut() throws {
    let folder = try TemporaryDirectory()
    try folder.write(
      "corpus/news/sony.txt",
      "Sony and Ericsson formed a joint\nventure in Sweden.\nZürich 👍🏽 agreed.\n")
    try folder.write(
      "corpus/news/sony.ann",
      """
      T1\tORG 0 4\tSony
      T2\tORG 9 17\tEricsson
      T3\tMISC 27 32;33 40\tjoint venture
      E1\tMERGE-ORG:T3 Org1:T1 Org2:T2
      T4\tLOC 44 50\tSweden
      R1\tOrigin Arg1:T2 Arg2:T4
      A1\tNegation E1
      A2\tSentiment T1 positive
      M3\tStance T4 European_Union:favor
      #1\tAnnotatorNotes T2\tcheck the spelling
      #2\tOtherNote T1\tignored
      N1\tReference T1 Wikipedia:23016\tSony
      T5\tLOC 52 58\tZürich

      """)
    try folder.write("corpus/news/empty.txt", "No annotations here.\n")
    let found = try Self.read(folder.file("corpus"), .brat)
    #expect(found.invalid.isEmpty)
    try #require(found.records.count == 2)
    #expect(found.records[0].record.externalID == "news/empty")
    #expect(found.records[0].record.annotations == nil)
    let sony = found.records[1].record
    #expect(sony.externalID == "news/sony")
    #expect(
      found.entities(1) == [
        "Sony ORG", "Ericsson ORG", "joint\nventure MISC", "Sweden LOC", "Zürich LOC",
      ])
    let set = try #require(sony.annotations)
    #expect(set.annotator == "ann1")
    #expect(set.spanSentiments == [SpanSentiment(start: 0, end: 4, value: "positive")])
    #expect(set.stances == [Stance(target: "European Union", value: "favor", range: 44..<50)])
    #expect(set.notes == [Note(text: "check the spelling", range: 9..<17)])
    #expect(
      found.leftOut.map { "\($0.count) \($0.what): \($0.reason)" }.sorted() == [
        "1 brat attribute Negation: Anno takes only Sentiment and Stance attributes",
        "1 brat comment: only AnnotatorNotes on a text-bound annotation become notes",
        "1 brat event: Anno has no event layer",
        "1 brat normalization: Anno has no links to knowledge bases",
        "1 relation: Anno has no relation layer",
      ])
  }

  @Test func bratCRLFTextsCountALineBreakOnceAsBratDoes() throws {
    let folder = try TemporaryDirectory()
    try folder.write("b/crlf.txt", "One\r\nTwo Kerry\r\n")
    try folder.write("b/crlf.ann", "T1\tPER 8 13\tKerry\n")
    let found = try Self.read(folder.file("b"), .brat)
    #expect(found.entities(0) == ["Kerry PER"])
    #expect(found.records[0].record.annotations?.entities?.first?.start == 9)
  }

  @Test func bratErrorsNameTheAnnFileAndLine() throws {
    let folder = try TemporaryDirectory()
    try folder.write("b/a.txt", "Sony and Ericsson formed a joint venture.\n")
    try folder.write(
      "b/a.ann", "T1\tORG 0 4\tSony\nT2\tORG 0 4;9 17\tSony Ericsson\n")
    try folder.write("b/b.txt", "Sony.\n")
    try folder.write("b/b.ann", "T1\tORG 0 4\tSonny\n")
    try folder.write("b/c.txt", "Sony.\n")
    try folder.write("b/c.ann", "T1\tORG 0 4\tSony\nA1\tSentiment T9 positive\n")
    try folder.write("b/d.txt", "Sony.\n")
    try folder.write("b/d.ann", "T1\tORG 0 40\tSony\n")
    try folder.write("b/e.txt", "Sony.\n")
    try folder.write("b/e.ann", "X1\tsomething\n")
    try folder.write("b/orphan.ann", "T1\tORG 0 4\tSony\n")
    let found = try Self.read(folder.file("b"), .brat)
    #expect(
      found.invalid == [
        "orphan.ann:1: no orphan.txt beside it: a brat document is a .txt file and its .ann file",
        "a.ann:2: T2: a discontinuous span (text between its fragments 0 4 and 9 17); Anno's spans are contiguous: split it into two T lines or join the fragments",
        "b.ann:1: T1: the text \"Sonny\" does not match the text at its offsets, \"Sony\"",
        "c.ann:2: T9 is not a text-bound annotation (T line) of this file",
        "d.ann:1: T1: offsets 0 40 must satisfy 0 ≤ start < end ≤ 6 (the text's length in code points)",
        "e.ann:1: expected a brat standoff line starting with T, A, M, R, E, N, * or # and a tab, found \"X1\\tsomething\"",
      ])
    #expect(found.records.isEmpty)
  }

  // MARK: - CSV

  @Test func csvWithQuotedLineBreaksSpreadsheetSafeCellsAndABOM() throws {
    let folder = try TemporaryDirectory()
    let path = try folder.write(
      "labels.csv",
      "\u{FEFF}id,annotator,sentiment,stance:Russia,stances_other,topic,urgency,text\r\n"
        + "a,ann2,positive,against,Hyllie stadium plan=favor;x%3By=neutral,sport,3,\"Line one,\r\n\"\"two\"\"\"\r\n"
        + "'-minus,,,,,,,\r\n"
        + "\"'=SUM(A1)\",,negative,,,,,\r\n")
    let found = try Self.read(path, .csv)
    #expect(found.invalid.isEmpty)
    try #require(found.records.count == 2)
    let a = found.records[0].record
    #expect(a.externalID == "a")
    #expect(a.text == "Line one,\r\n\"two\"")
    #expect(a.annotations?.annotator == "ann2")
    #expect(a.annotations?.sentiment == "positive")
    #expect(
      a.annotations?.stances == [
        Stance(target: "Russia", value: "against"),
        Stance(target: "Hyllie stadium plan", value: "favor"),
        Stance(target: "x;y", value: "neutral"),
      ])
    #expect(a.annotations?.labels == ["topic": "sport", "urgency": "3"])
    #expect(found.skipped == ["4: no label in the row"])
    #expect(found.records[1].record.externalID == "=SUM(A1)")
    #expect(found.records[1].line == 5)
    #expect(found.records[1].record.annotations?.annotator == "ann1")
  }

  @Test func csvErrorsNameTheLineAndTheColumnsExpected() throws {
    let folder = try TemporaryDirectory()
    let header = try folder.write("h.csv", "id,mood\r\na,happy\r\n")
    #expect(
      try Self.read(header, .csv).invalid == [
        "h.csv:1: column 'mood' is not id, annotator, text, sentiment, stance:TARGET, stances_other or a field of the schema (topic, urgency) — the header 'anno export --format csv' writes"
      ])
    let rows = try folder.write("r.csv", "id,sentiment\na,positive,extra\nb,\"open\n")
    #expect(
      try Self.read(rows, .csv).invalid == [
        "r.csv:2: 3 cells, but the header names 2 columns",
        "r.csv:3: a quoted cell is not closed before the end of the file",
      ])
  }

  // MARK: - spaCy JSON

  @Test func spacyJSONFromDocsToJSONWithoutRawTextAndWithBILUOTags() throws {
    let folder = try TemporaryDirectory()
    // As spaCy's docs_to_json writes it (indented by srsly), one document, two paragraphs:
    // the first without `raw` (unknown spaces), the second with `raw` and BILUO tags only.
    let path = try folder.write(
      "train.json",
      """
      [
        {
          "id": 0,
          "paragraphs": [
            {
              "cats": [{"label": "positive", "value": 1.0}, {"label": "negative", "value": 0.0}],
              "sentences": [
                {"tokens": [
                  {"id": 0, "orth": "Apple", "space": " ", "tag": "NNP", "ner": "U-ORG"},
                  {"id": 1, "orth": "buys", "space": " ", "ner": "O"},
                  {"id": 2, "orth": "U.K.", "space": " ", "ner": "U-LOC"},
                  {"id": 3, "orth": "start", "space": "", "ner": "B-MISC"},
                  {"id": 4, "orth": "-", "space": "", "ner": "I-MISC"},
                  {"id": 5, "orth": "up", "space": "", "ner": "L-MISC"},
                  {"id": 6, "orth": ".", "space": "", "ner": "O"}
                ], "brackets": []}
              ]
            },
            {
              "raw": "Tim  Cook\\nsmiled.",
              "sentences": [
                {"tokens": [
                  {"id": 0, "orth": "Tim", "ner": "B-PER"},
                  {"id": 1, "orth": "Cook", "ner": "L-PER"},
                  {"id": 2, "orth": "smiled", "ner": "O"},
                  {"id": 3, "orth": ".", "ner": "O"}
                ]}
              ]
            }
          ]
        },
        {"id": 1, "paragraphs": [{"raw": "Nothing known.", "sentences": [{"tokens": [
          {"orth": "Nothing", "ner": "-"}, {"orth": "known", "ner": "-"}, {"orth": ".", "ner": "-"}]}]}]}
      ]
      """)
    let found = try Self.read(path, .spacyJSON)
    #expect(found.invalid.isEmpty)
    try #require(found.records.count == 3)
    #expect(found.records[0].record.text == "Apple buys U.K. start-up.")
    #expect(found.entities(0) == ["Apple ORG", "U.K. LOC", "start-up MISC"])
    #expect(found.records[0].record.annotations?.sentiment == "positive")
    #expect(found.records[0].line == 2)
    #expect(found.records[1].record.text == "Tim  Cook\nsmiled.")
    #expect(found.entities(1) == ["Tim  Cook PER"])
    #expect(found.records[1].record.tokenRanges == nil)
    // spaCy's "-" means missing: no entity layer, not "no entities".
    #expect(found.records[2].record.annotations?.entities == nil)
    #expect(found.records[2].line == 32)
    #expect(
      found.leftOut.map(\.what) == ["spaCy token attribute (tag, pos, morph, lemma, head, dep)"])
    #expect(found.leftOut.first?.count == 1)
  }

  @Test func spacyJSONErrorsNameTheDocumentsLine() throws {
    let folder = try TemporaryDirectory()
    let path = try folder.write(
      "bad.json",
      "[\n{\"id\": 0, \"paragraphs\": [{\"raw\": \"A b\", \"cats\": [{\"label\": \"sentiment:positive\", \"value\": 0.7}]}]},\n{\"id\": 1}\n]\n"
    )
    #expect(
      try Self.read(path, .spacyJSON).invalid == [
        "bad.json:2: spacy-json: paragraphs[0].cats.sentiment:positive: expected 1.0 (chosen) or 0.0 (not chosen), found 0.7; scores between are predictions, not labels",
        "bad.json:3: spacy-json: missing 'paragraphs' (a list of {\"raw\", \"sentences\", \"entities\"})",
      ])
    let notArray = try folder.write("object.json", "{\"text\": \"x\"}\n")
    #expect(
      try Self.read(notArray, .spacyJSON).invalid == [
        "object.json:1: expected a JSON array of documents ([{\"id\", \"paragraphs\"}, ...]) as spaCy's JSON training format"
      ])
  }

  // MARK: - Hugging Face

  @Test func hfNerOnlyFolderRebuildsTheTextAndReadsTagNames() throws {
    let folder = try TemporaryDirectory()
    try folder.write(
      "ds/README.md",
      """
      ---
      configs:
      - config_name: ner
        data_files:
        - split: train
          path: data/ner/train.jsonl
      dataset_info:
      - config_name: ner
        features:
        - name: tokens
          sequence: string
        - name: ner_tags
          sequence:
            class_label:
              names:
                "0": O
                "1": B-PER
                "2": I-PER
      ---

      """)
    try folder.write(
      "ds/data/ner/train.jsonl",
      """
      {"id": 7, "tokens": ["John", "Kerry", "spoke", "."], "ner_tags": [1, 2, 0, 0]}
      {"id": "s2", "annotator": "ann3", "tokens": ["Lavrov"], "ner_tags": ["B-PER"]}
      {"id": "s3", "tokens": ["x"], "ner_tags": [9]}

      """)
    let found = try Self.read(folder.file("ds"), .hf)
    #expect(
      found.invalid == [
        "train.jsonl:3: hf: label 9 has no class_label name in README.md for config 'ner'"
      ])
    try #require(found.records.count == 2)
    #expect(found.records[0].record.externalID == "7")
    #expect(found.records[0].record.text == "John Kerry spoke .")
    #expect(found.entities(0) == ["John Kerry PER"])
    #expect(found.records[1].record.annotations?.annotator == "ann3")
  }

  // MARK: - spaCy JSONL

  @Test func spacyJSONLRefusesPredictionsAndUnknownSpanGroups() throws {
    let decoder = RecordDecoder(format: .spacy, defaultAnnotator: "ann1", schema: Self.schema)
    func message(_ line: String) throws -> String? {
      let value = try JSONParser.parse(line)
      do throws(DecodeError) {
        _ = try decoder.decode(value)
        return nil
      } catch {
        return error.message
      }
    }
    #expect(
      try message(#"{"text": "A", "cats": {"positive": 0.4}}"#)
        == "cats.positive: expected 1.0 (chosen) or 0.0 (not chosen), found 0.4; scores between are predictions, not labels"
    )
    #expect(
      try message(#"{"text": "A", "spans": {"ents": []}}"#)
        == "spacy: span group 'spans.ents' is not one Anno reads (sc: entities, sentiment: span sentiments, stance: anchored stances)"
    )
    let decoded = try decoder.decode(
      try JSONParser.parse(
        #"{"text": "Kerry won", "entities": [{"start": 0, "end": 5, "label": "PER"}], "cats": {"positive": 1.0, "topic:sport": 1, "negative": 0}}"#
      ))
    guard case .record(let record) = decoded else {
      Issue.record("expected a record")
      return
    }
    #expect(record.annotations?.entities == [EntitySpan(start: 0, end: 5, label: "PER")])
    #expect(record.annotations?.sentiment == "positive")
    #expect(record.annotations?.labels == ["topic": "sport"])
    #expect(record.annotations?.spanSentiments == nil)
  }
}
