import AnnoAgreement

extension SpanTally {
  /// The report section, with `intervals` attached to the measures they belong to.
  func section(annotators: [String], intervals: [MeasureKey: BootstrapInterval]) -> AgreementSection
  {
    var measures: [ReportMeasure] = []
    func add(_ key: MeasureKey, _ value: Measure) {
      measures.append(ReportMeasure(key, value, interval: intervals[key]))
    }
    let tokens = tokenAccumulators().tokens
    let coincidences = tokens.coincidenceMatrix
    add(MeasureKey(.tokenAlphaNominal), tokens.krippendorffAlpha(level: .nominal))
    let unitizingAlphas = unitizing.alphas(
      labels: labels, coderName: { annotators[$0] },
      documentName: { "document " + (firstOverlaps[$0] ?? "#\($0)") })
    add(MeasureKey(.alphaU), unitizingAlphas.overall.alpha)
    for (l, label) in labels.enumerated() {
      add(
        MeasureKey(.tokenAlphaNominal, label: label),
        RatingAccumulator.krippendorffAlpha(
          coincidences: collapse(coincidences, to: l), level: .nominal))
      add(MeasureKey(.alphaU, label: label), unitizingAlphas.byLabel[l].alpha)
    }
    var counts: [String: Int] = ["documents_all": unitizing.documentCount]
    var confusions: [PairConfusion] = []
    for pair in tokens.raterPairs {
      let key = AnnotatorPair(annotators[pair.a], annotators[pair.b])
      let p = pairIndex(pair.a, pair.b)
      let table = tokens.contingencyTable(pair.a, pair.b)
      counts["documents@\(key.key)"] = pairDocuments[p]
      func addScores(_ e: SpanScore, _ o: SpanScore, _ kappa: Measure, label: String?) {
        add(MeasureKey(.spanExactF1, pair: key, label: label), e.f1)
        add(MeasureKey(.spanOverlapF1, pair: key, label: label), o.f1)
        add(MeasureKey(.spanExactPrecision, pair: key, label: label), e.precision)
        add(MeasureKey(.spanExactRecall, pair: key, label: label), e.recall)
        add(MeasureKey(.spanOverlapPrecision, pair: key, label: label), o.precision)
        add(MeasureKey(.spanOverlapRecall, pair: key, label: label), o.recall)
        add(MeasureKey(.tokenCohenKappa, pair: key, label: label), kappa)
        let suffix = "@\(key.key)" + (label.map { "#" + $0 } ?? "")
        counts["spans_first" + suffix] = e.referenceCount
        counts["spans_second" + suffix] = e.predictedCount
        counts["exact_matches" + suffix] = e.matchedReferenceCount
      }
      addScores(
        exact[p].reduce(.zero, +), overlap[p].reduce(.zero, +), table.cohensKappa, label: nil)
      for (l, label) in labels.enumerated() {
        addScores(
          exact[p][l], overlap[p][l], ContingencyTable(collapse(table.rows, to: l)).cohensKappa,
          label: label)
      }
      confusions.append(
        PairConfusion(
          pair: key, categories: labels.map { Optional($0) } + [nil], counts: confusion[p]))
    }
    return AgreementSection(
      name: name, kind: .spans, categories: labels, units: tokens.unitCount,
      pairableUnits: tokens.pairableUnitCount, documents: documents, measures: measures,
      counts: counts,
      confusions: confusions)
  }

  /// Each annotator's token tags against the majority tag of the others.
  func majorityComparisons(annotators: [String]) -> [MajorityComparison] {
    MajorityComparison.list(
      section: name, annotators: annotators, majority: tokenAccumulators().majority)
  }

  /// A tag-by-tag table reduced to label `l`'s one-vs-rest tags: `O`, `B-l`, `I-l`.
  ///
  /// Every other label's tags become `O`, which is what tagging the tokens with label `l`'s
  /// spans alone gives for flat spans; the counts of merged tags add up.
  private func collapse<T: AdditiveArithmetic>(_ table: [[T]], to l: Int) -> [[T]] {
    func target(_ tag: Int) -> Int { tag == 1 + 2 * l ? 1 : tag == 2 + 2 * l ? 2 : 0 }
    var result = Array(repeating: Array(repeating: T.zero, count: 3), count: 3)
    for (i, row) in table.enumerated() {
      for (j, n) in row.enumerated() { result[target(i)][target(j)] += n }
    }
    return result
  }
}
