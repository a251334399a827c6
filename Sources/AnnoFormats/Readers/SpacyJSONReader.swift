import AnnoCore

/// Reads spaCy's JSON training format: one JSON array of documents, as
/// `anno export --format spacy-json`, spaCy's `docs_to_json` and `spacy convert` (to JSON)
/// write it.
///
/// Each item is `{"id", "meta"?, "paragraphs": [{"raw"?, "sentences": [{"tokens": [{"orth",
/// "space"?, "ner"?}]}], "entities"?, "cats"?}]}`; each paragraph is one document (spaCy
/// reads it as one `Doc`). The text is `raw`, else rebuilt from the tokens' `orth` and `space`
/// (one space when `space` is absent, a line break between sentences), and then the tokens are
/// kept as the document's tokenization. Entities are `entities` (`[start, end, "LABEL"]` in
/// code points), else decoded from the tokens' BILUO (or IOB) `ner` tags; tags that are all
/// `-` (spaCy's "missing") leave entities "not annotated". `cats` (`[{"label", "value"}]`)
/// are read as in the `spacy` format. The id is `meta.id` (with `-2`, `-3`... for further
/// paragraphs), else `doc-` and the text's hash; the annotator `meta.annotator`, else
/// `--annotator`.
///
/// Token attributes other than `orth`, `space` and `ner` (`tag`, `pos`, `lemma`, `dep`...),
/// entity `links` and `brackets` are counted as left out.
///
/// The array is split into items as it is read (a byte scanner that tracks strings and
/// nesting), so only one document is in memory at a time.
struct SpacyJSONReader {
  let path: String
  let defaultAnnotator: String
  let schema: LabelSchema

  func read(_ emit: (ReaderEvent) throws -> Void) throws {
    let file = path == "-" ? "<stdin>" : path
    var splitter = JSONArraySplitter()
    var failed = false
    try FileLineReader(path: path).forEachLine { bytes, line in
      guard !failed else { return }
      let fed = Result { () throws(JSONArraySplitter.Failure) in
        try splitter.feed(bytes, line: line)
      }
      guard case .success(let items) = fed else {
        if case .failure(let error) = fed {
          try emit(
            .invalid(file: file, line: line, bytes: bytes.count + 1, message: error.message))
        }
        failed = true
        return
      }
      for item in items { try decode(item, file: file, emit) }
    }
    guard !failed else { return }
    if let message = splitter.finishProblem {
      try emit(.invalid(file: file, line: splitter.line, bytes: 0, message: message))
    }
  }

  private func decode(
    _ item: JSONArraySplitter.Item, file: String, _ emit: (ReaderEvent) throws -> Void
  ) throws {
    let value: JSONValue
    do throws(JSONParser.SyntaxError) {
      value = try JSONParser.parse(item.bytes)
    } catch {
      try emit(
        .invalid(
          file: file, line: item.line, bytes: item.bytes.count,
          message: "malformed JSON in this document: \(error.message)"))
      return
    }
    switch Result(catching: { () throws(DecodeError) in try records(value) }) {
    case .success(let records):
      for item in Self.leftOut(value) { try emit(.leftOut(item)) }
      for (i, record) in records.enumerated() {
        try emit(
          .record(record, file: file, line: item.line, bytes: i == 0 ? item.bytes.count : 0))
      }
    case .failure(let error):
      try emit(
        .invalid(
          file: file, line: item.line, bytes: item.bytes.count,
          message: "spacy-json: \(error.message)"))
    }
  }

