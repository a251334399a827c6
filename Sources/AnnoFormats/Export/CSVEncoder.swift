import AnnoCore

/// Document-level labels as CSV (RFC 4180): one row per document and annotator.
///
/// Columns: `id`, `annotator`, then by selected kind `sentiment`; `stance:TARGET` for each
/// target the schema declares plus `stances_other` (since rows stream, targets not declared
/// go there as `target=value;target=value`, with `%`, `;` and `=` in target names
/// percent-encoded); then one column per declared field, in schema order (a set-valued field
/// holds its values in declared order, separated by `;`: `economy;sport`). An empty cell
/// means "not annotated". UTF-8 without BOM, CRLF line ends, fields quoted when they hold
/// `"`, `,`, CR or LF. Entities, span sentiments and anchored stances are counted in the
/// summary's `omitted`.
///
/// Cells are written as stored, so that ids and values join with the other exports and the
/// database. With `spreadsheetSafe` (`--spreadsheet-safe`), a cell a spreadsheet would run as
/// a formula — one that starts with `=`, `+`, `-`, `@`, a tab or a carriage return — is
/// written as OWASP's CSV-injection rule says: prefixed with `'` and quoted.
struct CSVEncoder: RecordEncoder {
  let schema: LabelSchema
  let kinds: Set<AnnotationKindSelection>
  let spreadsheetSafe: Bool

  init(_ context: FormatContext) {
    schema = context.schema
    kinds = context.options.kinds
    spreadsheetSafe = context.options.spreadsheetSafe
  }

  var columns: [String] {
    var columns = ["id", "annotator"]
    if kinds.contains(.sentiment) { columns.append("sentiment") }
    if kinds.contains(.stance) {
      columns += schema.stance.targets.map { "stance:\($0.name)" } + ["stances_other"]
    }
    if kinds.contains(.labels) { columns += schema.fields.map(\.name) }
    return columns
  }

  func header(_ w: inout JSONWriter) {
    Self.row(columns, &w, spreadsheetSafe: spreadsheetSafe)
  }

  func record(
    _ document: PreparedDocument, index: Int, _ w: inout JSONWriter, _ summary: inout ExportSummary
  ) throws(ExportError) {
    let set = document.annotations
    var cells = [document.id, document.annotator]
    if kinds.contains(.sentiment) { cells.append(set.sentiment ?? "") }
    if kinds.contains(.stance) {
      let documentStances = (set.stances ?? []).filter { $0.range == nil }
      for target in schema.stance.targets {
        cells.append(documentStances.first { $0.target == target.name }?.value ?? "")
      }
      let declared = Set(schema.stance.targets.map(\.name))
      cells.append(
        documentStances.filter { !declared.contains($0.target) }
          .map { "\(Self.encodeTarget($0.target))=\($0.value)" }.joined(separator: ";"))
    }
    if kinds.contains(.labels) {
      for field in schema.fields {
        if let chosen = set.labelSets?[field.name] {
          // A set-valued field: its values in declared order, separated by ';'.
          cells.append(field.declaredOrder(chosen).joined(separator: ";"))
          continue
        }
        let value = set.labels?[field.name]
        cells.append(value.map { field.canonicalValue($0) ?? $0 } ?? "")
      }
    }
    Self.row(cells, &w, spreadsheetSafe: spreadsheetSafe)
    let counts = [
      ("entity", set.entities?.count ?? 0), ("span sentiment", set.spanSentiments?.count ?? 0),
      ("anchored stance", (set.stances ?? []).filter { $0.range != nil }.count),
    ]
    for (what, count) in counts where count > 0 { summary.omitted[what, default: 0] += count }
  }

  /// The first bytes that make a spreadsheet read a cell as a formula (OWASP, "CSV
  /// Injection"): `=`, `+`, `-`, `@`, tab, carriage return.
  static let formulaStarts: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]

  /// Writes one RFC 4180 record with its CRLF.
  static func row(_ cells: [String], _ w: inout JSONWriter, spreadsheetSafe: Bool = false) {
    for (i, cell) in cells.enumerated() {
      if i > 0 { w.byte(UInt8(ascii: ",")) }
      if spreadsheetSafe, let first = cell.utf8.first, formulaStarts.contains(first) {
        w.raw("\"'")
        for byte in cell.utf8 {
          if byte == 0x22 { w.byte(0x22) }
          w.byte(byte)
        }
        w.byte(0x22)
      } else if cell.utf8.contains(where: { $0 == 0x22 || $0 == 0x2C || $0 == 0x0D || $0 == 0x0A })
      {
        w.byte(0x22)
        for byte in cell.utf8 {
          if byte == 0x22 { w.byte(0x22) }
          w.byte(byte)
        }
        w.byte(0x22)
      } else {
        w.bytes.append(contentsOf: cell.utf8)
      }
    }
    w.raw("\r\n")
  }

  private static func encodeTarget(_ target: String) -> String {
    var out = ""
    for scalar in target.unicodeScalars {
      switch scalar {
      case "%": out += "%25"
      case ";": out += "%3B"
      case "=": out += "%3D"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
