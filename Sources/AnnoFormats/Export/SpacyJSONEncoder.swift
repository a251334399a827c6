import AnnoCore

/// spaCy's v2 JSON training format, as `spacy.training.docs_to_json` writes it and
/// `spacy convert` (`json2docs`) reads it.
///
/// The file is one JSON array, written incrementally, with one item per annotated document:
/// `{"id": N, "meta": {annotator, id}, "offsets": "codepoint", "paragraphs": [{"cats":
/// [{"label", "value"}], "entities": [[start, end, label]], "links": [], "raw": TEXT,
/// "sentences": [{"brackets": [], "tokens": [{"id", "ner", "orth", "space"}]}]}]}`, where
/// `id` counts documents in the file, tokens are all covering tokens (whitespace tokens
/// included, so `raw` is rebuilt exactly from `orth` + `space`), token `id`s count within the
/// document, and `ner` is a BILUO tag (`B-`, `I-`, `L-`, `U-`, `O`) of the non-overlapping
/// entity layer ("-", spaCy's "missing", on every token of a set with no entity layer, and on
/// every token outside the spans of a partial layer). `entities` is left out for those two,
/// so the tags alone say what is known.
/// `cats` are the one-hot categories of the `spacy` format.
struct SpacyJSONEncoder: RecordEncoder {
  let schema: LabelSchema

  func header(_ w: inout JSONWriter) { w.byte(UInt8(ascii: "[")) }
  func footer(_ w: inout JSONWriter) { w.raw("]\n") }

  func record(
    _ document: PreparedDocument, index: Int, _ w: inout JSONWriter, _ summary: inout ExportSummary
  ) throws(ExportError) {
    if index > 0 { w.raw(",\n") } else { w.newline() }
    // NB: with no entity layer every token's `ner` is "-", spaCy's "missing", not "O"; with
    // a partial layer every token outside its spans.
    let hasEntityLayer = document.annotations.entities != nil
    let isPartial = hasEntityLayer && document.annotations.partialEntities
    var tags =
      hasEntityLayer
      ? Self.biluoTags(count: document.tokens.count, spans: document.entityLayer)
      : [String](repeating: "-", count: document.tokens.count)
    if isPartial {
      for i in tags.indices where tags[i] == "O" { tags[i] = "-" }
    }
    var object = JSONObjectWriter(&w)
    object.key("id", &w)
    w.int(index)
    document.writeMetaAndOffsets(&object, &w)
    object.key("paragraphs", &w)
    w.byte(UInt8(ascii: "["))
    var paragraph = JSONObjectWriter(&w)
    paragraph.key("cats", &w)
    w.list(SpacyEncoder.categories(document.annotations, schema: schema)) { cat, w in
      var o = JSONObjectWriter(&w)
      o.key("label", &w)
      w.string(cat.0)
      o.key("value", &w)
      w.double(cat.1)
      o.end(&w)
    }
    if hasEntityLayer && !isPartial {
      paragraph.key("entities", &w)
      w.list(document.entityLayer) { span, w in w.triple(span.start, span.end, span.label) }
    }
    paragraph.key("links", &w)
    w.raw("[]")
    paragraph.key("raw", &w)
    w.string(document.document.text)
    paragraph.key("sentences", &w)
    let sentences = SentenceSplitter.sentences(
      tokens: document.tokens, text: document.text,
      keepingTogether: document.entityLayer.map(\.tokenRange))
    w.list(sentences) { sentence, w in
      var o = JSONObjectWriter(&w)
      o.key("brackets", &w)
      w.raw("[]")
      o.key("tokens", &w)
      w.list(sentence) { i, w in
        let token = document.tokens[i]
        var t = JSONObjectWriter(&w)
        t.key("id", &w)
        w.int(i)
        t.key("ner", &w)
        w.string(tags[i])
        t.key("orth", &w)
        w.string(document.text[token.range])
        t.key("space", &w)
        w.string(token.spaceAfter ? " " : "")
        t.end(&w)
      }
      o.end(&w)
    }
    paragraph.end(&w)
    w.byte(UInt8(ascii: "]"))
    object.end(&w)
  }

  /// BILUO tags for `count` tokens from non-overlapping spans.
  static func biluoTags(count: Int, spans: [AlignedSpan]) -> [String] {
    var tags = [String](repeating: "O", count: count)
    for span in spans {
      if span.tokenEnd - span.tokenStart == 1 {
        tags[span.tokenStart] = "U-" + span.label
        continue
      }
      tags[span.tokenStart] = "B-" + span.label
      for i in (span.tokenStart + 1)..<(span.tokenEnd - 1) { tags[i] = "I-" + span.label }
      tags[span.tokenEnd - 1] = "L-" + span.label
    }
    return tags
  }

  /// IOB2 tags (`B-`, `I-`, `O`) for `count` tokens from non-overlapping spans.
  static func iob2Tags(count: Int, spans: [AlignedSpan]) -> [String] {
    var tags = [String](repeating: "O", count: count)
    for span in spans {
      tags[span.tokenStart] = "B-" + span.label
      for i in (span.tokenStart + 1)..<span.tokenEnd { tags[i] = "I-" + span.label }
    }
    return tags
  }
}
