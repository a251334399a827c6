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
    let drawn = paragraphs(text: text, spans: spans, width: width, palette: palette)
    return drawn.isEmpty ? "" : join(drawn, 1...drawn.count, palette: palette)
  }

  /// Paragraphs `range` (numbered from 1) of drawn `paragraphs`, with the gutter's separator
  /// line between two.
  public static func join(_ paragraphs: [String], _ range: ClosedRange<Int>, palette: Palette)
    -> String
  {
    let gutter = String(paragraphs.count).count
    let separator = palette.dim(String(repeating: " ", count: gutter) + " │") + "\n"
    return paragraphs[(range.lowerBound - 1)...(range.upperBound - 1)].joined(separator: separator)
  }

  /// The document drawn paragraph by paragraph (paragraphs are separated by blank lines):
  /// each element is one paragraph's wrapped lines, each line with the numbered gutter and
  /// ending with `\n`.
  public static func paragraphs(
    text: ScalarText, spans: [RenderedSpan], width: Int, palette: Palette
  ) -> [String] {
    var opens: [Int: [RenderedSpan]] = [:]
    var closes: [Int: [RenderedSpan]] = [:]
    for span in spans
    where TextRange(span.range).isSpan(inTextOfLength: text.count) {
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
  static func layout(_ marked: String, width: Int, palette: Palette) -> [String] {
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
    return paragraphs.enumerated().map { index, paragraph in
      var out = ""
      var first = true
      for line in paragraph {
        for wrapped in TextWrap.wrap(line, width: textWidth) {
          let number = first ? String(index + 1) : ""
          out +=
            palette.dim(String(repeating: " ", count: gutter - number.count) + number + " │") + " "
            + wrapped + "\n"
          first = false
        }
      }
      return out
    }
  }
}
