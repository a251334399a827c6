import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser

/// What review mode shows and numbers: the open items of the document, version by version.
enum ReviewView {
  /// The open items' versions, numbered from 1 as `accept N` and `reject N` count them: a
  /// range's versions are its labels and `none` (`PER ann1`, `ORG ann2`, `none ann3`).
  static func versions(_ review: DocumentReview) -> [ReviewVersion] {
    review.openItems.flatMap { item in
      item.groupedVersions.map {
        ReviewVersion(item: item, value: $0.value, annotators: $0.annotators)
      }
    }
  }

  /// Describes an item's version for the list: `PER "Sergei Lavrov" 15:28`, `sentiment negative`.
  static func describe(_ version: ReviewVersion, in context: ShellContext) -> String {
    let parts = version.item.key.split(separator: "|", omittingEmptySubsequences: false).map(
      String.init)
    func span(_ text: String) -> String {
      let bounds = text.split(separator: ":").compactMap { Int($0) }
      guard bounds.count == 2, bounds[0] < bounds[1], bounds[1] <= context.text.count else {
        return text
      }
      return "\(context.quoted(bounds[0]..<bounds[1])) \(text)"
    }
    let value = version.value ?? "(none)"
    switch parts.first {
    case "entity": return "\(version.value ?? "none") \(span(parts.count > 1 ? parts[1] : ""))"
    case "span_sentiment": return "sentiment \(value) on \(span(parts.count > 1 ? parts[1] : ""))"
    case "sentiment": return "sentiment \(value)"
    case "stance" where parts.count == 3: return "stance \(parts[1]) \(value) on \(span(parts[2]))"
    case "stance": return "stance \(parts.count > 1 ? parts[1] : "?") \(value)"
    case "label": return "\(parts.count > 1 ? parts[1] : "?") \(value)"
    default: return "\(version.item.key) \(value)"
    }
  }

  /// The open disagreements as a numbered table, with who chose each version.
  static func disagreements(_ context: ShellContext) throws -> String {
    guard let document = context.document else { return "" }
    let review = try context.store.review(of: document.id)
    let versions = versions(review)
    context.listedVersions = (document.id, versions)
    let settled = review.items.count - review.openItems.count
    var out =
      "\n"
      + context.palette.bold("disagreements: \(review.openItems.count) open, \(settled) settled")
      + " · annotators: "
      + review.annotators.joined(separator: ", ") + "\n"
    guard !versions.isEmpty else {
      return out + "nothing open here; 'done' finishes the gold version\n"
    }
    // A span version names each annotator's span as they do: ann1#4.
    let everyone = try context.store.allAnnotations(documentID: document.id)
    func chooser(_ name: String, of item: AdjudicationItem) -> String {
      guard item.isSpan,
        let span = everyone[name]?.first(where: { $0.itemKey == item.key }),
        span.localID != nil
      else { return DisplayText.sanitized(name) }
      return ShellContext.reference(span.localID, owner: name)
    }
    let rows = versions.enumerated().map { i, version in
      [
        String(i + 1), DisplayText.sanitized(describe(version, in: context)),
        version.annotators.map {
          version.value == nil ? DisplayText.sanitized($0) : chooser($0, of: version.item)
        }.joined(separator: ", "),
      ]
    }
    out += TextTable.render(
      headers: ["#", "version", "chosen by"], rows: rows, palette: context.palette,
      width: context.width)
    return out
      + context.palette.dim(
        "accept N · accept ann1#4 · accept ANNOTATOR · reject N · or tag, label, sentiment... directly"
      ) + "\n"
  }

  /// Refuses documents nobody finished, and (without --allow-self-review) documents the
  /// reviewer annotated.
  static func checkReviewable(_ stored: StoredDocument, in context: ShellContext) throws {
    let review = try context.store.review(of: stored.id)
    guard !review.annotators.isEmpty else {
      throw ShellError(
        "nobody has finished '\(DisplayText.sanitized(stored.document.externalID))'; there is nothing to adjudicate"
      )
    }
    if !context.allowsSelfReview && review.annotators.contains(context.annotator) {
      throw ShellError(
        "you annotated '\(DisplayText.sanitized(stored.document.externalID))' yourself; ask another reviewer, or start with 'review --allow-self-review'"
      )
    }
  }

  /// The versions `accept N`/`reject N` count: those last listed for this document, else
  /// the current open ones.
  static func numberedVersions(in context: ShellContext) throws -> (DocumentReview, [ReviewVersion])
  {
    let document = try context.requireDocument()
    let review = try context.store.review(of: document.id)
    if let listed = context.listedVersions, listed.documentID == document.id {
      return (review, listed.versions)
    }
    let fresh = versions(review)
    context.listedVersions = (document.id, fresh)
    return (review, fresh)
  }

  /// Records decisions and reports decisions of other reviewers that they replace.
  static func decide(
    _ outcomes: [(item: String, value: String?)], summary: String, in context: ShellContext
  ) throws {
    let document = try context.requireDocument()
    let result = try context.store.decide(
      outcomes, documentID: document.id, reviewer: context.annotator, summary: summary)
    for earlier in result.replaced {
      let who = earlier.decidedBy.dropFirst("reviewer:".count)
      context.say(
        "note: \(who) had decided \(earlier.item) as \(earlier.value ?? "none"); your decision replaces it (both are in the log)"
      )
    }
  }
}

