import AnnoCore
import AnnoShell
import AnnoStore
import Foundation

/// The state of one shell: the session, the open document and what `show` numbered.
final class ShellContext {
  /// The database, schema and annotator.
  let session: Session
  /// Colours, or none.
  let palette: Palette
  /// Whether lines come from a person at a terminal.
  let isInteractive: Bool
  /// The terminal width.
  var width: Int
  /// Where output goes (standard output, or a transcript in tests).
  let write: (String) -> Void

  /// The open document.
  private(set) var document: StoredDocument?
  /// Its scalars.
  private(set) var text = ScalarText("")
  /// Its tokens and the locator over them.
  private(set) var locator = TextLocator(text: ScalarText(""), tokens: [])
  /// Hits of the last `find`, which `open N` can open.
  var searchHits: [SearchHit] = []
  /// The number of documents, cached for the prompt.
  private(set) var documentCount = 0
  /// Whether the shell is in review mode: edits then go to the gold version.
  var isReviewing = false
  /// Whether the reviewer may adjudicate documents they annotated themselves.
  var allowsSelfReview = false
  /// Whether suggestions are shown and offered.
  var suggestionsOn = true
  /// Which sources suggestions come from.
  var suggestionSource = SuggestionSource.all
  /// The engine, built on first use (`.some(nil)` when there is nothing to suggest from).
  private var engine: SuggestionEngine??
  /// Whether the engine includes the learned gazetteer (or the source needs none).
  private var engineIsComplete = false
  /// The learned gazetteer being built in the background (interactive shells only).
  private var learning: BackgroundGazetteer?

  /// The versions review mode last listed, by document, so `accept N` means what the
  /// reviewer saw even if another reviewer decided something in between.
  var listedVersions: (documentID: Int64, versions: [ReviewVersion])?

  /// Creates a context.
  init(
    session: Session, palette: Palette, isInteractive: Bool, width: Int,
    write: @escaping (String) -> Void
  ) throws {
    self.session = session
    self.palette = palette
    self.isInteractive = isInteractive
    self.width = width
    self.write = write
    documentCount = try session.store.documentCount()
  }

  var store: Store { session.store }
  var schema: LabelSchema { session.schema }
  var annotator: String { session.annotator }

  /// Writes a line.
  func say(_ line: String) { write(line + "\n") }

  /// Opens a document: loads its text and tokens.
  func open(_ stored: StoredDocument) {
    document = stored
    listedVersions = nil
    text = ScalarText(stored.document.text)
    locator = TextLocator(
      text: text, tokens: stored.document.tokens ?? Tokenizer().tokenize(scalars: text.scalars))
  }

  /// Forgets the suggestion engine, so the next use rebuilds it (after a source change).
  func invalidateSuggestions() {
    engine = nil
    learning = nil
  }

  /// Starts learning the gazetteer in the background, so suggestions from the team's labels
  /// are ready without a wait (interactive shells on a database file).
  func startLearningInBackground() {
    guard isInteractive, learning == nil, let path = store.path else { return }
    learning = BackgroundGazetteer(databasePath: path)
  }

  /// The engine, rebuilt when the background gazetteer becomes ready.
  private func currentEngine() throws -> SuggestionEngine? {
    if let engine, engineIsComplete { return engine }
    let wantsLearned = suggestionSource != .patterns
    var gazetteer: Gazetteer?
    var complete = true
    if wantsLearned {
      if let learning {
        if let ready = learning.current { gazetteer = ready } else { complete = false }
      } else {
        gazetteer = try SuggestionProvider.learnedGazetteer(store: store)
      }
    }
    if engine != nil && !complete { return engine ?? nil }
    let matcher =
      suggestionSource == .learned
      ? nil : try SuggestionProvider.patternMatcher(store: store, schema: schema)
    let built =
      matcher == nil && gazetteer == nil
      ? nil : SuggestionEngine(patterns: matcher, gazetteer: gazetteer)
    engine = .some(built)
    engineIsComplete = complete
    return built
  }

  /// Suggestions for the open document: not over any of the labels being edited, not
  /// rejected, sorted by start; none in review mode or when suggestions are off.
  func suggestions() throws -> [SpanSuggestion] {
    guard suggestionsOn, !isReviewing, let document else { return [] }
    guard let built = try currentEngine() else { return [] }
    let existing = try annotations().filter { $0.kind == .entity }.compactMap { a in
      a.range.map { EntitySpan(start: $0.lowerBound, end: $0.upperBound, label: a.value) }
    }
    let rejected = try store.rejectedSuggestions(documentID: document.id, annotator: labelOwner)
    return built.suggestions(text: text, tokens: locator.tokens, existing: existing).filter {
      !rejected.contains($0.span)
    }
  }

