import AnnoAgreement
import AnnoCore
import AnnoStore
import Foundation

/// Each annotator scored against the adjudicated (gold) version: precision, recall and F1
/// of entity spans per label (exact matching), Cohen's kappa per document field, and per
/// set-valued field (`multiple: true`) Krippendorff's α of the annotator and gold as two
/// raters under the MASI and Jaccard distances, with the share of documents whose sets are
/// equal.
public struct GoldComparison {
  /// Span counts of one annotator for one label.
  struct Counts {
    var truePositives = 0
    var falsePositives = 0
    var falseNegatives = 0

    var precision: Measure {
      truePositives + falsePositives == 0
        ? .undefined(reason: "the annotator marked no spans")
        : .value(Double(truePositives) / Double(truePositives + falsePositives))
    }
    var recall: Measure {
      truePositives + falseNegatives == 0
        ? .undefined(reason: "the gold version has no spans")
        : .value(Double(truePositives) / Double(truePositives + falseNegatives))
    }
    var f1: Measure {
      let denominator = 2 * truePositives + falsePositives + falseNegatives
      return denominator == 0
        ? .undefined(reason: "neither has spans")
        : .value(Double(2 * truePositives) / Double(denominator))
    }
  }

  var annotators: [String] = []
  var documents = 0
  /// Span counts by annotator, then label (`""` for all labels).
  var spans: [String: [String: Counts]] = [:]
  /// Field tallies by field key (`sentiment`, `stance:Russia`, `topic`), then annotator.
  var fields: [String: [String: RatingAccumulator]] = [:]
  var fieldCategories: [String: [String]] = [:]
  /// Set-valued field tallies by field, then annotator.
  var setFields: [String: [String: SetComparison]] = [:]

  /// One annotator's sets of one set-valued field beside gold's.
  struct SetComparison {
    /// The annotator (rater 0) and gold (rater 1).
    var accumulator = SetRatingAccumulator(raterCount: 2)
    /// Documents where both gave the field a value, and where the two sets are equal.
    var pairable = 0
    var equal = 0

    var percentAgreement: Measure {
      pairable == 0
        ? .undefined(reason: "no document where both gave the field a value")
        : .value(Double(equal) / Double(pairable))
    }
  }

  /// The fields compared, in report order, with their categories.
  private var fieldOrder: [(String, [String])] = []
  /// The set-valued fields compared, with their declared values.
  private var setFieldOrder: [(String, [String])] = []
  /// Everyone compared with gold so far.
  private var annotatorNames: Set<String> = []

  /// An empty comparison over `schema`'s document fields, to which a pass over the store adds
  /// each document (AnnoPipeline's `AgreementJob`).
  package init(schema: LabelSchema) {
    fieldOrder = [("sentiment", schema.sentiment.values)]
    fieldOrder += schema.stance.targets.map { ("stance:\($0.name)", NoStance.categories(schema)) }
    fieldOrder += schema.fields.filter { !$0.isMultiple }.map { ($0.name, $0.values) }
    setFieldOrder = schema.fields.filter(\.isMultiple).map { ($0.name, $0.values) }
    for (key, values) in fieldOrder + setFieldOrder { fieldCategories[key] = values }
  }

