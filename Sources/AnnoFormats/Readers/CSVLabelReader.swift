import AnnoCore

/// Reads document-level labels from CSV (RFC 4180), as `anno export --format csv` writes them.
///
/// The header names the columns: `id` (required), `annotator` (else `--annotator`), `text`
/// (optional: without it each row attaches to a document already stored or imported earlier
/// in the input), `sentiment`, `stance:TARGET`, `stances_other` (`target=value;...`, with
/// `%`, `;` and `=` in targets percent-encoded) and one column per field of the schema. Any
/// other column is refused. An empty cell means "not annotated"; a row with no label at all is
/// skipped and counted. A cell written by `--spreadsheet-safe` (`'` before `=`, `+`, `-`, `@`,
/// tab or CR) is read without the `'`. A UTF-8 BOM is ignored; quoted cells may hold line
/// breaks. Rows are read one at a time.
struct CSVLabelReader {
  let path: String
  let defaultAnnotator: String
  let schema: LabelSchema

  private enum Column {
    case id, annotator, text, sentiment, otherStances
    case stance(String)
    case field(String)
  }

  func read(_ emit: (ReaderEvent) throws -> Void) throws {
    let file = path == "-" ? "<stdin>" : path
    var columns: [Column]?
    var headerError: String?
    var rows = CSVRows()
    func handle(_ cells: [String], line: Int, bytes: Int) throws {
      guard let columns else {
        switch Result(catching: { () throws(DecodeError) in try header(cells) }) {
        case .success(let found): columns = found
        case .failure(let error):
          headerError = error.message
          try emit(.invalid(file: file, line: line, bytes: bytes, message: error.message))
        }
        return
      }
      switch Result(catching: { () throws(DecodeError) in try decode(cells, columns: columns) }) {
      case .success(let record?): try emit(.record(record, file: file, line: line, bytes: bytes))
      case .success(nil):
        try emit(.skipped(file: file, line: line, bytes: bytes, reason: "no label in the row"))
      case .failure(let error):
        try emit(.invalid(file: file, line: line, bytes: bytes, message: error.message))
      }
    }
    try FileLineReader(path: path).forEachLine { bytes, line in
      guard headerError == nil else { return }
      guard let text = String(validating: bytes, as: UTF8.self) else {
        try emit(
          .invalid(
            file: file, line: line, bytes: bytes.count + 1,
            message: "bytes that are not UTF-8; save the file as UTF-8"))
        return
      }
      if let row = rows.add(line == 1 ? String(text.drop { $0 == "\u{FEFF}" }) : text, line: line) {
        try handle(row.cells, line: row.line, bytes: row.bytes)
      }
    }
    if headerError == nil, let row = rows.finish() {
      if row.unterminated {
        try emit(
          .invalid(
            file: file, line: row.line, bytes: row.bytes,
            message: "a quoted cell is not closed before the end of the file"))
      } else {
        try handle(row.cells, line: row.line, bytes: row.bytes)
      }
    }
  }

  private func header(_ cells: [String]) throws(DecodeError) -> [Column] {
    var columns: [Column] = []
    var seen: Set<String> = []
    for name in cells {
      guard seen.insert(name).inserted else {
        throw DecodeError("the header names the column '\(name)' twice")
      }
      switch name {
      case "id": columns.append(.id)
      case "annotator": columns.append(.annotator)
      case "text": columns.append(.text)
      case "sentiment": columns.append(.sentiment)
      case "stances_other": columns.append(.otherStances)
      default:
        if name.hasPrefix("stance:") {
          columns.append(.stance(String(name.dropFirst("stance:".count))))
        } else if schema.field(named: name) != nil {
          columns.append(.field(name))
        } else {
          throw DecodeError(
            "column '\(name)' is not id, annotator, text, sentiment, stance:TARGET, stances_other or a field of the schema ("
              + schema.fields.map(\.name).joined(separator: ", ")
              + ") — the header 'anno export --format csv' writes")
        }
      }
    }
    guard seen.contains("id") else {
      throw DecodeError("the header has no 'id' column (CSV as 'anno export --format csv' writes)")
    }
    return columns
  }

