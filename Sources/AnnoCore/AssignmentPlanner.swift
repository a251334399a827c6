/// Places documents in annotators' queues by an ``AssignmentRule``, deterministically.
///
/// The procedure, for a batch of unassigned documents (the whole corpus at `anno assign`, the
/// new documents at each later import):
///
/// 1. The batch is shuffled (Fisher–Yates) with the rule's generator, SplitMix64 (Steele, Lea
///    & Flood 2014, the generator of Java's `SplittableRandom`), which is seeded by the rule
///    and whose state is stored between batches. Swift's own random generator is not used: it
///    is not seedable and differs between platforms.
/// 2. The documents are taken in that order. The *i*-th document of the study (counting every
///    batch) is an overlap document when ⌊overlap·i + ½⌋ exceeds the overlap documents so
///    far, so after any number of documents the overlap set is the rounded share, and overlap
///    documents are spread evenly through the order (and so through every queue), never
///    bunched at the end.
/// 3. Each document goes to the `perDocument` (or `perOverlapDocument`) annotators with the
///    fewest documents so far, then the fewest of its kind (overlap or single), ties broken by
///    a fresh random draw per annotator. Taking the least loaded keeps every two annotators'
///    loads within one document of each other; the second key spreads the overlap set evenly.
/// 4. Before a document enters a queue of length *L*, a gold question is put there first when
///    ⌊goldRate·(L + 1) + ½⌋ exceeds the gold questions in it: the next gold item (in the
///    study's gold order) that the annotator does not have yet, if any is left.
/// 5. Gold questions added later top every queue up to its share, spread through the
///    documents not yet finished (``toppingUpGold(_:goldItems:rate:)``).
public struct AssignmentPlanner: Sendable {
  /// The rule followed.
  public let rule: AssignmentRule
  /// The study so far; the planner advances it.
  public private(set) var state: AssignmentState
  private var generator: SplitMix64
  private let goldItems: [DocumentID]

  /// Creates a planner that continues from `state`.
  ///
  /// - Parameters:
  ///   - goldItems: the study's gold questions, in the order they are handed out.
  /// - Precondition: the rule has no ``AssignmentRule/problem``.
  public init(rule: AssignmentRule, state: AssignmentState, goldItems: [DocumentID]) {
    precondition(rule.problem == nil, rule.problem ?? "")
    self.rule = rule
    self.state = state
    self.generator = SplitMix64(seed: state.generatorState)
    self.goldItems = goldItems
  }

  /// Places a batch of unassigned documents, in the order the rule gives them.
  ///
  /// - Complexity: O(*n*·*a* log *a*) for *n* documents and *a* annotators.
  public mutating func place(_ documents: [DocumentID]) -> [Placement] {
    var order = documents
    if order.count > 1 {
      for i in stride(from: order.count - 1, to: 0, by: -1) {
        order.swapAt(i, generator.uniform(below: i + 1))
      }
    }
    var placements: [Placement] = []
    placements.reserveCapacity(order.count * rule.perDocument)
    for document in order { place(document, into: &placements) }
    state.generatorState = generator.state
    return placements
  }

  private mutating func place(_ document: DocumentID, into placements: inout [Placement]) {
    let index = state.documents + 1
    let isOverlap =
      Int((rule.overlap * Double(index) + 0.5 + 1e-9).rounded(.down)) > state.overlapDocuments
    state.documents = index
    if isOverlap { state.overlapDocuments += 1 }
    let count = isOverlap ? rule.perOverlapDocument : rule.perDocument
    let kind: AssignmentKind = isOverlap ? .overlap : .single
    let keys = rule.annotators.map {
      ($0, state.loads[$0] ?? 0, state.kindLoads[$0]?[kind] ?? 0, generator.next())
    }
    let chosen = keys.sorted { ($0.1, $0.2, $0.3) < ($1.1, $1.2, $1.3) }.prefix(count).map(\.0)
    for annotator in chosen {
      placeGold(before: annotator, into: &placements)
      placements.append(
        Placement(
          documentID: document, annotator: annotator, position: state.queueLength(of: annotator),
          kind: kind))
      state.queueLengths[annotator, default: 0] += 1
      state.loads[annotator, default: 0] += 1
      state.kindLoads[annotator, default: [:]][kind, default: 0] += 1
    }
  }

  private mutating func placeGold(before annotator: String, into placements: inout [Placement]) {
    guard rule.goldRate > 0 else { return }
    let length = state.queueLength(of: annotator)
    let held = state.gold[annotator, default: []]
    guard Self.goldDue(rate: rule.goldRate, length: length + 1) > held.count,
      let item = goldItems.first(where: { !held.contains($0) })
    else {
      return
    }
    placements.append(
      Placement(documentID: item, annotator: annotator, position: length, kind: .gold))
    state.gold[annotator, default: []].insert(item)
    state.queueLengths[annotator, default: 0] += 1
  }
}

