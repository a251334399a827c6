import AnnoCore

/// A brat standoff folder.
///
/// Layout: `OUT/annotation.conf` and, per document and annotator,
/// `OUT/[SPLIT/]ANNOTATOR/ID.txt` and `.ann` (every name encoded by `SafeFileName`; one folder per
/// annotator keeps two annotators' files of one document apart, and brat finds the
/// configuration in a parent folder). The `.txt` has LF line ends (CRLF and lone CR become
/// LF, since brat readers disagree about CR) and every offset is recomputed for it.
///
/// The `.ann` file: entities as `T1\tPER 0 10\tJohn Kerry` (a span over a line break is
/// split into fragments, `T2\tLOC 0 5;6 10\tNew York`, texts joined by a space as brat
/// does); span sentiments and anchored stances as attributes `A1\tSentiment T1 positive`
/// and `A2\tStance T3 Russia:favor` (spaces in targets written `_`) on the entity with
/// exactly that range, else on a `Span` annotation for the range (one per distinct range);
/// anchored notes as `#1\tAnnotatorNotes T1\ttext` (line breaks in notes become spaces).
/// brat has no document-level annotations: document sentiment, stances, fields and notes are
/// counted in the summary's `omitted`.
///
/// A `.ann` file is every entity of its text, and brat has no mark for "not annotated": with
/// entities selected, a set with no entity layer (its source annotated only classes) or a
/// partial one (spans accepted one at a time) is left out, `.txt` and `.ann` alike, and
/// counted in `omitted`, so that no reader takes its text for one that names nothing.
final class BratWriter: FormatWriter {
  private let schema: LabelSchema
  private let folder: StagedFolder
  private let splitNames: [String]?
  private let writesEntities: Bool
  private var adHocTargets = Set<String>()

  init(_ context: FormatContext) throws(ExportError) {
    schema = context.schema
    guard let folder = context.layout.folder else {
      throw .needsPath("the brat format writes a folder and")
    }
    self.folder = folder
    splitNames = context.options.split?.names
    writesEntities = context.options.kinds.contains(.entities)
  }

  func write(_ document: PreparedDocument, part: Int, summary: inout ExportSummary)
    throws(ExportError)
  {
    let set = document.annotations
    if writesEntities && set.entities == nil {
      // NB: a partial layer the exporter dropped is counted as such already.
      if !document.droppedPartialLayer {
        summary.omitted[PreparedDocument.noEntityLayerOmission, default: 0] += 1
      }
      return
    }
    let stem = SafeFileName.encode(document.id)
    guard stem.utf8.count + 4 <= 255 else { throw .fileNameTooLong(documentID: document.id) }
    let folderPath =
      (splitNames.map { SafeFileName.encode($0[part]) + "/" } ?? "")
      + SafeFileName.encode(document.annotator)
    let (lfText, offsetMap) = Self.normalizeLineEnds(document.document.text)
    var ann = AnnBuilder(text: lfText, map: offsetMap)
    for entity in set.entities ?? [] {
      ann.entity(entity.range, type: entity.label)
    }
    for sentiment in set.spanSentiments ?? [] {
      ann.attribute("Sentiment", value: sentiment.value, on: sentiment.range)
    }
    let declared = Set(schema.stance.targets.map(\.name))
    for stance in set.stances ?? [] {
      guard let range = stance.range else {
        summary.omitted["document stance", default: 0] += 1
        continue
      }
      if !declared.contains(stance.target) { adHocTargets.insert(stance.target) }
      ann.attribute("Stance", value: Self.stanceValue(stance.target, stance.value), on: range)
    }
    for note in set.notes ?? [] {
      guard let range = note.range else {
        summary.omitted["document note", default: 0] += 1
        continue
      }
      ann.note(note.text, on: range)
    }
    if set.sentiment != nil { summary.omitted["document sentiment", default: 0] += 1 }
    // brat has no document-level annotation: field values, single or one of a set, are left out.
    let fieldValues =
      (set.labels?.count ?? 0) + (set.labelSets ?? [:]).values.reduce(0) { $0 + $1.count }
    if fieldValues > 0 { summary.omitted["document field", default: 0] += fieldValues }
    summary.omitted["span over line breaks only", default: 0] += ann.emptySpans
    if summary.omitted["span over line breaks only"] == 0 {
      summary.omitted["span over line breaks only"] = nil
    }
    var textBytes: [UInt8] = []
    textBytes.reserveCapacity(lfText.count)
    var view = String.UnicodeScalarView()
    view.append(contentsOf: lfText)
    textBytes.append(contentsOf: String(view).utf8)
    try folder.writeFile("\(folderPath)/\(stem).txt", textBytes)
    try folder.writeFile("\(folderPath)/\(stem).ann", Array(ann.lines.joined().utf8))
  }

