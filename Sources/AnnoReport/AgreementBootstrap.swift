import AnnoAgreement
import AnnoCore

/// Percentile bootstrap intervals over documents for the report's main coefficients.
///
/// Each replicate draws as many documents as were compared, with replacement, from one
/// seeded `SplitMix64`, and every statistic is computed on that same draw: α at the field's
/// level and Fleiss' κ per field; α MASI and α Jaccard per set-valued field; overall exact
/// span F1 per pair and nominal token α per span layer. Deterministic for a seed.
enum AgreementBootstrap {
  /// The 95% intervals by section name and measure key; empty without `--bootstrap`.
  ///
  /// - Complexity: O(*B*·(*D* + Σ rated documents·*R*²)) for *B* replicates of *D* documents.
  static func intervals(of collector: AgreementCollector) -> [String: [MeasureKey:
    BootstrapInterval]]
  {
    let replicates = collector.plan.replicates
    let n = collector.documentCount
    guard replicates > 0, n > 0 else { return [:] }
    let annotators = collector.annotators
    let pairs = AnnotatorPair.all(of: annotators)
    var generator = SplitMix64(seed: collector.plan.seed)
    var multiplicity = [Int32](repeating: 0, count: n)
    var estimates: [String: [MeasureKey: [Measure]]] = [:]
    for _ in 0..<replicates {
      for i in multiplicity.indices { multiplicity[i] = 0 }
      for _ in 0..<n { multiplicity[generator.uniform(below: n)] += 1 }
      for (name, tally) in collector.fields {
        let acc = tally.resampled(multiplicity)
        estimates[name, default: [:]][MeasureKey(.alpha(tally.level)), default: []].append(
          tally.mainAlpha(acc))
        estimates[name, default: [:]][MeasureKey(.fleissKappa), default: []].append(acc.fleissKappa)
      }
      for (name, tally) in collector.setFields {
        for (key, value) in SetFieldTally.measures(tally.resampled(multiplicity)) {
          estimates[name, default: [:]][key, default: []].append(value)
        }
      }
      for (name, tally) in collector.spans {
        guard let data = tally.bootstrap else { continue }
        estimates[name, default: [:]][MeasureKey(.tokenAlphaNominal), default: []].append(
          data.tokenAlpha(multiplicity))
        for (p, pair) in pairs.enumerated() {
          estimates[name, default: [:]][MeasureKey(.spanExactF1, pair: pair), default: []].append(
            data.exactF1(pair: p, multiplicity))
        }
      }
    }
    return estimates.mapValues { byKey in
      byKey.mapValues { BootstrapInterval(estimates: $0, confidenceLevel: 0.95) }
    }
  }
}
