import AnnoCore

/// A table of aligned columns for the terminal, fitted to a width.
///
/// Widths count characters (every character one column). When the table is too wide, the
/// widest left-aligned column is cut, with `…`, down to a minimum of 6; then right-aligned
/// columns narrow to their values, cutting their titles. A left-aligned last column wraps onto
/// continuation lines instead of being cut. Colour codes wrap the padded cell, so they never
/// disturb alignment; lines carry no trailing spaces.
struct ReportTable {
  /// A column: its title and alignment.
  struct Column {
    var title: String
    var alignRight: Bool
  }

  /// A cell: its text and an optional tone for colour.
  struct Cell: ExpressibleByStringLiteral {
    var text: String
    var tone: Tone?
    init(_ text: String, tone: Tone? = nil) {
      self.text = text
      self.tone = tone
    }
    init(stringLiteral value: String) { self.init(value) }
  }

  var columns: [Column]
  var rows: [[Cell]] = []

  /// The table as lines of at most `width` characters (plus colour codes), indented by `indent`.
  func render(width: Int, colors: Bool, indent: String = "  ") -> String {
    let gap = 2
    let last = columns.count - 1
    let wrapsLast = !columns[last].alignRight
    var widths = columns.indices.map { c in
      rows.reduce(columns[c].title.count) { max($0, $1[c].text.count) }
    }
    let available = width - indent.count - gap * last
    func excess() -> Int { widths.reduce(0, +) - available }
    if wrapsLast, excess() > 0 { widths[last] = max(12, widths[last] - excess()) }
    while excess() > 0 {
      guard
        let widest = columns.indices.filter({
          !columns[$0].alignRight && widths[$0] > 6 && !(wrapsLast && $0 == last)
        })
        .max(by: { widths[$0] < widths[$1] })
      else { break }
      widths[widest] = max(6, widths[widest] - excess())
    }
    for c in columns.indices where columns[c].alignRight && excess() > 0 {
      let values = rows.reduce(1) { max($0, $1[c].text.count) }
      widths[c] = max(values, widths[c] - excess())
    }
    func fitted(_ text: String, _ c: Int) -> String {
      text.count > widths[c] ? String(text.prefix(max(1, widths[c] - 1))) + "…" : text
    }
    func lines(_ cells: [Cell]) -> String {
      var parts: [String] = []
      var continuation: [String] = []
      for (c, cell) in cells.enumerated() {
        var text = cell.text
        if c == last && wrapsLast && text.count > widths[c] {
          let wrapped = TextWrap.paragraph(text, width: widths[c], first: "", rest: "").split(
            separator: "\n"
          )
          .map(String.init)
          text = wrapped.first ?? ""
          continuation = Array(wrapped.dropFirst())
        }
        text = fitted(text, c)
        let padding = String(repeating: " ", count: max(0, widths[c] - text.count))
        var padded = columns[c].alignRight ? padding + text : text + padding
        if colors, let tone = cell.tone { padded = Self.paint(padded, tone) }
        parts.append(padded)
      }
      let lead = String(
        repeating: " ", count: indent.count + widths.dropLast().reduce(0, +) + gap * last)
      var out =
        Self.trimmed(indent + parts.joined(separator: String(repeating: " ", count: gap))) + "\n"
      for line in continuation { out += Self.trimmed(lead + line) + "\n" }
      return out
    }
    var out = lines(columns.enumerated().map { Cell(fitted($0.element.title, $0.offset)) })
    for row in rows { out += lines(row) }
    return out
  }

  private static func trimmed(_ line: String) -> String {
    var line = line
    while line.last == " " { line.removeLast() }
    return line
  }

  static func paint(_ text: String, _ tone: Tone) -> String {
    let code =
      switch tone {
      case .good: "32"
      case .fair: "33"
      case .poor: "31"
      }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }
}

/// Undefined table cells grouped by reason, listed under a table: one line per reason.
struct UndefinedCells {
  private var order: [String] = []
  private var cells: [String: [String]] = [:]

  /// Notes that `cell` (`Cohen κ ann1–ann2`) is undefined for `reason`.
  mutating func add(_ cell: String, reason: String) {
    if cells[reason] == nil { order.append(reason) }
    cells[reason, default: []].append(cell)
  }

  var isEmpty: Bool { order.isEmpty }

  /// `— reason: cell, cell, …`, wrapped to `width`.
  func render(width: Int) -> String {
    order.map { reason in
      TextWrap.paragraph(
        "— \(reason): " + (cells[reason] ?? []).joined(separator: ", "), width: width, first: "  ",
        rest: "      ")
    }.joined()
  }
}
