import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser

extension ShellContext {
  /// A value of a declared list, any case, with a did-you-mean when it is not.
  func value(_ value: String, in allowed: [String], kind: String) throws -> String {
    if let exact = allowed.first(where: { $0 == value || $0.lowercased() == value.lowercased() }) {
      return exact
    }
    throw ShellError(AnnotationSet.unknown(kind, value, allowed))
  }

  /// Sets a single-valued annotation (document sentiment, a stance per target and anchor,
  /// a field, a span sentiment per range), replacing the one already there.
  func set(
    _ kind: AnnotationKind, range: Range<Int>?, target: String?, value: String, summary: String
  ) throws {
    let document = try requireDocument()
    let existing = try annotations().first {
      $0.kind == kind && $0.range == range && $0.target == target
    }
    if let existing, existing.value == value {
      say("already \(value)")
      return
    }
    let edit: Edit =
      existing.map { .update(id: $0.id, range: range, value: value) }
      ?? .add(kind, range: range, target: target, value: value)
    try apply([edit], to: document.id, by: annotator, summary: summary)
  }
}

struct SentimentCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "sentiment",
    abstract: "Set the document's sentiment, or span #N's with 'sentiment VALUE #N'.")

  @Argument(help: "negative, neutral or positive (the schema's scale).") var value: String
  @Argument(help: "A span id (#7, or ann2#4 for that range), for span sentiment.")
  var span: String?

  func run(in context: ShellContext) throws {
    _ = try context.requireDocument()
    let value = try context.value(
      self.value, in: context.schema.sentiment.values, kind: "sentiment")
    if let span {
      let found = try context.span(span, editing: false)
      let name = ShellContext.reference(found.span.localID, owner: found.owner)
      try context.set(
        .spanSentiment, range: found.range, target: nil, value: value,
        summary: "sentiment \(value) on \(name) \(context.quoted(found.range))")
      context.say("span \(name) \(context.quoted(found.range)): sentiment \(value)")
    } else {
      try context.set(
        .sentiment, range: nil, target: nil, value: value, summary: "sentiment \(value)")
      context.say("document sentiment: \(value)")
    }
  }
}