extension AssignmentPlanner {
  /// The gold questions a queue of `length` documents (gold questions included) holds at
  /// `rate`: ⌊rate·length + ½⌋.
  public static func goldDue(rate: Double, length: Int) -> Int {
    Int((rate * Double(length) + 0.5 + 1e-9).rounded(.down))
  }

  /// A queue with the gold questions it lacks, for gold questions added after the queue was
  /// assigned: while ⌊rate·L + ½⌋ for its length *L* exceeds the gold questions in it, the
  /// next of `goldItems` (in the study's gold order) it does not hold is added. The added
  /// questions are spread evenly through the documents not yet finished, the *j*-th of *k*
  /// before the ⌊*j*·*r*/(*k* + 1)⌋-th of those *r* (at the end when every document is
  /// finished); the order of everything else stays.
  ///
  /// - Returns: the new queue, first to last, and how many gold questions were added.
  public static func toppingUpGold(
    _ queue: [QueuedDocument], goldItems: [DocumentID], rate: Double
  ) -> (queue: [QueuedDocument], added: Int) {
    guard rate > 0 else { return (queue, 0) }
    let held = Set(queue.lazy.filter { $0.kind == .gold }.map(\.documentID))
    var gold = held.count
    var length = queue.count
    var added: [QueuedDocument] = []
    for item in goldItems where !held.contains(item) {
      guard goldDue(rate: rate, length: length) > gold else { break }
      added.append(QueuedDocument(documentID: item, kind: .gold, isFinished: false))
      gold += 1
      length += 1
    }
    guard !added.isEmpty else { return (queue, 0) }
    let open = queue.indices.filter { !queue[$0].isFinished }
    // Where each added question goes: before this index of the queue (the end when none).
    let places = added.indices.map { j -> Int in
      let k = open.count * (j + 1) / (added.count + 1)
      return k < open.count ? open[k] : queue.count
    }
    var result: [QueuedDocument] = []
    result.reserveCapacity(queue.count + added.count)
    var next = 0
    for index in 0...queue.count {
      while next < added.count && places[next] == index {
        result.append(added[next])
        next += 1
      }
      if index < queue.count { result.append(queue[index]) }
    }
    return (result, added.count)
  }
}

/// One entry of an annotator's queue, as ``AssignmentPlanner/toppingUpGold(_:goldItems:rate:)``
/// reads it.
public struct QueuedDocument: Hashable, Sendable {
  /// The document's row id.
  public var documentID: DocumentID
  /// What it is in the queue.
  public var kind: AssignmentKind
  /// Whether the annotator marked it done or skipped it.
  public var isFinished: Bool

  /// Creates an entry.
  public init(documentID: DocumentID, kind: AssignmentKind, isFinished: Bool) {
    self.documentID = documentID
    self.kind = kind
    self.isFinished = isFinished
  }
}

/// Where a study's assignment stands: what ``AssignmentPlanner`` continues from.
public struct AssignmentState: Sendable, Hashable {
  /// Documents assigned so far (gold questions not counted).
  public var documents: Int
  /// Of those, documents in the overlap set.
  public var overlapDocuments: Int
  /// The SplitMix64 state of the rule's generator.
  public var generatorState: UInt64
  /// Documents (gold questions not counted) in each annotator's queue.
  public var loads: [String: Int]
  /// Documents in each annotator's queue, by kind (single or overlap).
  public var kindLoads: [String: [AssignmentKind: Int]] = [:]
  /// The length of each annotator's queue, gold questions included; the next position.
  public var queueLengths: [String: Int]
  /// The gold questions in each annotator's queue.
  public var gold: [String: Set<DocumentID>]

  /// The state of a study that has assigned nothing yet, with its generator seeded.
  public init(seed: UInt64) {
    self.init(
      documents: 0, overlapDocuments: 0, generatorState: seed, loads: [:], queueLengths: [:],
      gold: [:])
  }

  /// Creates a state from its parts.
  public init(
    documents: Int, overlapDocuments: Int, generatorState: UInt64, loads: [String: Int],
    queueLengths: [String: Int], gold: [String: Set<DocumentID>]
  ) {
    self.documents = documents
    self.overlapDocuments = overlapDocuments
    self.generatorState = generatorState
    self.loads = loads
    self.queueLengths = queueLengths
    self.gold = gold
  }

  /// The annotator's next queue position.
  public func queueLength(of annotator: String) -> Int { queueLengths[annotator] ?? 0 }
}
