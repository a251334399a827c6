import AnnoAgreement
import AnnoCore
import AnnoStore

/// `anno report study`: where a study stands and when to stop double-coding.
///
/// Progress per annotator (their queues) and per assignment kind (single, overlap, gold:
/// documents finished by all, some or none of their annotators); agreement per field on the
/// overlap documents finished by at least two annotators, with percentile bootstrap intervals
/// over documents (seeded, see ``AgreementBootstrap``); and for each field, from its 95%
/// interval's width *w* on *n* documents now, the documents needed for a width under the
/// target *t*: n* = ⌈n·(w/t)²⌉, as ``IntervalWidthProjection`` documents (width ∝ 1/√n).
package struct StudyReport: Sendable {
  /// Progress of one assignment kind.
  package struct KindProgress: Sendable, Hashable {
    package var kind: AssignmentKind
    package var documents = 0
    package var finishedByAll = 0
    package var finishedBySome = 0
    package var notStarted: Int { documents - finishedByAll - finishedBySome }
  }

  /// One field's agreement and projection.
  package struct FieldEstimate: Sendable, Hashable {
    package var section: String
    package var measure: MeasureName
    package var value: Measure
    package var interval: BootstrapInterval?
    package var documents: Int
    package var projection: IntervalWidthProjection?
  }

  package var rule: AssignmentRule
  package var queues: [QueueStatus]
  package var kinds: [KindProgress]
  package var fields: [FieldEstimate]
  /// Overlap documents finished by at least two annotators (what agreement is computed on).
  package var comparedDocuments: Int
  /// Why there is no agreement yet, when there is none.
  package var agreementNote: String?
  package var targetWidth: Double
  package var replicates: Int
  package var seed: UInt64

  /// Collects the study from the store.
  ///
  /// - Throws: `StoreError` when no study is assigned; store errors.
  package static func build(
    store: Store, targetWidth: Double, replicates: Int, seed: UInt64,
    agreement: (ReportOptions) throws -> AgreementReport
  ) throws -> StudyReport {
    guard let rule = try store.assignmentRule() else {
      throw StoreError.invalid(
        "no study is assigned; 'anno assign --annotators a,b,c --overlap 0.2 --seed 1' starts one")
    }
    var kinds = AssignmentKind.allCases.map { KindProgress(kind: $0) }
    var compared: Set<String> = []
    var coders: Set<String> = []
    // A team's reviewers and managers are never counted as annotators, even with a queue (a
    // role changed after 'anno assign').
    let notAnnotators = try store.nonAnnotatorMembers()
    try store.forEachAssignedDocument { id, kind, annotators in
      guard let k = AssignmentKind.allCases.firstIndex(of: kind) else { return }
      let annotators = annotators.filter { !notAnnotators.contains($0.name) }
      guard !annotators.isEmpty else { return }
      let done = annotators.filter(\.isDone)
      // A gold question counts once, however many queues hold it.
      kinds[k].documents += 1
      if done.count == annotators.count {
        kinds[k].finishedByAll += 1
      } else if !done.isEmpty {
        kinds[k].finishedBySome += 1
      }
      if kind == .overlap && done.count >= 2 {
        compared.insert(id)
        coders.formUnion(done.map(\.name))
      }
    }
    var report = StudyReport(
      rule: rule, queues: try store.queueStatuses(), kinds: kinds, fields: [],
      comparedDocuments: compared.count, agreementNote: nil, targetWidth: targetWidth,
      replicates: replicates, seed: seed)
    guard coders.count >= 2, !compared.isEmpty else {
      report.agreementNote =
        "no overlap document is finished by two annotators yet: agreement comes once they are"
      return report
    }
    var options = ReportOptions(
      annotators: coders.sorted(by: CodePoint.precedes), bootstrap: replicates, seed: seed)
    options.documents = compared
    let agreement = try agreement(options)
    // Sections nobody on the overlap set used (no compared document) are left out.
    for section in agreement.sections where section.documents > 0 {
      let candidates: [ReportMeasure] = section.measures.filter {
        $0.key.pair == nil && $0.key.label == nil && $0.key.name.scale == .krippendorff
      }
      let withInterval: ReportMeasure? = candidates.first { $0.interval != nil }
      guard let main = withInterval ?? candidates.first else { continue }
      report.fields.append(
        FieldEstimate(
          section: section.name, measure: main.key.name, value: main.value,
          interval: main.interval, documents: section.documents,
          projection: main.interval.flatMap {
            IntervalWidthProjection(
              interval: $0, units: section.documents, targetWidth: targetWidth)
          }))
    }
    return report
  }
}
