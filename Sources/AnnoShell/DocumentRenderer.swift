import AnnoCore

/// A span to draw inline: its range, label, number and colour.
public struct RenderedSpan: Hashable, Sendable {
  /// The range, in code points.
  public var range: Range<Int>
  /// The label shown after the closing bracket (`PER`).
  public var label: String
  /// The span's name, shown after its label (`#7`, `@ann2#4`), or a suggestion id (`s1`).
  public var number: String
  /// The schema colour name, if any.
  public var color: String?
  /// Whether it is a suggestion (drawn dim, with `?`).
  public var isSuggestion: Bool

  /// Creates a span to draw.
  public init(
    range: Range<Int>, label: String, number: String, color: String? = nil,
    isSuggestion: Bool = false
  ) {
    self.range = range
    self.label = label
    self.number = number
    self.color = color
    self.isSuggestion = isSuggestion
  }
}

/// Draws a document for the terminal: wrapped to a width, paragraphs numbered, spans
/// bracketed inline with their label and id, e.g. `[John Kerry]PER#7`.
///
/// Nested spans nest their brackets (`[[Paris]LOC#2 Saint-Germain]ORG#1`); crossing spans
/// stay legible because every closing bracket carries its id. Control characters in
/// the text are shown as visible symbols, never sent to the terminal.
public enum DocumentRenderer {
  /// Renders the text with spans.
  ///
  /// - Parameters:
  ///   - text: the document's scalars.
  ///   - spans: the spans to draw.
  ///   - width: the terminal width in columns.
  ///   - palette: colours, or none.
  /// - Returns: the lines, each ending with `\n`.
  public static func render(text: ScalarText, spans: [RenderedSpan], width: Int, palette: Palette)
    -> String
  {
    var opens: [Int: [RenderedSpan]] = [:]
    var closes: [Int: [RenderedSpan]] = [:]
    for span in spans
    where span.range.lowerBound >= 0 && span.range.upperBound <= text.count && !span.range.isEmpty {
      opens[span.range.lowerBound, default: []].append(span)
      closes[span.range.upperBound, default: []].append(span)
    }
    var marked = ""
    func close(at i: Int) {
      // Innermost (latest-starting) first.
      for span in (closes[i] ?? []).sorted(by: {
        ($0.range.lowerBound, $0.number) > ($1.range.lowerBound, $1.number)
      }) {
        marked += closing(span, palette)
      }
    }
    for (i, scalar) in text.scalars.enumerated() {
      close(at: i)
      // Outermost (latest-ending) first.
      for span in (opens[i] ?? []).sorted(by: {
        ($0.range.upperBound, $1.number) > ($1.range.upperBound, $0.number)
      }) {
        marked +=
          span.isSuggestion
          ? palette.dim(palette.color("[", span.color))
          : palette.bold(palette.color("[", span.color))
      }
      marked += DisplayText.sanitized(String(Character(scalar)))
    }
    close(at: text.count)
    return layout(marked, width: width, palette: palette)
  }

  static func closing(_ span: RenderedSpan, _ palette: Palette) -> String {
    if span.isSuggestion {
      return palette.dim(palette.color("]?\(span.number)\(span.label)", span.color))
    }
    return palette.bold(palette.color("]" + span.label + span.number, span.color))
  }

  /// Splits marked text into numbered paragraphs (separated by blank lines) and wraps them.
  static func layout(_ marked: String, width: Int, palette: Palette) -> String {
    let lines = marked.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var paragraphs: [[String]] = []
    var current: [String] = []
    for line in lines {
      if line.allSatisfy(\.isWhitespace) {
        if !current.isEmpty { paragraphs.append(current) }
        current = []
      } else {
        current.append(line)
      }
    }
    if !current.isEmpty { paragraphs.append(current) }
    let gutter = String(paragraphs.count).count
    let textWidth = max(10, width - gutter - 3)
    var out = ""
    for (index, paragraph) in paragraphs.enumerated() {
      var first = true
      for line in paragraph {
        for wrapped in wrap(line, width: textWidth) {
          let number = first ? String(index + 1) : ""
          out +=
            palette.dim(String(repeating: " ", count: gutter - number.count) + number + " │") + " "
            + wrapped + "\n"
          first = false
        }
      }
      if index < paragraphs.count - 1 {
        out += palette.dim(String(repeating: " ", count: gutter) + " │") + "\n"
      }
    }
    return out
  }

  /// Greedy word wrap by display width; a word longer than the line stays whole.
  static func wrap(_ line: String, width: Int) -> [String] {
    var result: [String] = []
    var current = ""
    var currentWidth = 0
    for word in line.split(separator: " ", omittingEmptySubsequences: false) {
      let wordWidth = DisplayText.width(of: String(word))
      if currentWidth > 0 && currentWidth + 1 + wordWidth > width {
        result.append(current)
        current = String(word)
        currentWidth = wordWidth
      } else {
        if currentWidth > 0 || !current.isEmpty {
          current += " "
          currentWidth += 1
        }
        current += word
        currentWidth += wordWidth
      }
    }
    result.append(current)
    return result
  }
}

/// Aligned text tables for the terminal.
public enum TextTable {
  /// Renders rows under headers, columns padded to their widest cell (display width).
  public static func render(headers: [String], rows: [[String]], palette: Palette) -> String {
    var widths = headers.map { DisplayText.width(of: $0) }
    for row in rows {
      for (i, cell) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], DisplayText.width(of: cell))
      }
    }
    func line(_ cells: [String]) -> String {
      let joined = cells.enumerated().map { i, cell in
        i == cells.count - 1 ? cell : DisplayText.padded(cell, to: widths[i])
      }
      .joined(separator: "  ")
      return String(joined.reversed().drop(while: { $0 == " " }).reversed())
    }
    var out = palette.bold(line(headers)) + "\n"
    for row in rows { out += line(row) + "\n" }
    return out
  }
}
