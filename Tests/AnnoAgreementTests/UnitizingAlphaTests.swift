import AnnoCore
import Testing

@testable import AnnoAgreement

private func span(_ start: Int, _ end: Int, _ label: String) -> LabeledSpan {
  LabeledSpan(start: start, end: end, label: label)
}

@Suite struct UnitizingAlphaTests {
  /// The worked example of Krippendorff (2004), *Content Analysis*, 2nd ed., page 254.
  ///
  /// Two observers on the continuum
  /// 150..<450 (shifted here to 0..<300). Published: c α_u = .7286 (D_o = .0144,
  /// D_e = .0532), k α_u = 1 (D_e = .0490), α_u over both = .8591. The same numbers are the
  /// reference of DKPro Statistics' `Krippendorff2004Test`.
  static var krippendorff2004: SpanStudy {
    var study = SpanStudy(labels: ["c", "k"], annotatorCount: 2)
    let i = [span(75, 145, "c"), span(220, 250, "c"), span(30, 90, "k"), span(150, 200, "k")]
    let j = [
      span(70, 150, "c"), span(205, 225, "c"), span(250, 270, "c"), span(30, 90, "k"),
      span(150, 200, "k"),
    ]
    study.append(SpanDocument(length: 300, annotations: [i, j]))
    return study
  }

  @Test func matchesKrippendorff2004PerLabel() throws {
    let c = Self.krippendorff2004.unitizingAlpha(label: "c")
    #expect(abs(try #require(c.observedDisagreement) - 0.0144) < 0.00005)
    #expect(abs(try #require(c.expectedDisagreement) - 0.0532) < 0.00005)
    expectValue(c.alpha, 0.7286, tolerance: 0.00005)
    let k = Self.krippendorff2004.unitizingAlpha(label: "k")
    #expect(k.observedDisagreement == 0)
    #expect(abs(try #require(k.expectedDisagreement) - 0.0490) < 0.00005)
    expectValue(k.alpha, 1, tolerance: 1e-15)
  }

  @Test func matchesKrippendorff2004Overall() {
    // The book's .8591 is 1 − .0144 / (.0532 + .0490), from the rounded disagreements; the
    // unrounded value is .85867, hence the tolerance of half a unit in the third decimal.
    let overall = Self.krippendorff2004.unitizingAlpha()
    expectValue(overall.alpha, 0.8591, tolerance: 0.0005)
    let c = Self.krippendorff2004.unitizingAlpha(label: "c")
    let k = Self.krippendorff2004.unitizingAlpha(label: "k")
    let pooled =
      1 - (c.observedDisagreement ?? .nan)
      / ((c.expectedDisagreement ?? .nan) + (k.expectedDisagreement ?? .nan))
    expectValue(overall.alpha, pooled, tolerance: 1e-15)
  }

  /// The worked example of Krippendorff (1995, page 57).
  ///
  /// Four pairs of coders on 24 positions (A: Bertha/Bill, B:
  /// John/Jill, C: Gerret/Gill, D: Heather/Hill), stretched ×`stretch`. D_o is exact at any
  /// stretch; D_e and α_u approach the published α_u (A .553, B −.926, C .679, D .066) as
  /// the continuum grows (the 1995 paper treats positions as continuous).
  static func krippendorff1995(stretch: Int) -> SpanStudy {
    var study = SpanStudy(labels: ["A", "B", "C", "D"], annotatorCount: 2)
    func s(_ start: Int, _ length: Int, _ label: String) -> LabeledSpan {
      span(start * stretch, (start + length) * stretch, label)
    }
    let first = [
      s(2, 8, "A"), s(14, 6, "A"), s(0, 18, "B"),
      s(2, 6, "C"), s(10, 2, "C"), s(14, 4, "C"), s(20, 2, "C"),
      s(0, 2, "D"), s(2, 8, "D"), s(10, 4, "D"), s(14, 6, "D"), s(20, 4, "D"),
    ]
    let second = [
      s(4, 4, "A"), s(15, 2, "A"),
      s(0, 2, "B"), s(2, 1, "B"), s(3, 1, "B"), s(4, 1, "B"), s(5, 1, "B"), s(6, 3, "B"),
      s(9, 1, "B"),
      s(0, 2, "C"), s(4, 4, "C"), s(10, 4, "C"), s(16, 2, "C"), s(20, 2, "C"),
      s(0, 4, "D"), s(4, 4, "D"), s(8, 7, "D"), s(15, 2, "D"), s(17, 7, "D"),
    ]
    study.append(SpanDocument(length: 24 * stretch, annotations: [first, second]))
    return study
  }

