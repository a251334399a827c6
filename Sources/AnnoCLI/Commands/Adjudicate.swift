import AnnoCore
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
      abstract:
        "Settle the gold version automatically where annotators agree, and show adjudication progress.",
      discussion: """
        --auto unanimous: every annotator who finished a document agrees; --auto majority: more \
        than half agree (ties stay open); --auto threshold=K: at least K agree. Spans match on \
        start, end and label; document fields on the value. What is not settled stays open for \
        'review' in the shell. Re-running after more annotations arrive updates automatic \
        decisions and never changes a reviewer's. Without --auto, prints progress.
        """)

    @ParentCommand var anno: Anno
    @Option(help: ArgumentHelp("unanimous, majority or threshold=K.", valueName: "strategy"))
    var auto: AdjudicationStrategy?

    func run() throws {
      let session = try Session(options: anno.global)
      if let auto {
        let result = try session.store.adjudicateAutomatically(auto)
        print(
          "adjudicated \(result.documents) document\(result.documents == 1 ? "" : "s") (\(auto)): \(result.decided) decided, "
            + "\(result.reopened) reopened, \(result.keptReviewerDecisions) reviewer decisions kept, \(result.open) still open"
        )
      }
      print(Self.describe(try session.store.goldProgress()))
    }

    /// Progress in one line.
    static func describe(_ p: GoldProgress) -> String {
      "gold: \(p.documents) documents with finished annotations, \(p.goldDone) done; "
        + "open: \(p.openItems) disagreement\(p.openItems == 1 ? "" : "s") in \(p.openDocuments) document\(p.openDocuments == 1 ? "" : "s"); "
        + "decided: \(p.autoItems) automatically, \(p.reviewedItems) by a reviewer"
    }
  }
}
