import AnnoCore
import AnnoPipeline
import AnnoShell
import AnnoStore
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

/// Rendering of the open document for `show`.
enum DocumentView {
  static func header(_ context: ShellContext) throws -> String {
    guard let document = context.document else { return "" }
    let p = context.palette
    var out = p.bold(DisplayText.sanitized(document.document.externalID))
    if let title = document.document.title { out += " — " + DisplayText.sanitized(title) }
    out += "\n"
    let status = try context.store.status(documentID: document.id, annotator: context.labelOwner)
    var facts = [
      "status: \(status.status.rawValue)"
        + (status.flagReason.map { " (\(DisplayText.sanitized($0)))" } ?? "")
    ]
    let annotations = try context.annotations()
    if let sentiment = annotations.first(where: { $0.kind == .sentiment }) {
      facts.append("sentiment: \(sentiment.value)")
    }
    let stances = annotations.filter { $0.kind == .stance }
    let documentStances = stances.filter { $0.range == nil }.map { stance in
      "\(DisplayText.sanitized(stance.target ?? ""))=\(stance.value)"
    }
    if !documentStances.isEmpty {
      facts.append("stance: " + documentStances.joined(separator: ", "))
    }
    for field in context.schema.fields {
      if let label = annotations.first(where: { $0.kind == .label && $0.target == field.name }) {
        facts.append("\(field.name): \(label.value)")
      }
      let chosen = annotations.filter { $0.kind == .choice && $0.target == field.name }
      if !chosen.isEmpty {
        facts.append(
          "\(field.name): " + field.declaredOrder(chosen.map(\.value)).joined(separator: ", "))
      }
    }
    let notes = annotations.filter { $0.kind == .note }.count
    if notes > 0 { facts.append("notes: \(notes) ('notes' lists them)") }
    out += p.dim(facts.joined(separator: " · ")) + "\n"
    // Stances anchored to their evidence, one line each.
    for stance in stances {
      guard let range = stance.range else { continue }
      out +=
        p.dim(
          "stance: \(DisplayText.sanitized(stance.target ?? ""))=\(stance.value), evidence "
            + "\(DisplayText.sanitized(AnnotationSet.quoted(context.text[range], limit: 60))) \(range.lowerBound):\(range.upperBound)"
        ) + "\n"
    }
    return out + "\n"
  }

  /// `3` or `3-5`: paragraph numbers.
  static func paragraphRange(_ word: String) -> ClosedRange<Int>? {
    let bounds = word.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
    guard (1...2).contains(bounds.count), let first = bounds[0], let last = bounds[bounds.count - 1]
    else { return nil }
    return first <= last ? first...last : nil
  }

  /// `show N-M`: a line saying where these paragraphs are, then the paragraphs.
  static func showParagraphs(_ range: ClosedRange<Int>, everyone: Bool, in context: ShellContext)
    throws
  {
    guard let document = context.document else { return }
    let paragraphs = try drawnParagraphs(context, everyone: everyone)
    guard range.lowerBound >= 1, range.upperBound <= paragraphs.count else {
      throw ShellError(
        paragraphs.count == 1
          ? "this document has one paragraph; 'show' shows it"
          : "this document has paragraphs 1 to \(paragraphs.count); 'show 1-\(min(3, paragraphs.count))' shows the first ones"
      )
    }
    let which =
      range.count == 1
      ? "paragraph \(range.lowerBound)" : "paragraphs \(range.lowerBound)–\(range.upperBound)"
    context.say(
      context.palette.dim(
        "\(DisplayText.sanitized(document.document.externalID)): \(which) of \(paragraphs.count)"))
    context.write(join(paragraphs, range, in: context))
  }

  static func join(_ paragraphs: [String], _ range: ClosedRange<Int>, in context: ShellContext)
    -> String
  {
    DocumentRenderer.join(paragraphs, range, palette: context.palette)
  }

  /// What opening a document shows at a terminal: the header and the paragraphs that fit on
  /// the screen, and, when some do not, how to see the rest.
  ///
  /// - Parameter reserved: the lines the rest of the screen needs (the prompt, lines printed
  ///   with the preview).
  static func preview(_ context: ShellContext, reserving reserved: Int = 2) throws -> String {
    let header = try header(context)
    let paragraphs = try drawnParagraphs(context, everyone: false)
    guard let height = context.height, !paragraphs.isEmpty else {
      return header + join(paragraphs, 1...max(1, paragraphs.count), in: context)
    }
    func lines(_ text: String) -> Int { TerminalOutput.height(of: text, columns: context.width) }
    func note(_ shown: Int) -> String {
      let next = "\(shown + 1)-\(min(paragraphs.count, 2 * shown))"
      return context.palette.dim(
        "(paragraphs 1–\(shown) of \(paragraphs.count); 'show' pages them all, 'show \(next)' the next)"
      ) + "\n"
    }
    var room = height - reserved - lines(header) - lines(note(paragraphs.count))
    var shown = 0
    for paragraph in paragraphs {
      let needed = lines(paragraph) + (shown > 0 ? 1 : 0)
      guard needed <= room else { break }
      room -= needed
      shown += 1
    }
    guard shown > 0 else {
      return header
        + context.palette.dim(
          "(\(paragraphs.count) paragraph\(paragraphs.count == 1 ? "" : "s"); 'show' pages them, 'show 1-3' prints the first)"
        ) + "\n"
    }
    return header + join(paragraphs, 1...shown, in: context)
      + (shown < paragraphs.count ? note(shown) : "")
  }

  static func body(_ context: ShellContext, everyone: Bool) throws -> String {
    let paragraphs = try drawnParagraphs(context, everyone: everyone)
    return paragraphs.isEmpty ? "" : join(paragraphs, 1...paragraphs.count, in: context)
  }

