import AnnoAgreement

/// Inline SVG charts for the HTML report. No `xmlns` is needed inside HTML, so the page names
/// no URL at all.
enum HTMLCharts {
  private static let escape = HTMLReport.escape

  /// A colour from red (≤ 0) through yellow to green (1), grey when undefined.
  static func color(_ value: Double?) -> String {
    guard let value else { return "#dddddd" }
    let hue = Int((max(0, min(1, value)) * 120).rounded())
    return "hsl(\(hue), 60%, 70%)"
  }

  /// Each section's main α (the field's level; token α for span layers) as a dot, with
  /// whiskers for its bootstrap interval, against Krippendorff's .667 and .800 lines.
  static func alphaChart(_ report: AgreementReport) -> String {
    let rows: [(String, ReportMeasure)] = report.sections.compactMap { section in
      let name: MeasureName
      switch section.kind {
      case .document(let level): name = .alpha(level)
      case .spans: name = .tokenAlphaNominal
      }
      return section.measure(name).map { (section.name, $0) }
    }
    let lowest =
      rows.flatMap { [$0.1.value.value, $0.1.interval?.lower.value].compactMap { $0 } }.min() ?? 0
    let from = min(0, (lowest * 5).rounded(.down) / 5)
    let left = 180.0
    let plot = 420.0
    let rowHeight = 22.0
    let height = Double(rows.count) * rowHeight + 30
    func x(_ v: Double) -> Double { left + (v - from) / (1 - from) * plot }
    var svg =
      "<svg width=\"\(Int(left + plot + 60))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"alpha per section\">\n"
    for (threshold, label) in [(0.667, ".667"), (0.8, ".800")] {
      svg += line(x(threshold), 0, x(threshold), height - 20, stroke: "#999", dash: true)
      svg += text(x(threshold), height - 6, label, anchor: "middle")
    }
    svg += text(x(from), height - 6, Measure.value(from).description, anchor: "middle")
    svg += text(x(1), height - 6, "1", anchor: "middle")
    for (i, (name, measure)) in rows.enumerated() {
      let y = Double(i) * rowHeight + 14
      svg += text(left - 8, y + 4, name, anchor: "end")
      if let lower = measure.interval?.lower.value, let upper = measure.interval?.upper.value {
        svg += line(x(lower), y, x(upper), y, stroke: "#333", dash: false)
        svg += line(x(lower), y - 5, x(lower), y + 5, stroke: "#333", dash: false)
        svg += line(x(upper), y - 5, x(upper), y + 5, stroke: "#333", dash: false)
      }
      if let value = measure.value.value {
        svg +=
          "<circle cx=\"\(f(x(value)))\" cy=\"\(f(y))\" r=\"5\" fill=\"\(color(value))\" stroke=\"#333\"/>\n"
        svg += text(left + plot + 8, y + 4, Measure.value(value).description, anchor: "start")
      } else {
        svg += text(
          x(from) + 4, y + 4, "undefined: " + (measure.value.reason ?? ""), anchor: "start")
      }
    }
    return svg + "</svg>\n"
  }

  /// The annotators × annotators heatmap of a pairwise κ.
  static func heatmap(_ section: AgreementSection, kappa: MeasureName, annotators: [String])
    -> String
  {
    let cell = 46.0
    let left = 120.0
    let top = 24.0
    let n = Double(annotators.count)
    var svg =
      "<svg width=\"\(Int(left + n * cell + 10))\" height=\"\(Int(top + n * cell + 10))\" role=\"img\">\n"
    for (j, name) in annotators.enumerated() {
      svg += text(left + (Double(j) + 0.5) * cell, top - 8, name, anchor: "middle")
    }
    for (i, a) in annotators.enumerated() {
      let y = top + Double(i) * cell
      svg += text(left - 6, y + cell / 2 + 4, a, anchor: "end")
      for (j, b) in annotators.enumerated() {
        let x = left + Double(j) * cell
        guard i != j else {
          svg += rect(x, y, cell, cell, fill: "#f4f4f4")
          continue
        }
        let measure = section.measure(kappa, pair: AnnotatorPair(a, b))?.value
        svg += rect(x, y, cell, cell, fill: color(measure?.value), title: measure?.reason)
        svg += text(
          x + cell / 2, y + cell / 2 + 4, measure.map(AgreementRenderer.number) ?? "",
          anchor: "middle")
      }
    }
    return svg + "</svg>\n"
  }

