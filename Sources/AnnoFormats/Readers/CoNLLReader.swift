import AnnoCore

/// Reads CoNLL-style column files: CoNLL-2003 (`TOKEN POS CHUNK TAG`, `-DOCSTART-` lines),
/// Anno's own `conll` export (`TOKEN -X- _ TAG`) and doccano's `.conll` (`TOKEN\tTAG`).
///
/// Columns are separated by spaces or tabs; the token is the first column and the tag the
/// last. Tags may be IOB1, IOB2, BIOES (`S-`, `E-`) or BILOU (`U-`, `L-`), or bare labels (IO).
/// A blank line ends a sentence. Documents are separated by `-DOCSTART-` lines; a file
/// without any is one document per blank-line-separated block, as doccano writes.
///
/// Columns between the token and the tag (CoNLL-2003's part of speech and chunk) are not
/// read; tokens that have any are counted as left out.
///
/// CoNLL records neither the text's spacing nor an id, so each document's text is rebuilt:
/// tokens joined by one space, sentences by a line break, and the tokens are kept as the
/// document's explicit tokenization (so spans fall on exactly the file's tokens). The id is
/// `doc-` and the first 16 hex digits of the rebuilt text's SHA-256. Offsets are code points.
struct CoNLLReader {
  let path: String
  let annotator: String

  /// One document being collected.
  private struct Pending {
    var firstLine = 0
    var bytes = 0
    var scalars: [Unicode.Scalar] = []
    var tokens: [Range<Int>] = []
    var entities = TagSpanDecoder()
    var sentenceHasTokens = false
    var error: (line: Int, message: String)?

    var isEmpty: Bool { tokens.isEmpty && error == nil }

    mutating func add(token: Substring, tag: Substring, line: Int) {
      if firstLine == 0 { firstLine = line }
      if !tokens.isEmpty { scalars.append(sentenceHasTokens ? " " : "\n") }
      let start = scalars.count
      scalars.append(contentsOf: token.unicodeScalars)
      let range = start..<scalars.count
      tokens.append(range)
      sentenceHasTokens = true
      guard error == nil else { return }
      switch entities.add(CoNLLTag(tag), at: range) {
      case nil: break
      case .unmatchedEnd(let label, let prefix):
        error = (
          line,
          "tag '\(tag)' ends an entity that no B-\(label) or I-\(label) began (\(prefix)- closes an entity in BIOES/BILOU)"
        )
      case .malformed:
        error = (
          line,
          "tag '\(tag)' is not O, a label, or B-, I-, E-, S-, L- or U- followed by a label"
        )
      }
    }

    mutating func endSentence() {
      entities.close()
      sentenceHasTokens = false
    }
  }

  func read(_ emit: (ReaderEvent) throws -> Void) throws {
    let file = path == "-" ? "<stdin>" : path
    var pending = Pending()
    var usesDocStart = false
    var middleColumns = 0
    var sawContent = false
    func flush() throws {
      pending.entities.close()
      defer { pending = Pending() }
      if let error = pending.error {
        try emit(
          .invalid(file: file, line: error.line, bytes: pending.bytes, message: error.message))
        return
      }
      guard !pending.tokens.isEmpty else {
        if pending.bytes > 0 {
          try emit(
            .skipped(
              file: file, line: max(pending.firstLine, 1), bytes: pending.bytes,
              reason: "no tokens"))
        }
        return
      }
      var view = String.UnicodeScalarView()
      view.append(contentsOf: pending.scalars)
      let text = String(view)
      let record = ImportRecord(
        externalID: FormatReaders.contentID(of: text), text: text, tokenRanges: pending.tokens,
        annotations: AnnotationSet(
          annotator: annotator, status: .done, entities: pending.entities.spans))
      try emit(.record(record, file: file, line: pending.firstLine, bytes: pending.bytes))
    }
    try FileLineReader(path: path).forEachLine { bytes, line in
      let size = bytes.count + 1
      guard let text = FormatReaders.lineText(bytes) else {
        if pending.error == nil {
          pending.error = (line, "bytes that are not UTF-8; save the file as UTF-8")
        }
        pending.bytes += size
        return
      }
      let columns = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if columns.isEmpty {
        pending.bytes += size
        if usesDocStart {
          pending.endSentence()
        } else if !pending.isEmpty {
          try flush()
        }
        return
      }
      if columns[0] == "-DOCSTART-" {
        if !sawContent { usesDocStart = true }
        if !pending.isEmpty { try flush() }
        usesDocStart = true
        sawContent = true
        pending.bytes += size
        pending.firstLine = line
        return
      }
      sawContent = true
      pending.bytes += size
      guard columns.count >= 2 else {
        if pending.firstLine == 0 { pending.firstLine = line }
        if pending.error == nil {
          pending.error = (
            line,
            "expected 'TOKEN TAG' or 'TOKEN ... TAG' columns separated by spaces or tabs (CoNLL), found one column"
          )
        }
        return
      }
      pending.add(token: columns[0], tag: columns[columns.count - 1], line: line)
      if columns.dropFirst().dropLast().contains(where: { !Self.placeholders.contains($0) }) {
        middleColumns += 1
      }
    }
    try flush()
    if middleColumns > 0 {
      try emit(
        .leftOut(
          LeftOut(
            what: "token with CoNLL columns between the token and the tag (POS, chunk)",
            count: middleColumns,
            reason: "Anno keeps the token and the entity tag (the last column)")))
    }
  }