struct ReviewCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "Enter review mode: adjudicate the gold version, the most disputed documents first.",
    discussion: """
      You review as yourself (--annotator); your decisions and edits go to the gold version. \
      'next' moves to the next document with open disagreements; 'done' finishes its gold version; \
      'review off' leaves review mode.
      """)

  @Argument(help: "'off' to leave review mode.") var mode: String?
  @Flag(help: "Allow reviewing documents you annotated yourself.") var allowSelfReview = false

  func run(in context: ShellContext) throws {
    if mode == "off" {
      context.isReviewing = false
      context.say("review mode off; back to your own labels")
      return
    }
    if let mode { throw ShellError("'review \(mode)': say 'review' or 'review off'") }
    try context.access().requireSeesEverything(
      "review", instead: "ask a reviewer ('anno team add NAME --role reviewer' makes one)")
    guard context.annotator != Store.goldAnnotator else {
      throw ShellError(
        "'gold' is the adjudicated version itself; review under your own name (--annotator NAME)")
    }
    context.isReviewing = true
    context.allowsSelfReview = allowSelfReview
    let progress = try context.store.goldProgress()
    context.say("review mode: \(Anno.Adjudicate.describe(progress))")
    guard let next = try context.store.nextDocumentToReview(after: nil) else {
      context.say(
        "no disagreements are open ('anno adjudicate --auto unanimous' writes the agreed items of every finished document to the gold version)"
      )
      return
    }
    try present(next, in: context)
  }
}

struct AcceptCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "accept",
    abstract:
      "Accept suggestion sN, all suggestions or those of a LABEL; in review: version N or an annotator's version."
  )

  @Argument(help: "sN, all or LABEL; in review, a version number or an annotator's name.")
  var choice: String

  func run(in context: ShellContext) throws {
    guard context.isReviewing else { return try SuggestionActions.accept(choice, in: context) }
    let (review, versions) = try ReviewView.numberedVersions(in: context)
    if let n = Int(choice) {
      guard n >= 1, n <= versions.count else {
        throw ShellError(
          versions.isEmpty
            ? "nothing is open on this document"
            : "no version \(n); versions are numbered 1–\(versions.count)")
      }
      let version = versions[n - 1]
      try ReviewView.decide(
        [(version.item.key, version.value)],
        summary: "accept \(ReviewView.describe(version, in: context))", in: context)
      context.say("accepted: \(DisplayText.sanitized(ReviewView.describe(version, in: context)))")
      return
    }
    if choice.contains("#"), let reference = SpanReference(choice, allowsBareNumber: false),
      reference.annotator != nil, reference.ids.count == 1
    {
      let span = try context.span(choice, editing: false)
      guard let key = span.span.itemKey, review.items.contains(where: { $0.key == key }) else {
        throw ShellError(
          "\(reference) is not among the versions of annotators who finished this document")
      }
      // The range gets this span's label (one label: a range has one in the gold version).
      let item = ReviewVersion(
        item: review.items.first { $0.key == key }!, value: span.span.value, annotators: [])
      try ReviewView.decide(
        [(key, span.span.value)],
        summary: "accept \(reference) \(ReviewView.describe(item, in: context))",
        in: context)
      context.say(
        "accepted \(reference): \(DisplayText.sanitized(ReviewView.describe(item, in: context)))")
      return
    }
    guard review.annotators.contains(choice) else {
      throw ShellError(
        AnnotationSet.unknown("annotator", choice, review.annotators) + "; or give a version number"
      )
    }
    let outcomes = review.openItems.map { (item: $0.key, value: $0.versions[choice] ?? nil) }
    guard !outcomes.isEmpty else { throw ShellError("nothing is open on this document") }
    try ReviewView.decide(
      outcomes, summary: "accept \(choice)'s version of \(outcomes.count) items", in: context)
    context.say(
      "accepted \(choice)'s version of \(outcomes.count) item\(outcomes.count == 1 ? "" : "s")")
  }
}

struct RejectCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "reject",
    abstract:
      "Reject suggestion sN or all suggestions; in review: leave version N out of the gold version."
  )

  @Argument(help: "sN or all; in review, a version number.") var choice: String

  func run(in context: ShellContext) throws {
    guard context.isReviewing else { return try SuggestionActions.reject(choice, in: context) }
    guard let number = Int(choice) else {
      throw ShellError("in review, reject takes a version number, not '\(choice)'")
    }
    let (_, versions) = try ReviewView.numberedVersions(in: context)
    guard number >= 1, number <= versions.count else {
      throw ShellError(
        versions.isEmpty
          ? "nothing is open on this document"
          : "no version \(number); versions are numbered 1–\(versions.count)")
    }
    let version = versions[number - 1]
    // Rejecting a span leaves it out; rejecting a field's value leaves the field without one.
    try ReviewView.decide(
      [(version.item.key, nil)], summary: "reject \(ReviewView.describe(version, in: context))",
      in: context)
    context.say("rejected: \(DisplayText.sanitized(ReviewView.describe(version, in: context)))")
  }
}