  /// The documents of one item of the array.
  func records(_ value: JSONValue) throws(DecodeError) -> [ImportRecord] {
    guard case .object(let object) = value else {
      throw DecodeError(
        "expected a document object {\"id\", \"paragraphs\": [...]}, found \(value.typeName)")
    }
    guard case .array(let paragraphs)? = object["paragraphs"] else {
      throw DecodeError("missing 'paragraphs' (a list of {\"raw\", \"sentences\", \"entities\"})")
    }
    let decoder = RecordDecoder(format: .spacy, defaultAnnotator: defaultAnnotator, schema: schema)
    var annotator = defaultAnnotator
    if let name = object["meta"]?["annotator"]?.stringValue { annotator = name }
    if let problem = AnnotatorName.problem(annotator) {
      throw DecodeError("annotator \(AnnotationSet.quoted(annotator)) \(problem)")
    }
    let baseID = object["meta"]?["id"]?.stringValue
    var records: [ImportRecord] = []
    for (p, paragraphValue) in paragraphs.enumerated() {
      let path = "paragraphs[\(p)]"
      guard case .object(let paragraph) = paragraphValue else {
        throw DecodeError("\(path): expected an object, found \(paragraphValue.typeName)")
      }
      var tokens: [(orth: String, space: String?, ner: String?, sentenceStart: Bool)] = []
      for (s, sentence) in (paragraph["sentences"]?.arrayValue ?? []).enumerated() {
        guard case .array(let items)? = sentence["tokens"] else {
          throw DecodeError("\(path).sentences[\(s)]: missing 'tokens'")
        }
        for (t, token) in items.enumerated() {
          guard case .string(let orth)? = token["orth"] else {
            throw DecodeError(
              "\(path).sentences[\(s)].tokens[\(t)]: expected {\"orth\": TEXT, \"space\", \"ner\"}")
          }
          tokens.append((orth, token["space"]?.stringValue, token["ner"]?.stringValue, t == 0))
        }
      }
      var text: String
      var tokenRanges: [Range<Int>]?
      var ranges: [Range<Int>] = []
      if case .string(let raw)? = paragraph["raw"] {
        text = raw
        if paragraph["entities"] == nil && tokens.contains(where: { $0.ner != nil }) {
          ranges = try Self.align(tokens.map(\.orth), in: Array(raw.unicodeScalars), path: path)
        }
      } else {
        var scalars: [Unicode.Scalar] = []
        for (i, token) in tokens.enumerated() {
          if i > 0, token.sentenceStart, tokens[i - 1].space == nil { scalars.append("\n") }
          let start = scalars.count
          scalars.append(contentsOf: token.orth.unicodeScalars)
          ranges.append(start..<scalars.count)
          if let space = token.space {
            scalars.append(contentsOf: space.unicodeScalars)
          } else if i + 1 < tokens.count, !tokens[i + 1].sentenceStart {
            scalars.append(" ")
          }
        }
        text = String(String.UnicodeScalarView(scalars))
        tokenRanges = ranges.filter { !$0.isEmpty }
      }
      var set = AnnotationSet(annotator: annotator, status: .done)
      var notes: [ImportNote] = []
      if let entities = paragraph["entities"], entities != .null {
        set.entities = try decoder.spacySpans(entities, path: "\(path).entities").map {
          EntitySpan(start: $0.range.lowerBound, end: $0.range.upperBound, label: $0.label)
        }
      } else if tokens.contains(where: { $0.ner != nil && $0.ner != "-" }) {
        set.entities = try Self.entities(
          tags: tokens.map { $0.ner ?? "O" }, ranges: ranges, path: path)
        // Tags beside "-" (spaCy's missing) label part of the text only: a partial layer.
        set.partialEntities = tokens.contains { $0.ner == "-" }
      }
      switch paragraph["cats"] {
      case .array(let cats)?:
        var pairs: [(String, JSONValue)] = []
        for (c, cat) in cats.enumerated() {
          guard case .string(let label)? = cat["label"], let score = cat["value"] else {
            throw DecodeError("\(path).cats[\(c)]: expected {\"label\": NAME, \"value\": 1.0}")
          }
          pairs.append((label, score))
        }
        notes += try decoder.categories(pairs, path: "\(path).cats", into: &set)
      case .object(let cats)?:
        notes += try decoder.categories(
          cats.keys.sorted().map { ($0, cats[$0] ?? .null) }, path: "\(path).cats", into: &set)
      case nil, .null?: break
      case let other?:
        throw DecodeError(
          "\(path).cats: expected [{\"label\", \"value\"}], found \(other.typeName)")
      }
      let id =
        baseID.map { paragraphs.count == 1 || p == 0 ? $0 : "\($0)-\(p + 1)" }
        ?? FormatReaders.contentID(of: text)
      var record = ImportRecord(
        externalID: id, text: text, tokenRanges: tokenRanges, annotations: set)
      record.notes = notes
      records.append(record)
    }
    return records
  }

  /// The token attributes, entity links and brackets of one item, which Anno does not keep.
  static func leftOut(_ value: JSONValue) -> [LeftOut] {
    var attributes = 0
    var links = 0
    var brackets = 0
    let ignored: Set<String> = ["id", "orth", "space", "ner", "whitespace"]
    for paragraph in value["paragraphs"]?.arrayValue ?? [] {
      links += paragraph["links"]?.arrayValue?.count ?? 0
      for sentence in paragraph["sentences"]?.arrayValue ?? [] {
        brackets += sentence["brackets"]?.arrayValue?.count ?? 0
        for token in sentence["tokens"]?.arrayValue ?? [] {
          for (key, attribute) in token.objectValue ?? [:] where !ignored.contains(key) {
            if attribute != .string(""), attribute != .null { attributes += 1 }
          }
        }
      }
    }
    var result: [LeftOut] = []
    if attributes > 0 {
      result.append(
        LeftOut(
          what: "spaCy token attribute (tag, pos, morph, lemma, head, dep)", count: attributes,
          reason: "Anno has no part-of-speech, morphology or dependency layer"))
    }
    if links > 0 {
      result.append(
        LeftOut(what: "entity link", count: links, reason: "Anno has no knowledge-base links"))
    }
    if brackets > 0 {
      result.append(
        LeftOut(what: "syntactic bracket", count: brackets, reason: "Anno has no syntax layer"))
    }
    return result
  }