struct StanceCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "stance",
    abstract:
      "Set the stance toward a target, for the document or anchored to its evidence: a quote, a span, any selector.",
    discussion: """
      stance Russia against              the document's stance
      stance Russia against "buy time"   anchored to the quote that says it
      stance Russia against #7           anchored to span #7's range
      The evidence may be any selector of 'tag' (ann2#4, 120:180, t3-t9,
      /regex/) and is one range: a phrase that occurs more than once needs #N.
      TARGET is a schema target or alias, an admitted ad-hoc target or one
      you have used, in any case, with or without 'the'; a new ad-hoc target
      needs '+Name' or --new-target. 'neutral' is a stated balanced or mixed
      position; when the text takes no position, record nothing.
      """)

  @Argument(help: "The target; '+Name' creates a new ad-hoc target.") var target: String
  @Argument(help: "favor, against or neutral (the schema's values).") var value: String
  @Argument(parsing: .allUnrecognized, help: "The evidence: a quote, a span id or a selector.")
  var evidence: [String] = []
  @Flag(help: "Widen evidence that cuts a token to the whole tokens.") var snap = false
  @Flag(help: "Keep the evidence's exact characters, even inside tokens.") var chars = false
  @Flag(
    name: [.customShort("i"), .customLong("ignore-case")], help: "Match the quote in any case.")
  var ignoreCase = false
  @Flag(help: "Create TARGET as a new ad-hoc target when it is unknown.") var newTarget = false

  func run(in context: ShellContext) throws {
    _ = try context.requireDocument()
    let resolved = try context.stanceTarget(self.target, value: value, creating: newTarget)
    let target = resolved.name
    let value = try context.value(
      self.value, in: context.schema.stance.values, kind: "stance value")
    let range = try evidenceRange(in: context)
    let anchor = range.map { " on \(context.quoted($0)) \($0.lowerBound):\($0.upperBound)" } ?? ""
    try context.set(
      .stance, range: range, target: target, value: value,
      summary: "stance \(target) \(value)\(anchor)")
    var note = ""
    if resolved.source == .created {
      note = " (new target" + (resolved.resembles.map { "; close to '\($0)'" } ?? "") + ")"
    }
    context.say("stance toward \(DisplayText.sanitized(target))\(note): \(value)\(anchor)")
  }

  /// The one range the evidence words select, if any.
  func evidenceRange(in context: ShellContext) throws -> Range<Int>? {
    guard !(snap && chars) else { throw ShellError("give --snap or --chars, not both") }
    let words = Array(
      context.arguments(
        dropping: TagCommand.flags.union(["--new-target"]), fallback: [target, value] + evidence
      ).dropFirst(2))
    guard !words.isEmpty else { return nil }
    // A lone number names a span, as in 'untag 7'.
    if words.count == 1, !words[0].isQuoted,
      let reference = SpanReference(words[0].text, allowsBareNumber: true)
    {
      return try context.span(reference.description, editing: false).range
    }
    var selectors = try context.selectors(words)
    // A quote without #N must be unambiguous.
    if selectors.count == 1, case .text(let phrase, .firstUntagged) = selectors[0] {
      selectors = [.text(phrase, .all)]
      let options = TextLocator.Options(
        ignoresCase: ignoreCase, boundaries: chars ? .chars : snap ? .snap : .tokens)
      let found = try context.ranges(of: selectors, options: options).picks
      guard found.count == 1 else {
        throw ShellError(
          "\(AnnotationSet.quoted(phrase)) occurs \(found.count) times; add #1–#\(found.count) to say which is the evidence"
        )
      }
      return found[0].range
    }
    let options = TextLocator.Options(
      ignoresCase: ignoreCase, boundaries: chars ? .chars : snap ? .snap : .tokens)
    let found = try context.ranges(of: selectors, options: options).picks
    guard found.count == 1 else {
      throw ShellError(
        "the evidence must be one range, and \(words.map(\.text).joined(separator: " ")) selects \(found.count)"
      )
    }
    return found[0].range
  }
}

struct NoteCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "note",
    abstract: "Add a note to the document or to span #N; 'note delete nN' deletes one.",
    discussion: """
      note "check the quote"        a note on the document
      note "check the name" #7      a note on span #7's range
      note delete n2 n3             delete notes n2 and n3 ('notes' lists them)
      A note whose text is the word delete is written in quotes: note "delete".
      """)

  @Argument(help: "The note, in quotes (or 'delete' and note ids).") var words: [String]

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    let typed = context.arguments(dropping: [], fallback: words)
    if let first = typed.first, !first.isQuoted, first.text == "delete" {
      return try delete(Array(typed.dropFirst()), in: context)
    }
    guard let text = typed.first?.text, typed.count <= 2 else {
      throw ShellError(
        "put the note in quotes, then optionally a span: note \"check the quote\" #7")
    }
    guard !text.unicodeScalars.contains("\u{0}") else {
      throw ShellError("the note contains U+0000 (NUL), which cannot be stored")
    }
    let range = typed.count == 2 ? try context.span(typed[1].text, editing: false).range : nil
    try context.apply(
      [.add(.note, range: range, value: text)], to: document.id, by: context.annotator,
      summary: "note \(AnnotationSet.quoted(text, limit: 30))")
    let id = try context.notes().last { $0.value == text && $0.range == range }?.localID
    context.say(
      "noted n\(id.map(String.init) ?? "?")" + (range.map { " on \(context.quoted($0))" } ?? ""))
  }

  func delete(_ ids: [ShellWord], in context: ShellContext) throws {
    let document = try context.requireDocument()
    guard !ids.isEmpty else {
      throw ShellError("say which notes: note delete n2 ('notes' lists them)")
    }
    let notes = try context.notes()
    var chosen: [StoredAnnotation] = []
    for word in ids {
      let digits = word.text.hasPrefix("n") ? String(word.text.dropFirst()) : word.text
      guard let id = Int(digits).map({ LocalID($0) }),
        let note = notes.first(where: { $0.localID == id })
      else {
        let known = notes.compactMap(\.localID).map { "n\($0)" }
        throw ShellError(
          known.isEmpty
            ? "there are no notes \(context.whose) on this document"
            : "no note '\(word.text)' here; \(context.isReviewing ? "the gold version's" : "yours") are \(known.joined(separator: ", "))"
        )
      }
      if !chosen.contains(note) { chosen.append(note) }
    }
    try context.apply(
      chosen.map { .remove(id: $0.id) }, to: document.id, by: context.annotator,
      summary: "delete note "
        + chosen.map { "n\($0.localID ?? 0) \(AnnotationSet.quoted($0.value, limit: 30))" }
        .joined(separator: ", "))
    for note in chosen {
      context.say(
        "deleted note n\(note.localID ?? 0) \(DisplayText.sanitized(AnnotationSet.quoted(note.value, limit: 60)))"
      )
    }
  }
}

