/// How a study gives documents to annotators: stored with the study, so documents imported
/// later are assigned by the same rule.
///
/// A share `overlap` of the documents is coded by `perOverlapDocument` annotators each (the
/// overlap set agreement is measured on), the rest by `perDocument`. Gold questions (documents
/// with a known answer) are mixed into every annotator's queue so that about `goldRate` of
/// it is gold questions. See ``AssignmentPlanner`` for the exact procedure.
public struct AssignmentRule: Sendable, Hashable {
  /// The annotators who share the work, in the order given.
  public var annotators: [String]
  /// Annotators per document outside the overlap set.
  public var perDocument: Int
  /// The share of documents coded by several annotators, in [0, 1].
  public var overlap: Double
  /// Annotators per document in the overlap set.
  public var perOverlapDocument: Int
  /// The seed of the rule's random generator (SplitMix64).
  public var seed: UInt64
  /// Only documents whose id matches this glob, or every document when `nil`.
  public var documentPattern: String?
  /// The share of each annotator's queue that is gold questions, in [0, 1).
  public var goldRate: Double

  /// Creates a rule.
  public init(
    annotators: [String], perDocument: Int = 1, overlap: Double, perOverlapDocument: Int = 2,
    seed: UInt64, documentPattern: String? = nil, goldRate: Double = 0
  ) {
    self.annotators = annotators
    self.perDocument = perDocument
    self.overlap = overlap
    self.perOverlapDocument = perOverlapDocument
    self.seed = seed
    self.documentPattern = documentPattern
    self.goldRate = goldRate
  }

  /// Why the rule cannot be used, or `nil` when it can.
  public var problem: String? {
    if annotators.isEmpty { return "--annotators needs at least one name" }
    if Set(annotators).count != annotators.count {
      return "--annotators names someone twice: '\(annotators.joined(separator: ","))'"
    }
    if perDocument < 1 || perDocument > annotators.count {
      return
        "--per-doc must be between 1 and the number of annotators (\(annotators.count)), not \(perDocument)"
    }
    if !(overlap >= 0 && overlap <= 1) {
      return "--overlap is a share of the corpus between 0 and 1, not \(overlap)"
    }
    if overlap > 0 && (perOverlapDocument < 2 || perOverlapDocument > annotators.count) {
      return
        "--per-overlap-doc must be between 2 and the number of annotators (\(annotators.count)), not \(perOverlapDocument)"
    }
    if !(goldRate >= 0 && goldRate < 1) {
      return "--gold-rate is a share of each queue, at least 0 and below 1, not \(goldRate)"
    }
    return nil
  }
}

/// What a document is in an annotator's queue.
public enum AssignmentKind: String, Sendable, Hashable, CaseIterable {
  /// Coded by `perDocument` annotators (one, usually).
  case single
  /// In the overlap set: coded by `perOverlapDocument` annotators, for agreement.
  case overlap
  /// A gold question: its answer is known; it measures the annotator's quality.
  case gold
}

/// One document placed in one annotator's queue.
public struct Placement: Sendable, Hashable {
  /// The document's row id.
  public var documentID: DocumentID
  /// The annotator.
  public var annotator: String
  /// The place in the annotator's queue (0 first).
  public var position: Int
  /// What the document is there.
  public var kind: AssignmentKind

  /// Creates a placement.
  public init(documentID: DocumentID, annotator: String, position: Int, kind: AssignmentKind) {
    self.documentID = documentID
    self.annotator = annotator
    self.position = position
    self.kind = kind
  }
}
