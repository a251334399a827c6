import AnnoAgreement
import AnnoCore
import Foundation

/// Renders an `AgreementReport` as text, markdown, JSON or HTML. Pure: no I/O, no clock.
public enum AgreementRenderer {
  /// The report in `format`.
  ///
  /// - Parameters:
  ///   - colors: ANSI colours in text (green reliable, yellow tentative, red unreliable).
  ///   - width: the terminal width text tables must fit (at least 40 is used).
  public static func render(
    _ report: AgreementReport, format: AgreementFormat, colors: Bool, width: Int
  ) -> String {
    switch format {
    case .text: TextReport(report: report, colors: colors, width: max(40, width)).render()
    case .markdown: MarkdownReport(report: report).render()
    case .json: report.jsonText
    case .html: HTMLReport(report: report).render()
    }
  }

  /// Writes `text` to `path` atomically: into a temporary file beside it, then renamed over it.
  ///
  /// - Throws: a message when `path` is the database or another file Anno holds open
  ///   (`ProtectedFiles`); the file system's error. The destination is left untouched then.
  public static func write(_ text: String, toPath path: String) throws {
    if let refusal = ProtectedFiles.refusal(toWrite: path) {
      throw AgreementError.refusedDestination(refusal)
    }
    let url = URL(fileURLWithPath: path)
    try Data(text.utf8).write(to: url, options: .atomic)
  }

  /// The verbal reading of a value: `reliable`, `tentative`, `unreliable` for α; Landis &
  /// Koch's band for κ; `nil` for proportions, F1 and undefined values.
  public static func interpretation(_ measure: Measure, scale: InterpretationScale) -> String? {
    guard let value = measure.value else { return nil }
    switch scale {
    case .krippendorff: return Interpretation.krippendorff(value).rawValue
    case .landisKoch: return Interpretation.landisKoch(value).rawValue
    case .none: return nil
    }
  }

  /// The traffic-light tone of a value: good (α reliable, κ almost perfect), fair (α
  /// tentative, κ substantial), poor (otherwise); `nil` when there is no reading.
  static func tone(_ measure: Measure, scale: InterpretationScale) -> Tone? {
    guard let value = measure.value else { return nil }
    switch scale {
    case .krippendorff:
      switch Interpretation.krippendorff(value) {
      case .reliable: return .good
      case .tentative: return .fair
      case .unreliable: return .poor
      }
    case .landisKoch:
      switch Interpretation.landisKoch(value) {
      case .almostPerfect: return .good
      case .substantial: return .fair
      default: return .poor
      }
    case .none: return nil
    }
  }

  /// A value with three decimals, or `—` when undefined.
  static func number(_ measure: Measure) -> String {
    measure.value.map { Measure.value($0).description } ?? "—"
  }

  /// `[0.612, 0.851]`, or `—` when the interval is undefined.
  static func interval(_ interval: BootstrapInterval) -> String {
    guard interval.lower.isDefined, interval.upper.isDefined else { return "—" }
    return "[\(number(interval.lower)), \(number(interval.upper))]"
  }

  /// A section's subtitle: `ordinal, 12 documents, 11 rated by two or more`.
  static func subtitle(_ section: AgreementSection) -> String {
    switch section.kind {
    case .document(let level):
      return
        "\(level.rawValue); \(section.units) documents rated, \(section.pairableUnits) by two or more"
    case .spans:
      return
        "\(section.categories.count) labels; \(section.documents) documents, \(section.units) tokens"
        + ", \(section.counts["documents_all"] ?? 0) documents finished by everyone (for α_u)"
    }
  }

  /// Below this many documents coded by two or more annotators, a report says its values
  /// rest on too little to read as estimates.
  static let minimumSharedDocuments = 5
  /// Below this many units rated by two or more annotators, a field's values say so.
  static let minimumFieldUnits = 20

  /// The warning a report over fewer than 5 shared documents carries, or `nil`.
  static func caution(_ report: AgreementReport) -> String? {
    guard let shared = report.sharedDocuments, shared < minimumSharedDocuments else { return nil }
    return
      "caution: only \(shared) document\(shared == 1 ? " was" : "s were") coded by two or more annotators (fewer than \(minimumSharedDocuments)); the values below are no reliable estimate of agreement"
  }

