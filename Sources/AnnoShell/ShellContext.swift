import AnnoCore
import AnnoPipeline
import AnnoStore
import AnnoSuggest
import Foundation

/// The state of one shell: the session, the open document and what `show` numbered.
package final class ShellContext {
  /// The database, schema and annotator.
  package let session: any AnnotationSession
  /// Colours, or none.
  package let palette: Palette
  /// Whether lines come from a person at a terminal.
  package let isInteractive: Bool
  /// The width output is wrapped to, measured afresh at each use: the terminal's, which may
  /// change between two commands (a resize).
  package var width: Int { measureWidth() }
  private let measureWidth: () -> Int
  /// The terminal's height in lines, measured afresh; `nil` when output is not a terminal.
  package var height: Int? { measureHeight() }
  private let measureHeight: () -> Int?
  /// Where output goes (standard output, or a transcript in tests).
  package let write: (String) -> Void
  /// Writes out what `write` holds back (before a command writes to the terminal itself).
  package var flushOutput: () -> Void = {}
  /// Where `writeBelow` goes at a terminal; `nil` for `write`.
  package var belowOutput: ((String) -> Void)?

  /// Writes what must stay on the screen when the command's output is paged (the numbered
  /// versions of review): after the pager closes, or after the rest of the output.
  package func writeBelow(_ text: String) { (belowOutput ?? write)(text) }
  /// What to say after the pager closes on this command's output, if anything (a command
  /// sets it; the shell clears it before each command).
  package var hintAfterPaging: String?

  /// The open document.
  package private(set) var document: StoredDocument?
  /// Its scalars.
  package private(set) var text = ScalarText("")
  /// Its content hash when it was opened: edits are refused once the stored text differs.
  package private(set) var textHash = ""
  /// Its tokens and the locator over them.
  package private(set) var locator = TextLocator(text: ScalarText(""), tokens: [])
  /// Hits of the last `find`, which `open N` can open.
  package var searchHits: [SearchHit] = []
  /// The words of the line being run, with what was quoted (set while a command runs).
  package var lineWords: [ShellWord] = []
  /// The number of documents, cached for the prompt.
  package private(set) var documentCount = 0
  /// Whether the shell is in review mode: edits then go to the gold version.
  package var isReviewing = false
  /// Whether the reviewer may adjudicate documents they annotated themselves.
  package var allowsSelfReview = false
  /// Whether suggestions are shown and offered (the annotator's last choice, kept in the store).
  package var suggestionsOn = true
  /// Which sources suggestions come from (likewise kept).
  package var suggestionSource = SuggestionSource.all
  /// The engine, built on first use (`.some(nil)` when there is nothing to suggest from).
  private var engine: SuggestionEngine??
  /// Whether the engine includes the learned gazetteer (or the source needs none).
  private var engineIsComplete = false
  /// The learned gazetteer being built in the background (interactive shells only).
  private var learning: BackgroundGazetteer?

  /// The versions review mode last listed, by document, so `accept N` means what the
  /// reviewer saw even if another reviewer decided something in between.
  package var listedVersions: (documentID: DocumentID, versions: [ReviewVersion])?

  /// Creates a context whose output has a fixed width and no terminal.
  package convenience init(
    session: any AnnotationSession, palette: Palette, isInteractive: Bool, width: Int,
    write: @escaping (String) -> Void
  ) throws {
    try self.init(
      session: session, palette: palette, isInteractive: isInteractive,
      measureWidth: { width }, measureHeight: { nil }, write: write)
  }

  /// Creates a context.
  ///
  /// - Parameters:
  ///   - measureWidth: the width to wrap to, asked at every use.
  ///   - measureHeight: the terminal's height, asked at every use (`nil`: not a terminal).
  package init(
    session: any AnnotationSession, palette: Palette, isInteractive: Bool,
    measureWidth: @escaping () -> Int, measureHeight: @escaping () -> Int?,
    write: @escaping (String) -> Void
  ) throws {
    self.session = session
    self.palette = palette
    self.isInteractive = isInteractive
    self.measureWidth = measureWidth
    self.measureHeight = measureHeight
    self.write = write
    documentCount = try session.store.documentCount()
    suggestionsOn = try session.store.setting(Self.suggestSetting, of: session.annotator) != "off"
    if let source = try session.store.setting(Self.suggestSourceSetting, of: session.annotator)
      .flatMap(SuggestionSource.init(rawValue:))
    {
      suggestionSource = source
    }
  }

  /// The names `suggest on|off` and `suggest --source` keep their choice under, per annotator.
  package static let suggestSetting = "suggest"
  package static let suggestSourceSetting = "suggest-source"

  package var store: Store { session.store }
  /// The user's place in the study, read afresh (another process may change the team).
  package func access() throws -> StudyAccess { try StudyAccess(session: session) }

  /// Refuses `what` on the open document while the study hides colleagues' labels on it.
  package func requireMayReadOthers(for what: String) throws {
    let document = try requireDocument()
    try access().requireFinished(
      document.id, externalID: document.document.externalID, store: store, for: what)
  }
  package var schema: LabelSchema { session.schema }
  package var annotator: String { session.annotator }

  /// Writes a line.
  package func say(_ line: String) { write(line + "\n") }

  /// Opens a document: loads its text and tokens.
  package func open(_ stored: StoredDocument) {
    document = stored
    listedVersions = nil
    text = ScalarText(stored.document.text)
    textHash = stored.document.contentHash
    locator = TextLocator(
      text: text, tokens: stored.document.tokens ?? Tokenizer().tokenize(scalars: text.scalars))
  }

  /// Forgets the suggestion engine, so the next use rebuilds it (after a source change).
  package func invalidateSuggestions() {
    engine = nil
    scopedEngine = nil
    learning = nil
  }

  /// Starts learning the gazetteer in the background, so suggestions from the team's labels
  /// are ready without a wait (interactive shells on a database file).
  package func startLearningInBackground() {
    guard isInteractive, learning == nil, let path = store.path else { return }
    learning = BackgroundGazetteer(databasePath: path)
  }

  /// The engine for a study that limits what suggestions learn from, by scope.
  private var scopedEngine: (scope: LearningScope, engine: SuggestionEngine?)?

  /// The engine for the open document: from the team's labels, or, in a blind study, from
  /// what the annotator may see (rebuilt per document).
  private func currentEngine() throws -> SuggestionEngine? {
    guard let document else { return nil }
    let scope = try access().learningScope(on: document.id, store: store)
    if scope == .team { return try teamEngine() }
    if let scopedEngine, scopedEngine.scope == scope { return scopedEngine.engine }
    var gazetteer: Gazetteer?
    if suggestionSource != .patterns {
      let entries: [Gazetteer.Entry]
      switch scope {
      case .own(let id):
        entries = try store.ownLearnedEntries(of: annotator, hidingGoldOf: id)
      case .shared(let id):
        entries = try store.sharedLearnedEntries(for: annotator, hidingOthersOn: id)
      case .team:
        entries = []
      }
      gazetteer = entries.isEmpty ? nil : Gazetteer(entries: entries)
    }
    let matcher =
      suggestionSource == .learned
      ? nil : try SuggestionProvider.patternMatcher(store: store, schema: schema)
    let built =
      matcher == nil && gazetteer == nil
      ? nil : SuggestionEngine(patterns: matcher, gazetteer: gazetteer)
    scopedEngine = (scope, built)
    return built
  }

  /// The engine learned from every annotator's labels, rebuilt when the background gazetteer
  /// becomes ready.
  private func teamEngine() throws -> SuggestionEngine? {
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
  package func suggestions() throws -> [SpanSuggestion] {
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
  package func suggestion(_ word: String) throws -> SpanSuggestion {
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
  package func refreshCounts() throws {
    documentCount = try store.documentCount()
  }

  /// The open document, or an error telling how to open one.
  package func requireDocument() throws -> StoredDocument {
    guard let document else {
      throw ShellError("no document is open; use 'next', 'open ID' or 'list'")
    }
    return document
  }

  /// Whose labels the shell shows and edits: the annotator's, or the gold version in review.
  package var labelOwner: String { isReviewing ? Store.goldAnnotator : annotator }

  /// Applies edits to the labels the shell is editing (the gold version in review mode).
  @discardableResult
  package func apply(_ edits: [Edit], to documentID: DocumentID, by actor: String, summary: String)
    throws
    -> Int64
  {
    try apply(edits, to: documentID, by: actor) { _ in summary }
  }

  /// `apply`, with the summary made from the short ids the new spans get.
  @discardableResult
  package func apply(
    _ edits: [Edit], to documentID: DocumentID, by actor: String, summarize: ([LocalID]) -> String
  ) throws -> Int64 {
    let started = DispatchTime.now().uptimeNanoseconds
    defer { lastSaveMicroseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1000 }
    return try store.apply(
      edits, to: documentID, by: actor, onBehalfOf: isReviewing ? Store.goldAnnotator : nil,
      madeOn: documentID == document?.id ? textHash : nil, summarize: summarize)
  }

  /// How long the last durable save took (the write transaction, commit and fsync included),
  /// for `ANNO_TIMINGS`.
  package var lastSaveMicroseconds: Double?

  /// The labels being edited on the open document (the annotator's, or gold in review).
  package func annotations() throws -> [StoredAnnotation] {
    guard let document else { return [] }
    return try store.storedAnnotations(documentID: document.id, annotator: labelOwner)
  }

  /// The entity spans being edited on the open document (yours, or gold in review), in
  /// text order.
  package func spans() throws -> [StoredAnnotation] {
    try annotations().filter { $0.kind == .entity }.sorted(by: ShellContext.displayOrder)
  }

  /// How commands refer to the spans being edited on the open document, with the span each
  /// names: their short ids (`#1`, `#4`, …) in id order. What `untag`, `relabel`, `extend`,
  /// `sentiment` and `stance` take, and what Tab offers (and lists) where a span goes.
  package func spanReferences() throws -> [(reference: String, span: StoredAnnotation)] {
    try spans().compactMap { span in span.localID.map { (id: $0, span: span) } }
      .sorted { $0.id < $1.id }.map { ("#\($0.id)", $0.span) }
  }

  /// Text order: by start, the longer first, then by label.
  package static func displayOrder(_ a: StoredAnnotation, _ b: StoredAnnotation) -> Bool {
    let ar = a.range ?? 0..<0
    let br = b.range ?? 0..<0
    return (ar.lowerBound, br.upperBound, a.value, a.localID ?? 0)
      < (br.lowerBound, ar.upperBound, b.value, b.localID ?? 0)
  }

  /// A span found by reference, and whose it is (`nil`: the labels being edited).
  package struct ReferencedSpan {
    package var span: StoredAnnotation
    package var owner: String?
    package var range: Range<Int> { span.range ?? 0..<0 }
  }

  /// The spans a reference names: the labels being edited (`#7`, `#5-#8`), or another
  /// annotator's, read-only (`ann2#4`).
  ///
  /// - Parameter editing: whether the command changes them; another annotator's span is
  ///   then refused.
  package func spans(_ reference: SpanReference, editing: Bool) throws -> [ReferencedSpan] {
    let document = try requireDocument()
    var owner = reference.annotator
    if owner == labelOwner { owner = nil }
    let pool: [StoredAnnotation]
    if let owner {
      if editing {
        throw ShellError(
          "\(reference) is \(DisplayText.sanitized(owner))'s span, which you can read but not change; "
            + (isReviewing
              ? "in review you edit the gold version (#N), or 'accept \(reference)'"
              : "your own spans are #N ('tag LABEL \(reference)' tags its text as yours)"))
      }
      if !isReviewing { try requireMayReadOthers(for: "'\(reference)'") }
      let everyone = try store.allAnnotations(documentID: document.id)
      guard let theirs = everyone[owner] else {
        let names = everyone.keys.filter { $0 != labelOwner }.sorted()
        throw ShellError(
          names.isEmpty
            ? "nobody else has labels on this document, so there is no \(reference)"
            : AnnotationSet.unknown("annotator on this document", owner, names))
      }
      pool = theirs.filter { $0.kind == .entity }
    } else {
      pool = try spans()
    }
    let found = pool.filter { $0.localID.map(reference.ids.contains) ?? false }
      .sorted { ($0.localID ?? 0) < ($1.localID ?? 0) }
    guard !found.isEmpty else {
      let whose = owner.map { "\(DisplayText.sanitized($0)) has" } ?? "you have"
      let ids = pool.compactMap(\.localID).sorted()
      throw ShellError(
        ids.isEmpty
          ? (owner == nil
            ? "there are no spans on this document yet; tag one with 'tag LABEL \"text\"'"
            : "\(whose) no spans on this document")
          : "no span \(reference) here; \(whose) \(Self.idList(ids, prefix: owner ?? "")) ('show spans' lists \(owner == nil ? "yours" : "them with --all"))"
      )
    }
    return found.map { ReferencedSpan(span: $0, owner: owner) }
  }

  /// Ids as a short list: `#1, #2, #5` or `#1–#40 (32 spans)`.
  package static func idList(_ ids: [LocalID], prefix: String = "") -> String {
    if ids.count <= 6 { return ids.map { "\(prefix)#\($0)" }.joined(separator: ", ") }
    return "\(prefix)#\(ids[0])–#\(ids[ids.count - 1]) (\(ids.count) spans)"
  }

  /// The one span a word names (`#7`, `7`, `ann2#4`).
  package func span(_ word: String, editing: Bool) throws -> ReferencedSpan {
    guard let reference = SpanReference(word, allowsBareNumber: true) else {
      throw ShellError(
        "'\(word)' is not a span; write its id: #7 (or ann2#4 for another annotator's)")
    }
    let found = try spans(reference, editing: editing)
    guard found.count == 1 else {
      throw ShellError("\(reference) names \(found.count) spans; give one")
    }
    return found[0]
  }

  /// The words after the command name, as typed, without these flags (when unquoted); or,
  /// for a command not run from a line, `fallback` as unquoted words.
  package func arguments(dropping flags: Set<String>, fallback: [String]) -> [ShellWord] {
    guard !lineWords.isEmpty else { return fallback.map { ShellWord($0) } }
    return lineWords.dropFirst().filter { $0.isQuoted || !flags.contains($0.text) }
  }

  /// How a span is named: `#7` for the labels being edited, `ann2#4` for another annotator's.
  package static func reference(_ id: LocalID?, owner: String?) -> String {
    "\(owner.map(DisplayText.sanitized) ?? "")#\(id.map(\.description) ?? "?")"
  }

  /// A span as the shell draws it everywhere: `[John Kerry]PER#7 0:10`, and another
  /// annotator's `[John Kerry]PER@ann2#4 0:10`.
  package func describe(_ range: Range<Int>, label: String, id: LocalID?, owner: String? = nil)
    -> String
  {
    let name = (owner == nil ? "" : "@") + Self.reference(id, owner: owner)
    return
      "[\(DisplayText.sanitized(text[range]))]\(palette.color(label + name, schema.entityLabel(named: label)?.color)) \(range.lowerBound):\(range.upperBound)"
  }

  /// `describe` for a stored span.
  package func describe(_ span: StoredAnnotation, owner: String? = nil) -> String {
    describe(span.range ?? 0..<0, label: span.value, id: span.localID, owner: owner)
  }

  /// The stance target `typed` names, resolved by `StanceTargets` against the schema and this
  /// annotator's own ad-hoc targets (annotators work blind, so not against colleagues').
  /// `+Name` or `creating` makes a new ad-hoc target; anything else unknown is an error with a
  /// did-you-mean. `value` is only for the message when `typed` is a bare article.
  package func stanceTarget(_ typed: String, value: String, creating: Bool) throws
    -> ResolvedStanceTarget
  {
    let written = typed.hasPrefix("+") ? String(typed.dropFirst()) : typed
    if ["the", "a", "an"].contains(written.lowercased()) {
      throw ShellError(
        "'\(written)' is an article: leave it out or quote the whole target (stance \"\(written) \(value)\" …)"
      )
    }
    let targets = StanceTargets(
      schema: schema, inUse: try store.stanceTargetsInUse(by: annotator).map(\.target))
    do {
      return try targets.resolve(written, creating: creating || typed.hasPrefix("+"))
    } catch {
      throw ShellError(error.message)
    }
  }

  /// The text of a range, quoted for messages.
  package func quoted(_ range: Range<Int>?) -> String {
    guard let range else { return "" }
    return AnnotationSet.quoted(text[range])
  }

  /// The prompt: annotator, document and progress, with colour escapes wrapped for readline.
  package func prompt() -> String {
    let id = document?.document.externalID.rawValue ?? "no document"
    if isReviewing {
      let work = try? store.openReviewWork()
      let open = "[\(work?.items ?? 0) open in \(work?.documents ?? 0) docs]"
      let plain = "review:\(annotator) · \(id) \(open) > "
      guard palette.isEnabled else { return plain }
      return
        "\u{1}\u{1B}[35m\u{2}review:\(annotator)\u{1}\u{1B}[0m\u{2} · \u{1}\u{1B}[1m\u{2}\(id)\u{1}\u{1B}[0m\u{2} \(open) > "
    }
    // In a study the progress is through the annotator's own queue, else through the corpus.
    let progress =
      (try? store.queueProgress(of: annotator)).flatMap { $0 }
      ?? QueueProgress(done: (try? store.finishedCount(of: annotator)) ?? 0, total: documentCount)
    let done = progress.done
    let total = progress.total
    let blind = (try? access().promptMark).flatMap { $0 }.map { " (\($0))" } ?? ""
    let plain = "\(annotator)\(blind) · \(id) [\(done)/\(total)] > "
    guard palette.isEnabled else { return plain }
    // NB: \u{1}…\u{2} tell readline the escapes take no columns.
    func wrap(_ code: String) -> String { "\u{1}\u{1B}[\(code)m\u{2}" }
    return wrap("36") + annotator + wrap("0") + blind + " · " + wrap("1") + id + wrap("0") + " "
      + wrap("2")
      + "[\(done)/\(total)]" + wrap("0") + " > "
  }
}

/// A command's refusal: a ``CommandFailure`` with exit status 1, shown as `error: message`
/// at the prompt, `line N: message` in a script and `Error: message` on the command line.
package typealias ShellError = CommandFailure
