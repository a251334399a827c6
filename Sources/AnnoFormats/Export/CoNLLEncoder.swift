import AnnoCore

/// CoNLL-2003 style columns with IOB2 tags, readable by seqeval and by
/// `spacy convert --converter ner`.
///
/// Each document starts with `-DOCSTART- -X- O O` and a blank line; then one line per
/// non-whitespace token, `TOKEN -X- _ TAG`, with a blank line after each sentence (see
/// `SentenceSplitter`: never inside an entity). Tags come from the non-overlapping entity
/// layer. Whitespace tokens are dropped; a whitespace character inside a token (possible
/// only with an importer's explicit tokens) is written as `_`, since columns are split on
/// whitespace. A set with no entity layer (annotated only for classes) is left out and
/// counted, as is a set with a partial layer (CoNLL has no tag for "not annotated").
struct CoNLLEncoder: RecordEncoder {
  func record(
    _ document: PreparedDocument, index: Int, _ w: inout JSONWriter, _ summary: inout ExportSummary
  ) throws(ExportError) {
    // NB: CoNLL has no "not annotated" tag; all-`O` would claim the text names nothing.
    guard document.annotations.entities != nil else {
      if !document.droppedPartialLayer {
        summary.omitted[PreparedDocument.noEntityLayerOmission, default: 0] += 1
      }
      return
    }
    w.raw("-DOCSTART- -X- O O\n\n")
    let tags = SpacyJSONEncoder.iob2Tags(count: document.tokens.count, spans: document.entityLayer)
    let sentences = SentenceSplitter.sentences(
      tokens: document.tokens, text: document.text,
      keepingTogether: document.entityLayer.map(\.tokenRange))
    for sentence in sentences {
      var wroteAny = false
      for i in sentence where !document.tokens[i].isSpace {
        var view = String.UnicodeScalarView()
        for scalar in document.text.scalars[document.tokens[i].range] {
          let isSeparator = scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
          view.append(isSeparator ? "_" : scalar)
        }
        w.bytes.append(contentsOf: String(view).utf8)
        w.raw(" -X- _ ")
        w.bytes.append(contentsOf: tags[i].utf8)
        w.newline()
        wroteAny = true
      }
      if wroteAny { w.newline() }
    }
  }
}
