import AnnoAgreement
import AnnoCore
import AnnoReport
import AnnoStore

/// The agreement job: store → annotation sets → report → writer. The sets come from
/// ``DocumentStream``; AnnoReport collects, builds and renders the report.
public enum AgreementJob {
  /// Builds the report `options` select, renders it as `format` and writes it to `out`
  /// (atomically) or through `write`.
  ///
  /// Unknown names in `options` are errors before any work, for both reports.
  ///
  /// - Parameters:
  ///   - againstGold: score each annotator against the gold version instead.
  ///   - colors: whether the text report is coloured.
  ///   - width: the width the text report wraps to.
  /// - Throws: `AgreementError` for unknown names, too few annotators or a refused
  ///   destination; store errors.
  public static func run(
    store: Store, schema: LabelSchema, options: ReportOptions, againstGold: Bool,
    format: AgreementFormat, colors: Bool, width: Int, out: String?, write: (String) -> Void
  ) throws {
    let text: String
    if againstGold {
      let report = try goldComparison(store: store, schema: schema, options: options)
      text = GoldComparison.render(report, format: format, colors: colors)
    } else {
      let report = try report(store: store, schema: schema, options: options)
      text = AgreementRenderer.render(report, format: format, colors: colors, width: width)
    }
    try deliver(text, out: out, write: write)
  }

  /// Writes a rendered report to `out` (atomically) or through `write`.
  public static func deliver(_ text: String, out: String?, write: (String) -> Void) throws {
    if let out {
      try AgreementRenderer.write(text, toPath: out)
    } else {
      write(text)
    }
  }

  /// Checks the names `options` give against the schema and the store, before any work.
  public static func checkSelection(store: Store, schema: LabelSchema, options: ReportOptions)
    throws
  {
    _ = try AgreementPlan(schema: schema, options: options)
    try options.checkSelection(store: store, schema: schema)
  }

  /// The agreement report for `options` over the documents in `store`, in one streaming pass.
  ///
  /// Without `--annotators`, the annotators are everyone who finished (has a set with a
  /// selected status on) a selected document that another annotator also finished. That is
  /// found in the same pass: a second pass runs only when someone must be left out.
  ///
  /// - Throws: `AgreementError` for unknown names or fewer than two annotators; store errors.
  public static func report(store: Store, schema: LabelSchema, options: ReportOptions) throws
    -> AgreementReport
  {
    var plan = try AgreementPlan(schema: schema, options: options)
    plan.noValueFields = try store.fieldsAnsweredWithNoValue()
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
    var report = AgreementReportBuilder.report(from: collector, options: options)
    report.schema = try store.schemaVersion()
    report.sharedDocuments = collector.sharedDocumentCount
    return report
  }

  /// Every annotator's selected sets compared with the gold version of the same document.
  public static func goldComparison(store: Store, schema: LabelSchema, options: ReportOptions)
    throws -> GoldComparison
  {
    var comparison = GoldComparison(schema: schema)
    let glob = options.documentPattern.map(DocumentGlob.init)
    let labels = options.labels
    try DocumentStream.run(
      store: store, annotators: options.annotators.map { $0 + [Store.goldAnnotator] },
      statuses: options.statuses, includes: { glob?.matches($0) ?? true },
      prepare: { _, _, _ in () },
      consume: { sets, _ in comparison.add(sets, labels: labels) })
    return comparison
  }

  /// One pass over the store into a collector. Documents outside `--docs` are left out before
  /// any tokenizing (the collector would ignore them). Tokenizing a text (when a span layer is
  /// compared) is done by whichever thread is ahead: the reader when the collector is behind,
  /// else the collector.
  static func collect(
    _ store: Store, plan: AgreementPlan, annotators: [String], statuses: Set<DocumentStatus>?
  ) throws -> AgreementCollector {
    var collector = AgreementCollector(plan: plan, annotators: annotators)
    let tokenizes = plan.hasSpanLayers
    try DocumentStream.run(
      store: store, annotators: annotators, statuses: statuses,
      includes: { plan.includes($0) },
      prepare: { sets, tokenizer, consumerIsBehind in
        // The collector tokenizes the text of a group's first set unless it comes with
        // tokens: the reader does it for the collector when the collector is behind.
        if tokenizes, sets[0].document.tokens == nil, consumerIsBehind() {
          sets[0].document.tokens = tokenizer.tokenize(sets[0].document.text)
        }
      },
      consume: { sets, _ in collector.add(sets) })
    return collector
  }
}
