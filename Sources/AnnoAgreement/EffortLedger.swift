/// Active annotation time, from the timestamps of the actions annotators took.
///
/// Nothing is asked of annotators: each logged action (a label added, changed or removed, a
/// status set, an undo) closes an interval that started at that annotator's previous action.
/// The interval counts as active time for the document and labels of the action that closes
/// it, unless it is longer than the idle threshold, when it counts nothing (the annotator
/// was away; a gap of exactly the threshold still counts). So the time spent reading a
/// document before its first label belongs to that document, and an annotator's first
/// action counts nothing. This is the "inter-event time with an idle cut-off" rule of
/// keystroke-level effort studies (e.g. Tomanek & Hahn 2010, *A comparison of models for
/// cost-sensitive active learning*, who cut pauses at a threshold in the same way).
///
/// The interval closed by an action that added spans is split equally among them, which gives
/// per-label seconds; an interval closed by any other action counts for the document only.
/// Actions must be fed in the order they were logged per annotator; an interval with a
/// negative length (a clock set back) counts nothing.
public struct EffortLedger: Sendable {
  /// The longest gap between two actions that still counts as active time, in seconds.
  public let idleThreshold: Double
  /// Each annotator's tally, by name.
  public private(set) var annotators: [String: AnnotatorEffort] = [:]
  private var lastTime: [String: Double] = [:]

  /// Creates an empty ledger that ignores gaps longer than `idleThreshold` seconds.
  ///
  /// - Precondition: `idleThreshold ≥ 0`.
  public init(idleThreshold: Double) {
    precondition(idleThreshold >= 0, "the idle threshold cannot be negative")
    self.idleThreshold = idleThreshold
  }

  /// Records one action of `annotator` on `document` at `time` (seconds) that added spans
  /// with `addedLabels` (empty for any other action).
  ///
  /// - Complexity: O(1) amortized, plus O(`addedLabels.count`).
  public mutating func record(
    annotator: String, document: String, time: Double, addedLabels: [String] = []
  ) {
    let gap = lastTime[annotator].map { time - $0 } ?? 0
    lastTime[annotator] = time
    let seconds = gap >= 0 && gap <= idleThreshold ? gap : 0
    var tally = annotators[annotator] ?? AnnotatorEffort()
    tally.activeSeconds += seconds
    tally.secondsByDocument[document, default: 0] += seconds
    tally.spans += addedLabels.count
    if !addedLabels.isEmpty {
      let share = seconds / Double(addedLabels.count)
      for label in addedLabels {
        tally.spansByLabel[label, default: 0] += 1
        tally.secondsByLabel[label, default: 0] += share
      }
    }
    annotators[annotator] = tally
  }
}

/// One annotator's active time and spans, as an ``EffortLedger`` counted them.
public struct AnnotatorEffort: Sendable, Hashable {
  /// All active seconds.
  public var activeSeconds: Double = 0
  /// Active seconds per document the annotator acted on.
  public var secondsByDocument: [String: Double] = [:]
  /// Spans added.
  public var spans = 0
  /// Spans added, per label.
  public var spansByLabel: [String: Int] = [:]
  /// Active seconds of the actions that added spans, shared among their labels.
  public var secondsByLabel: [String: Double] = [:]

  /// Creates an empty tally.
  public init() {}

  /// Documents per active hour, for `documents` finished documents; undefined without
  /// active time.
  public func documentsPerHour(_ documents: Int) -> Measure {
    Measure.ratio(Double(documents) * 3600, activeSeconds, else: "no active time")
  }

  /// Spans added per active minute; undefined without active time.
  public var spansPerMinute: Measure {
    Measure.ratio(Double(spans) * 60, activeSeconds, else: "no active time")
  }

  /// The type-7 quantile at `p` of the active seconds of `documents` (a document without
  /// logged actions counts 0 seconds); undefined for no documents.
  public func secondsPerDocument(_ documents: some Sequence<String>, quantile p: Double) -> Measure
  {
    let seconds = documents.map { secondsByDocument[$0] ?? 0 }
    guard let q = Quantile.of(seconds, p) else {
      return .undefined(reason: "no finished documents")
    }
    return .value(q)
  }

  /// Mean active seconds per span of `label`; undefined when none was added.
  public func secondsPerSpan(of label: String) -> Measure {
    Measure.ratio(
      secondsByLabel[label] ?? 0, Double(spansByLabel[label] ?? 0), else: "no \(label) spans")
  }
}
