import AnnoAgreement
import AnnoCore
import AnnoStore

/// Assembles the agreement report of `anno agree` from a finished pass of an
/// ``AgreementCollector`` (the agreement job in AnnoPipeline streams the store into it).
///
/// The pass sees every (document, annotator) set in document order, all of a document's
/// annotators' sets at once, and then drops them. Memory stays bounded by the number of
/// categories, labels and annotators (plus the distinct span and gap lengths for unitizing α,
/// and a few numbers per document when bootstrapping).
public enum AgreementReportBuilder {
  /// Assembles the report value from a finished pass.
  package static func report(from collector: AgreementCollector, options: ReportOptions)
    -> AgreementReport
  {
    let plan = collector.plan
    let annotators = collector.annotators
    let intervals = AgreementBootstrap.intervals(of: collector)
    var sections: [AgreementSection] = []
    var majority: [MajorityComparison] = []
    for name in sectionOrder(collector) {
      if let tally = collector.spans[name] {
        sections.append(tally.section(annotators: annotators, intervals: intervals[name] ?? [:]))
        majority += tally.majorityComparisons(annotators: annotators)
      } else if let tally = collector.fields[name] {
        sections.append(tally.section(annotators: annotators, intervals: intervals[name] ?? [:]))
        majority += tally.majorityComparisons(annotators: annotators)
      } else if let tally = collector.setFields[name] {
        sections.append(tally.section(intervals: intervals[name] ?? [:]))
      }
    }
    var selection: [String] = []
    if let statuses = options.statuses {
      selection.append("status " + statuses.map(\.rawValue).sorted().joined(separator: ","))
    } else {
      selection.append("every status")
    }
    if let pattern = options.documentPattern { selection.append("documents matching " + pattern) }
    if let labels = options.labels {
      selection.append("labels " + labels.joined(separator: ","))
    }
    var notes = collector.ignored.sorted { CodePoint.precedes($0.key, $1.key) }.map {
      "ignored \($0.value) \($0.key)"
    }
    if collector.entitySetsWithoutLayer > 0 {
      notes.append(
        "left out of entities: \(sets(collector.entitySetsWithoutLayer)) with no entity layer (their source did not annotate entities; counting them would claim their texts name nothing)"
      )
    }
    if collector.entitySetsWithPartialLayer > 0 {
      notes.append(
        "left out of entities: \(sets(collector.entitySetsWithPartialLayer)) with a partial entity layer (spans accepted one at a time; the rest of the text not annotated)"
      )
    }
    if plan.stance != .none { notes.append(NoStance.note) }
    let answeredNone = plan.fields.filter {
      !$0.isMultiple && plan.noValueFields.contains($0.name)
    }
    if !answeredNone.isEmpty { notes.append(NoValue.note(fields: answeredNone)) }
    return AgreementReport(
      annotators: annotators, documents: collector.documentCount, selection: selection,
      sections: sections,
      disagreements: collector.ranking.ranked, againstMajority: majority,
      bootstrap: plan.replicates > 0
        ? BootstrapSettings(replicates: plan.replicates, seed: plan.seed, confidenceLevel: 0.95)
        : nil,
      notes: notes)
  }

  /// `1 annotation set`, `3 annotation sets`.
  private static func sets(_ count: Int) -> String {
    "\(count) annotation set\(count == 1 ? "" : "s")"
  }

  /// Span layers first (entities, span sentiment, anchored stance), then document fields
  /// (sentiment, stance targets as declared then the others by code point, schema fields).
  static func sectionOrder(_ collector: AgreementCollector) -> [String] {
    let schema = collector.plan.schema
    let declaredTargets = schema.stance.targets.map(\.name)
    func targets(_ prefix: String, in names: some Sequence<String>) -> [String] {
      let seen = Set(
        names.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
      let declared = declaredTargets.filter(seen.contains)
      let others = seen.subtracting(declared).sorted(by: CodePoint.precedes)
      return (declared + others).map { prefix + $0 }
    }
    return ["entities", "span_sentiment"] + targets("stance_anchored:", in: collector.spans.names)
      + ["sentiment"]
      + targets("stance:", in: collector.fields.names) + schema.fields.map(\.name)
  }
}
