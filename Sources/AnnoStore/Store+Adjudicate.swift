import AnnoCore
import GRDB

extension StoredAnnotation {
  /// The adjudication item this annotation belongs to (`nil` for notes).
  public var itemKey: String? {
    let anchor = range.map { "\($0.lowerBound):\($0.upperBound)" }
    switch kind {
    case .entity: return anchor.map { "entity|\($0)" }
    case .spanSentiment: return anchor.map { "span_sentiment|\($0)" }
    case .sentiment: return "sentiment"
    case .stance: return "stance|\(target ?? "")" + (anchor.map { "|\($0)" } ?? "")
    case .label, .noValue: return "label|\(target ?? "")"
    case .choice: return "choice|\(target ?? "")|\(value)"
    case .note: return nil
    }
  }
}

/// An automatic decision an `adjudicate --auto` run withdrew (its item is open again).
public struct WithdrawnDecision: Hashable, Sendable {
  /// The document's external id.
  public var documentExternalID: ExternalID
  /// The decision as it was.
  public var decision: GoldDecision
  /// Whether the strategy could settle anything on this document at all (a threshold above
  /// the number of annotators who finished it cannot).
  public var strategyApplies: Bool
}

/// What a reviewer's decision did, for the shell to report.
public struct ReviewOutcome: Hashable, Sendable {
  /// Items whose earlier decision by another reviewer this one replaced, with who and when.
  public var replaced: [GoldDecision] = []
}

extension Store {
  /// The edits that make the gold version say `value` for `item` (and record the decision).
  static func goldEdits(
    item: String, value: String?, decidedBy: String, goldRows: [StoredAnnotation], origin: String
  ) -> [Edit] {
    // The gold version's labels of the item (every label of a range) give way to the choice.
    var edits: [Edit] = goldRows.filter { $0.itemKey == item }.map { .remove(id: $0.id) }
    for annotation in AdjudicationItems.annotations(for: item, value: value) {
      edits += goldEdit(annotation, decidedBy: decidedBy, origin: origin)
    }
    edits.append(.decide(item: item, value: value, decidedBy: decidedBy))
    return edits
  }

  private static func goldEdit(_ annotation: GoldAnnotation, decidedBy: String, origin: String)
    -> [Edit]
  {
    var edits: [Edit] = []
    switch annotation {
    case .entity(let span):
      edits.append(
        .add(
          kind: .entity, range: span.range, target: nil, value: span.label, origin: origin,
          originDetail: decidedBy))
    case .spanSentiment(let span):
      edits.append(
        .add(
          kind: .spanSentiment, range: span.range, target: nil, value: span.value, origin: origin,
          originDetail: decidedBy))
    case .sentiment(let sentiment):
      edits.append(
        .add(
          kind: .sentiment, range: nil, target: nil, value: sentiment, origin: origin,
          originDetail: decidedBy))
    case .stance(let stance):
      edits.append(
        .add(
          kind: .stance, range: stance.range, target: stance.target, value: stance.value,
          origin: origin, originDetail: decidedBy))
    case .label(let field, let fieldValue):
      edits.append(
        .add(
          kind: .label, range: nil, target: field, value: fieldValue, origin: origin,
          originDetail: decidedBy))
    case .choice(let field, let fieldValue):
      edits.append(
        .add(
          kind: .choice, range: nil, target: field, value: fieldValue, origin: origin,
          originDetail: decidedBy))
    }
    return edits
  }

  static func goldRows(_ db: Database, documentID: DocumentID) throws -> [StoredAnnotation] {
    try Row.fetchAll(
      db.cachedStatement(
        sql:
          "SELECT n.* FROM annotation n JOIN annotator a ON a.id = n.annotatorId WHERE n.documentId = ? AND a.name = ?"
      ),
      arguments: [documentID, goldAnnotator]
    ).compactMap(StoredAnnotation.init(row:))
  }

  /// Records a reviewer's decisions on a document and writes the gold version to match,
  /// in one transaction that `undo` reverses.
  ///
  /// - Parameters:
  ///   - outcomes: item keys with the chosen value (`nil` for none/absent).
  ///   - reviewer: the reviewer's name (marked with the reviewer role).
  ///   - summary: the change as the event log shows it.
  /// - Returns: decisions by other reviewers that these replace (the later one wins).
  public func decide(
    _ outcomes: [(item: String, value: String?)], documentID: DocumentID, reviewer: String,
    summary: String
  ) throws -> ReviewOutcome {
    try write { db in
      let now = Store.now()
      let reviewerID = try Store.annotatorID(db, name: reviewer, now: now)
      try db.execute(
        sql: "UPDATE annotator SET role = 'reviewer' WHERE id = ?", arguments: [reviewerID])
      var result = ReviewOutcome()
      let rows = try Store.goldRows(db, documentID: documentID)
      var edits: [Edit] = []
      for (item, value) in outcomes {
        if let earlier = try Store.decision(db, documentID: documentID, item: item),
          earlier.isByReviewer,
          earlier.decidedBy != "reviewer:\(reviewer)"
        {
          result.replaced.append(earlier)
        }
        edits += Store.goldEdits(
          item: item, value: value, decidedBy: "reviewer:\(reviewer)", goldRows: rows,
          origin: "manual")
      }
      try Store.applyEdits(
        db, edits, to: documentID, by: reviewer, onBehalfOf: Store.goldAnnotator, summary: summary)
      return result
    }
  }