  @Test(arguments: [
    ("A", 0.03125, 0.553), ("B", 2.26736, -0.926), ("C", 0.02777, 0.679),
    ("D", 0.38715, 0.066),
  ])
  func matchesKrippendorff1995(label: String, observed: Double, alpha: Double) throws {
    let exact = Self.krippendorff1995(stretch: 1).unitizingAlpha(label: label)
    #expect(abs(try #require(exact.observedDisagreement) - observed) < 0.00001)
    let fine = Self.krippendorff1995(stretch: 50).unitizingAlpha(label: label)
    expectValue(fine.alpha, alpha, tolerance: 0.02)
  }

  @Test func matchesAHandComputedCase() {
    // L = 10; coder 0 marks 2..<6, coder 1 marks 3..<6. D_o = 2·1 / (2·1·10²) = .01;
    // D_e = (2/10)·(28 + 32 + 10 + 45) / (20·19 − 12 − 6) = 23/362.
    var study = SpanStudy(labels: ["X"], annotatorCount: 2)
    study.append(SpanDocument(length: 10, annotations: [[span(2, 6, "X")], [span(3, 6, "X")]]))
    let result = study.unitizingAlpha(label: "X")
    #expect(result.observedDisagreement == 0.01)
    #expect(abs((result.expectedDisagreement ?? 0) - 23.0 / 362) < 1e-15)
    expectValue(result.alpha, 1 - 0.01 * 362 / 23, tolerance: 1e-12)
  }

  @Test func identicalCodersGiveOne() {
    var study = SpanStudy(labels: ["X", "Y"], annotatorCount: 3)
    let spans = [span(1, 4, "X"), span(3, 9, "Y"), span(12, 13, "X")]
    study.append(SpanDocument(length: 20, annotations: [spans, spans, spans]))
    study.append(
      SpanDocument(
        length: 5, annotations: [[span(0, 5, "Y")], [span(0, 5, "Y")], [span(0, 5, "Y")]]))
    expectValue(study.unitizingAlpha().alpha, 1, tolerance: 1e-15)
    expectValue(study.unitizingAlpha(label: "X").alpha, 1, tolerance: 1e-15)
  }

  @Test func coderOrderDoesNotMatter() {
    let a = [span(1, 4, "X"), span(8, 12, "X")]
    let b = [span(2, 4, "X")]
    let c = [span(0, 5, "X"), span(9, 11, "X")]
    func alpha(_ coders: [[LabeledSpan]]) -> Measure {
      var study = SpanStudy(labels: ["X"], annotatorCount: 3)
      study.append(SpanDocument(length: 15, annotations: coders))
      return study.unitizingAlpha().alpha
    }
    let reference = alpha([a, b, c]).value ?? .nan
    expectValue(alpha([c, a, b]), reference, tolerance: 1e-12)
    expectValue(alpha([b, c, a]), reference, tolerance: 1e-12)
  }

  @Test func degenerateStudiesAreUndefined() {
    var overlapping = SpanStudy(labels: ["X"], annotatorCount: 2)
    overlapping.append(
      SpanDocument(
        length: 10, annotations: [[span(0, 5, "X"), span(3, 7, "X")], [span(0, 5, "X")]]))
    expectUndefined(overlapping.unitizingAlpha(label: "X").alpha)
    #expect(overlapping.unitizingAlpha().alpha.reason?.contains("overlapping") == true)

    var empty = SpanStudy(labels: ["X"], annotatorCount: 2)
    empty.append(SpanDocument(length: 10, annotations: [[], []]))
    expectUndefined(empty.unitizingAlpha().alpha)

    var single = SpanStudy(labels: ["X"], annotatorCount: 1)
    single.append(SpanDocument(length: 10, annotations: [[span(0, 5, "X")]]))
    expectUndefined(single.unitizingAlpha().alpha)
  }