  /// Compares every annotator's set in one document's `group` with the gold set of the same
  /// document (a document without one, or with no other set, is left out).
  ///
  /// - Parameter labels: the entity labels compared, or `nil` for all.
  package mutating func add(_ group: [AnnotatedDocument], labels: [String]?) {
    guard
      let gold = group.first(where: { $0.annotations.annotator == Store.goldAnnotator })?
        .annotations
    else { return }
    let others = group.map(\.annotations).filter { $0.annotator != Store.goldAnnotator }
    guard !others.isEmpty else { return }
    documents += 1
    let goldSpans = Set(
      (gold.entities ?? []).filter { labels?.contains($0.label) ?? true })
    for set in others {
      if annotatorNames.insert(set.annotator).inserted {
        annotators = annotatorNames.sorted {
          $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
        }
      }
      let mine = Set(
        (set.entities ?? []).filter { labels?.contains($0.label) ?? true })
      var counts = spans[set.annotator] ?? [:]
      for span in mine {
        let hit = goldSpans.contains(span)
        counts[span.label, default: Counts()].truePositives += hit ? 1 : 0
        counts[span.label, default: Counts()].falsePositives += hit ? 0 : 1
        counts["", default: Counts()].truePositives += hit ? 1 : 0
        counts["", default: Counts()].falsePositives += hit ? 0 : 1
      }
      for span in goldSpans where !mine.contains(span) {
        counts[span.label, default: Counts()].falseNegatives += 1
        counts["", default: Counts()].falseNegatives += 1
      }
      spans[set.annotator] = counts
      for (key, values) in fieldOrder {
        var mineValue = Self.fieldValue(set, key)
        var goldValue = Self.fieldValue(gold, key)
        guard mineValue != nil || goldValue != nil else { continue }
        if key.hasPrefix("stance:") {
          if mineValue == nil && NoStance.counts(in: set) { mineValue = NoStance.category }
          if goldValue == nil && NoStance.counts(in: gold) { goldValue = NoStance.category }
        }
        var tally =
          fields[key, default: [:]][set.annotator]
          ?? RatingAccumulator(categoryCount: values.count, raterCount: 2)
        tally.add(unit: [
          mineValue.flatMap { values.firstIndex(of: $0) },
          goldValue.flatMap { values.firstIndex(of: $0) },
        ])
        fields[key, default: [:]][set.annotator] = tally
      }
      for (key, values) in setFieldOrder {
        func indices(_ chosen: [String]?) -> Set<Int>? {
          guard let chosen, !chosen.isEmpty else { return nil }
          let found = Set(chosen.compactMap { values.firstIndex(of: $0) })
          return found.isEmpty ? nil : found
        }
        let mine = indices(set.labelSets?[key])
        let theirs = indices(gold.labelSets?[key])
        guard mine != nil || theirs != nil else { continue }
        var comparison = setFields[key, default: [:]][set.annotator] ?? SetComparison()
        comparison.accumulator.add(unit: [mine, theirs])
        if let mine, let theirs {
          comparison.pairable += 1
          comparison.equal += mine == theirs ? 1 : 0
        }
        setFields[key, default: [:]][set.annotator] = comparison
      }
    }
  }

  static func fieldValue(_ set: AnnotationSet, _ key: String) -> String? {
    if key == "sentiment" { return set.sentiment }
    if key.hasPrefix("stance:") {
      let target = String(key.dropFirst("stance:".count))
      return set.stances?.first { $0.target == target && $0.range == nil }?.value
    }
    return set.labels?[key]
  }

  /// The pair key in code point order, as every machine-readable report names pairs.
  static func pair(_ annotator: String) -> String {
    let names = [annotator, Store.goldAnnotator].sorted {
      $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
    }
    return names.joined(separator: ",")
  }

