import Foundation

/// A worked decision from the guidelines: a hard case quoted from an article, the tempting
/// answer and the answer the guidelines give, with the reason and the rule.
///
/// Decisions are fenced blocks in the guideline Markdown, one `key: value` per line, where an
/// indented line continues the value before it:
///
///     ```decision
///     id: T01
///     article: tokyo-trilateral-meeting
///     layer: stance
///     text: Our cooperation is defensive and is not directed at any third country
///     before: United States = neutral
///     after: United States = none
///     why: The quotation takes no side on the United States: no position, no record.
///     rule: stance.md#no-position-no-record
///     ```
///
/// Each line is one field, with no quoting or escaping, so a quotation is pasted exactly as
/// the article has it (straight and curly quotes, brackets and all).
public struct WorkedDecision: Hashable, Sendable {
  /// A stable name (`E01`).
  public var id: String
  /// The article's id (its path under `Corpus/` without `.txt`).
  public var article: String
  /// `entities`, `span sentiment`, `sentiment`, `stance`, `document stance`, or a field name.
  public var layer: String
  /// The words, exactly as the article has them.
  public var text: String
  /// The tempting answer.
  public var before: String
  /// The guidelines' answer.
  public var after: String
  /// Why.
  public var why: String
  /// The section stating the rule (`stance.md#values`).
  public var rule: String
  /// The guideline file and the 1-based line of the block's opening fence.
  public var file: String
  public var line: Int

  /// The keys a block has, in the order they are written.
  public static let keys = ["id", "article", "layer", "text", "before", "after", "why", "rule"]

  /// The layers that are not document fields.
  public static let layers = [
    "entities", "span sentiment", "sentiment", "stance", "document stance",
  ]

  /// Every worked decision in the guideline files, in file name order and then as written.
  ///
  /// - Throws: `SchemaError` naming the file and line of a block that cannot be read: an
  ///   unknown, repeated or missing key, a line that is not `key: value`, an unclosed block.
  public static func all(in files: [String: String]) throws(SchemaError) -> [WorkedDecision] {
    var decisions: [WorkedDecision] = []
    for name in files.keys.sorted() where name.hasSuffix(".md") {
      decisions += try parse(markdown: files[name] ?? "", file: name)
    }
    return decisions
  }

  /// The worked decisions in one Markdown file.
  public static func parse(markdown: String, file: String) throws(SchemaError) -> [WorkedDecision] {
    var decisions: [WorkedDecision] = []
    var fields: [String: String]?
    var lastKey: String?
    var opening = 0
    func fail(_ line: Int, _ message: String) -> SchemaError {
      SchemaError(file: file, line: line, message: message)
    }
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, raw) in lines.enumerated() {
      let number = index + 1
      let trimmed = raw.trimmingCharacters(in: .whitespaces)
      guard var current = fields else {
        if trimmed == "```decision" {
          fields = [:]
          lastKey = nil
          opening = number
        }
        continue
      }
      if trimmed == "```" {
        for key in keys where current[key] == nil {
          throw fail(opening, "the worked decision has no '\(key)'")
        }
        decisions.append(
          WorkedDecision(
            id: current["id"] ?? "", article: current["article"] ?? "",
            layer: current["layer"] ?? "", text: current["text"] ?? "",
            before: current["before"] ?? "", after: current["after"] ?? "",
            why: current["why"] ?? "", rule: current["rule"] ?? "", file: file, line: opening))
        fields = nil
        continue
      }
      if trimmed.isEmpty { continue }
      if raw.first?.isWhitespace == true {
        guard let lastKey else { throw fail(number, "an indented line continues no key") }
        current[lastKey, default: ""] += " " + trimmed
        fields = current
        continue
      }
      guard let colon = raw.firstIndex(of: ":") else {
        throw fail(number, "expected 'key: value' in a worked decision")
      }
      let key = String(raw[..<colon])
      guard keys.contains(key) else {
        let hint = Suggestion.closest(to: key, in: keys).map { "; did you mean '\($0)'?" } ?? ""
        throw fail(
          number,
          "unknown key '\(key)' in a worked decision\(hint) (keys: \(keys.joined(separator: ", ")))"
        )
      }
      guard current[key] == nil else { throw fail(number, "'\(key)' is given twice") }
      let value = raw[raw.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      guard !value.isEmpty else { throw fail(number, "'\(key)' is empty") }
      current[key] = value
      lastKey = key
      fields = current
    }
    if fields != nil { throw fail(opening, "the worked decision is not closed with ```") }
    return decisions
  }

  /// `FILE:LINE: ID: message` for every problem of `decisions` against the schema, the
  /// guideline files (for `rule`) and, where `articleText` returns the article, its text.
  ///
  /// Checks unique ids; a known layer; `text` found in its article; for entities and span
  /// sentiment, `before` and `after` marking `text` with declared labels or values; for
  /// stances, targets the schema knows and declared values or `none`; for document sentiment
  /// and fields, declared values; `before` different from `after`; `rule` a heading that exists.
  ///
  /// With `requiresArticles` off, a decision whose article `articleText` does not return is
  /// checked without it (a store that has not imported the corpus yet).
  public static func problems(
    _ decisions: [WorkedDecision], schema: LabelSchema, files: [String: String],
    requiresArticles: Bool = true, articleText: (String) -> String?
  ) -> [String] {
    var problems: [String] = []
    var seen: [String: String] = [:]
    for decision in decisions {
      let place = "\(decision.file):\(decision.line): \(decision.id)"
      if let first = seen[decision.id] {
        problems.append("\(place): the id is used before, at \(first)")
      } else {
        seen[decision.id] = "\(decision.file):\(decision.line)"
      }
      for problem in decision.problems(
        schema: schema, files: files, requiresArticle: requiresArticles, articleText: articleText)
      {
        problems.append("\(place): \(problem)")
      }
    }
    return problems
  }