  /// Suggestion `sN` of the open document.
  func suggestion(_ word: String) throws -> SpanSuggestion {
    let all = try suggestions()
    guard word.hasPrefix("s"), let n = Int(word.dropFirst()), n >= 1, n <= all.count else {
      throw ShellError(
        all.isEmpty
          ? "there are no suggestions on this document"
          : "no suggestion \(word); they are numbered s1–s\(all.count) ('show suggestions' lists them)"
      )
    }
    return all[n - 1]
  }

  /// Refreshes cached counts after imports.
  func refreshCounts() throws {
    documentCount = try store.documentCount()
  }

  /// The open document, or an error telling how to open one.
  func requireDocument() throws -> StoredDocument {
    guard let document else {
      throw ShellError("no document is open; use 'next', 'open ID' or 'list'")
    }
    return document
  }

  /// Whose labels the shell shows and edits: the annotator's, or the gold version in review.
  var labelOwner: String { isReviewing ? Store.goldAnnotator : annotator }

  /// Applies edits to the labels the shell is editing (the gold version in review mode).
  @discardableResult
  func apply(_ edits: [Edit], to documentID: Int64, by actor: String, summary: String) throws
    -> Int64
  {
    let started = DispatchTime.now().uptimeNanoseconds
    defer { lastSaveMicroseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1000 }
    return try store.apply(
      edits, to: documentID, by: actor, onBehalfOf: isReviewing ? Store.goldAnnotator : nil,
      summary: summary)
  }

  /// How long the last durable save took (the write transaction, commit and fsync included),
  /// for `ANNO_TIMINGS`.
  var lastSaveMicroseconds: Double?

  /// The labels being edited on the open document (the annotator's, or gold in review).
  func annotations() throws -> [StoredAnnotation] {
    guard let document else { return [] }
    return try store.storedAnnotations(documentID: document.id, annotator: labelOwner)
  }

  /// This annotator's entity spans on the open document, in display order: `show` numbers
  /// them 1, 2, 3 in this order.
  func numberedEntities() throws -> [StoredAnnotation] {
    try annotations().filter { $0.kind == .entity }.sorted(by: ShellContext.displayOrder)
  }

  static func displayOrder(_ a: StoredAnnotation, _ b: StoredAnnotation) -> Bool {
    let ar = a.range ?? 0..<0
    let br = b.range ?? 0..<0
    return (ar.lowerBound, br.upperBound, a.value) < (br.lowerBound, ar.upperBound, b.value)
  }

  /// Entity span number `n` (as `show` numbers them).
  func entity(number word: String) throws -> StoredAnnotation {
    let entities = try numberedEntities()
    guard let n = Int(word.hasPrefix("#") ? String(word.dropFirst()) : word), n >= 1,
      n <= entities.count
    else {
      throw ShellError(
        entities.isEmpty
          ? "there are no spans on this document yet; tag one with 'tag LABEL \"text\"'"
          : "no span \(word); spans are numbered 1–\(entities.count) ('show spans' lists them)")
    }
    return entities[n - 1]
  }

  /// The text of a range, quoted for messages.
  func quoted(_ range: Range<Int>?) -> String {
    guard let range else { return "" }
    return AnnotationSet.quoted(text[range])
  }

  /// The prompt: annotator, document and progress, with colour escapes wrapped for readline.
  func prompt() -> String {
    let id = document?.document.externalID ?? "no document"
    if isReviewing {
      let work = try? store.openReviewWork()
      let open = "[\(work?.items ?? 0) open in \(work?.documents ?? 0) docs]"
      let plain = "review:\(annotator) · \(id) \(open) > "
      guard palette.isEnabled else { return plain }
      return
        "\u{1}\u{1B}[35m\u{2}review:\(annotator)\u{1}\u{1B}[0m\u{2} · \u{1}\u{1B}[1m\u{2}\(id)\u{1}\u{1B}[0m\u{2} \(open) > "
    }
    let done = (try? store.finishedCount(of: annotator)) ?? 0
    let plain = "\(annotator) · \(id) [\(done)/\(documentCount)] > "
    guard palette.isEnabled else { return plain }
    // NB: \u{1}…\u{2} tell readline the escapes take no columns.
    func wrap(_ code: String) -> String { "\u{1}\u{1B}[\(code)m\u{2}" }
    return wrap("36") + annotator + wrap("0") + " · " + wrap("1") + id + wrap("0") + " " + wrap("2")
      + "[\(done)/\(documentCount)]" + wrap("0") + " > "
  }
}

/// A shell command's failure, shown as `error: message` (or `line N: message`).
struct ShellError: Error, LocalizedError, CustomStringConvertible {
  var message: String
  init(_ message: String) { self.message = message }
  var errorDescription: String? { message }
  var description: String { message }
}