  /// The plain construction α_u is defined by, one label at a time by name: an annotator's
  /// spans of the label, shifted onto the concatenated documents, as units with the gaps
  /// between them; nil when two of them overlap (with the annotator and document).
  static func referenceAlpha(_ study: SpanStudy, label: String) -> UnitizingAlpha {
    guard study.annotatorCount >= 2 else { return .undefined("fewer than two annotators") }
    let length = study.documents.reduce(0) { $0 + $1.length }
    guard length > 0 else { return .undefined("the documents are empty") }
    var coders: [[Section]] = []
    for annotator in 0..<study.annotatorCount {
      var sections: [Section] = []
      var offset = 0
      var position = 0
      for (d, document) in study.documents.enumerated() {
        for span in document.annotations[annotator] where span.label == label {
          let start = offset + span.start
          let end = offset + span.end
          guard start >= position else {
            return .undefined(
              "annotator \(annotator) has overlapping \(label) spans in document \(d)")
          }
          if start > position {
            sections.append(Section(start: position, end: start, isUnit: false))
          }
          sections.append(Section(start: start, end: end, isUnit: true))
          position = end
        }
        offset += document.length
      }
      if position < length { sections.append(Section(start: position, end: length, isUnit: false)) }
      coders.append(sections)
    }
    let d = plainDisagreements(coders, length: length)
    return UnitizingAlpha(
      observed: d.observed, expected: d.expected, undefinedReason: "no annotator marked \(label)")
  }

  /// Σ δ² over every pair of overlapping sections of two coders' complete section lists.
  static func plainObservedSum(_ first: [Section], _ second: [Section]) -> Double {
    var i = 0
    var j = 0
    var sum = 0.0
    while i < first.count && j < second.count {
      sum += Unitizing.distance(first[i], second[j])
      if first[i].end < second[j].end {
        i += 1
      } else if second[j].end < first[i].end {
        j += 1
      } else {
        i += 1
        j += 1
      }
    }
    return sum
  }

  /// D_o from the coders' complete section lists; D_e from their unit and gap lengths.
  static func plainDisagreements(_ coders: [[Section]], length: Int) -> (
    observed: Double, expected: Double
  ) {
    let m = coders.count
    let bigL = Double(length)
    var observed = 0.0
    for i in 0..<m {
      for j in (i + 1)..<m { observed += 2 * plainObservedSum(coders[i], coders[j]) }
    }
    observed /= Double(m * (m - 1)) * bigL * bigL
    var units: [Int: Int] = [:]
    var gaps: [Int: Int] = [:]
    for section in coders.joined() {
      if section.isUnit {
        units[section.length, default: 0] += 1
      } else {
        gaps[section.length, default: 0] += 1
      }
    }
    let expected = Unitizing.expectedDisagreement(
      unitLengths: units, gapLengths: gaps, coderCount: m, length: length)
    return (observed, expected)
  }

  /// The exact D_e is the published formula summed unit by unit in floating point, to the
  /// rounding of that sum.
  @Test func expectedDisagreementIsTheFormulaSummedExactly() {
    var random = SplitMix64(seed: 0xDE_0E)
    for trial in 0..<200 {
      let m = 2 + Int(random.next() % 3)
      let length = 1 + Int(random.next() % 5_000)
      var units: [Int] = []
      var gaps: [Int] = []
      for _ in 0..<Int(random.next() % 60) { units.append(1 + Int(random.next() % 40)) }
      for _ in 0..<Int(random.next() % 60) { gaps.append(1 + Int(random.next() % 900)) }
      // Krippendorff (2004): (2/L) Σ_u [(N − 1)(2l³ − 3l² + l)/3 + l² Σ_{g ≥ l} (g − l + 1)]
      // / (mL(mL − 1) − Σ_u l(l − 1)), in doubles.
      let n = Double(units.count)
      let mL = Double(m * length)
      var numerator = 0.0
      var squared = 0.0
      for l in units.map(Double.init) {
        let fitting = gaps.filter { Double($0) >= l }.reduce(0.0) { $0 + Double($1) - l + 1 }
        numerator += (n - 1) * (2 * l * l * l - 3 * l * l + l) / 3 + l * l * fitting
        squared += l * (l - 1)
      }
      let formula = 2 / Double(length) * numerator / (mL * (mL - 1) - squared)
      let exact = Unitizing.expectedDisagreement(
        unitLengths: Dictionary(units.map { ($0, 1) }, uniquingKeysWith: +),
        gapLengths: Dictionary(gaps.map { ($0, 1) }, uniquingKeysWith: +), coderCount: m,
        length: length)
      #expect(abs(exact - formula) <= 1e-12 * max(1, abs(formula)), "trial \(trial)")
    }
  }

