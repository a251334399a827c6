import AnnoAgreement

/// The HTML rendering of an agreement report: one self-contained page (no network, fonts or
/// scripts) with tables and inline SVG charts. Every text from the data is escaped.
struct HTMLReport {
  let report: AgreementReport

  func render() -> String {
    var out = Self.pageOpening(
      title: "Agreement report",
      rules: [
        ".good { background: #d8f0d8; } .fair { background: #f6f0c8; } .poor { background: #f6d6d6; }",
        ".why { color: #777; font-size: 0.85em; }",
        "svg { display: block; margin: 0.5em 0 1.5em; }",
        "svg text { font-family: system-ui, sans-serif; font-size: 11px; }",
      ])
    for line in AgreementRenderer.header(report) { out += "<p>\(Self.escape(line))</p>\n" }
    for note in report.notes { out += "<p class=\"why\">note: \(Self.escape(note))</p>\n" }
    out += "<h2>Reliability per section</h2>\n" + HTMLCharts.alphaChart(report)
    for section in report.sections { out += render(section) }
    out += "<h2>Most disagreement</h2>\n<ol>\n"
    for item in report.disagreements {
      out +=
        "<li><b>\(Self.escape(item.documentID))</b> (\(item.score)): "
        + item.differences.map { Self.escape($0.description) }.joined(separator: "; ") + "</li>\n"
    }
    out += "</ol>\n<h2>Against the majority</h2>\n"
    out += Self.table(
      ["annotator", "section", "units", "κ", "agree", "reading"],
      report.againstMajority.filter { $0.units > 0 }.map { item in
        [
          Self.escape(item.annotator), Self.escape(item.section), Self.numeric(String(item.units)),
          Self.cell(item.kappa, scale: .landisKoch), Self.cell(item.percentAgreement, scale: .none),
          Self.escape(AgreementRenderer.interpretation(item.kappa, scale: .landisKoch) ?? ""),
        ]
      })
    return out + "</body>\n</html>\n"
  }

  private func render(_ section: AgreementSection) -> String {
    var out =
      "<h2>\(Self.escape(section.name))</h2>\n<p>\(Self.escape(AgreementRenderer.subtitle(section)))</p>\n"
    if let reason = AgreementRenderer.nothingToCompare(section) {
      return out
        + "<p class=\"why\">Nothing to compare: \(Self.escape(reason)); every coefficient is undefined.</p>\n"
    }
    let hasIntervals = section.measures.contains { $0.interval != nil }
    out += Self.table(
      ["coefficient", "value"] + (hasIntervals ? ["95% CI"] : []) + ["reading"],
      AgreementRenderer.overall(section).map { m in
        [Self.escape(m.key.name.title), Self.cell(m.value, scale: m.key.name.scale)]
          + (hasIntervals ? [Self.escape(m.interval.map(AgreementRenderer.interval) ?? "")] : [])
          + [Self.escape(AgreementRenderer.reading(m, in: section, of: report))]
      })
    let names = AgreementRenderer.pairColumns(section)
    let labels: [String?] =
      section.isSpanLayer ? [nil] + section.categories.map { Optional($0) } : [nil]
    var rows: [[String]] = []
    for label in labels {
      for pair in report.pairs {
        let cells = names.map { name in
          section.measure(name, pair: pair, label: label).map {
            Self.cell($0.value, scale: name.scale)
          } ?? "<td></td>"
        }
        rows.append(
          [Self.escape(pair.description)]
            + (section.isSpanLayer ? [Self.escape(label ?? "all")] : []) + cells)
      }
    }
    if AgreementRenderer.hasPairMeasures(section) {
      out += Self.table(
        ["pair"] + (section.isSpanLayer ? ["label"] : [])
          + names.map(AgreementRenderer.shortTitle),
        rows)
      let kappa: MeasureName = section.isSpanLayer ? .tokenCohenKappa : .cohenKappa
      out +=
        "<h3>Pairwise \(Self.escape(kappa.title))</h3>\n"
        + HTMLCharts.heatmap(section, kappa: kappa, annotators: report.annotators)
    }
    if section.isSpanLayer {
      out += "<h3>F1 per label</h3>\n" + HTMLCharts.f1Bars(section, pairs: report.pairs)
    }
    for confusion in section.confusions {
      out +=
        "<h3>Confusion \(Self.escape(confusion.pair.description))</h3>\n"
        + HTMLCharts.confusion(confusion)
    }
    return out
  }

  /// A `<td>` with the value, its tone as a class, and the reason when undefined.
  static func cell(_ measure: Measure, scale: InterpretationScale) -> String {
    if let reason = measure.reason {
      return "<td class=\"n\">—<br><span class=\"why\">\(escape(reason))</span></td>"
    }
    let tone = AgreementRenderer.tone(measure, scale: scale).map { " \($0)" } ?? ""
    return "<td class=\"n\(tone)\">\(AgreementRenderer.number(measure))</td>"
  }

  static func numeric(_ text: String) -> String { "<td class=\"n\">\(text)</td>" }

  /// A table; cells already wrapped in `<td>` are kept, others are wrapped.
  static func table(_ header: [String], _ rows: [[String]]) -> String {
    var out = "<table>\n<tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
    for row in rows {
      out += "<tr>" + row.map { $0.hasPrefix("<td") ? $0 : "<td>\($0)</td>" }.joined() + "</tr>\n"
    }
    return out + "</table>\n"
  }

  /// The opening of a self-contained report page, up to and with its `<h1>`: the style every
  /// report's tables share, then the page's own `rules`.
  static func pageOpening(title: String, rules: [String]) -> String {
    let style =
      [
        "body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }",
        "table { border-collapse: collapse; margin: 0.5em 0 1.5em; }",
        "th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; }",
        "td.n { text-align: right; font-variant-numeric: tabular-nums; }",
      ] + rules
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>\(title)</title>
      <style>
      \(style.joined(separator: "\n"))
      </style>
      </head>
      <body>
      <h1>\(title)</h1>

      """
  }

  /// Escapes text for HTML content and attribute values.
  static func escape(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }
}
