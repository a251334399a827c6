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
    abstract: "Set the document's sentiment, or span N's with 'sentiment VALUE N'.")

  @Argument(help: "negative, neutral or positive (the schema's scale).") var value: String
  @Argument(help: "A span number, for span sentiment.") var span: String?

  func run(in context: ShellContext) throws {
    _ = try context.requireDocument()
    let value = try context.value(
      self.value, in: context.schema.sentiment.values, kind: "sentiment")
    if let span {
      let entity = try context.entity(number: span)
      try context.set(
        .spanSentiment, range: entity.range, target: nil, value: value,
        summary: "sentiment \(value) on span \(context.quoted(entity.range))")
      context.say("span \(span) \(context.quoted(entity.range)): sentiment \(value)")
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
    abstract: "Set the stance toward a target, for the document or anchored to span N.")

  @Argument(help: "The target (a schema target or alias; ad-hoc targets if the schema allows).")
  var target: String
  @Argument(help: "favor, against or neutral (the schema's values).") var value: String
  @Argument(help: "A span number to anchor the stance to (e.g. a quote).") var span: String?

  func run(in context: ShellContext) throws {
    _ = try context.requireDocument()
    // NB: SQLite reads text back as a C string, so an ad-hoc target with U+0000 would come
    // back cut short (as an import refuses it, so does the shell).
    guard !self.target.unicodeScalars.contains("\u{0}") else {
      throw ShellError("the target contains U+0000 (NUL), which cannot be stored")
    }
    guard let target = context.schema.canonicalStanceTarget(self.target) else {
      let names = context.schema.stance.targets.flatMap { [$0.name] + $0.aliases }
      let hint =
        Suggestion.closest(to: self.target, in: names).map { "; did you mean '\($0)'?" } ?? ""
      throw ShellError(
        "unknown stance target '\(self.target)'\(hint) (this schema allows only \(context.schema.stance.targets.map(\.name).joined(separator: ", ")))"
      )
    }
    let value = try context.value(
      self.value, in: context.schema.stance.values, kind: "stance value")
    let range = try span.map { try context.entity(number: $0).range } ?? nil
    let anchor = range.map { " on \(context.quoted($0))" } ?? ""
    try context.set(
      .stance, range: range, target: target, value: value,
      summary: "stance \(target) \(value)\(anchor)")
    context.say("stance toward \(target): \(value)\(anchor)")
  }
}

struct LabelCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "label", abstract: "Set a document field, e.g. 'label topic diplomacy'.")

  @Argument(help: "The field (topic, urgency, ...).") var field: String
  @Argument(help: "Its value.") var value: String

  func run(in context: ShellContext) throws {
    _ = try context.requireDocument()
    guard
      let declared = context.schema.field(named: field)
        ?? context.schema.fields.first(where: { $0.name.lowercased() == field.lowercased() })
    else {
      throw ShellError(AnnotationSet.unknown("field", field, context.schema.fields.map(\.name)))
    }
    guard
      let value = declared.canonicalValue(value)
        ?? declared.values.first(where: { $0.lowercased() == value.lowercased() })
    else {
      throw ShellError(
        AnnotationSet.unknown("value of \(declared.name)", self.value, declared.values))
    }
    try context.set(
      .label, range: nil, target: declared.name, value: value,
      summary: "label \(declared.name) \(value)")
    context.say("\(declared.name): \(value)")
  }
}

struct NoteCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "note", abstract: "Add a note to the document, or to span N.")

  @Argument(help: "The note, in quotes.") var text: String
  @Argument(help: "A span number to anchor it to.") var span: String?

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    guard !text.unicodeScalars.contains("\u{0}") else {
      throw ShellError("the note contains U+0000 (NUL), which cannot be stored")
    }
    let range = try span.map { try context.entity(number: $0).range } ?? nil
    try context.apply(
      [.add(.note, range: range, value: text)], to: document.id, by: context.annotator,
      summary: "note \(AnnotationSet.quoted(text, limit: 30))")
    context.say("noted" + (range.map { " on \(context.quoted($0))" } ?? ""))
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