  /// The open document drawn paragraph by paragraph, with the annotator's spans and
  /// suggestions, or every annotator's spans.
  static func drawnParagraphs(_ context: ShellContext, everyone: Bool) throws -> [String] {
    guard let document = context.document else { return [] }
    var spans: [RenderedSpan] = []
    func draw(_ entity: StoredAnnotation, owner: String?) {
      guard let range = entity.range else { return }
      spans.append(
        RenderedSpan(
          range: range, label: entity.value,
          number: (owner == nil ? "" : "@") + ShellContext.reference(entity.localID, owner: owner),
          color: context.schema.entityLabel(named: entity.value)?.color))
    }
    if everyone {
      // Yours as #N, everyone else's as @name#N: the names untag and the others take.
      for (name, annotations) in try context.store.allAnnotations(documentID: document.id).sorted(
        by: { $0.key < $1.key })
      {
        for entity in annotations.filter({ $0.kind == .entity }).sorted(
          by: ShellContext.displayOrder)
        {
          draw(entity, owner: name == context.labelOwner ? nil : name)
        }
      }
    } else {
      for entity in try context.spans() { draw(entity, owner: nil) }
      for (i, suggestion) in try context.suggestions().enumerated() {
        spans.append(
          RenderedSpan(
            range: suggestion.range, label: suggestion.label, number: "s\(i + 1)",
            color: context.schema.entityLabel(named: suggestion.label)?.color, isSuggestion: true))
      }
    }
    return DocumentRenderer.paragraphs(
      text: context.text, spans: spans, width: context.width, palette: context.palette)
  }

  static func tokens(_ context: ShellContext) -> String {
    let pieces = context.locator.wordTokens.enumerated().map { i, token in
      context.palette.dim("t\(i):") + DisplayText.sanitized(context.text[token.range])
    }
    var out = ""
    var line = ""
    for piece in pieces {
      if !line.isEmpty
        && DisplayText.width(of: line) + 1 + DisplayText.width(of: piece) > context.width
      {
        out += line + "\n"
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + piece
    }
    return out + (line.isEmpty ? "" : line + "\n")
  }

  static func suggestionTable(_ context: ShellContext) throws -> String {
    let rows = try context.suggestions().enumerated().map { i, suggestion in
      [
        "s\(i + 1)", suggestion.label,
        "\(suggestion.range.lowerBound):\(suggestion.range.upperBound)",
        DisplayText.sanitized(AnnotationSet.quoted(context.text[suggestion.range], limit: 40)),
        SuggestionProvider.describe(suggestion),
      ]
    }
    guard !rows.isEmpty else {
      return context.suggestionsOn
        ? "no suggestions here\n" : "suggestions are off ('suggest on' turns them on)\n"
    }
    return TextTable.render(
      headers: ["#", "label", "offsets", "text", "source"], rows: rows, palette: context.palette,
      width: context.width)
      + context.palette.dim("accept sN · accept all · accept LABEL · reject sN · reject all") + "\n"
  }

  static func spanTable(_ context: ShellContext) throws -> String {
    let annotations = try context.annotations()
    let sentiments = annotations.filter { $0.kind == .spanSentiment }
    let stances = annotations.filter { $0.kind == .stance && $0.range != nil }
    let rows = try context.spans().map { entity -> [String] in
      let range = entity.range ?? 0..<0
      let sentiment = sentiments.first { $0.range == range }?.value ?? ""
      let stance = stances.filter { $0.range == range }.map { "\($0.target ?? "")=\($0.value)" }
        .joined(separator: ", ")
      return [
        ShellContext.reference(entity.localID, owner: nil), entity.value,
        "\(range.lowerBound):\(range.upperBound)",
        DisplayText.sanitized(AnnotationSet.quoted(context.text[range], limit: 40)), sentiment,
        stance,
      ]
    }
    guard !rows.isEmpty else { return "no spans yet; tag one with 'tag LABEL \"text\"'\n" }
    return TextTable.render(
      headers: ["#", "label", "offsets", "text", "sentiment", "stance"], rows: rows,
      palette: context.palette, width: context.width)
  }
}

/// Opens a document and announces it: the whole view at a terminal, one line in scripts.
func present(_ stored: StoredDocument, in context: ShellContext) throws {
  if context.isReviewing {
    try ReviewView.checkReviewable(stored, in: context)
    // What every finished annotator agrees on goes to the gold version as the reviewer opens
    // the document (auto:unanimous), so only disagreements are left to decide.
    _ = try context.store.settleUnanimousItems(documentID: stored.id)
  }
  context.open(stored)
  if context.isReviewing {
    // Number the versions now, so 'accept N' means this list even if someone decides meanwhile.
    context.listedVersions = (
      stored.id, ReviewView.versions(try context.store.review(of: stored.id))
    )
  }
  if context.isInteractive {
    guard context.isReviewing else {
      context.write(try DocumentView.preview(context))
      return
    }
    // The numbered versions 'accept N' refers to stay on the screen, below what fits of the text.
    let table = try ReviewView.disagreements(context)
    context.write(
      try DocumentView.preview(
        context,
        reserving: 2 + TerminalOutput.height(of: table, columns: context.width)))
    context.writeBelow(table)
  } else {
    context.say("opened \(DisplayText.sanitized(stored.document.externalID))")
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
    if let stored = try context.store.document(externalID: id) {
      try present(stored, in: context)
      return
    }
    if let n = Int(id), n >= 1, n <= context.searchHits.count,
      let stored = try context.store.document(externalID: context.searchHits[n - 1].externalID)
    {
      try present(stored, in: context)
      return
    }
    let close = try context.store.documentIDs(withPrefix: String(id.prefix(3)), limit: 200)
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