  /// The comparison as `json` (flat `measures` with keys `NAME@A,gold#LABEL`), text, markdown
  /// or a standalone html page, with a caution next to what rests on too little (fewer than 5
  /// documents, or fewer than 20 units of a field).
  public static func render(_ report: GoldComparison, format: AgreementFormat, colors: Bool)
    -> String
  {
    var measures: [String: JSONValue] = [:]
    func put(_ key: String, _ measure: Measure) {
      if case .value(let v) = measure { measures[key] = .double(v) } else { measures[key] = .null }
    }
    for annotator in report.annotators {
      for (label, counts) in report.spans[annotator] ?? [:] {
        let suffix = label.isEmpty ? "" : "#\(label)"
        put("span_exact_precision@\(pair(annotator))\(suffix)", counts.precision)
        put("span_exact_recall@\(pair(annotator))\(suffix)", counts.recall)
        put("span_exact_f1@\(pair(annotator))\(suffix)", counts.f1)
      }
    }
    var fieldSections: [String: JSONValue] = [:]
    for (key, tallies) in report.fields {
      var section: [String: JSONValue] = [:]
      for (annotator, tally) in tallies {
        if case .value(let v) = tally.cohensKappa(0, 1) {
          section["cohen_kappa@\(pair(annotator))"] = .double(v)
        } else {
          section["cohen_kappa@\(pair(annotator))"] = .null
        }
        if case .value(let v) = tally.percentAgreement(0, 1) {
          section["percent_agreement@\(pair(annotator))"] = .double(v)
        } else {
          section["percent_agreement@\(pair(annotator))"] = .null
        }
      }
      fieldSections[key] = .object(["measures": .object(section)])
    }
    for (key, comparisons) in report.setFields {
      var section: [String: JSONValue] = [:]
      for (annotator, comparison) in comparisons {
        for (name, measure) in [
          ("alpha_masi", comparison.accumulator.krippendorffAlpha(distance: .masi)),
          ("alpha_jaccard", comparison.accumulator.krippendorffAlpha(distance: .jaccard)),
          ("percent_agreement", comparison.percentAgreement),
        ] {
          if case .value(let v) = measure {
            section["\(name)@\(pair(annotator))"] = .double(v)
          } else {
            section["\(name)@\(pair(annotator))"] = .null
          }
        }
      }
      fieldSections[key] = .object(["measures": .object(section)])
    }
    if format == .json {
      var object: [String: JSONValue] = [
        "against": .string(Store.goldAnnotator),
        "annotators": .array(report.annotators.map { .string($0) }),
        "documents": .int(Int64(report.documents)),
        "sections": .object(
          fieldSections.merging(["entities": .object(["measures": .object(measures)])]) { a, _ in
            a
          }),
      ]
      if report.documents < AgreementRenderer.minimumSharedDocuments {
        object["caution"] = .string(
          "fewer than \(AgreementRenderer.minimumSharedDocuments) documents; the values are no reliable estimate"
        )
      }
      return JSONWriter.string(for: .object(object)) + "\n"
    }
    func number(_ m: Measure) -> String {
      if case .value(let v) = m { return String(format: "%.3f", v) }
      return "—"
    }
    let title =
      "Each annotator against the gold version, on \(report.documents) adjudicated document\(report.documents == 1 ? "" : "s")"
    let caution =
      report.documents < AgreementRenderer.minimumSharedDocuments
      ? "caution: fewer than \(AgreementRenderer.minimumSharedDocuments) documents; the values are no reliable estimate"
      : nil
    let empty =
      "nothing to compare: no document has both a gold version and a finished annotation set"
    var entityRows: [[String]] = []
    for annotator in report.annotators {
      for label in (report.spans[annotator] ?? [:]).keys.sorted() {
        let c = report.spans[annotator]?[label] ?? Counts()
        entityRows.append([
          annotator, label.isEmpty ? "all" : label, number(c.precision), number(c.recall),
          number(c.f1), "\(c.truePositives)", "\(c.falsePositives)", "\(c.falseNegatives)",
        ])
      }
    }
    var fieldRows: [[String]] = []
    for key in report.fields.keys.sorted() {
      for annotator in report.annotators {
        guard let tally = report.fields[key]?[annotator] else { continue }
        let units = tally.pairableUnitCount
        fieldRows.append([
          key, annotator, number(tally.cohensKappa(0, 1)), number(tally.percentAgreement(0, 1)),
          String(units),
          units < AgreementRenderer.minimumFieldUnits
            ? "only \(units) unit\(units == 1 ? "" : "s") (fewer than \(AgreementRenderer.minimumFieldUnits))"
            : "",
        ])
      }
    }
    var setRows: [[String]] = []
    for key in report.setFields.keys.sorted() {
      for annotator in report.annotators {
        guard let comparison = report.setFields[key]?[annotator] else { continue }
        let units = comparison.pairable
        setRows.append([
          key, annotator, number(comparison.accumulator.krippendorffAlpha(distance: .masi)),
          number(comparison.accumulator.krippendorffAlpha(distance: .jaccard)),
          number(comparison.percentAgreement), String(units),
          units < AgreementRenderer.minimumFieldUnits
            ? "only \(units) unit\(units == 1 ? "" : "s") (fewer than \(AgreementRenderer.minimumFieldUnits))"
            : "",
        ])
      }
    }
    let setHeaders = ["field", "annotator", "α MASI", "α Jaccard", "agreement", "units", "note"]
    let setTitle =
      "set-valued fields (Krippendorff's α with gold under MASI and Jaccard, exact agreement)"
    let entityHeaders = ["annotator", "label", "precision", "recall", "F1", "tp", "fp", "fn"]
    let fieldHeaders = ["field", "annotator", "κ", "agreement", "units", "note"]
    let entityTitle = "entities (exact match)"
    let fieldTitle = "fields (Cohen's κ with gold, percent agreement)"
    switch format {
    case .markdown:
      var out = "# " + MarkdownReport.escape(title) + "\n\n"
      if let caution { out += MarkdownReport.escape(caution) + "\n\n" }
      guard !report.annotators.isEmpty else { return out + MarkdownReport.escape(empty) + "\n" }
      out += "## " + MarkdownReport.escape(entityTitle) + "\n\n"
      out += MarkdownReport.table(
        entityHeaders, entityRows.map { $0.map(MarkdownReport.escape) },
        rightAligned: [2, 3, 4, 5, 6, 7])
      out += "## " + MarkdownReport.escape(fieldTitle) + "\n\n"
      out += MarkdownReport.table(
        fieldHeaders, fieldRows.map { $0.map(MarkdownReport.escape) }, rightAligned: [2, 3, 4])
      if !setRows.isEmpty {
        out += "## " + MarkdownReport.escape(setTitle) + "\n\n"
        out += MarkdownReport.table(
          setHeaders, setRows.map { $0.map(MarkdownReport.escape) }, rightAligned: [2, 3, 4, 5])
      }
      return out
    case .html:
      var out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(HTMLReport.escape(title))</title>\n</head>\n<body>\n"
      out += "<h1>\(HTMLReport.escape(title))</h1>\n"
      if let caution { out += "<p class=\"caution\">\(HTMLReport.escape(caution))</p>\n" }
      if report.annotators.isEmpty {
        out += "<p>\(HTMLReport.escape(empty))</p>\n"
      } else {
        out += "<h2>\(HTMLReport.escape(entityTitle))</h2>\n"
        out += HTMLReport.table(entityHeaders, entityRows.map { $0.map(HTMLReport.escape) })
        out += "<h2>\(HTMLReport.escape(fieldTitle))</h2>\n"
        out += HTMLReport.table(fieldHeaders, fieldRows.map { $0.map(HTMLReport.escape) })
        if !setRows.isEmpty {
          out += "<h2>\(HTMLReport.escape(setTitle))</h2>\n"
          out += HTMLReport.table(setHeaders, setRows.map { $0.map(HTMLReport.escape) })
        }
      }
      return out + "</body>\n</html>\n"
    case .text, .json:
      var out = title + "\n" + (caution.map { $0 + "\n" } ?? "") + "\n"
      guard !report.annotators.isEmpty else { return out + empty + "\n" }
      out += entityTitle + "\n"
      out += TextTable.render(
        headers: entityHeaders, rows: entityRows, palette: Palette(isEnabled: colors))
      out += "\n" + fieldTitle + "\n"
      out += TextTable.render(
        headers: fieldHeaders, rows: fieldRows, palette: Palette(isEnabled: colors))
      if !setRows.isEmpty {
        out += "\n" + setTitle + "\n"
        out += TextTable.render(
          headers: setHeaders, rows: setRows, palette: Palette(isEnabled: colors))
      }
      return out
    }
  }
}
