import AnnoCore
import AnnoPipeline
import AnnoShell
import AnnoStore
import AnnoSuggest
import ArgumentParser
import Foundation

extension ShowMode: ExpressibleByArgument {}

struct ShowCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract:
      "Show the document with your spans inline ('show 3-5': paragraphs 3 to 5); 'show tokens', 'show spans', 'show suggestions' or 'show raw'.",
    discussion: """
      Output taller than the terminal goes through $PAGER (default less -R; q returns to the \
      prompt), unless the shell was started with --no-pager.
      """)

  @Argument(help: "text (default), tokens, spans, suggestions, raw, or paragraphs N or N-M.")
  var what: String?
  @Flag(help: "Overlay every annotator's spans.") var all = false

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    if all && !context.isReviewing { try context.requireMayReadOthers(for: "'show --all'") }
    let mode: ShowMode
    if let what, let paragraphs = DocumentView.paragraphRange(what) {
      context.hintAfterPaging = "'show N-M' prints paragraphs N to M here"
      return try DocumentView.showParagraphs(paragraphs, everyone: all, in: context)
    } else if let what {
      guard let chosen = ShowMode(rawValue: what) else {
        throw ShellError(
          "show takes \(ShowMode.allCases.map(\.rawValue).joined(separator: ", ")) or paragraphs N-M, not '\(what)'"
        )
      }
      mode = chosen
    } else {
      mode = .text
    }
    context.hintAfterPaging = "'show N-M' prints paragraphs N to M here"
    switch mode {
    case .raw:
      context.write(
        DisplayText.sanitized(document.document.text)
          + (document.document.text.hasSuffix("\n") ? "" : "\n"))
    case .text:
      context.write(try DocumentView.header(context))
      context.write(try DocumentView.body(context, everyone: all))
      // Paged or not, the numbered versions end up on the screen.
      if context.isReviewing { context.writeBelow(try ReviewView.disagreements(context)) }
    case .tokens:
      context.write(DocumentView.tokens(context))
    case .spans:
      context.write(try DocumentView.spanTable(context))
    case .suggestions:
      context.write(try DocumentView.suggestionTable(context))
    }
  }
}

struct NextCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "next", abstract: "Open the next document you have not finished.")

  func run(in context: ShellContext) throws {
    if context.isReviewing {
      guard let next = try context.store.nextDocumentToReview(after: context.document?.id) else {
        context.say(
          "no disagreements are open — the gold version is settled. 'anno adjudicate' shows progress."
        )
        return
      }
      try present(next, in: context)
      return
    }
    switch try context.store.nextInQueue(after: context.document?.id, by: context.annotator) {
    case .noStudy:
      guard
        let next = try context.store.nextUnfinished(
          after: context.document?.id, by: context.annotator)
      else {
        context.say("every document is done or skipped — well done. 'list all' shows them.")
        return
      }
      try present(next, in: context)
    case .document(let next):
      try present(next, in: context)
    case .finished:
      context.say("every document of your queue is done or skipped — well done.")
    case .notAssigned:
      context.say(
        "no documents are assigned to \(context.annotator) in this study; 'anno assign status' shows the queues"
      )
    }
  }
}

struct PrevCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "prev", abstract: "Open the previous document (of your queue, in a study).")

  func run(in context: ShellContext) throws {
    let current = try context.requireDocument()
    switch try context.store.previousInQueue(before: current.id, by: context.annotator) {
    case .noStudy:
      guard let previous = try context.store.previousDocument(before: current.id) else {
        throw ShellError("this is the first document")
      }
      try present(previous, in: context)
    case .document(let previous):
      try present(previous, in: context)
    case .first:
      throw ShellError("this is the first document of your queue")
    case .notInQueue:
      throw ShellError(
        "this document is not in your queue; 'next' opens the next one of your queue")
    case .notAssigned:
      throw ShellError(
        "no documents are assigned to \(context.annotator) in this study; 'anno assign status' shows the queues"
      )
    }
  }
}

struct OpenCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "open", abstract: "Open a document by id, or hit N of the last 'find'.")

  @Argument(help: "A document id (Tab completes), or the number of a 'find' hit.") var id: String

  func run(in context: ShellContext) throws {
    if let stored = try context.store.document(externalID: ExternalID(id)) {
      try present(stored, in: context)
      return
    }
    if let n = Int(id), n >= 1, n <= context.searchHits.count,
      let stored = try context.store.document(externalID: context.searchHits[n - 1].externalID)
    {
      try present(stored, in: context)
      return
    }
    let close = try context.store.documentIDs(withPrefix: String(id.prefix(3)), limit: 200).map(
      \.rawValue)
    let hint = Suggestion.closest(to: id, in: close).map { "; did you mean '\($0)'?" } ?? ""
    throw ShellError("no document with id '\(DisplayText.sanitized(id))'\(hint)")
  }
}

struct ListCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List documents: todo (default), done, flagged or all.")

  @Argument(help: "todo, done, flagged or all.") var filter: String = "todo"
  @Option(help: "How many to show.") var limit = 50

  func run(in context: ShellContext) throws {
    guard let which = DocumentFilter(rawValue: filter) else {
      throw ShellError(
        AnnotationSet.unknown("list", filter, DocumentFilter.allCases.map(\.rawValue)))
    }
    let listings = try context.store.listDocuments(which, by: context.annotator, limit: limit)
    guard !listings.isEmpty else {
      context.say("no \(which == .all ? "" : which.rawValue + " ")documents")
      return
    }
    // One line per document: the title is cut to the room the other columns leave.
    let ids = listings.map { DisplayText.sanitized($0.externalID) }
    let room =
      context.width - 1 - (ids.map { DisplayText.width(of: $0) } + [2]).max()!
      - (listings.map(\.status.rawValue.count) + ["status".count]).max()! - 6
    let rows = zip(listings, ids).map { listing, id in
      [
        listing.id == context.document?.id ? "▶" : " ", id, listing.status.rawValue,
        DisplayText.truncated(DisplayText.sanitized(listing.title ?? ""), to: max(12, room)),
      ]
    }
    context.write(
      TextTable.render(
        headers: [" ", "id", "status", "title"], rows: rows, palette: context.palette,
        width: context.width))
  }
}

struct FindCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "find", abstract: "Search the corpus; 'open N' opens hit N.")

  @Argument(help: "Words to find (as a phrase).") var words: [String]

  func run(in context: ShellContext) throws {
    let hits = try context.store.search(words.joined(separator: " "), limit: 20)
    context.searchHits = hits
    guard !hits.isEmpty else {
      context.say("nothing found for \(AnnotationSet.quoted(words.joined(separator: " ")))")
      return
    }
    for (i, hit) in hits.enumerated() {
      var snippet = ""
      var marked = ""
      var inMatch = false
      for character in DisplayText.sanitized(hit.snippet.replacingOccurrences(of: "\n", with: " "))
      {
        if character == "␁" {
          inMatch = true
        } else if character == "␂" {
          snippet += context.palette.highlight(marked)
          marked = ""
          inMatch = false
        } else if inMatch {
          marked.append(character)
        } else {
          snippet.append(character)
        }
      }
      let number = "\(i + 1)  "
      context.say(
        TextWrap.wrap(
          number + "\(context.palette.bold(DisplayText.sanitized(hit.externalID)))  \(snippet)",
          width: context.width, indent: String(repeating: " ", count: number.count)
        ).joined(separator: "\n"))
    }
  }
}