  /// A pair's confusion matrix: rows the first annotator, columns the second, shaded by count.
  static func confusion(_ confusion: PairConfusion) -> String {
    let names = confusion.categories.map(AgreementRenderer.categoryName)
    let cell = 40.0
    let left = 110.0
    let top = 90.0
    let n = Double(names.count)
    let largest = max(1, confusion.counts.flatMap { $0 }.max() ?? 1)
    var svg =
      "<svg width=\"\(Int(left + n * cell + 10))\" height=\"\(Int(top + n * cell + 24))\" role=\"img\">\n"
    svg += text(
      left, 12, "rows: \(confusion.pair.first); columns: \(confusion.pair.second)", anchor: "start")
    for (j, name) in names.enumerated() {
      let x = left + (Double(j) + 0.5) * cell
      svg +=
        "<text x=\"\(f(x))\" y=\"\(f(top - 6))\" transform=\"rotate(-45 \(f(x)) \(f(top - 6)))\">\(escape(name))</text>\n"
    }
    for (i, row) in confusion.counts.enumerated() {
      let y = top + Double(i) * cell
      svg += text(left - 6, y + cell / 2 + 4, names[i], anchor: "end")
      for (j, count) in row.enumerated() {
        let x = left + Double(j) * cell
        let shade = 100 - Int((Double(count) / Double(largest) * 55).rounded())
        let hue = i == j ? 120 : 0
        svg += rect(x, y, cell, cell, fill: count == 0 ? "#ffffff" : "hsl(\(hue), 55%, \(shade)%)")
        if count > 0 {
          svg += text(x + cell / 2, y + cell / 2 + 4, String(count), anchor: "middle")
        }
      }
    }
    return svg + "</svg>\n"
  }

  /// Per pair, per label: bars of exact and overlap span F1.
  static func f1Bars(_ section: AgreementSection, pairs: [AnnotatorPair]) -> String {
    let left = 190.0
    let plot = 300.0
    let bar = 9.0
    var rows: [(String, Measure?, Measure?)] = []
    for pair in pairs {
      for label in [nil] + section.categories.map({ Optional($0) }) {
        rows.append(
          (
            "\(pair) \(label ?? "all")",
            section.measure(.spanExactF1, pair: pair, label: label)?.value,
            section.measure(.spanOverlapF1, pair: pair, label: label)?.value
          ))
      }
    }
    let rowHeight = 2 * bar + 8
    var svg =
      "<svg width=\"\(Int(left + plot + 60))\" height=\"\(Int(Double(rows.count) * rowHeight + 30))\" role=\"img\">\n"
    svg += rect(left, 4, 10, 8, fill: "#4a7bd0") + text(left + 14, 12, "exact", anchor: "start")
    svg +=
      rect(left + 70, 4, 10, 8, fill: "#9db8e8") + text(left + 84, 12, "overlap", anchor: "start")
    for (i, (name, exact, overlap)) in rows.enumerated() {
      let y = 20 + Double(i) * rowHeight
      svg += text(left - 6, y + bar + 3, name, anchor: "end")
      for (k, measure) in [exact, overlap].enumerated() {
        let yy = y + Double(k) * bar
        guard let value = measure?.value else {
          svg += text(left + 4, yy + bar - 1, "undefined", anchor: "start")
          continue
        }
        svg += rect(left, yy, max(0.5, value * plot), bar - 1, fill: k == 0 ? "#4a7bd0" : "#9db8e8")
        svg += text(
          left + value * plot + 4, yy + bar - 1, AgreementRenderer.number(.value(value)),
          anchor: "start")
      }
    }
    return svg + "</svg>\n"
  }

  // MARK: - Primitives

  private static func f(_ v: Double) -> String { Measure.value(v).description }

  private static func text(_ x: Double, _ y: Double, _ content: String, anchor: String) -> String {
    "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\">\(escape(content))</text>\n"
  }

  private static func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, dash: Bool
  ) -> String {
    "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\""
      + (dash ? " stroke-dasharray=\"4 3\"" : "") + "/>\n"
  }

  private static func rect(
    _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, title: String? = nil
  ) -> String {
    let head =
      "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"\(fill)\" stroke=\"#fff\""
    guard let title else { return head + "/>\n" }
    return head + "><title>\(escape(title))</title></rect>\n"
  }
}