  /// Settles every item the strategy can settle, on every document at least one annotator
  /// finished, in one transaction.
  ///
  /// Re-running is safe: reviewer decisions are never touched; automatic decisions follow
  /// the current annotations (changed, or withdrawn when an item is no longer settled).
  /// A document with nothing left open gets its gold version marked done (and reopened
  /// when new annotations bring disagreements).
  ///
  /// - Parameters:
  ///   - strategy: how many annotators must agree.
  ///   - confirm: shown what the run did before it is committed; throwing rolls it all back.
  public func adjudicateAutomatically(
    _ strategy: AdjudicationStrategy, confirm: (AutoAdjudication) throws -> Void = { _ in }
  ) throws -> AutoAdjudication {
    try write { db in
      var summary = AutoAdjudication()
      let documentIDs = try DocumentID.fetchAll(
        db,
        sql: """
          SELECT DISTINCT s.documentId FROM documentStatus s JOIN annotator a ON a.id = s.annotatorId
          WHERE s.status = 'done' AND a.name <> ?
          UNION SELECT documentId FROM goldDecision ORDER BY 1
          """, arguments: [Store.goldAnnotator])
      for documentID in documentIDs {
        try Store.adjudicate(db, documentID: documentID, strategy, into: &summary)
      }
      try confirm(summary)
      return summary
    }
  }

  /// Settles what the strategy can on one document, inside the caller's transaction (see
  /// `adjudicateAutomatically`).
  ///
  /// - Parameter withdraws: whether automatic decisions the strategy does not reach are
  ///   withdrawn (a run of `adjudicate --auto`), or kept (review settling what is unanimous).
  static func adjudicate(
    _ db: Database, documentID: DocumentID, _ strategy: AdjudicationStrategy,
    withdraws: Bool = true, into summary: inout AutoAdjudication
  ) throws {
    let decidedBy = "auto:\(strategy)"
    summary.documents += 1
    let review = try Store.review(db, documentID: documentID)
    let goldID = try Store.annotatorID(db, name: Store.goldAnnotator, now: Store.now())
    let goldStatus = try Store.status(db, documentID: documentID, annotatorID: goldID)
    // A gold version a reviewer finished is final: later runs leave the document alone.
    let reviewerDecisions = review.decisions.values.filter(\.isByReviewer).count
    if goldStatus?.status == .done && reviewerDecisions > 0 {
      summary.keptReviewerDecisions += reviewerDecisions
      return
    }
    let applies = strategy.canSettle(withAnnotators: review.annotators.count)
    if !applies { summary.beyondStrategy += 1 }
    let rows = try Store.goldRows(db, documentID: documentID)
    var edits: [Edit] = []
    var stillOpen = 0
    var withdrawn: [GoldDecision] = []
    let currentKeys = Set(review.items.map(\.key))
    for item in review.items {
      let existing = review.decisions[item.key]
      if existing?.isByReviewer == true {
        summary.keptReviewerDecisions += 1
        continue
      }
      guard let outcome = item.outcome(under: strategy) else {
        if existing != nil && !withdraws { continue }
        if let existing {
          edits +=
            rows.filter { $0.itemKey == item.key }.map { .remove(id: $0.id) } + [
              .reopen(item: item.key)
            ]
          summary.reopened += 1
          withdrawn.append(existing)
        }
        stillOpen += 1
        continue
      }
      // An automatic decision that still holds is kept as it was, whichever strategy made it.
      if existing == nil || existing?.value != outcome {
        edits += Store.goldEdits(
          item: item.key, value: outcome, decidedBy: decidedBy, goldRows: rows,
          origin: "imported")
        summary.decided += 1
      }
    }
    // Automatic decisions on items nobody proposes any more are withdrawn.
    for decision in review.decisions.values
    where withdraws && !decision.isByReviewer && !currentKeys.contains(decision.item) {
      edits +=
        rows.filter { $0.itemKey == decision.item }.map { .remove(id: $0.id) } + [
          .reopen(item: decision.item)
        ]
      summary.reopened += 1
      withdrawn.append(decision)
    }
    if !withdrawn.isEmpty {
      let externalID =
        try ExternalID.fetchOne(
          db, sql: "SELECT externalId FROM document WHERE id = ?", arguments: [documentID])
        ?? ""
      summary.withdrawn += withdrawn.sorted { $0.item < $1.item }.map {
        WithdrawnDecision(
          documentExternalID: externalID, decision: $0, strategyApplies: applies)
      }
    }
    summary.open += stillOpen
    if stillOpen == 0 && !review.items.isEmpty && goldStatus?.status != .done {
      edits.append(.setStatus(.done, flagReason: nil))
    } else if stillOpen > 0 && goldStatus?.status == .done {
      edits.append(.setStatus(.inProgress, flagReason: nil))
    }
    if edits.isEmpty {
      try Store.refreshGoldProgress(db, documentID: documentID)
      return
    }
    try Store.applyEdits(
      db, edits, to: documentID, by: Store.goldAnnotator, onBehalfOf: nil,
      summary: "adjudicate --auto \(strategy)")
    try Store.refreshGoldProgress(db, documentID: documentID)
  }

  /// Settles the items of one document every annotator who finished it agrees on (what review
  /// does as a reviewer opens the document), in one transaction.
  public func settleUnanimousItems(documentID: DocumentID) throws -> Int {
    try write { db in
      var summary = AutoAdjudication()
      try Store.adjudicate(
        db, documentID: documentID, .unanimous, withdraws: false, into: &summary)
      return summary.decided
    }
  }
}
