import AnnoCore
import AnnoStore

/// What review mode shows and numbers: the open items of the document, version by version.
package enum ReviewView {
  /// The open items' versions, numbered from 1 as `accept N` and `reject N` count them: a
  /// range's versions are its labels and `none` (`PER ann1`, `ORG ann2`, `none ann3`).
  package static func versions(_ review: DocumentReview) -> [ReviewVersion] {
    review.openItems.flatMap { item in
      item.groupedVersions.map {
        ReviewVersion(item: item, value: $0.value, annotators: $0.annotators)
      }
    }
  }

  /// Describes an item's version for the list: `PER "Sergei Lavrov" 15:28`, `sentiment negative`.
  package static func describe(_ version: ReviewVersion, in context: ShellContext) -> String {
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
  package static func disagreements(_ context: ShellContext) throws -> String {
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
  package static func checkReviewable(_ stored: StoredDocument, in context: ShellContext) throws {
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
  package static func numberedVersions(in context: ShellContext) throws -> (
    DocumentReview, [ReviewVersion]
  ) {
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
  package static func decide(
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