extension ShellContext {
  /// The notes being edited on the open document, by id.
  func notes() throws -> [StoredAnnotation] {
    try annotations().filter { $0.kind == .note }.sorted { ($0.localID ?? 0) < ($1.localID ?? 0) }
  }
}

struct NotesCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "notes", abstract: "List this document's notes with their ids.")

  func run(in context: ShellContext) throws {
    _ = try context.requireDocument()
    let notes = try context.notes()
    guard !notes.isEmpty else {
      context.say("no notes \(context.whose) on this document; 'note \"text\"' adds one")
      return
    }
    let rows = notes.map { note in
      [
        "n\(note.localID ?? 0)",
        note.range.map { "\(context.quoted($0)) \($0.lowerBound):\($0.upperBound)" } ?? "document",
        DisplayText.sanitized(note.value),
      ]
    }
    context.write(
      TextTable.render(headers: ["id", "on", "note"], rows: rows, palette: context.palette))
  }
}

struct FlagCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "flag", abstract: "Flag the document for review, with a reason.")

  @Argument(help: "Why, in quotes.") var reason: String

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    guard !reason.unicodeScalars.contains("\u{0}") else {
      throw ShellError("the reason contains U+0000 (NUL), which cannot be stored")
    }
    try context.apply(
      [.setStatus(.flagged, flagReason: reason)], to: document.id, by: context.annotator,
      summary: "flag \(AnnotationSet.quoted(reason, limit: 30))")
    context.say("flagged: \(DisplayText.sanitized(reason))")
  }
}

struct DoneCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "done",
    abstract: "Finish this document (in review: its gold version) and open the next.")

  @Flag(help: "In review, finish even with disagreements still open.") var force = false

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    if context.isReviewing {
      let open = try context.store.review(of: document.id).openItems.count
      guard open == 0 || force else {
        throw ShellError(
          "\(open) disagreement\(open == 1 ? " is" : "s are") still open here; accept or reject them, or 'done --force'"
        )
      }
    }
    try context.apply(
      [.setStatus(.done, flagReason: nil)], to: document.id, by: context.annotator, summary: "done")
    context.say("done: \(DisplayText.sanitized(document.document.externalID))")
    try NextCommand().run(in: context)
  }
}

struct SkipCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "skip", abstract: "Skip this document and open the next.")

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    try context.apply(
      [.setStatus(.skipped, flagReason: nil)], to: document.id, by: context.annotator,
      summary: "skip")
    context.say("skipped: \(DisplayText.sanitized(document.document.externalID))")
    try NextCommand().run(in: context)
  }
}
