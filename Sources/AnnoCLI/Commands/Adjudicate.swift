import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser

/// `threshold=K`, `majority`, `unanimous` on the command line.
extension AdjudicationStrategy: ExpressibleByArgument {
  public init?(argument: String) { self.init(argument) }
  public static var defaultCompletionKind: CompletionKind {
    .list(["unanimous", "majority", "threshold=2"])
  }
}

extension Anno {
  /// `anno adjudicate`: build the gold version where annotators leave no doubt.
  struct Adjudicate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "adjudicate",
      abstract:
        "Settle the gold version automatically where annotators agree, and show adjudication progress.",
      discussion: """
        --auto unanimous: every annotator who finished a document agrees; --auto majority: more \
        than half agree (ties stay open); --auto threshold=K: at least K agree. Spans match on \
        start, end and label; document fields on the value. What is not settled stays open for \
        'review' in the shell. Re-running after more annotations arrive updates automatic \
        decisions and never changes a reviewer's; every automatic decision a run withdraws is \
        listed. A run that would withdraw decisions on documents the strategy cannot settle at \
        all (a threshold above the number of annotators who finished them) changes nothing \
        without --force. Without --auto, prints progress.
        """)

    @ParentCommand var anno: Anno
    @Option(help: ArgumentHelp("unanimous, majority or threshold=K.", valueName: "strategy"))
    var auto: AdjudicationStrategy?
    @Flag(
      help:
        "Withdraw automatic decisions even on documents the strategy cannot settle (a threshold above their number of annotators)."
    )
    var force = false

    func validate() throws {
      if force && auto == nil { throw ValidationError("--force goes with --auto STRATEGY") }
    }

    func run() throws {
      let session = try Session(options: anno.global)
      try session.requireSeesEverything("'anno adjudicate'")
      if let auto {
        let result = try session.store.adjudicateAutomatically(auto) { result in
          let blocked = result.withdrawn.filter { !$0.strategyApplies }
          guard !blocked.isEmpty && !force else { return }
          let documents = Set(blocked.map(\.documentExternalID)).count
          throw CommandFailure(
            Self.shortfall(auto, documents: documents)
              + "; it would withdraw \(blocked.count) automatic decision\(blocked.count == 1 ? "" : "s") there:\n"
              + Self.list(blocked) + "nothing was changed; --force withdraws them")
        }
        StandardStreams.print(
          "adjudicated \(result.documents) document\(result.documents == 1 ? "" : "s") (\(auto)): \(result.decided) decided, "
            + "\(result.reopened) reopened, \(result.keptReviewerDecisions) reviewer decisions kept, \(result.open) still open"
        )
        if !result.withdrawn.isEmpty {
          StandardStreams.print(
            "withdrew \(result.withdrawn.count) automatic decision\(result.withdrawn.count == 1 ? "" : "s"):\n"
              + Self.list(result.withdrawn), terminator: "")
        }
        if result.beyondStrategy > 0 {
          StandardStreams.print("note: " + Self.shortfall(auto, documents: result.beyondStrategy))
        }
      }
      StandardStreams.print(Self.describe(try session.store.goldProgress()))
    }

    /// Why a strategy settles nothing on some documents: `threshold=3 needs 3 annotators in
    /// agreement, and 2 documents have fewer who finished them`.
    static func shortfall(_ strategy: AdjudicationStrategy, documents: Int) -> String {
      let which = documents == 1 ? "1 document has" : "\(documents) documents have"
      guard case .threshold(let k) = strategy else {
        return
          "\(strategy) cannot settle anything on \(documents == 1 ? "1 document" : "\(documents) documents")"
      }
      return "\(strategy) needs \(k) annotators in agreement, and \(which) fewer who finished them"
    }

    /// Withdrawn decisions, one per line: `  kerry  PER 0:10 (auto:majority)`.
    static func list(_ withdrawn: [WithdrawnDecision]) -> String {
      withdrawn.map {
        "  \(DisplayText.sanitized($0.documentExternalID))  "
          + DisplayText.sanitized(describe(item: $0.decision.item, value: $0.decision.value))
          + " (\($0.decision.decidedBy))\n"
      }.joined()
    }

    /// An adjudication item in words: `PER 0:10`, `sentiment negative`, `stance Russia against
    /// on 5:9`, `topic diplomacy`.
    static func describe(item: String, value: String?) -> String {
      let parts = item.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      let value = value ?? "(none)"
      switch (parts.first, parts.count) {
      case ("entity", 2): return "\(value == "(none)" ? "no span" : value) \(parts[1])"
      case ("span_sentiment", 2): return "sentiment \(value) on \(parts[1])"
      case ("stance", 3): return "stance \(parts[1]) \(value) on \(parts[2])"
      case ("stance", 2): return "stance \(parts[1]) \(value)"
      case ("label", 2): return "\(parts[1]) \(value)"
      default: return "\(item) \(value)"
      }
    }

    /// Progress in one line.
    ///
    /// Items every finished annotator agrees on are no disagreement: they are counted apart
    /// until a decision (review, or `--auto`) writes them to the gold version.
    static func describe(_ p: GoldProgress) -> String {
      "gold: \(p.documents) documents with finished annotations, \(p.goldDone) done; "
        + "open: \(p.disputedItems) disagreement\(p.disputedItems == 1 ? "" : "s") in \(p.disputedDocuments) document\(p.disputedDocuments == 1 ? "" : "s")"
        + (p.agreedItems > 0
          ? ", and \(p.agreedItems) agreed item\(p.agreedItems == 1 ? "" : "s") not yet in the gold version"
          : "")
        + "; decided: \(p.autoItems) automatically, \(p.reviewedItems) by a reviewer"
    }
  }
}
