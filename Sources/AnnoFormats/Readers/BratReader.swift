import AnnoCore
import Foundation

/// Reads a brat standoff folder: every `.txt` file (sorted by path) with the `.ann` beside it.
///
/// - In a folder Anno wrote (its `annotation.conf` says so), paths are
///   `[SPLIT/]ANNOTATOR/ID.txt` with names encoded by `SafeFileName`: the annotator and id are
///   decoded from them. Elsewhere the id is the path relative to the folder without `.txt`
///   (as for a folder of `.txt` files) and the annotator is `--annotator`.
/// - `T` lines become entities. A span split into fragments only at line breaks (as brat and
///   Anno's writer write a span across lines) becomes one span; fragments with other text
///   between them are refused, since Anno's spans are contiguous. The text after the second
///   tab must be the fragments' text joined by spaces. A `Span` type (Anno's anchor for
///   attributes) is no entity unless the schema declares it.
/// - `A` and `M` lines named `Sentiment` become span sentiments and `Stance` lines
///   (`TARGET:value`, `_` for spaces in the target) anchored stances, on their T's range.
/// - `#` lines `AnnotatorNotes` become notes anchored on their T's range.
/// - Relations (`R`), events (`E`), normalizations (`N`), equivalences (`*`), other attributes
///   and other comments are left out and counted.
///
/// Offsets are code points of the text with CRLF read as one line break, as brat reads it.
/// Each document's files are read one at a time.
struct BratReader {
  let folder: String
  let defaultAnnotator: String
  let schema: LabelSchema

  /// The first line of the `annotation.conf` Anno's brat writer writes.
  static let annoConfigurationMarker = "# brat configuration written by Anno"

  func read(_ emit: (ReaderEvent) throws -> Void) throws {
    let annoLayout =
      FileSystem.contents(folder + "/annotation.conf").map {
        String(decoding: $0.prefix(200), as: UTF8.self).hasPrefix(Self.annoConfigurationMarker)
      } ?? false
    var texts: Set<String> = []
    var annotations: [String] = []
    try FileSystem.walk(folder) { relative in
      if relative.hasSuffix(".txt") {
        texts.insert(String(relative.dropLast(4)))
      } else if relative.hasSuffix(".ann") {
        annotations.append(String(relative.dropLast(4)))
      }
      return true
    }
    for stem in annotations where !texts.contains(stem) {
      try emit(
        .invalid(
          file: path(stem + ".ann"), line: 1, bytes: FileSystem.size(path(stem + ".ann")),
          message: "no \(stem).txt beside it: a brat document is a .txt file and its .ann file"))
    }
    for stem in texts.sorted() {
      try readDocument(stem, annoLayout: annoLayout, emit)
    }
  }

  private func path(_ relative: String) -> String { folder + "/" + relative }

  private func readDocument(_ stem: String, annoLayout: Bool, _ emit: (ReaderEvent) throws -> Void)
    throws
  {
    let textPath = path(stem + ".txt")
    let annPath = path(stem + ".ann")
    guard let bytes = FileSystem.contents(textPath) else {
      try emit(.invalid(file: textPath, line: 1, bytes: 0, message: "cannot read the file"))
      return
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      try emit(
        .invalid(
          file: textPath, line: 1, bytes: bytes.count,
          message: "bytes that are not UTF-8; save the file as UTF-8"))
      return
    }
    var id = stem
    var annotator = defaultAnnotator
    if annoLayout {
      let parts = stem.split(separator: "/").map(String.init)
      id = parts.last.flatMap { SafeFileName.decode($0) } ?? stem
      if parts.count >= 2 { annotator = SafeFileName.decode(parts[parts.count - 2]) ?? annotator }
    }
    let title = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first
      .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .flatMap { $0.isEmpty || $0.count > 300 ? nil : $0 }
    var record = ImportRecord(externalID: id, text: text, title: title, source: textPath)
    guard FileSystem.exists(annPath) else {
      try emit(.record(record, file: textPath, line: 1, bytes: bytes.count))
      return
    }
    var parser = AnnParser(text: text, schema: schema, annotator: annotator)
    do {
      try FileLineReader(path: annPath).forEachLine { line, number in
        guard let content = FormatReaders.lineText(line) else {
          throw AnnParser.Failure(line: number, message: "bytes that are not UTF-8")
        }
        try parser.add(content, line: number)
      }
      record.annotations = try parser.annotations()
    } catch let failure as AnnParser.Failure {
      try emit(
        .invalid(
          file: annPath, line: failure.line, bytes: bytes.count + FileSystem.size(annPath),
          message: failure.message))
      return
    }
    for item in parser.leftOut { try emit(.leftOut(item)) }
    try emit(.record(record, file: annPath, line: 1, bytes: bytes.count + FileSystem.size(annPath)))
  }
}

