import AnnoCore
import AnnoShell
import ArgumentParser
import Foundation

struct GuideCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "guide",
    abstract:
      "Print the guideline and worked decisions for a label (PER, sentiment, stance, topic, a target, ...), or search them.",
    discussion: """
      Without a label, an overview of the schema. 'guide --search WORDS' lists the worked \
      decisions and guideline sections that mention the words (any case, with or without \
      accents).
      """)
  @Argument(
    help: "A label, 'sentiment', 'stance', a field or a stance target; with --search, words.")
  var words: [String] = []
  @Flag(help: "Find the worked decisions and sections that mention every one of the words.")
  var search = false

  func run(in context: ShellContext) throws {
    if search {
      guard !words.isEmpty else { throw ShellError("'guide --search' needs a word") }
    } else if words.count > 1 {
      throw ShellError(
        "'guide' takes one label; to find words, 'guide --search \(words.joined(separator: " "))'")
    }
    let label = words.first
    let schema = context.schema
    let files = try context.store.guidelineFiles()
    let decisions: [WorkedDecision]
    do {
      decisions = try WorkedDecision.all(in: files)
    } catch {
      decisions = []
      context.say(context.palette.dim("(the worked decisions cannot be read: \(error))"))
    }
    if search {
      try Self.search(words.joined(separator: " "), decisions: decisions, files: files, in: context)
      return
    }
    guard let label else {
      try overview(decisions: decisions, in: context)
      return
    }
    let folded = label.lowercased()
    let references: [String?]
    let fallback: String
    let shown: [WorkedDecision]
    if let entity = schema.entityLabels.first(where: { $0.name.lowercased() == folded }) {
      references = [entity.guideline]
      fallback = entity.description
      shown = decisions.filter {
        $0.layer == "entities"
          && ($0.labels(in: $0.before, schema: schema) + $0.labels(in: $0.after, schema: schema))
            .contains(entity.name)
      }
    } else if folded == "sentiment" {
      references = [schema.sentiment.guideline, schema.sentiment.spanGuideline]
      fallback = schema.sentiment.values.joined(separator: " < ")
      shown = decisions.filter { $0.layer == "sentiment" || $0.layer == "span sentiment" }
    } else if folded == "stance" {
      references = [schema.stance.guideline]
      fallback = schema.stance.values.joined(separator: ", ")
      shown = decisions.filter { $0.layer == "stance" || $0.layer == "document stance" }
    } else if let field = schema.fields.first(where: { $0.name.lowercased() == folded }) {
      references = [field.guideline]
      fallback = field.description
      shown = decisions.filter { $0.layer == field.name }
    } else if let target = try? StanceTargets(schema: schema).resolve(label, creating: false) {
      references = [schema.stance.guideline.map { Self.file(of: $0) + "#targets" }]
      fallback = "stance target \(target.name)"
      shown = decisions.filter { decision in
        ["stance", "document stance"].contains(decision.layer)
          && [decision.before, decision.after].contains { answer in
            ((try? WorkedDecision.stances(answer, schema: schema)) ?? []).contains {
              $0.target == target.name
            }
          }
      }
    } else {
      let names =
        schema.entityLabels.map(\.name) + ["sentiment", "stance"] + schema.fields.map(\.name)
      throw ShellError(AnnotationSet.unknown("label", label, names))
    }
    let sections = references.compactMap { $0.flatMap { GuidelineSection.find($0, in: files) } }
    if sections.isEmpty {
      context.say(TextWrap.wrapLines(DisplayText.sanitized(fallback), width: context.width))
    }
    for (i, section) in sections.enumerated() {
      if i > 0 { context.say("") }
      context.say(
        TextWrap.wrapLines(
          DisplayText.sanitized(GuidelineSection.withoutWorkedDecisions(section)),
          width: context.width))
    }
    guard !shown.isEmpty else { return }
    context.say("")
    context.say(
      context.palette.bold("Worked decisions (\(shown.count))")
        + context.palette.dim(" · 'guide --search WORD' finds more"))
    for decision in shown { Self.render(decision, in: context) }
  }

  private func overview(decisions: [WorkedDecision], in context: ShellContext) throws {
    let schema = context.schema
    var rows = schema.entityLabels.map { [$0.key ?? "", $0.name, $0.description] }
    rows.append(["", "sentiment", schema.sentiment.values.joined(separator: " < ")])
    let admitted = schema.stance.admittedTargets.count
    rows.append([
      "", "stance",
      schema.stance.values.joined(separator: ", ") + " toward "
        + schema.stance.targets.map(\.name).joined(separator: ", ")
        + (admitted > 0 ? ", \(admitted) admitted ad-hoc target\(admitted == 1 ? "" : "s")" : "")
        + (schema.stance.allowsAdHocTargets ? ", or +New" : ""),
    ])
    for field in schema.fields {
      rows.append([
        "", field.name, field.values.joined(separator: ", ") + " (\(field.level.rawValue))",
      ])
    }
    var heading = "schema \(schema.name) v\(schema.version)"
    if let digest = try context.store.guidelineDigest() { heading += " · guidelines \(digest)" }
    if !decisions.isEmpty { heading += " · \(decisions.count) worked decisions" }
    context.say(TextWrap.wrapLines(DisplayText.sanitized(heading), width: context.width))
    context.write(
      TextTable.render(
        headers: ["key", "label", "meaning"], rows: rows, palette: context.palette,
        width: context.width))
    context.say(
      context.palette.dim(
        TextWrap.wrapLines(
          "'guide LABEL' prints its guideline and worked decisions; 'guide --search WORD' finds them.",
          width: context.width)))
  }

  /// Lists the decisions, then the guideline sections, that mention every word of `query`.
  static func search(
    _ query: String, decisions: [WorkedDecision], files: [String: String],
    in context: ShellContext
  ) throws {
    let words = query.split(whereSeparator: \.isWhitespace).map { fold(String($0)) }
    func matches(_ text: String) -> Bool {
      let folded = fold(text)
      return words.allSatisfy { folded.contains($0) }
    }
    let found = decisions.filter { decision in
      matches(
        [
          decision.id, decision.article, decision.layer, decision.text, decision.before,
          decision.after, decision.why, decision.rule,
        ].joined(separator: "\n"))
    }
    let sections = GuidelineSection.headings(in: files).filter { matches($0.text) }
    guard !found.isEmpty || !sections.isEmpty else {
      context.say("nothing in the guidelines mentions '\(DisplayText.sanitized(query))'")
      return
    }
    if !found.isEmpty {
      context.say(
        context.palette.bold(
          "\(found.count) worked decision\(found.count == 1 ? " mentions" : "s mention") '\(DisplayText.sanitized(query))'"
        ))
      for decision in found { render(decision, in: context) }
    }
    if !sections.isEmpty {
      if !found.isEmpty { context.say("") }
      context.write(
        TextWrap.paragraph(
          DisplayText.sanitized(sections.map(\.reference).joined(separator: ", ")),
          width: max(40, context.width), first: "Sections: ", rest: "    "))
    }
  }

  /// A decision as a few labelled lines, wrapped to the terminal.
  static func render(_ decision: WorkedDecision, in context: ShellContext) {
    let palette = context.palette
    let width = max(40, context.width)
    context.say("")
    context.say(
      palette.bold(decision.id) + "  " + DisplayText.sanitized(decision.article)
        + palette.dim(" · \(decision.layer)"))
    func line(_ label: String, _ value: String, color: String? = nil) {
      let text = TextWrap.paragraph(
        DisplayText.sanitized(value), width: width, first: "    " + label + "  ",
        rest: "            ")
      context.write(color.map { palette.color(text, $0) } ?? text)
    }
    let isStance = decision.layer == "stance" || decision.layer == "document stance"
    func answer(_ value: String) -> String {
      isStance ? value.replacingOccurrences(of: "= none", with: "= none (no record)") : value
    }
    line("text  ", "“" + decision.text + "”")
    line("not   ", answer(decision.before), color: "red")
    line("but   ", answer(decision.after), color: "green")
    line("why   ", decision.why)
    line("rule  ", decision.rule)
  }

  static func file(of reference: String) -> String {
    String(reference.split(separator: "#", maxSplits: 1).first ?? "")
  }

  /// Lower case, without accents, for searching.
  static func fold(_ text: String) -> String {
    text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
  }
}
