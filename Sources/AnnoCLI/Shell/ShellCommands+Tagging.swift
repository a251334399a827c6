import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser

extension ShellContext {
  /// The schema's entity label for a name, any case, or its one-letter shortcut key.
  func entityLabel(_ name: String) throws -> String {
    if let label = schema.entityLabels.first(where: {
      $0.name == name || $0.name.lowercased() == name.lowercased()
    }) {
      return label.name
    }
    if name.count == 1, let label = schema.entityLabels.first(where: { $0.key == name }) {
      return label.name
    }
    throw ShellError(AnnotationSet.unknown("label", name, schema.entityLabels.map(\.name)))
  }

  /// Describes a span for confirmations: `¹[John Kerry]PER 0:10`.
  func describe(_ range: Range<Int>, label: String, number: Int?) -> String {
    let mark = number.map { DocumentRenderer.superscript(String($0)) } ?? ""
    return
      "\(mark)[\(DisplayText.sanitized(text[range]))]\(palette.color(label, schema.entityLabel(named: label)?.color)) \(range.lowerBound):\(range.upperBound)"
  }

  /// The number `show` gives the entity with this range and label, after a change.
  func number(of range: Range<Int>, label: String) throws -> Int? {
    try numberedEntities().firstIndex { $0.range == range && $0.value == label }.map { $0 + 1 }
  }
}

struct TagCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "tag",
    abstract: "Tag text with an entity label.",
    discussion: """
      tag PER "Sergei Lavrov"        first untagged occurrence
      tag PER "Lavrov" #3            the third occurrence
      tag PER "Lavrov" all           every occurrence
      tag PER 120:131                code point offsets
      tag PER t14-t16                tokens (see 'show tokens')
      tag PER /Lavr\\w+/             each match of a regular expression
      Spans snap to token boundaries (the shell says so); --chars keeps exact characters.
      """)

  @Argument(help: "The label (or its shortcut key).") var label: String
  @Argument(parsing: .allUnrecognized, help: "What to tag.") var selector: [String] = []
  @Flag(help: "Keep the exact characters instead of snapping to tokens.") var chars = false

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    let label = try context.entityLabel(self.label)
    let spec: SpanSelector
    do { spec = try SpanSelector(words: selector) } catch { throw ShellError(error.description) }
    let existing = try context.numberedEntities()
    // "First untagged occurrence" means not yet tagged with this label.
    let tagged = Set(existing.filter { $0.value == label }.compactMap(\.range))
    let selected: [SelectedRange]
    do { selected = try context.locator.resolve(spec, tagged: tagged, snaps: !chars) } catch {
      throw ShellError(error.description)
    }
    var edits: [Edit] = []
    var already: [Range<Int>] = []
    // Tagging over a suggestion's range accepts it: the annotation keeps where it came from.
    let suggested = try context.suggestions()
    for selection in selected where !already.contains(selection.range) {
      if existing.contains(where: { $0.range == selection.range && $0.value == label })
        || edits.contains(where: {
          if case .add(_, let range, _, _, _, _) = $0 {
            return range == selection.range
          } else {
            return false
          }
        })
      {
        already.append(selection.range)
      } else if let suggestion = suggested.first(where: { $0.range == selection.range }) {
        edits.append(
          .add(
            kind: .entity, range: selection.range, target: nil, value: label, origin: "suggested",
            originDetail: SuggestionProvider.origin(of: suggestion)))
      } else {
        edits.append(.add(.entity, range: selection.range, value: label))
      }
    }
    for range in already {
      context.say(
        "already tagged: "
          + context.describe(
            range, label: label, number: try context.number(of: range, label: label)))
    }
    guard !edits.isEmpty else { return }
    let summary =
      "tag \(label) "
      + selected.map { "\($0.range.lowerBound):\($0.range.upperBound)" }.joined(separator: " ")
    try context.apply(edits, to: document.id, by: context.annotator, summary: summary)
    for selection in selected where !already.contains(selection.range) {
      var line =
        "tagged "
        + context.describe(
          selection.range, label: label,
          number: try context.number(of: selection.range, label: label))
      if let from = selection.snappedFrom {
        line += context.palette.dim(
          " (snapped from \(from.lowerBound):\(from.upperBound) \(context.quoted(from)) to token boundaries; --chars keeps characters)"
        )
      }
      context.say(line)
    }
  }
}