/// The lines of one `.ann` file, resolved against its text.
private struct AnnParser {
  struct Failure: Error {
    var line: Int
    var message: String
  }

  /// A text-bound annotation: its range in the stored text and type.
  struct Bound {
    var range: Range<Int>
    var type: String
    var line: Int
  }

  /// An attribute or note waiting for its T line (which may come later in the file).
  struct Attachment {
    enum Kind {
      case sentiment(String)
      case stance(String)
      case note(String)
    }
    var kind: Kind
    var target: String
    var line: Int
  }

  let schema: LabelSchema
  let annotator: String
  /// The text with CRLF and lone CR as one LF, as brat counts offsets.
  let lfText: [Unicode.Scalar]
  /// For each offset of `lfText` (0...count), the offset in the stored text.
  let storedOffset: [Int]
  var bounds: [String: Bound] = [:]
  var order: [String] = []
  var attachments: [Attachment] = []
  var leftOutCounts: [String: (count: Int, reason: String)] = [:]

  init(text: String, schema: LabelSchema, annotator: String) {
    self.schema = schema
    self.annotator = annotator
    let scalars = Array(text.unicodeScalars)
    var lf: [Unicode.Scalar] = []
    var map: [Int] = []
    lf.reserveCapacity(scalars.count)
    var i = 0
    while i < scalars.count {
      map.append(i)
      lf.append(scalars[i] == "\r" ? "\n" : scalars[i])
      i += scalars[i] == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" ? 2 : 1
    }
    map.append(scalars.count)
    lfText = lf
    storedOffset = map
  }

  var leftOut: [LeftOut] {
    leftOutCounts.keys.sorted().map { key in
      LeftOut(
        what: key, count: leftOutCounts[key]?.count ?? 0, reason: leftOutCounts[key]?.reason ?? "")
    }
  }

  mutating func leave(_ what: String, _ reason: String) {
    leftOutCounts[what, default: (0, reason)].count += 1
  }

  mutating func add(_ line: String, line number: Int) throws(Failure) {
    guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
    let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
    let id = String(fields[0])
    switch id.unicodeScalars.first {
    case "T":
      try textBound(fields, id: id, line: number)
    case "A", "M":
      guard fields.count >= 2 else { throw shape(number, "A1\\tNAME T1 [VALUE]") }
      let parts = fields[1].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      guard parts.count >= 2 else { throw shape(number, "A1\\tNAME T1 [VALUE]") }
      switch parts[0] {
      case "Sentiment", "Stance":
        guard parts.count == 3 else {
          throw Failure(
            line: number,
            message:
              "\(parts[0]) attribute needs a value: expected '\(id)\\t\(parts[0]) \(parts[1]) VALUE'"
          )
        }
        attachments.append(
          Attachment(
            kind: parts[0] == "Sentiment" ? .sentiment(parts[2]) : .stance(parts[2]),
            target: parts[1], line: number))
      default:
        leave(
          "brat attribute \(parts[0])", "Anno takes only Sentiment and Stance attributes")
      }
    case "#":
      let parts = fields.count >= 2 ? fields[1].split(separator: " ").map(String.init) : []
      guard parts.first == "AnnotatorNotes" else {
        leave("brat comment", "only AnnotatorNotes on a text-bound annotation become notes")
        return
      }
      guard parts.count == 2, fields.count == 3 else {
        throw shape(number, "#1\\tAnnotatorNotes T1\\tTEXT")
      }
      attachments.append(
        Attachment(kind: .note(String(fields[2])), target: parts[1], line: number))
    case "R": leave("relation", "Anno has no relation layer")
    case "E": leave("brat event", "Anno has no event layer")
    case "N": leave("brat normalization", "Anno has no links to knowledge bases")
    case "*": leave("brat equivalence", "Anno has no relation layer")
    default:
      throw Failure(
        line: number,
        message:
          "expected a brat standoff line starting with T, A, M, R, E, N, * or # and a tab, found \(AnnotationSet.quoted(line))"
      )
    }
  }

  private func shape(_ line: Int, _ expected: String) -> Failure {
    Failure(line: line, message: "malformed brat line: expected '\(expected)'")
  }