  func finish(summary: inout ExportSummary) throws(ExportError) {
    try folder.writeFile("annotation.conf", Array(configuration().utf8))
  }

  /// The brat attribute value of a stance: `TARGET:value`, whitespace in the target as `_`.
  static func stanceValue(_ target: String, _ value: String) -> String {
    let cleaned = String(
      String.UnicodeScalarView(target.unicodeScalars.map { $0.properties.isWhitespace ? "_" : $0 }))
    return "\(cleaned):\(value)"
  }

  private func configuration() -> String {
    let targets = schema.stance.targets.map(\.name) + adHocTargets.sorted()
    let stanceValues = targets.flatMap { target in
      schema.stance.values.map { Self.stanceValue(target, $0) }
    }
    var lines = [
      "# brat configuration written by Anno for schema \(schema.name) version \(schema.version).",
      "[entities]",
    ]
    lines += schema.entityLabels.map(\.name)
    lines += ["Span", "", "[relations]", "", "[events]", "", "[attributes]"]
    lines.append("Sentiment\tArg:<ENTITY>, Value:" + schema.sentiment.values.joined(separator: "|"))
    if !stanceValues.isEmpty {
      lines.append("Stance\tArg:<ENTITY>, Value:" + stanceValues.joined(separator: "|"))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The text with CRLF and lone CR as LF, and for each old offset (0...count) the new one.
  static func normalizeLineEnds(_ text: String) -> ([Unicode.Scalar], [Int]) {
    let scalars = Array(text.unicodeScalars)
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(scalars.count)
    var map = [Int](repeating: 0, count: scalars.count + 1)
    var i = 0
    while i < scalars.count {
      map[i] = out.count
      if scalars[i] == "\r" {
        if i + 1 < scalars.count, scalars[i + 1] == "\n" {
          map[i + 1] = out.count
          i += 1
        }
        out.append("\n")
      } else {
        out.append(scalars[i])
      }
      i += 1
    }
    map[scalars.count] = out.count
    return (out, map)
  }
}

/// Builds the lines of one `.ann` file.
private struct AnnBuilder {
  let text: [Unicode.Scalar]
  let map: [Int]
  var lines: [String] = []
  var emptySpans = 0
  private var tCount = 0
  private var aCount = 0
  private var noteCount = 0
  /// The T id for each original range that has one (first entity, else a `Span`).
  private var idByRange: [Range<Int>: String] = [:]

  init(text: [Unicode.Scalar], map: [Int]) {
    self.text = text
    self.map = map
  }

  mutating func entity(_ range: Range<Int>, type: String) {
    if let id = textBound(range, type: type), idByRange[range] == nil { idByRange[range] = id }
  }

  mutating func attribute(_ name: String, value: String, on range: Range<Int>) {
    guard let id = anchor(range) else { return }
    aCount += 1
    lines.append("A\(aCount)\t\(name) \(id) \(value)\n")
  }

  mutating func note(_ note: String, on range: Range<Int>) {
    guard let id = anchor(range) else { return }
    noteCount += 1
    let flat = String(
      String.UnicodeScalarView(
        note.unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
    lines.append("#\(noteCount)\tAnnotatorNotes \(id)\t\(flat)\n")
  }

  private mutating func anchor(_ range: Range<Int>) -> String? {
    if let id = idByRange[range] { return id }
    let id = textBound(range, type: "Span")
    idByRange[range] = id
    return id
  }

  /// Writes a T line with fragments split at line breaks; `nil` when nothing but line breaks.
  private mutating func textBound(_ range: Range<Int>, type: String) -> String? {
    let start = map[range.lowerBound]
    let end = map[range.upperBound]
    var fragments: [Range<Int>] = []
    var fragmentStart: Int?
    for i in start..<end {
      if text[i] == "\n" {
        if let s = fragmentStart { fragments.append(s..<i) }
        fragmentStart = nil
      } else if fragmentStart == nil {
        fragmentStart = i
      }
    }
    if let s = fragmentStart { fragments.append(s..<end) }
    guard !fragments.isEmpty else {
      emptySpans += 1
      return nil
    }
    tCount += 1
    let offsets = fragments.map { "\($0.lowerBound) \($0.upperBound)" }.joined(separator: ";")
    let texts = fragments.map { String(String.UnicodeScalarView(text[$0])) }.joined(separator: " ")
    lines.append("T\(tCount)\t\(type) \(offsets)\t\(texts)\n")
    return "T\(tCount)"
  }
}