  private func decode(_ cells: [String], columns: [Column]) throws(DecodeError) -> ImportRecord? {
    guard cells.count == columns.count else {
      throw DecodeError("\(cells.count) cells, but the header names \(columns.count) columns")
    }
    var id = ""
    var text: String?
    var set = AnnotationSet(annotator: defaultAnnotator, status: .done)
    var stances: [Stance] = []
    var labels: [String: String] = [:]
    var labelSets: [String: [String]] = [:]
    for (column, raw) in zip(columns, cells) {
      let cell = Self.unescapeSpreadsheetSafe(raw)
      guard !cell.isEmpty else { continue }
      switch column {
      case .id: id = cell
      case .annotator: set.annotator = cell
      case .text: text = cell
      case .sentiment: set.sentiment = cell
      case .stance(let target): stances.append(Stance(target: target, value: cell))
      case .otherStances:
        for pair in cell.split(separator: ";") {
          guard let equals = pair.firstIndex(of: "="),
            let target = Self.percentDecoded(pair[..<equals])
          else {
            throw DecodeError(
              "stances_other: expected target=value;target=value, found \(AnnotationSet.quoted(cell))"
            )
          }
          stances.append(Stance(target: target, value: String(pair[pair.index(after: equals)...])))
        }
      case .field(let name):
        if let field = schema.field(named: name), field.isMultiple {
          // A set-valued field's cell: its values separated by ';' (`economy;sport`).
          labelSets[name] = cell.split(separator: ";").map {
            field.canonicalValue(String($0)) ?? String($0)
          }
        } else {
          labels[name] = schema.field(named: name)?.canonicalValue(cell) ?? cell
        }
      }
    }
    guard !id.isEmpty else { throw DecodeError("the 'id' cell is empty") }
    if let problem = AnnotatorName.problem(set.annotator) {
      throw DecodeError("annotator \(AnnotationSet.quoted(set.annotator)) \(problem)")
    }
    if !stances.isEmpty { set.stances = stances }
    if !labels.isEmpty { set.labels = labels }
    if !labelSets.isEmpty { set.labelSets = labelSets }
    guard !set.isEmpty else { return nil }
    return ImportRecord(externalID: id, text: text, annotations: set)
  }

  /// A cell as written before `--spreadsheet-safe` prefixed it with `'`.
  static func unescapeSpreadsheetSafe(_ cell: String) -> String {
    let bytes = Array(cell.utf8)
    guard bytes.count >= 2, bytes[0] == UInt8(ascii: "'"),
      CSVEncoder.formulaStarts.contains(bytes[1])
    else { return cell }
    return String(cell.dropFirst())
  }

  private static func percentDecoded(_ text: Substring) -> String? {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard let high = iterator.next(), let low = iterator.next(),
        let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
      else { return nil }
      bytes.append(value)
    }
    return String(validating: bytes, as: UTF8.self)
  }
}

/// Joins physical lines into RFC 4180 records: a quoted cell may hold line breaks.
struct CSVRows {
  struct Row {
    var cells: [String]
    var line: Int
    var bytes: Int
    var unterminated = false
  }

  private var cells: [String] = []
  private var cell = String.UnicodeScalarView()
  private var inQuotes = false
  private var afterQuote = false
  private var startLine = 0
  private var bytes = 0

  /// Adds one physical line (without its LF); returns the record it completes, if any.
  mutating func add(_ line: String, line number: Int) -> Row? {
    if startLine == 0 { startLine = number }
    bytes += line.utf8.count + 1
    if inQuotes { cell.append("\n") }
    for scalar in line.unicodeScalars {
      if inQuotes {
        if scalar == "\"" {
          inQuotes = false
          afterQuote = true
        } else {
          cell.append(scalar)
        }
      } else if scalar == "\"" {
        if afterQuote {
          cell.append("\"")
          inQuotes = true
          afterQuote = false
        } else {
          inQuotes = true
        }
      } else if scalar == "," {
        cells.append(String(cell))
        cell = String.UnicodeScalarView()
        afterQuote = false
      } else {
        if afterQuote && scalar == "\r" { continue }
        cell.append(scalar)
        afterQuote = false
      }
    }
    // Inside quotes the line break is part of the cell (a CR before it too).
    if inQuotes { return nil }
    // The CR of the record's CRLF.
    if !afterQuote, line.unicodeScalars.last == "\r", cell.last == "\r" { cell.removeLast() }
    if !afterQuote, cells.isEmpty, cell.isEmpty {
      startLine = 0
      bytes = 0
      return nil  // a blank line
    }
    cells.append(String(cell))
    let row = Row(cells: cells, line: startLine, bytes: bytes)
    cells = []
    cell = String.UnicodeScalarView()
    afterQuote = false
    startLine = 0
    bytes = 0
    return row
  }

  /// The record left open at the end of the input, if any.
  mutating func finish() -> Row? {
    guard inQuotes else { return nil }
    return Row(cells: cells, line: startLine, bytes: bytes, unterminated: true)
  }
}
