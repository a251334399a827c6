import AnnoAgreement
import AnnoCore
import AnnoPipeline
import AnnoStore

/// Builds the agreement report of `anno agree` from the store in one streaming pass.
///
/// The store yields every (document, annotator) set in document order, so consecutive sets
/// with the same document id are one document: all its annotators' sets are compared at once
/// and then dropped. Memory stays bounded by the number of categories, labels and annotators
/// (plus the distinct span and gap lengths for unitizing α, and a few numbers per document
/// when bootstrapping).
public enum AgreementReportBuilder {
  /// The report for `options` over the documents in `store`.
  ///
  /// Without `--annotators`, the annotators are everyone who finished (has a set with a
  /// selected status on) a selected document that another annotator also finished. That is
  /// found in the same pass: a second pass runs only when someone must be left out.
  ///
  /// - Throws: `AgreementError` for unknown names or fewer than two annotators; store errors.
  public static func build(store: Store, schema: LabelSchema, options: ReportOptions) throws
    -> AgreementReport
  {
    let plan = try AgreementPlan(schema: schema, options: options)
    let statuses = options.statuses
    let known = try store.annotatorNames().sorted(by: CodePoint.precedes)
    var collector: AgreementCollector
    if let chosen = options.annotators {
      for name in chosen where !known.contains(name) {
        throw AgreementError.unknownAnnotator(
          name, known: known.filter { $0 != Store.goldAnnotator })
      }
      collector = try collect(
        store, plan: plan, annotators: chosen.sorted(by: CodePoint.precedes), statuses: statuses)
    } else {
      // The gold version is not an annotator ('agree --against gold' compares with it), nor
      // is a team's reviewer or manager.
      let counted = Set(try store.countedAnnotators())
      let known = known.filter(counted.contains)
      guard known.count >= 2 else { throw AgreementError.tooFewAnnotators(found: known) }
      collector = try collect(store, plan: plan, annotators: known, statuses: statuses)
      let sharing = known.filter(collector.coFinishers.contains)
      guard sharing.count >= 2 else { throw AgreementError.tooFewAnnotators(found: sharing) }
      if sharing != known {
        collector = try collect(store, plan: plan, annotators: sharing, statuses: statuses)
      }
    }
    var report = report(from: collector, options: options)
    report.schema = try store.schemaVersion()
    report.sharedDocuments = collector.sharedDocumentCount
    return report
  }

  /// One pass over the store, on two threads: one reads each document's sets from the store,
  /// the other adds them to the collector, in document order, so the report is the same as
  /// from one thread. Tokenizing a text (when a span layer is compared) is done by whichever
  /// thread is ahead: the reader when the collector is behind, else the collector.
  static func collect(
    _ store: Store, plan: AgreementPlan, annotators: [String], statuses: Set<DocumentStatus>?
  ) throws -> AgreementCollector {
    var collector = AgreementCollector(plan: plan, annotators: annotators)
    let tokenizes = plan.hasSpanLayers
    try OrderedHandoff<[AnnotatedDocument]>.run(
      produce: { yield, consumerIsBehind in
        let tokenizer = Tokenizer()
        var group: [AnnotatedDocument] = []
        func yieldGroup() throws {
          defer { group.removeAll(keepingCapacity: true) }
          guard !group.isEmpty else { return }
          // Documents outside --docs are left out here, before any tokenizing (the collector
          // would ignore them).
          if let pattern = plan.documentPattern, !pattern.matches(group[0].document.externalID) {
            return
          }
          // The collector tokenizes the text of a group's first set unless it comes with
          // tokens: this thread does it for the collector when the collector is behind.
          if tokenizes, group[0].document.tokens == nil, consumerIsBehind() {
            group[0].document.tokens = tokenizer.tokenize(group[0].document.text)
          }
          try yield(group)
        }
        try store.forEachAnnotatedDocument(annotators: annotators, statuses: statuses) { item in
          if let first = group.first, first.document.externalID != item.document.externalID {
            try yieldGroup()
          }
          group.append(item)
        }
        try yieldGroup()
      },
      consume: { collector.add($0) })
    return collector
  }

  /// Assembles the report value from a finished pass.
  static func report(from collector: AgreementCollector, options: ReportOptions)
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
        sections.append(tally.section())
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
    if plan.stance != .none { notes.append(NoStance.note) }
    return AgreementReport(
      annotators: annotators, documents: collector.documentCount, selection: selection,
      sections: sections,
      disagreements: collector.ranking.ranked, againstMajority: majority,
      bootstrap: plan.replicates > 0
        ? BootstrapSettings(replicates: plan.replicates, seed: plan.seed, confidenceLevel: 0.95)
        : nil,
      notes: notes)
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