  private mutating func textBound(_ fields: [Substring], id: String, line: Int) throws(Failure) {
    guard fields.count == 3 else {
      throw shape(line, "T1\\tTYPE START END\\tTEXT")
    }
    guard bounds[id] == nil else {
      throw Failure(line: line, message: "\(id) is defined twice (line \(bounds[id]?.line ?? 0))")
    }
    let typeAndOffsets = fields[1]
    guard let space = typeAndOffsets.firstIndex(of: " ") else {
      throw shape(line, "T1\\tTYPE START END\\tTEXT")
    }
    let type = String(typeAndOffsets[..<space])
    var fragments: [Range<Int>] = []
    for piece in typeAndOffsets[typeAndOffsets.index(after: space)...].split(separator: ";") {
      let numbers = piece.split(separator: " ")
      guard numbers.count == 2, let start = Int(numbers[0]), let end = Int(numbers[1]) else {
        throw shape(line, "T1\\tTYPE START END\\tTEXT (fragments as START END;START END)")
      }
      guard TextRange(start: start, end: end).isSpan(inTextOfLength: lfText.count) else {
        throw Failure(
          line: line,
          message:
            "\(id): offsets \(start) \(end) must satisfy 0 ≤ start < end ≤ \(lfText.count) (the text's length in code points)"
        )
      }
      fragments.append(start..<end)
    }
    guard let first = fragments.first, let last = fragments.last else {
      throw shape(line, "T1\\tTYPE START END\\tTEXT")
    }
    let claimed = String(fields[2])
    let actual = fragments.map { String(String.UnicodeScalarView(lfText[$0])) }
      .joined(separator: " ")
    guard claimed == actual else {
      throw Failure(
        line: line,
        message:
          "\(id): the text \(AnnotationSet.quoted(claimed)) does not match the text at its offsets, \(AnnotationSet.quoted(actual))"
      )
    }
    for (a, b) in zip(fragments, fragments.dropFirst()) {
      guard a.upperBound <= b.lowerBound else {
        throw Failure(line: line, message: "\(id): fragments must be in order and not overlap")
      }
      let gap = lfText[a.upperBound..<b.lowerBound]
      guard gap.allSatisfy({ $0.properties.isWhitespace }) else {
        throw Failure(
          line: line,
          message:
            "\(id): a discontinuous span (text between its fragments \(a.lowerBound) \(a.upperBound) and \(b.lowerBound) \(b.upperBound)); Anno's spans are contiguous: split it into two T lines or join the fragments"
        )
      }
    }
    bounds[id] = Bound(
      range: storedOffset[first.lowerBound]..<storedOffset[last.upperBound], type: type, line: line)
    order.append(id)
  }

  /// The annotation set, once every line is read.
  func annotations() throws(Failure) -> AnnotationSet {
    let anchorOnly = !schema.entityLabels.contains { $0.name == "Span" }
    var set = AnnotationSet(annotator: annotator, status: .done, entities: [])
    for id in order {
      guard let bound = bounds[id], !(anchorOnly && bound.type == "Span") else { continue }
      set.entities?.append(
        EntitySpan(start: bound.range.lowerBound, end: bound.range.upperBound, label: bound.type))
    }
    for attachment in attachments {
      guard let bound = bounds[attachment.target] else {
        throw Failure(
          line: attachment.line,
          message: "\(attachment.target) is not a text-bound annotation (T line) of this file")
      }
      switch attachment.kind {
      case .sentiment(let value):
        set.spanSentiments =
          (set.spanSentiments ?? []) + [
            SpanSentiment(start: bound.range.lowerBound, end: bound.range.upperBound, value: value)
          ]
      case .stance(let value):
        guard let colon = value.lastIndex(of: ":"), colon != value.startIndex else {
          throw Failure(
            line: attachment.line,
            message:
              "Stance value \(AnnotationSet.quoted(value)) must be TARGET:value (spaces in the target as _)"
          )
        }
        let written = String(value[..<colon])
        let target =
          schema.stance.targets.first { BratWriter.stanceValue($0.name, "") == written + ":" }?
          .name ?? written.replacingOccurrences(of: "_", with: " ")
        set.stances =
          (set.stances ?? []) + [
            Stance(
              target: target, value: String(value[value.index(after: colon)...]), range: bound.range
            )
          ]
      case .note(let text):
        set.notes = (set.notes ?? []) + [Note(text: text, range: bound.range)]
      }
    }
    return set
  }
}
