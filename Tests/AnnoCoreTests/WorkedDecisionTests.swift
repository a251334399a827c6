import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@Suite struct WorkedDecisionTests {
  static let guidelines = AnnoBinary.repositoryRoot + "/Guidelines"
  static let corpus = AnnoBinary.repositoryRoot + "/Corpus"

  static func guidelineFiles() throws -> [String: String] {
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: guidelines)
    where name.hasSuffix(".md") {
      files[name] = try String(contentsOfFile: guidelines + "/" + name, encoding: .utf8)
    }
    return files
  }

  static func article(_ id: String) -> String? {
    try? String(contentsOfFile: corpus + "/" + id + ".txt", encoding: .utf8)
  }

  @Test func everyWorkedDecisionInTheGuidelinesIsWellFormed() throws {
    let files = try Self.guidelineFiles()
    let schema = try LabelSchema(
      yaml: String(contentsOfFile: Self.guidelines + "/schema.yaml", encoding: .utf8))
    let decisions = try WorkedDecision.all(in: files)
    #expect(decisions.count >= 40)
    // Each names an article of the corpus, quotes it exactly, uses the schema's labels,
    // values, targets and fields, and points to a rule that exists.
    #expect(
      WorkedDecision.problems(decisions, schema: schema, files: files, articleText: Self.article)
        == [])
    // Every layer, field and entity label has its hard cases.
    let layers = Set(decisions.map(\.layer))
    for layer in WorkedDecision.layers + schema.fields.map(\.name) {
      #expect(layers.contains(layer), "no worked decision for \(layer)")
    }
    let entityLabels = Set(
      decisions.filter { $0.layer == "entities" }.flatMap {
        $0.labels(in: $0.before, schema: schema) + $0.labels(in: $0.after, schema: schema)
      })
    #expect(entityLabels == Set(schema.entityLabels.map(\.name)))
    // Decisions come from many articles, not one.
    #expect(Set(decisions.map(\.article)).count >= 12)
  }

  static let schema = try! LabelSchema(yaml: BundledGuidelines.schemaYAML)

  @Test func aMalformedDecisionIsReportedWithItsFileLineAndReason() throws {
    let markdown = """
      # Page

      ```decision
      id: X1
      article: a
      layer: entities
      text: Kyiv-based studio
      before: [Kyiv-based]MISC studio
      after: [Kyiv]LOC-based [studio]ORGANISATION
      why: A reason.
      rule: page.md#page
      ```

      ```decision
      id: X1
      article: a
      layer: stance
      text: Moscow came here
      before: Rusia = against
      after: Russia = maybe
      why: A reason
        on two lines.
      rule: page.md#nowhere
      ```

      ```decision
      id: X2
      article: b
      layer: urgency
      text: nothing like it
      before: 6
      after: 6
      why: r
      rule: page.md
      ```
      """
    let files = ["page.md": markdown]
    let decisions = try WorkedDecision.parse(markdown: markdown, file: "page.md")
    #expect(decisions.map(\.id) == ["X1", "X1", "X2"])
    #expect(decisions[1].why == "A reason on two lines.")
    let problems = WorkedDecision.problems(
      decisions, schema: Self.schema, files: files,
      articleText: { $0 == "a" ? "A Kyiv-based studio said Moscow came here." : nil })
    #expect(
      problems == [
        "page.md:3: X1: after: unknown label 'ORGANISATION'; did you mean 'ORG'? (expected one of PER, ORG, LOC, MISC)",
        "page.md:14: X1: the id is used before, at page.md:3",
        "page.md:14: X1: the rule 'page.md#nowhere' names no heading in the guidelines",
        "page.md:14: X1: before: unknown stance target 'Rusia'; did you mean 'Russia'? (targets: European Union, Russia, United States, 10 ad-hoc); '+Rusia' creates a new target",
        "page.md:14: X1: after: unknown stance value 'maybe' (expected one of favor, against, neutral, none)",
        "page.md:26: X2: no article 'b'",
        "page.md:26: X2: 'before' and 'after' are the same",
        "page.md:26: X2: before: unknown value of urgency '6'; did you mean '1'? (expected one of 1, 2, 3, 4, 5)",
        "page.md:26: X2: after: unknown value of urgency '6'; did you mean '1'? (expected one of 1, 2, 3, 4, 5)",
      ])
  }

  @Test(arguments: [
    ("```decision\nid: X\n", "p.md:1: the worked decision is not closed with ```"),
    ("```decision\nid: X\nwhy\n```", "p.md:3: expected 'key: value' in a worked decision"),
    (
      "```decision\nid: X\nbfore: y\n```",
      "p.md:3: unknown key 'bfore' in a worked decision; did you mean 'before'? (keys: id, article, layer, text, before, after, why, rule)"
    ),
    ("```decision\nid: X\nid: Y\n```", "p.md:3: 'id' is given twice"),
    ("```decision\nid: X\n```", "p.md:1: the worked decision has no 'article'"),
    ("```decision\n  id: X\n```", "p.md:2: an indented line continues no key"),
  ])
  func blocksThatCannotBeReadNameTheirLine(markdown: String, message: String) {
    do {
      _ = try WorkedDecision.parse(markdown: markdown, file: "p.md")
      Issue.record("expected an error")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func marksTakeTheLongestLabelThatFollows() throws {
    let marked = try MarkedSpans(
      "[Kyiv]LOC-based [Dnipro Pictures]ORG, anti-[Russian]MISC", labels: ["LOC", "ORG", "MISC"])
    #expect(marked.text == "Kyiv-based Dnipro Pictures, anti-Russian")
    #expect(marked.spans.map(\.label) == ["LOC", "ORG", "MISC"])
    #expect(throws: GuidelineProblem("a '[' without its ']'")) {
      try MarkedSpans("[Kyiv", labels: ["LOC"])
    }
    #expect(throws: GuidelineProblem("a ']' without its '['")) {
      try MarkedSpans("Kyiv]LOC", labels: ["LOC"])
    }
  }
}
