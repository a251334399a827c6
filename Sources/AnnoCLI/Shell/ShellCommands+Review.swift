import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser

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
