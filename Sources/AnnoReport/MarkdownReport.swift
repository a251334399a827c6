import AnnoAgreement

/// The markdown rendering of an agreement report: GitHub tables, deterministic, to commit
/// next to the data.
struct MarkdownReport {
  let report: AgreementReport

  func render() -> String {
    var out = "# Agreement report\n\n"
    for line in AgreementRenderer.header(report) { out += Self.escape(line) + "\n\n" }
    for note in report.notes { out += "> note: " + Self.escape(note) + "\n\n" }
    for section in report.sections { out += render(section) }
    out += "## Most disagreement\n\nReview these documents first.\n\n"
    if report.disagreements.isEmpty { out += "None.\n\n" }
    for (i, item) in report.disagreements.enumerated() {
      out +=
        "\(i + 1). **\(Self.escape(item.documentID))** (\(item.score)): "
        + item.differences.map { Self.escape($0.description) }.joined(separator: "; ") + "\n"
    }
    if !report.disagreements.isEmpty { out += "\n" }
    out += confusions()
    out += "## Against the majority\n\nEach annotator against the majority of the others.\n\n"
    out += Self.table(
      ["annotator", "section", "units", "κ", "agree", "reading"],
      report.againstMajority.filter { $0.units > 0 }.map { item in
        [
          Self.escape(item.annotator), Self.escape(item.section), String(item.units),
          Self.cell(item.kappa),
          Self.cell(item.percentAgreement),
          AgreementRenderer.interpretation(item.kappa, scale: .landisKoch) ?? "",
        ]
      }, rightAligned: [2, 3, 4])
    return out
  }

  private func render(_ section: AgreementSection) -> String {
    var out =
      "## \(Self.escape(section.name))\n\n" + Self.escape(AgreementRenderer.subtitle(section))
      + "\n\n"
    if let reason = AgreementRenderer.nothingToCompare(section) {
      return out + "Nothing to compare: \(reason); every coefficient is undefined.\n\n"
    }
    let hasIntervals = section.measures.contains { $0.interval != nil }
    out += Self.table(
      ["coefficient", "value"] + (hasIntervals ? ["95% CI"] : []) + ["reading"],
      AgreementRenderer.overall(section).map { m in
        [Self.escape(m.key.name.title), Self.cell(m.value)]
          + (hasIntervals ? [m.interval.map(AgreementRenderer.interval) ?? ""] : [])
          + [Self.escape(AgreementRenderer.reading(m, in: section, of: report))]
      }, rightAligned: [1])
    let names = AgreementRenderer.pairColumns(section)
    let used = section.categories.filter { !AgreementRenderer.isUnused(label: $0, in: section) }
    let labels: [String?] = section.isSpanLayer ? [nil] + used.map { Optional($0) } : [nil]
    var rows: [[String]] = []
    for label in labels {
      for pair in report.pairs {
        let cells = names.map {
          section.measure($0, pair: pair, label: label).map { Self.cell($0.value) } ?? ""
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
        rows,
        rightAligned: Set(
          (section.isSpanLayer ? 2 : 1)..<(names.count + (section.isSpanLayer ? 2 : 1))))
    }
    if section.isSpanLayer && used.count < section.categories.count {
      out +=
        "Nobody marked "
        + section.categories.filter { !used.contains($0) }.map(Self.escape).joined(separator: ", ")
        + ".\n\n"
    }
    if section.isSpanLayer {
      out += Self.table(
        ["label", "token α", "α_u"],
        section.categories.map { label in
          [
            Self.escape(label),
            section.measure(.tokenAlphaNominal, label: label).map { Self.cell($0.value) } ?? "",
            section.measure(.alphaU, label: label).map { Self.cell($0.value) } ?? "",
          ]
        }, rightAligned: [1, 2])
    }
    return out
  }

  private func confusions() -> String {
    var out = "## Confusions\n\nRows: the first annotator's category; columns: the second's.\n\n"
    var any = false
    for section in report.sections {
      for confusion in section.confusions where !confusion.confusedCells.isEmpty {
        any = true
        out += "### \(Self.escape(section.name)): \(Self.escape(confusion.pair.description))\n\n"
        let names = confusion.categories.map { Self.escape(AgreementRenderer.categoryName($0)) }
        out += Self.table(
          ["\(Self.escape(confusion.pair.first)) \\\\ \(Self.escape(confusion.pair.second))"]
            + names,
          confusion.counts.enumerated().map { i, row in [names[i]] + row.map(String.init) },
          rightAligned: Set(1...names.count))
      }
    }
    return any ? out : out + "None.\n\n"
  }

  /// A value with three decimals, or `— (reason)`.
  static func cell(_ measure: Measure) -> String {
    measure.reason.map { "— (\(escape($0)))" } ?? AgreementRenderer.number(measure)
  }

  static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int>) -> String {
    var out = "| " + header.joined(separator: " | ") + " |\n"
    out +=
      "|" + header.indices.map { rightAligned.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
    for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
    return out + "\n"
  }

  /// Escapes text from the data so markdown shows it literally (and never as HTML).
  static func escape(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "\\", "`", "*", "_", "[", "]", "|", "#", "~": out += "\\" + String(c)
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      case "\n", "\r": out += " "
      default: out.append(c)
      }
    }
    return out
  }
}