struct UntagCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "untag", abstract: "Remove span N, or every span over \"text\".")

  @Argument(help: "A span number, or the text of the spans to remove.") var target: [String]

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    let entities = try context.numberedEntities()
    var removed: [StoredAnnotation] = []
    if target.count == 1,
      Int(target[0].hasPrefix("#") ? String(target[0].dropFirst()) : target[0]) != nil
    {
      removed = [try context.entity(number: target[0])]
    } else {
      let phrase = target.joined(separator: " ")
      removed = entities.filter { $0.range.map { context.text[$0] } == phrase }
      guard !removed.isEmpty else {
        throw ShellError("no span over \(AnnotationSet.quoted(phrase)); 'show spans' lists them")
      }
    }
    let numbers = removed.compactMap { entity in entities.firstIndex(of: entity).map { $0 + 1 } }
    try context.apply(
      removed.map { .remove(id: $0.id) }, to: document.id, by: context.annotator,
      summary: "untag "
        + removed.map { "\($0.value) \($0.range?.lowerBound ?? 0):\($0.range?.upperBound ?? 0)" }
        .joined(separator: ", "))
    for (entity, number) in zip(removed, numbers) {
      context.say(
        "removed " + context.describe(entity.range ?? 0..<0, label: entity.value, number: number))
    }
  }
}

struct RelabelCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "relabel", abstract: "Give span N another label.")

  @Argument(help: "The span number.") var number: String
  @Argument(help: "The new label.") var label: String

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    let entity = try context.entity(number: number)
    let label = try context.entityLabel(self.label)
    guard label != entity.value else { throw ShellError("span \(number) is already \(label)") }
    try context.apply(
      [.update(id: entity.id, range: entity.range, value: label)], to: document.id,
      by: context.annotator,
      summary:
        "relabel \(entity.value) → \(label) \(entity.range?.lowerBound ?? 0):\(entity.range?.upperBound ?? 0)"
    )
    let range = entity.range ?? 0..<0
    context.say(
      "relabelled "
        + context.describe(range, label: label, number: try context.number(of: range, label: label))
    )
  }
}

struct ExtendCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "extend",
    abstract: "Grow (+1, the default) or shrink (-1) span N by one token on the left or right.")

  @Argument(help: "The span number.") var number: String
  @Argument(help: "left or right.") var side: String
  @Argument(parsing: .allUnrecognized, help: "+1 (grow) or -1 (shrink).") var amount: [String] = []

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    let entity = try context.entity(number: number)
    guard side == "left" || side == "right" else {
      throw ShellError("say 'left' or 'right', not '\(side)'")
    }
    let step: Int
    switch amount.first ?? "+1" {
    case "+1", "1", "+": step = 1
    case "-1", "-": step = -1
    default:
      throw ShellError(
        "the amount is +1 (grow) or -1 (shrink), not '\(amount.joined(separator: " "))'")
    }
    guard let range = entity.range else { return }
    let tokens = context.locator.wordTokens
    var start = range.lowerBound
    var end = range.upperBound
    let inside = tokens.filter { $0.start >= start && $0.end <= end }
    switch (side, step) {
    case ("left", 1):
      guard let previous = tokens.last(where: { $0.end <= start }) else {
        throw ShellError("span \(number) already starts at the first token")
      }
      start = previous.start
    case ("right", 1):
      guard let following = tokens.first(where: { $0.start >= end }) else {
        throw ShellError("span \(number) already ends at the last token")
      }
      end = following.end
    case ("left", _):
      guard inside.count > 1 else {
        throw ShellError("span \(number) has one token; use 'untag \(number)' to remove it")
      }
      start = inside[1].start
    default:
      guard inside.count > 1 else {
        throw ShellError("span \(number) has one token; use 'untag \(number)' to remove it")
      }
      end = inside[inside.count - 2].end
    }
    let newRange = start..<end
    try context.apply(
      [.update(id: entity.id, range: newRange, value: entity.value)], to: document.id,
      by: context.annotator,
      summary: "extend \(entity.value) \(range.lowerBound):\(range.upperBound) → \(start):\(end)")
    context.say(
      "now "
        + context.describe(
          newRange, label: entity.value,
          number: try context.number(of: newRange, label: entity.value)))
  }
}
