import AnnoCore
import AnnoPipeline
import AnnoShell
import AnnoStore
import AnnoSuggest
import ArgumentParser
import Foundation

extension Anno {
  /// `anno suggest eval`: measure suggestions. `on` and `off` are shell settings; on the
  /// command line they refuse with a message saying so.
  struct Suggest: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "suggest",
      abstract: SuggestCommand.configuration.abstract,
      discussion: SuggestCommand.configuration.discussion,
      subcommands: [
        OnCommandLine<SuggestEvaluate>.self, OnCommandLine<SuggestOn>.self,
        OnCommandLine<SuggestOff>.self, OnCommandLine<SuggestSource>.self,
      ])
  }
}

/// `suggest eval [--format text|json]`, on the command line (`anno suggest eval --annotator
/// NAME`) and in the shell (against the shell's annotator).
struct SuggestEvaluate: SharedCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract:
      "Precision and recall of suggestions against an annotator's finished documents, per label and source.",
    discussion: """
      Suggestions are computed on each document the annotator finished as if it were new, \
      from the stored patterns and from a gazetteer learned from everyone else's labels (the \
      annotator's own are left out, so their labels cannot suggest themselves). A suggestion \
      counts as correct when the annotator has a span with the same start, end and label. \
      On the command line give the annotator with the global --annotator option; in the \
      shell it is the shell's annotator.
      """)
  @Option(help: "text or json.") var format: ReportFormat = .text

  func run(at place: CommandPlace) throws {
    let annotator: String
    switch place {
    case .commandLine(let global):
      guard let named = global.annotator else {
        throw ValidationError(
          "say whose labels to measure against: anno suggest eval --annotator NAME")
      }
      annotator = named
    case .shell(let context):
      annotator = context.annotator
    }
    let session = try place.session()
    // Suggestions learned from the team, scored against one's own labels, say what the
    // team labelled.
    try place.access(of: session).requireSeesEverything(
      place.shell == nil ? "'anno suggest eval'" : "'suggest eval'",
      instead: "a reviewer or manager runs it ('anno team list' shows who)")
    try session.checkAnnotator(annotator)
    let evaluation = try SuggestionEvaluation.run(
      store: session.store, schema: session.schema, annotator: annotator)
    place.write(evaluation.render(format: format))
  }
}

/// `suggest on [--source …]`: a shell setting, kept per annotator for their next sessions.
struct SuggestOn: SharedCommand {
  static let configuration = CommandConfiguration(
    commandName: "on",
    abstract: "Show suggestions in the shell (a shell setting, kept for your next sessions).")

  @Option(help: "patterns, learned or all.") var source: String?

  func run(at place: CommandPlace) throws {
    try SuggestCommand.set(on: true, source: source, at: place, typed: "suggest on")
  }
}

/// `suggest off [--source …]`: a shell setting, kept per annotator for their next sessions.
struct SuggestOff: SharedCommand {
  static let configuration = CommandConfiguration(
    commandName: "off",
    abstract: "Hide suggestions in the shell (a shell setting, kept for your next sessions).")

  @Option(help: "patterns, learned or all.") var source: String?

  func run(at place: CommandPlace) throws {
    try SuggestCommand.set(on: false, source: source, at: place, typed: "suggest off")
  }
}

/// `suggest source patterns|learned|all`: a shell setting, kept per annotator.
struct SuggestSource: SharedCommand {
  static let configuration = CommandConfiguration(
    commandName: "source",
    abstract:
      "Choose where suggestions come from in the shell: patterns, learned or all (kept for your next sessions)."
  )

  @Argument(help: "patterns, learned or all.") var source: String

  func run(at place: CommandPlace) throws {
    try SuggestCommand.set(on: nil, source: source, at: place, typed: "suggest source")
  }
}

/// Suggestions scored against one annotator's labels.
struct SuggestionEvaluation {
  struct Counts {
    var suggested = 0
    var correct = 0
  }
  var annotator: String
  var documents = 0
  var annotatedSpans: [String: Int] = [:]
  /// Counts by source (`pattern`, `learned`, `all`), then label (`""` for every label).
  var counts: [String: [String: Counts]] = [:]

  static func run(store: Store, schema: LabelSchema, annotator: String) throws
    -> SuggestionEvaluation
  {
    var result = SuggestionEvaluation(annotator: annotator)
    guard
      let engine = try SuggestionProvider.engine(
        store: store, schema: schema, source: .all, excluding: annotator)
    else {
      return result
    }
    let tokenizer = Tokenizer()
    try store.forEachAnnotatedDocument(annotators: [annotator], statuses: [.done]) { item in
      result.documents += 1
      let text = ScalarText(item.document.text)
      let tokens = item.document.tokens ?? tokenizer.tokenize(scalars: text.scalars)
      let truth = Set(item.annotations.entities ?? [])
      for span in truth {
        result.annotatedSpans[span.label, default: 0] += 1
        result.annotatedSpans["", default: 0] += 1
      }
      for suggestion in engine.suggestions(text: text, tokens: tokens, existing: []) {
        let source: String
        if case .pattern = suggestion.source { source = "pattern" } else { source = "learned" }
        let hit = truth.contains(suggestion.span)
        for key in [source, "all"] {
          for label in [suggestion.label, ""] {
            result.counts[key, default: [:]][label, default: Counts()].suggested += 1
            if hit { result.counts[key, default: [:]][label, default: Counts()].correct += 1 }
          }
        }
      }
    }
    return result
  }

  func render(format: ReportFormat) -> String {
    func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
    if format == .json {
      var measures: [String: JSONValue] = [:]
      for (source, byLabel) in counts {
        for (label, c) in byLabel {
          let suffix = label.isEmpty ? "" : "#\(label)"
          measures["precision@\(source)\(suffix)"] =
            ratio(c.correct, c.suggested).map { .double($0) } ?? .null
          measures["recall@\(source)\(suffix)"] =
            ratio(c.correct, annotatedSpans[label] ?? 0).map { .double($0) } ?? .null
          measures["suggested@\(source)\(suffix)"] = .int(Int64(c.suggested))
          measures["correct@\(source)\(suffix)"] = .int(Int64(c.correct))
        }
      }
      return JSONWriter.string(
        for: .object([
          "annotator": .string(annotator), "documents": .int(Int64(documents)),
          "measures": .object(measures),
          "annotated_spans": .object(
            annotatedSpans.reduce(into: [:]) {
              $0[$1.key.isEmpty ? "all" : $1.key] = .int(Int64($1.value))
            }),
        ])) + "\n"
    }
    guard !counts.isEmpty else {
      return
        "no suggestions for \(annotator)'s \(documents) finished documents: load patterns with 'anno patterns load FILE' or label documents first\n"
    }
    func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
    var rows: [[String]] = []
    for source in ["pattern", "learned", "all"] {
      guard let byLabel = counts[source] else { continue }
      for label in byLabel.keys.sorted() {
        let c = byLabel[label] ?? Counts()
        rows.append([
          source, label.isEmpty ? "all" : label, "\(c.suggested)", "\(c.correct)",
          number(ratio(c.correct, c.suggested)),
          number(ratio(c.correct, annotatedSpans[label] ?? 0)),
        ])
      }
    }
    return "suggestions against \(annotator)'s labels on \(documents) finished documents\n"
      + TextTable.render(
        headers: ["source", "label", "suggested", "correct", "precision", "recall"], rows: rows,
        palette: Palette(isEnabled: false))
  }
}