  /// One label at a time and all labels at once give what the plain construction gives for
  /// each label, and overall its sums (the first label in order whose spans overlap makes the
  /// overall value undefined).
  @Test func everyLabelMatchesThePlainConstructionAloneAndAllAtOnce() {
    var random = SplitMix64(seed: 0x5EED_A1FA)
    func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
    let allLabels = ["PER", "ORG", "LOC", "MISC"]
    for trial in 0..<300 {
      let labels = Array(allLabels.prefix(1 + below(allLabels.count)))
      let annotators = 1 + below(4)
      var study = SpanStudy(labels: labels, annotatorCount: annotators)
      for _ in 0..<below(9) {
        let length = below(60)
        var annotations: [[LabeledSpan]] = []
        for _ in 0..<annotators {
          var spans: [LabeledSpan] = []
          if length > 1 {
            for _ in 0..<below(6) {
              let start = below(length - 1)
              spans.append(
                span(start, start + 1 + below(min(8, length - start)), labels[below(labels.count)]))
            }
          }
          annotations.append(spans)
        }
        study.append(SpanDocument(length: length, annotations: annotations))
      }
      let reference = labels.map { Self.referenceAlpha(study, label: $0) }
      let (overall, byLabel) = study.unitizingAlphas()
      #expect(byLabel == reference, "trial \(trial)")
      #expect(labels.map { study.unitizingAlpha(label: $0) } == reference, "trial \(trial)")
      if let failed = reference.first(where: { $0.observedDisagreement == nil }) {
        #expect(overall.alpha.reason == failed.alpha.reason, "trial \(trial)")
      } else {
        let observed = reference.reduce(0.0) { $0 + $1.observedDisagreement! }
        let expected = reference.reduce(0.0) { $0 + $1.expectedDisagreement! }
        #expect(
          overall.observedDisagreement == observed && overall.expectedDisagreement == expected,
          "trial \(trial)")
      }
    }
  }
}

/// The accumulator sweeps as documents arrive and keeps only the sections not yet swept.
@Suite struct UnitizingAccumulatorTests {
  @Test func keepsFewSectionsHoweverManyDocuments() {
    // Label 0: both coders mark, often up to a document's end. Label 1: only coder 0 marks
    // it, so coder 1's gap stays open across every document.
    var accumulator = UnitizingAccumulator(labelCount: 2, coderCount: 2)
    var study = SpanStudy(labels: ["X", "Y"], annotatorCount: 2)
    var random = SplitMix64(seed: 42)
    var mostRetained = 0
    for _ in 0..<5_000 {
      let length = 20 + Int(random.next() % 20)
      let end = random.next() % 2 == 0 ? length : length - 3
      let first = [
        IndexedSpan(start: 2, end: 6, label: 1), IndexedSpan(start: 5, end: end, label: 0),
      ]
      let second = [IndexedSpan(start: 4, end: end, label: 0)]
      accumulator.add(length: length, spans: [first, second])
      study.append(
        SpanDocument(
          length: length,
          annotations: [
            [
              LabeledSpan(start: 2, end: 6, label: "Y"),
              LabeledSpan(start: 5, end: end, label: "X"),
            ],
            [LabeledSpan(start: 4, end: end, label: "X")],
          ]))
      mostRetained = max(mostRetained, accumulator.retainedSectionCount)
    }
    #expect(mostRetained <= 6)
    let streamed = accumulator.alphas(labels: ["X", "Y"])
    let reference = ["X", "Y"].map { UnitizingAlphaTests.referenceAlpha(study, label: $0) }
    #expect(streamed.byLabel == reference)
    #expect(accumulator.documentCount == 5_000)
  }
}
