import AnnoAgreement
import AnnoCore

/// The terminal rendering of an agreement report: aligned tables fitting a width.
struct TextReport {
  let report: AgreementReport
  let colors: Bool
  let width: Int

  func render() -> String {
    var out = ""
    for line in AgreementRenderer.header(report) {
      out += TextWrap.paragraph(line, width: width, first: "", rest: "  ")
    }
    for note in report.notes {
      out += TextWrap.paragraph("note: " + note, width: width, first: "", rest: "  ")
    }
    for section in report.sections { out += "\n" + render(section) }
    out += "\n" + disagreements()
    out += "\n" + confusions()
    out += "\n" + againstMajority()
    return out
  }

  private func title(_ text: String) -> String {
    let lines = TextWrap.paragraph(text, width: width, first: "", rest: "  ")
    return colors ? "\u{1B}[1m\(lines.dropLast())\u{1B}[0m\n" : lines
  }

  private func render(_ section: AgreementSection) -> String {
    var out = title(section.name)
    out += TextWrap.paragraph(
      AgreementRenderer.subtitle(section), width: width, first: "  ", rest: "  ")
    if let reason = AgreementRenderer.nothingToCompare(section) {
      return out
        + TextWrap.paragraph(
          "nothing to compare: \(reason); every coefficient is undefined", width: width,
          first: "  ", rest: "  ")
    }
    var undefined = UndefinedCells()
    let hasIntervals = section.measures.contains { $0.interval != nil }
    var table = ReportTable(
      columns: [
        .init(title: "coefficient", alignRight: false), .init(title: "value", alignRight: true),
      ]
        + (hasIntervals ? [.init(title: "95% CI", alignRight: false)] : [])
        + [.init(title: "reading", alignRight: false)])
    for measure in AgreementRenderer.overall(section) {
      var row: [ReportTable.Cell] = [.init(measure.key.name.title), value(measure)]
      if hasIntervals { row.append(.init(measure.interval.map(AgreementRenderer.interval) ?? "")) }
      row.append(reading(measure, in: section))
      table.rows.append(row)
    }
    out += table.render(width: width, colors: colors)
    out += pairTable(section, label: nil, undefined: &undefined)
    if section.isSpanLayer {
      out += labelTable(section)
      let unused = section.categories.filter { AgreementRenderer.isUnused(label: $0, in: section) }
      for label in section.categories where !unused.contains(label) {
        out += pairTable(section, label: label, undefined: &undefined)
      }
      if !unused.isEmpty {
        out += TextWrap.paragraph(
          "nobody marked " + unused.joined(separator: ", "), width: width, first: "  ", rest: "    "
        )
      }
    }
    return out + undefined.render(width: width)
  }

  private func value(_ measure: ReportMeasure) -> ReportTable.Cell {
    .init(
      AgreementRenderer.number(measure.value),
      tone: AgreementRenderer.tone(measure.value, scale: measure.key.name.scale))
  }

  /// A value's reading, with the section's caution next to it when one is given.
  private func reading(_ measure: ReportMeasure, in section: AgreementSection? = nil)
    -> ReportTable.Cell
  {
    let text =
      section.map { AgreementRenderer.reading(measure, in: $0, of: report) }
      ?? measure.value.reason.map { "undefined: " + $0 }
      ?? AgreementRenderer.interpretation(measure.value, scale: measure.key.name.scale) ?? ""
    return .init(
      text,
      tone: measure.value.reason == nil
        ? AgreementRenderer.tone(measure.value, scale: measure.key.name.scale) : nil)
  }

  /// One row per pair; undefined cells are listed below the table with their reasons.
  private func pairTable(
    _ section: AgreementSection, label: String?, undefined: inout UndefinedCells
  ) -> String {
    let names = AgreementRenderer.pairColumns(section)
    let rows = report.pairs.compactMap { pair -> [ReportMeasure]? in
      let row = names.compactMap { section.measure($0, pair: pair, label: label) }
      return row.isEmpty ? nil : row
    }
    guard !rows.isEmpty else { return "" }
    var table = ReportTable(
      columns: [.init(title: label.map { "pair (\($0))" } ?? "pair", alignRight: false)]
        + names.map { .init(title: AgreementRenderer.shortTitle($0), alignRight: true) })
    for row in rows {
      guard let pair = row.first?.key.pair else { continue }
      table.rows.append([.init(pair.description)] + row.map(value))
      for measure in row {
        if let reason = measure.value.reason {
          undefined.add(
            "\(AgreementRenderer.shortTitle(measure.key.name)) \(pair)\(label.map { " " + $0 } ?? "")",
            reason: reason)
        }
      }
    }
    return table.render(width: width, colors: colors)
  }

  /// Token α and α_u per label.
  private func labelTable(_ section: AgreementSection) -> String {
    var table = ReportTable(columns: [
      .init(title: "label", alignRight: false), .init(title: "token α", alignRight: true),
      .init(title: "α_u", alignRight: true), .init(title: "reading (token α)", alignRight: false),
    ])
    for label in section.categories {
      guard let tokenAlpha = section.measure(.tokenAlphaNominal, label: label),
        let unitizing = section.measure(.alphaU, label: label)
      else { continue }
      table.rows.append([.init(label), value(tokenAlpha), value(unitizing), reading(tokenAlpha)])
    }
    return table.rows.isEmpty ? "" : table.render(width: width, colors: colors)
  }

  private func disagreements() -> String {
    var out = title("most disagreement (review these first)")
    if report.disagreements.isEmpty { return out + "  none\n" }
    for (i, item) in report.disagreements.enumerated() {
      out += TextWrap.paragraph(
        "\(i + 1). \(item.summary) [\(item.score)]", width: width, first: "  ", rest: "     ")
    }
    return out
  }

  private func confusions() -> String {
    var out = title("confusions (first annotator's label → second's)")
    var any = false
    for section in report.sections {
      for confusion in section.confusions {
        let cells = confusion.confusedCells.prefix(8)
        guard !cells.isEmpty else { continue }
        any = true
        let text = cells.map {
          "\(AgreementRenderer.categoryName($0.first)) → \(AgreementRenderer.categoryName($0.second)) ×\($0.count)"
        }.joined(separator: ", ")
        out += TextWrap.paragraph(
          "\(section.name) \(confusion.pair): \(text)", width: width, first: "  ", rest: "      ")
      }
    }
    return any ? out : out + "  none\n"
  }

  private func againstMajority() -> String {
    let out = title("each annotator against the majority of the others")
    var table = ReportTable(columns: [
      .init(title: "annotator", alignRight: false), .init(title: "section", alignRight: false),
      .init(title: "units", alignRight: true), .init(title: "κ", alignRight: true),
      .init(title: "agree", alignRight: true), .init(title: "reading", alignRight: false),
    ])
    var undefined = UndefinedCells()
    for item in report.againstMajority where item.units > 0 {
      let kappa = ReportMeasure(MeasureKey(.cohenKappa), item.kappa)
      table.rows.append([
        .init(item.annotator), .init(item.section), .init(String(item.units)), value(kappa),
        .init(AgreementRenderer.number(item.percentAgreement)),
        .init(
          AgreementRenderer.interpretation(item.kappa, scale: .landisKoch) ?? "",
          tone: value(kappa).tone),
      ])
      if let reason = item.kappa.reason {
        undefined.add("κ \(item.annotator) \(item.section)", reason: reason)
      }
    }
    if table.rows.isEmpty {
      return out + "  no annotator rated a unit where the others had a majority\n"
    }
    return out + table.render(width: width, colors: colors) + undefined.render(width: width)
  }
}
