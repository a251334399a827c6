import AnnoAgreement
import Testing

@Suite struct StudyStatisticsTests {
  // MARK: - Quantiles (numpy.percentile's default, type 7)

  @Test func quantilesMatchNumpysDefault() throws {
    // numpy.percentile([1, 2, 3, 4], 90) == 3.7; ([5, 1, 9, 3, 7], 25) == 3.0;
    // numpy.median([4, 1, 3, 2]) == 2.5
    #expect(abs(try #require(Quantile.of([1, 2, 3, 4], 0.9)) - 3.7) < 1e-12)
    #expect(Quantile.of([5, 1, 9, 3, 7], 0.25) == 3)
    #expect(Quantile.median([4, 1, 3, 2]) == 2.5)
    #expect(Quantile.median([7]) == 7)
    #expect(Quantile.median([]) == nil)
    #expect(Quantile.type7([1, 2], 1) == 2)
  }

  // MARK: - Projecting an interval's width

  @Test func halvingTheWidthTakesFourTimesTheDocuments() {
    // n* = n (w / t)²: 10 · (0.2 / 0.1)² = 40, so 30 more
    let p = IntervalWidthProjection(currentUnits: 10, currentWidth: 0.2, targetWidth: 0.1)
    #expect(p.requiredUnits == .value(40))
    #expect(p.additionalUnits == .value(30))
    #expect(!p.isUnderTarget)
  }

  @Test func projectionRoundsUp() {
    // 9 · (0.15 / 0.1)² = 20.25 → 21 documents, 12 more
    let p = IntervalWidthProjection(currentUnits: 9, currentWidth: 0.15, targetWidth: 0.1)
    #expect(p.requiredUnits == .value(21))
    #expect(p.additionalUnits == .value(12))
  }

  @Test func anIntervalUnderTheTargetNeedsNothingMore() {
    let p = IntervalWidthProjection(currentUnits: 50, currentWidth: 0.08, targetWidth: 0.1)
    #expect(p.isUnderTarget)
    #expect(p.additionalUnits == .value(0))
    let zero = IntervalWidthProjection(currentUnits: 3, currentWidth: 0, targetWidth: 0.1)
    #expect(zero.additionalUnits == .value(0))
  }

  @Test func noDocumentsGivesNoProjection() {
    let p = IntervalWidthProjection(currentUnits: 0, currentWidth: 0.5, targetWidth: 0.1)
    expectUndefined(p.additionalUnits)
    let undefined = BootstrapInterval(estimates: [.undefined(reason: "x")])
    #expect(IntervalWidthProjection(interval: undefined, units: 5, targetWidth: 0.1) == nil)
  }

  @Test func projectionFromABootstrapIntervalUsesItsWidth() throws {
    // Estimates 0.5…0.9: the type-7 2.5% and 97.5% quantiles are 0.51 and 0.89
    let interval = BootstrapInterval(estimates: [0.5, 0.6, 0.7, 0.8, 0.9].map(Measure.value))
    let p = try #require(IntervalWidthProjection(interval: interval, units: 20, targetWidth: 0.1))
    #expect(abs(p.currentWidth - 0.38) < 1e-12)
    // 20 · 3.8² = 288.8 → 289, 269 more
    #expect(p.additionalUnits == .value(269))
  }

  // MARK: - Active time

  @Test func activeTimeSkipsIdleGapsAndSplitsIntervalsAmongLabels() {
    var ledger = EffortLedger(idleThreshold: 120)
    ledger.record(annotator: "ann1", document: "d1", time: 1000)  // first action: 0
    ledger.record(annotator: "ann1", document: "d1", time: 1030, addedLabels: ["PER"])  // 30
    ledger.record(annotator: "ann1", document: "d1", time: 1050, addedLabels: ["PER", "LOC"])  // 20
    ledger.record(annotator: "ann1", document: "d2", time: 1300)  // 250 > 120: 0
    ledger.record(annotator: "ann1", document: "d2", time: 1420)  // exactly 120: counts
    ledger.record(annotator: "ann1", document: "d2", time: 1460)  // 40
    ledger.record(annotator: "ann2", document: "d1", time: 1010)  // another annotator's clock
    ledger.record(annotator: "ann2", document: "d1", time: 1005)  // set back: 0
    let effort = ledger.annotators["ann1"] ?? AnnotatorEffort()
    #expect(effort.activeSeconds == 210)
    #expect(effort.secondsByDocument == ["d1": 50, "d2": 160])
    #expect(effort.spans == 3)
    #expect(effort.spansByLabel == ["PER": 2, "LOC": 1])
    #expect(effort.secondsByLabel == ["PER": 40, "LOC": 10])
    #expect(effort.secondsPerSpan(of: "PER") == .value(20))
    expectUndefined(effort.secondsPerSpan(of: "ORG"))
    // 2 documents in 210 s: 2 · 3600 / 210; 3 spans: 3 · 60 / 210
    expectValue(effort.documentsPerHour(2), 7200.0 / 210, tolerance: 1e-12)
    expectValue(effort.spansPerMinute, 180.0 / 210, tolerance: 1e-12)
    #expect(effort.secondsPerDocument(["d1", "d2", "d3"], quantile: 0.5) == .value(50))
    expectValue(effort.secondsPerDocument(["d1", "d2"], quantile: 0.9), 149, tolerance: 1e-12)
    expectUndefined(effort.secondsPerDocument([String](), quantile: 0.5))
    #expect(ledger.annotators["ann2"]?.activeSeconds == 0)
    expectUndefined(ledger.annotators["ann2"]?.spansPerMinute ?? .value(1))
  }

  // MARK: - Exact span scores

  @Test func exactScoresCountOnlyIdenticalSpans() throws {
    let gold: Set = [
      LabeledSpan(start: 0, end: 5, label: "PER"), LabeledSpan(start: 10, end: 15, label: "ORG"),
      LabeledSpan(start: 20, end: 25, label: "PER"),
    ]
    let predicted: Set = [
      LabeledSpan(start: 0, end: 5, label: "PER"), LabeledSpan(start: 10, end: 14, label: "ORG"),
      LabeledSpan(start: 20, end: 25, label: "LOC"),
    ]
    let scores = SpanScore.exactPerLabel(reference: gold, predicted: predicted)
    let per = try #require(scores["PER"])
    #expect(per.precision == .value(1))
    #expect(per.recall == .value(0.5))
    expectValue(per.f1, 2.0 / 3, tolerance: 1e-15)
    #expect(scores["ORG"]?.f1 == .value(0))
    expectUndefined(try #require(scores["LOC"]).recall)
    #expect(SpanScore.exact(reference: gold, predicted: predicted).matchedPredictedCount == 1)
  }
}
