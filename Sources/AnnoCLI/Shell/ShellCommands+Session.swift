import AnnoCore
import AnnoFormats
import AnnoPipeline
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

/// After an undo or redo, re-reads the open document and says what happened.
private func announce(_ reversal: Reversal?, verb: String, in context: ShellContext) throws {
  guard let reversal else {
    context.say("nothing to \(verb)")
    return
  }
  var line = "\(verb == "undo" ? "undone" : "redone"): \(DisplayText.sanitized(reversal.summary))"
  if let id = reversal.documentExternalID, id != context.document?.document.externalID {
    line += " (on \(DisplayText.sanitized(id)); 'open \(DisplayText.sanitized(id))' to see it)"
  }
  context.say(line)
  if !reversal.skipped.isEmpty {
    let documents = Set(reversal.skipped.map(\.documentExternalID)).sorted()
    context.say(
      "  passed over \(reversal.skipped.count) newer step\(reversal.skipped.count == 1 ? "" : "s") made on an earlier text of "
        + documents.prefix(3).map { "'\(DisplayText.sanitized($0))'" }.joined(separator: ", ")
        + " (replaced since by import --replace); they no longer apply")
  }
}

struct UndoCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "undo",
    abstract: "Undo your last change, on any document, even from an earlier session.")
  func run(in context: ShellContext) throws {
    try announce(try context.store.undo(by: context.annotator), verb: "undo", in: context)
  }
}

struct RedoCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "redo", abstract: "Redo what you last undid.")
  func run(in context: ShellContext) throws {
    try announce(try context.store.redo(by: context.annotator), verb: "redo", in: context)
  }
}

struct HistoryCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "history", abstract: "List your recent changes.")
  @Argument(help: "How many.") var count = 20

  func run(in context: ShellContext) throws {
    let entries = try context.store.history(of: context.annotator, limit: count)
    guard !entries.isEmpty else {
      context.say("no changes yet")
      return
    }
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    let rows = entries.map { entry in
      [
        String(entry.id), formatter.string(from: Date(timeIntervalSince1970: entry.time)),
        entry.action,
        DisplayText.sanitized(entry.documentExternalID ?? ""), DisplayText.sanitized(entry.summary),
      ]
    }
    context.write(
      TextTable.render(
        headers: ["#", "when", "action", "document", "change"], rows: rows,
        palette: context.palette, width: context.width
      ))
  }
}

struct CompareCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Show where another annotator's labels differ from yours on this document.")
  @Argument(help: "The other annotator.") var other: String

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    try context.requireMayReadOthers(for: "'compare'")
    let everyone = try context.store.allAnnotations(documentID: document.id)
    guard let theirs = everyone[other] else {
      let names = everyone.keys.filter { $0 != context.annotator }.sorted()
      throw ShellError(
        names.isEmpty
          ? "nobody else has annotated this document"
          : AnnotationSet.unknown("annotator", other, names))
    }
    let mine = everyone[context.annotator] ?? []
    func key(_ a: StoredAnnotation) -> String {
      "\(a.kind.rawValue)|\(a.range.map { "\($0.lowerBound):\($0.upperBound)" } ?? "")|\(a.target ?? "")|\(a.value)"
    }
    func describe(_ a: StoredAnnotation, owner: String?) -> String {
      if a.kind == .entity { return "span " + context.describe(a, owner: owner) }
      let location =
        a.range.map { " \(context.quoted($0)) \($0.lowerBound):\($0.upperBound)" } ?? ""
      let what = a.target.map { "\($0)=\(a.value)" } ?? a.value
      return
        "\(a.kind.rawValue.replacingOccurrences(of: "_", with: " ")) \(DisplayText.sanitized(what))\(location)"
    }
    let myKeys = Set(mine.map(key))
    let theirKeys = Set(theirs.map(key))
    let onlyMine = mine.filter { !theirKeys.contains(key($0)) && $0.kind != .note }
    let onlyTheirs = theirs.filter { !myKeys.contains(key($0)) && $0.kind != .note }
    if onlyMine.isEmpty && onlyTheirs.isEmpty {
      context.say("you and \(other) agree on every label of this document")
      return
    }
    let mark = max("only you:".count, "only \(other):".count) + 3
    func line(
      _ sign: String, _ who: String, _ color: String, _ a: StoredAnnotation, _ owner: String?
    ) {
      let lead = "\(sign) \(who)".padding(toLength: mark, withPad: " ", startingAt: 0)
      context.say(
        TextWrap.wrap(
          context.palette.color(lead, color) + describe(a, owner: owner), width: context.width,
          indent: String(repeating: " ", count: mark)
        ).joined(separator: "\n"))
    }
    for a in onlyMine { line("-", "only you:", "yellow", a, nil) }
    for a in onlyTheirs { line("+", "only \(other):", "cyan", a, other) }
  }
}

struct HelpCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "help", abstract: "List the commands, or explain one.")
  @Argument(help: "A command.") var command: String?

  func run(in context: ShellContext) throws {
    let commands = ShellCommands.configuration.subcommands
    if let command {
      guard let found = commands.first(where: { $0.configuration.commandName == command }) else {
        throw CommandFailure.unknownCommand(
          typed: command, word: command, names: ShellCommands.names)
      }
      // ArgumentParser wraps all but the usage line, which goes on under its first word.
      let help = ShellCommands.helpMessage(for: found, columns: context.width)
      context.write(
        help.split(separator: "\n", omittingEmptySubsequences: false).map { line in
          let line = String(line)
          let indent =
            line.hasPrefix("USAGE:")
            ? String(repeating: " ", count: line.prefix { $0 != "<" && $0 != "[" }.count)
            : TextWrap.hangingIndent(of: line)
          return TextWrap.wrap(line, width: context.width, indent: indent).joined(separator: "\n")
        }.joined(separator: "\n") + "\n")
      return
    }
    let rows = commands.map { [$0.configuration.commandName ?? "", $0.configuration.abstract] }
    context.write(
      TextTable.render(
        headers: ["command", "what it does"], rows: rows, palette: context.palette,
        width: context.width))
    context.say(
      context.palette.dim(
        TextWrap.wrapLines(
          "Tab completes commands, labels, values, targets, span ids, options and phrases; Ctrl-R searches history; 'clear' clears the screen; Ctrl-D leaves.",
          width: context.width)))
  }
}

struct StatusCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Say who you are in the study and what you can see (blind or open).")

  func run(in context: ShellContext) throws {
    let access = try context.access()
    context.say("you: \(DisplayText.sanitized(context.annotator)) (\(access.roleDescription))")
    context.say(access.modeDescription)
    if let document = context.document {
      let visible = try access.mayReadOthers(on: document.id, store: context.store)
      context.say(
        "\(DisplayText.sanitized(document.document.externalID)): "
          + (visible
            ? "other annotators' labels are visible ('show --all', 'compare NAME')"
            : "other annotators' labels stay hidden until you mark it 'done'"))
    }
  }
}

struct ClearCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "clear", abstract: "Clear the screen (Ctrl-L too); the prompt stays.")
  func run(in context: ShellContext) throws {
    // Only a person at a terminal has a screen to clear; in a script it does nothing.
    guard context.isInteractive, context.height != nil else { return }
    context.write("\u{1B}[H\u{1B}[2J")
  }
}

struct QuitCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "quit", abstract: "Leave the shell (Ctrl-D too). Every change is already saved.")
  func run(in context: ShellContext) throws {
    throw QuitShell()
  }
}