  /// Middle-column values that say nothing (Anno's own export writes `-X-` and `_`).
  static let placeholders: Set<Substring> = ["-X-", "_", "-", "O"]
}

/// One CoNLL tag, decoded for every common scheme.
enum CoNLLTag: Equatable {
  case outside
  case begin(String)
  case inside(String)
  case end(String, prefix: String)
  case single(String)
  case malformed

  init(_ tag: Substring) {
    if tag == "O" {
      self = .outside
      return
    }
    let scalars = Array(tag.unicodeScalars)
    if scalars.count >= 2, scalars[1] == "-" {
      let label = String(String.UnicodeScalarView(scalars[2...]))
      guard !label.isEmpty else {
        self = .malformed
        return
      }
      switch scalars[0] {
      case "B": self = .begin(label)
      case "I": self = .inside(label)
      case "E", "L": self = .end(label, prefix: String(scalars[0]))
      case "S", "U": self = .single(label)
      default: self = .malformed
      }
      return
    }
    // A bare label (the IO scheme) marks a token inside an entity of that label.
    self = tag.contains("-") ? .malformed : .inside(String(tag))
  }
}

/// Turns per-token tags (IOB1, IOB2, BIOES, BILOU or bare labels) into entity spans, token by
/// token: the one decoder of every tagged format (CoNLL, spaCy JSON, Hugging Face `ner_tags`).
struct TagSpanDecoder {
  /// Why a tag was not read.
  enum Problem: Equatable {
    /// An `E-`/`L-` tag whose label no open entity has.
    case unmatchedEnd(label: String, prefix: String)
    /// Not a tag of any scheme.
    case malformed
  }

  /// The entities closed so far.
  private(set) var spans: [EntitySpan] = []
  private var open: (label: String, start: Int, end: Int)?

  /// Closes the open entity, if any (at a sentence break and at the end of the tags).
  mutating func close() {
    if let open { spans.append(EntitySpan(start: open.start, end: open.end, label: open.label)) }
    open = nil
  }

  /// Reads the tag of the token at `range`; a tag it cannot read changes nothing and is
  /// returned as the problem.
  mutating func add(_ tag: CoNLLTag, at range: Range<Int>) -> Problem? {
    switch tag {
    case .outside: close()
    case .begin(let label):
      close()
      open = (label, range.lowerBound, range.upperBound)
    case .inside(let label):
      if open?.label == label {
        open?.end = range.upperBound
      } else {
        close()
        open = (label, range.lowerBound, range.upperBound)
      }
    case .end(let label, let prefix):
      guard open?.label == label else { return .unmatchedEnd(label: label, prefix: prefix) }
      open?.end = range.upperBound
      close()
    case .single(let label):
      close()
      spans.append(EntitySpan(start: range.lowerBound, end: range.upperBound, label: label))
    case .malformed: return .malformed
    }
    return nil
  }
}
