import AnnoCore
import AnnoPipeline
import AnnoShell
import AnnoStore
import AnnoSuggest
import ArgumentParser

/// Accepting and rejecting suggestions (outside review mode).
enum SuggestionActions {
  static func accept(_ choice: String, in context: ShellContext) throws {
    let document = try context.requireDocument()
    let all = try context.suggestions()
    let chosen: [SpanSuggestion]
    if choice == "all" {
      chosen = all
    } else if choice.hasPrefix("s"), Int(choice.dropFirst()) != nil {
      chosen = [try context.suggestion(choice)]
    } else {
      let label = try context.entityLabel(choice)
      chosen = all.filter { $0.label == label }
    }
    guard !chosen.isEmpty else { throw ShellError("there are no suggestions to accept here") }
    let edits: [Edit] = chosen.map {
      .add(
        kind: .entity, range: $0.range, target: nil, value: $0.label, origin: "suggested",
        originDetail: SuggestionProvider.origin(of: $0))
    }
    try context.apply(edits, to: document.id, by: context.annotator) { ids in
      "accept \(chosen.count) suggestion\(chosen.count == 1 ? "" : "s"): "
        + context.logged(zip(chosen, ids).map { (id: $1, range: $0.range) })
    }
    let after = try context.spans()
    for suggestion in chosen {
      let span = after.first { $0.range == suggestion.range && $0.value == suggestion.label }
      context.say(
        "accepted "
          + context.describe(suggestion.range, label: suggestion.label, id: span?.localID))
    }
  }

  static func reject(_ choice: String, in context: ShellContext) throws {
    let document = try context.requireDocument()
    let chosen = choice == "all" ? try context.suggestions() : [try context.suggestion(choice)]
    guard !chosen.isEmpty else { throw ShellError("there are no suggestions to reject here") }
    try context.apply(
      chosen.map { .rejectSuggestion(range: $0.range, label: $0.label) }, to: document.id,
      by: context.annotator,
      summary: "reject \(chosen.count) suggestion\(chosen.count == 1 ? "" : "s")")
    context.say("rejected \(chosen.count) suggestion\(chosen.count == 1 ? "" : "s")")
  }
}

/// `suggest`: one command on both command lines. `suggest eval` measures suggestions (argv
/// and shell); `suggest on|off [--source …]` and `suggest source …` are shell settings.
struct SuggestCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "suggest",
    abstract:
      "Measure suggestions (eval), or in the shell turn them on or off or choose their source.",
    discussion: """
      'suggest on', 'suggest off' and 'suggest source patterns|learned|all' are shell \
      settings, kept per annotator for the next sessions; with no word 'suggest' says what is \
      in force.
      """,
    subcommands: [SuggestEvaluate.self, SuggestOn.self, SuggestOff.self, SuggestSource.self])

  func run(in context: ShellContext) throws {
    try Self.set(on: nil, source: nil, at: .shell(context), typed: "suggest")
  }

  /// Turns suggestions on or off (`nil`: as they are) and chooses their source, then says
  /// what is in force; on the command line, refuses: these are the shell's settings.
  static func set(on: Bool?, source: String?, at place: CommandPlace, typed: String) throws {
    guard let context = place.shell else {
      throw ShellError(
        "'\(typed)' is a shell setting: run it inside 'anno shell' (it is kept for your next sessions)"
      )
    }
    if let on {
      context.suggestionsOn = on
      try context.store.setSetting(
        ShellContext.suggestSetting, to: on ? "on" : "off", of: context.annotator)
    }
    if let source {
      guard let chosen = SuggestionSource(rawValue: source) else {
        throw ShellError(
          AnnotationSet.unknown("source", source, SuggestionSource.allCases.map(\.rawValue)))
      }
      context.suggestionSource = chosen
      try context.store.setSetting(
        ShellContext.suggestSourceSetting, to: chosen.rawValue, of: context.annotator)
    }
    context.invalidateSuggestions()
    context.startLearningInBackground()
    let count = context.document == nil ? 0 : try context.suggestions().count
    context.say(
      "suggestions \(context.suggestionsOn ? "on" : "off"), from \(context.suggestionSource == .all ? "patterns and learned labels" : context.suggestionSource.rawValue)"
        + (context.suggestionsOn && context.document != nil ? "; \(count) here" : ""))
  }
}