  /// The ranges of tokens in a text, skipping whitespace between them.
  static func align(_ tokens: [String], in text: [Unicode.Scalar], path: String)
    throws(DecodeError) -> [Range<Int>]
  {
    var ranges: [Range<Int>] = []
    var offset = 0
    for (i, token) in tokens.enumerated() {
      let scalars = Array(token.unicodeScalars)
      while offset < text.count, text[offset].properties.isWhitespace,
        scalars.first?.properties.isWhitespace != true
      {
        offset += 1
      }
      guard offset + scalars.count <= text.count,
        Array(text[offset..<(offset + scalars.count)]) == scalars
      else {
        throw DecodeError(
          "\(path): token \(i) \(AnnotationSet.quoted(token)) is not at offset \(offset) of the text"
        )
      }
      ranges.append(offset..<(offset + scalars.count))
      offset += scalars.count
    }
    return ranges
  }

  /// Entities from per-token BILUO, BIOES or IOB tags.
  static func entities(tags: [String], ranges: [Range<Int>], path: String) throws(DecodeError)
    -> [EntitySpan]
  {
    var decoder = TagSpanDecoder()
    for (i, tag) in tags.enumerated() {
      switch decoder.add(CoNLLTag(Substring(tag)), at: ranges[i]) {
      case nil: break
      case .unmatchedEnd(let label, _):
        throw DecodeError("\(path): token \(i): tag '\(tag)' ends an entity no B-\(label) began")
      case .malformed:
        guard tag == "-" else {
          throw DecodeError("\(path): token \(i): tag '\(tag)' is not a BILUO or IOB tag")
        }
        decoder.close()
      }
    }
    decoder.close()
    return decoder.spans
  }
}

/// Splits a JSON array into the bytes of its items as the array is read, line by line.
struct JSONArraySplitter {
  struct Item {
    var bytes: [UInt8]
    var line: Int
  }

  struct Failure: Error {
    var message: String
  }

  private var started = false
  private var ended = false
  private var depth = 0
  private var inString = false
  private var escaped = false
  private var current: [UInt8] = []
  private var itemLine = 0
  private var expectingItem = true
  /// The last line fed.
  private(set) var line = 0

  /// Feeds one line (without its LF); returns the items it completes.
  mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(Failure) -> [Item] {
    self.line = line
    var items: [Item] = []
    for byte in bytes {
      if !started {
        if Self.isSpace(byte) || (line == 1 && [0xEF, 0xBB, 0xBF].contains(byte)) { continue }
        guard byte == UInt8(ascii: "[") else {
          throw Failure(
            message:
              "expected a JSON array of documents ([{\"id\", \"paragraphs\"}, ...]) as spaCy's JSON training format"
          )
        }
        started = true
        continue
      }
      if ended {
        guard Self.isSpace(byte) else {
          throw Failure(message: "text after the end of the JSON array")
        }
        continue
      }
      if depth == 0 {
        if Self.isSpace(byte) { continue }
        if byte == UInt8(ascii: "]") {
          ended = true
          continue
        }
        if byte == UInt8(ascii: ",") {
          guard !expectingItem else {
            throw Failure(message: "a comma where a document was expected")
          }
          expectingItem = true
          continue
        }
        guard expectingItem else { throw Failure(message: "expected ',' or ']' between documents") }
        guard byte == UInt8(ascii: "{") else {
          throw Failure(message: "expected a document object {\"id\", \"paragraphs\"} in the array")
        }
        expectingItem = false
        itemLine = line
      }
      current.append(byte)
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
      default: break
      }
      if depth == 0 && !inString && (byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")) {
        items.append(Item(bytes: current, line: itemLine))
        current = []
      } else if depth < 0 {
        throw Failure(message: "unbalanced brackets")
      }
    }
    if depth > 0 || inString { current.append(0x0A) }
    return items
  }

  /// What is wrong with the input once it has all been fed, if anything.
  var finishProblem: String? {
    if !started { return "an empty file: expected a JSON array of documents" }
    if !ended { return "the JSON array is not closed with ']'" }
    return nil
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
  }
}