  /// This decision's problems (see `problems(_:schema:files:articleText:)`).
  public func problems(
    schema: LabelSchema, files: [String: String], requiresArticle: Bool = true,
    articleText: (String) -> String?
  ) -> [String] {
    var problems: [String] = []
    if let article = articleText(article) {
      if !article.contains(text) {
        problems.append("the text '\(text)' does not occur in article '\(self.article)'")
      }
    } else if requiresArticle {
      problems.append("no article '\(article)'")
    }
    if GuidelineSection.find(rule, in: files) == nil {
      problems.append("the rule '\(rule)' names no heading in the guidelines")
    }
    if before == after { problems.append("'before' and 'after' are the same") }
    for (side, answer) in [("before", before), ("after", after)] {
      do {
        try check(answer, schema: schema)
      } catch {
        problems.append("\(side): \(error.message)")
      }
    }
    return problems
  }

  private func check(_ answer: String, schema: LabelSchema) throws(GuidelineProblem) {
    switch layer {
    case "entities", "span sentiment":
      let labels =
        layer == "entities" ? schema.entityLabels.map(\.name) : schema.sentiment.values
      let marked = try MarkedSpans(answer, labels: labels)
      if marked.text != text {
        throw GuidelineProblem("its text without marks is '\(marked.text)', not the 'text'")
      }
    case "sentiment":
      if !schema.sentiment.values.contains(answer) {
        throw GuidelineProblem(AnnotationSet.unknown("sentiment", answer, schema.sentiment.values))
      }
    case "stance", "document stance":
      _ = try Self.stances(answer, schema: schema)
    default:
      guard let field = schema.field(named: layer) else {
        throw GuidelineProblem(
          AnnotationSet.unknown("layer", layer, Self.layers + schema.fields.map(\.name)))
      }
      if field.canonicalValue(answer) == nil {
        throw GuidelineProblem(AnnotationSet.unknown("value of \(layer)", answer, field.values))
      }
    }
  }

  /// The stances of a `TARGET = VALUE; TARGET = VALUE` answer, targets resolved to their names
  /// and `none` (no record) as `nil`.
  public static func stances(_ answer: String, schema: LabelSchema) throws(GuidelineProblem)
    -> [(target: String, value: String?)]
  {
    var stances: [(target: String, value: String?)] = []
    let targets = StanceTargets(schema: schema)
    for part in answer.split(separator: ";") {
      let sides = part.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard sides.count == 2 else {
        throw GuidelineProblem(
          "'\(part.trimmingCharacters(in: .whitespaces))' is not TARGET = VALUE")
      }
      let target: String
      do {
        target = try targets.resolve(sides[0], creating: false).name
      } catch {
        throw GuidelineProblem(error.message)
      }
      guard sides[1] == "none" || schema.stance.values.contains(sides[1]) else {
        throw GuidelineProblem(
          AnnotationSet.unknown("stance value", sides[1], schema.stance.values + ["none"]))
      }
      stances.append((target, sides[1] == "none" ? nil : sides[1]))
    }
    return stances
  }

  /// The labels a `before` or `after` answer of an entity or span sentiment decision uses.
  public func labels(in answer: String, schema: LabelSchema) -> [String] {
    let labels =
      layer == "entities" ? schema.entityLabels.map(\.name) : schema.sentiment.values
    return (try? MarkedSpans(answer, labels: labels))?.spans.map(\.label) ?? []
  }
}

/// What is wrong with a worked decision's answer.
public struct GuidelineProblem: Error, Hashable, Sendable, CustomStringConvertible {
  /// The message.
  public var message: String

  /// Creates a problem.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

/// Text with `[span]LABEL` marks, as the guidelines write annotations: `[Kyiv]LOC-based`.
public struct MarkedSpans: Hashable, Sendable {
  /// The text without the marks.
  public var text: String
  /// The marked spans, in order: their text and label.
  public var spans: [(text: String, label: String)] {
    marks.map { ($0.text, $0.label) }
  }
  private var marks: [Mark]

  private struct Mark: Hashable, Sendable {
    var text: String
    var label: String
  }

  /// Reads marked text. After `]` comes the longest of `labels` that follows, which may be
  /// followed by punctuation of the text but not by a letter or digit (`[Kyiv]LOC-based`).
  ///
  /// - Throws: `GuidelineProblem` for a bracket without its pair, a nested bracket or a label
  ///   that is not in `labels`.
  public init(_ marked: String, labels: [String]) throws(GuidelineProblem) {
    var text = ""
    var marks: [Mark] = []
    var open: String?
    var rest = Substring(marked)
    while let character = rest.first {
      rest = rest.dropFirst()
      switch character {
      case "[":
        guard open == nil else { throw GuidelineProblem("a '[' inside a marked span") }
        open = ""
      case "]":
        guard let inner = open else { throw GuidelineProblem("a ']' without its '['") }
        // A label ends before anything but a letter or digit (`[Kyiv]LOC-based`, `]LOC’s`).
        guard
          let label = labels.filter({ rest.hasPrefix($0) }).max(by: { $0.count < $1.count }),
          rest.dropFirst(label.count).first.map({ !$0.isLetter && !$0.isNumber }) ?? true
        else {
          let found = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
          throw GuidelineProblem(AnnotationSet.unknown("label", String(found), labels))
        }
        rest = rest.dropFirst(label.count)
        marks.append(Mark(text: inner, label: label))
        text += inner
        open = nil
      default:
        if open != nil { open?.append(character) } else { text.append(character) }
      }
    }
    guard open == nil else { throw GuidelineProblem("a '[' without its ']'") }
    self.text = text
    self.marks = marks
  }
}