  /// What a section's values rest on, when it is too little to read them as estimates: fewer
  /// than 20 units rated twice (a field), or fewer than 5 shared documents; `nil` otherwise.
  static func caution(_ section: AgreementSection, in report: AgreementReport) -> String? {
    if case .document = section.kind, section.pairableUnits < minimumFieldUnits {
      return
        "only \(section.pairableUnits) unit\(section.pairableUnits == 1 ? "" : "s") rated twice (fewer than \(minimumFieldUnits))"
    }
    if let shared = report.sharedDocuments, shared < minimumSharedDocuments {
      return
        "only \(shared) shared document\(shared == 1 ? "" : "s") (fewer than \(minimumSharedDocuments))"
    }
    return nil
  }

  /// A value's reading for the overall tables: its interpretation, and the section's caution
  /// next to it.
  static func reading(
    _ measure: ReportMeasure, in section: AgreementSection, of report: AgreementReport
  )
    -> String
  {
    let reading =
      measure.value.reason.map { "undefined: " + $0 }
      ?? interpretation(measure.value, scale: measure.key.name.scale) ?? ""
    guard let caution = caution(section, in: report) else { return reading }
    return reading.isEmpty ? caution : reading + " · " + caution
  }

  /// The report header lines.
  static func header(_ report: AgreementReport) -> [String] {
    var lines = [
      "\(report.annotators.count) annotators (\(report.annotators.joined(separator: ", "))) on \(report.documents) documents"
    ]
    if let caution = caution(report) { lines.append(caution) }
    var selection = report.selection
    if let b = report.bootstrap {
      selection.append(
        "bootstrap \(b.replicates) replicates, seed \(b.seed), 95% percentile intervals")
    }
    if !selection.isEmpty { lines.append(selection.joined(separator: "; ")) }
    if let schema = report.schema { lines.append(schema.description) }
    return lines
  }

  /// Why a section has nothing to compare (no unit rated twice, no span marked), or `nil`.
  static func nothingToCompare(_ section: AgreementSection) -> String? {
    switch section.kind {
    case .document:
      return section.pairableUnits == 0 ? "no document was rated by two annotators" : nil
    case .spans:
      if section.documents == 0 { return "no document has an annotation set" }
      let marked = section.counts.contains {
        ($0.key.hasPrefix("spans_first@") || $0.key.hasPrefix("spans_second@")) && $0.value > 0
      }
      return marked ? nil : "nobody marked a span"
    }
  }

  /// Whether no annotator of any pair marked `label` in a span layer.
  static func isUnused(label: String, in section: AgreementSection) -> Bool {
    !section.counts.contains {
      ($0.key.hasPrefix("spans_first@") || $0.key.hasPrefix("spans_second@"))
        && $0.key.hasSuffix("#" + label)
        && $0.value > 0
    }
  }

  /// The name of a confusion category: the label, or `(no span)`.
  static func categoryName(_ category: String?) -> String { category ?? "(no span)" }

  /// The measures of a section not tied to a pair, in order.
  static func overall(_ section: AgreementSection) -> [ReportMeasure] {
    section.measures.filter { $0.key.pair == nil && $0.key.label == nil }
  }

  /// Whether a section has measures per pair of annotators (a set-valued field's has none).
  static func hasPairMeasures(_ section: AgreementSection) -> Bool {
    section.measures.contains { $0.key.pair != nil }
  }

  /// The pair measures of a section shown in its pairwise table, in column order.
  static func pairColumns(_ section: AgreementSection) -> [MeasureName] {
    switch section.kind {
    case .document(let level):
      level == .nominal
        ? [.percentAgreement, .cohenKappa, .scottPi]
        : [.percentAgreement, .cohenKappa, .scottPi, .weightedKappaLinear, .weightedKappaQuadratic]
    case .spans:
      [.spanExactF1, .spanOverlapF1, .spanExactPrecision, .spanExactRecall, .tokenCohenKappa]
    }
  }

  /// Short column titles for pairwise tables.
  static func shortTitle(_ name: MeasureName) -> String {
    switch name {
    case .percentAgreement: "agree"
    case .cohenKappa: "Cohen κ"
    case .scottPi: "Scott π"
    case .weightedKappaLinear: "κw linear"
    case .weightedKappaQuadratic: "κw quadratic"
    case .spanExactF1: "F1 exact"
    case .spanOverlapF1: "F1 overlap"
    case .spanExactPrecision: "P exact"
    case .spanExactRecall: "R exact"
    case .tokenCohenKappa: "token κ"
    case .tokenAlphaNominal: "token α"
    case .alphaU: "α_u"
    default: name.title
    }
  }
}

/// The verbal tone of a coefficient, for colour.
enum Tone {
  case good, fair, poor
}
