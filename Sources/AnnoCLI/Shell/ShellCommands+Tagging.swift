import AnnoCore
import AnnoPipeline
import AnnoShell
import AnnoStore
import AnnoSuggest
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

  /// Whose labels a message speaks of: "by you", or "in the gold version" in review.
  var whose: String { isReviewing ? "in the gold version" : "by you" }

  /// The selectors typed after a command's fixed arguments, parsed.
  func selectors(_ words: some Sequence<ShellWord>) throws -> [SpanSelector] {
    do {
      return try SpanSelector.parse(Array(words))
    } catch {
      throw ShellError(error.description)
    }
  }

  /// The ranges selectors pick, in the order typed, and the matches left out for cutting a
  /// token. Span references (`#7`, `ann2#4`) pick the span's range.
  func ranges(
    of selectors: [SpanSelector], options: TextLocator.Options,
    isTaken: (Range<Int>) -> Bool = { _ in false }
  ) throws -> (picks: [SelectedRange], cut: [Range<Int>]) {
    var picks: [SelectedRange] = []
    var cut: [Range<Int>] = []
    for selector in selectors {
      if case .span(let reference) = selector {
        picks += try spans(reference, editing: false).map { SelectedRange(range: $0.range) }
        continue
      }
      do {
        let resolution = try locator.resolve(selector, options: options) { range in
          isTaken(range) || picks.contains { $0.range.overlaps(range) }
        }
        picks += resolution.ranges
        cut += resolution.cut
      } catch {
        throw ShellError(error.description)
      }
    }
    return (picks, cut)
  }

  /// A line saying which matches were left out because they cut a token.
  func cutNote(_ cut: [Range<Int>]) -> String? {
    guard !cut.isEmpty else { return nil }
    let listed = cut.prefix(3).map {
      "\(quoted(locator.snap($0))) \($0.lowerBound):\($0.upperBound)"
    }
    return palette.dim(
      "left out \(cut.count) match\(cut.count == 1 ? "" : "es") inside other words (\(listed.joined(separator: ", "))\(cut.count > 3 ? ", …" : "")); --snap or --chars includes them"
    )
  }

  /// The spans and ranges of an edit for the event log: `#4 "Olena" 837:852, …`.
  func logged(_ items: [(id: LocalID?, range: Range<Int>)]) -> String {
    guard items.count > 3 else {
      return items.map { item in
        "\(Self.reference(item.id, owner: nil)) \(AnnotationSet.quoted(text[item.range], limit: 30)) \(item.range.lowerBound):\(item.range.upperBound)"
      }.joined(separator: ", ")
    }
    // Many spans: their ids, runs compressed (#13–#19), and the texts they cover.
    var texts: [String] = []
    for item in items where !texts.contains(text[item.range]) { texts.append(text[item.range]) }
    let shown = texts.prefix(3).map { AnnotationSet.quoted($0, limit: 30) }
    return
      "\(Self.compact(items.compactMap(\.id))) (\(items.count) spans: \(shown.joined(separator: ", "))\(texts.count > 3 ? ", …" : ""))"
  }

  /// Ids with runs compressed: `#2, #5–#7`.
  static func compact(_ ids: [LocalID]) -> String {
    var runs: [ClosedRange<LocalID>] = []
    for id in ids.sorted() {
      if let last = runs.last, last.upperBound.advanced(by: 1) == id {
        runs[runs.count - 1] = last.lowerBound...id
      } else if runs.last?.contains(id) != true {
        runs.append(id...id)
      }
    }
    return runs.map { $0.count == 1 ? "#\($0.lowerBound)" : "#\($0.lowerBound)–#\($0.upperBound)" }
      .joined(separator: ", ")
  }
}

struct TagCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "tag",
    abstract: "Tag text with an entity label.",
    discussion: """
      tag PER "Sergei Lavrov"     the first occurrence not yet tagged PER
      tag PER "Lavrov" #3         the third occurrence
      tag PER "Lavrov" all        every occurrence
      tag PER "Lavrov" "Kerry"    several at once: one command, one undo
      tag PER 120:131             code point offsets
      tag PER t14-t16             tokens (see 'show tokens')
      tag LOC /Black Sea/         each match of a regex (Python's re syntax)
      tag PER ann2#4              the range of another annotator's span
      Phrases match whole tokens, case-sensitively (-i ignores case), and ' "
      match ’ ”. A range that cuts a token is refused: --snap widens it to the
      tokens, --chars keeps it. Occurrences already tagged with the label are
      skipped, and the shell says so; a range with another of your labels
      needs --also.
      """)

  @Argument(help: "The label (or its shortcut key).") var label: String
  @Argument(parsing: .allUnrecognized, help: "What to tag.") var selector: [String] = []
  @Flag(help: "Widen ranges that cut a token to the whole tokens.") var snap = false
  @Flag(help: "Keep the exact characters, even inside tokens.") var chars = false
  @Flag(name: [.customShort("i"), .customLong("ignore-case")], help: "Match phrases in any case.")
  var ignoreCase = false
  @Flag(help: "Give a range that already has another of your labels this one as well.")
  var also = false

  static let flags: Set<String> = ["--snap", "--chars", "-i", "--ignore-case", "--also"]

  /// Why a range picked was not tagged.
  enum Skip {
    /// The same range has the label already.
    case tagged(StoredAnnotation)
    /// It overlaps a span of the label.
    case overlaps(Range<Int>, StoredAnnotation)
    /// It overlaps a range this command tags.
    case overlapsPick(Range<Int>, Range<Int>)
  }

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    let label = try context.entityLabel(self.label)
    guard !(snap && chars) else { throw ShellError("give --snap or --chars, not both") }
    let words = context.arguments(dropping: Self.flags, fallback: [self.label] + selector)
    let selectors = try context.selectors(words.dropFirst())
    let options = TextLocator.Options(
      ignoresCase: ignoreCase, boundaries: chars ? .chars : snap ? .snap : .tokens)
    let mine = try context.spans()
    let sameLabel = mine.filter { $0.value == label }
    func overlapping(_ range: Range<Int>) -> StoredAnnotation? {
      sameLabel.first { $0.range?.overlaps(range) ?? false }
    }
    let (picks, cut): ([SelectedRange], [Range<Int>])
    do {
      (picks, cut) = try context.ranges(of: selectors, options: options) {
        overlapping($0) != nil
      }
    } catch let error as ShellError {
      throw ShellError(error.message + Self.quotingHint(words.dropFirst(), in: context.locator))
    }
    var added: [SelectedRange] = []
    var skipped: [Skip] = []
    var conflicts: [String] = []
    var seen = Set<Range<Int>>()
    for pick in picks where seen.insert(pick.range).inserted {
      let range = pick.range
      if let same = sameLabel.first(where: { $0.range == range }) {
        skipped.append(.tagged(same))
      } else if let over = overlapping(range) {
        skipped.append(.overlaps(range, over))
      } else if let earlier = added.first(where: { $0.range.overlaps(range) }) {
        skipped.append(.overlapsPick(range, earlier.range))
      } else if let other = mine.first(where: { $0.range == range }) {
        let id = ShellContext.reference(other.localID, owner: nil)
        if !context.schema.allowsSeveralLabelsPerSpan {
          conflicts.append(
            "\(context.describe(other)) is already there, and this schema gives a range one label (allow_several_labels_per_span: false); 'relabel \(id) \(label)' changes it"
          )
        } else if !also {
          conflicts.append(
            "\(context.describe(other)) is already there; 'relabel \(id) \(label)' changes its label, or --also gives the range \(label) as well"
          )
        } else {
          added.append(pick)
        }
      } else {
        added.append(pick)
      }
    }
    if !conflicts.isEmpty {
      throw ShellError(
        conflicts.count == 1
          ? conflicts[0] + (picks.count > 1 ? "; nothing was tagged" : "")
          : "\(conflicts.count) ranges have another label \(context.whose); nothing was tagged:\n  "
            + conflicts.joined(separator: "\n  "))
    }
    if added.isEmpty, skipped.count == 1 {
      switch skipped[0] {
      case .tagged(let same):
        context.say("already tagged: " + context.describe(same))
        return
      case .overlaps(let range, let over):
        let name = ShellContext.reference(over.localID, owner: nil)
        throw ShellError(
          "\(context.quoted(range)) \(range.lowerBound):\(range.upperBound) overlaps \(context.describe(over)); spans of one label do not overlap ("
            + (Self.widening(over, to: range).map { "\($0) widens it, " } ?? "")
            + "'untag \(name)' removes it)")
      case .overlapsPick:
        break
      }
    }
    if !added.isEmpty {
      // Tagging over a suggestion's range accepts it: the annotation keeps where it came from.
      let suggested = try context.suggestions()
      let edits: [Edit] = added.map { selection in
        if let suggestion = suggested.first(where: { $0.range == selection.range }) {
          return .add(
            kind: .entity, range: selection.range, target: nil, value: label, origin: "suggested",
            originDetail: SuggestionProvider.origin(of: suggestion))
        }
        return .add(.entity, range: selection.range, value: label)
      }
      try context.apply(edits, to: document.id, by: context.annotator) { ids in
        "tag \(label) "
          + context.logged(zip(added, ids).map { (id: $1, range: $0.range) })
      }
      let after = try context.spans()
      for selection in added {
        let span = after.first { $0.range == selection.range && $0.value == label }
        var line =
          "tagged "
          + context.describe(selection.range, label: label, id: span?.localID)
        if let from = selection.snappedFrom {
          line += context.palette.dim(
            " (snapped from \(from.lowerBound):\(from.upperBound) \(context.quoted(from)) to whole tokens)"
          )
        }
        context.say(line)
      }
    }
    if !skipped.isEmpty { context.say(skipNote(skipped, label: label, in: context)) }
    if let note = context.cutNote(cut) { context.say(note) }
  }

  /// For words typed unquoted that run into one phrase (`Odesa Mykolaiv`) and each occur on
  /// their own: how to tag each.
  static func quotingHint(_ words: some Collection<ShellWord>, in locator: TextLocator) -> String {
    var runs: [[String]] = [[]]
    for word in words {
      if word.isQuoted || word.isPattern || word.text.hasPrefix("#") || word.text == "all"
        || word.text.contains(":")
      {
        runs.append([])
      } else {
        runs[runs.count - 1].append(word.text)
      }
    }
    guard
      let run = runs.first(where: { run in
        run.count > 1 && run.allSatisfy { (try? locator.resolve(.text($0, .all))) != nil }
      })
    else { return "" }
    return "; to tag each, quote each: " + run.map { "\"\($0)\"" }.joined(separator: " ")
  }

  /// The `extend` that grows a span toward a range reaching past it, if the range does.
  static func widening(_ span: StoredAnnotation, to range: Range<Int>) -> String? {
    guard let existing = span.range else { return nil }
    let name = ShellContext.reference(span.localID, owner: nil)
    if range.lowerBound < existing.lowerBound { return "'extend \(name) left'" }
    if range.upperBound > existing.upperBound { return "'extend \(name) right'" }
    return nil
  }

  func skipNote(_ skipped: [Skip], label: String, in context: ShellContext) -> String {
    func at(_ range: Range<Int>?) -> String {
      range.map { "\(context.quoted($0)) \($0.lowerBound):\($0.upperBound)" } ?? ""
    }
    func listed(_ items: [String]) -> String {
      items.prefix(3).joined(separator: ", ") + (items.count > 3 ? ", …" : "")
    }
    var tagged: [String] = []
    var overlapping: [String] = []
    var widen: String?
    for skip in skipped {
      switch skip {
      case .tagged(let same):
        tagged.append("\(at(same.range)) (\(ShellContext.reference(same.localID, owner: nil)))")
      case .overlaps(let range, let over):
        overlapping.append("\(at(range)) (\(ShellContext.reference(over.localID, owner: nil)))")
        if widen == nil, let command = Self.widening(over, to: range) {
          widen = "\(command) widens it"
        }
      case .overlapsPick(let range, let earlier):
        overlapping.append(
          "\(at(range)) (overlaps \(earlier.lowerBound):\(earlier.upperBound), tagged now)")
      }
    }
    var parts: [String] = []
    if !tagged.isEmpty {
      parts.append("\(tagged.count) already tagged \(label) \(context.whose): \(listed(tagged))")
    }
    if !overlapping.isEmpty {
      parts.append(
        "\(overlapping.count) overlapping \(label) spans \(context.whose): \(listed(overlapping))"
          + (widen.map { " (\($0))" } ?? ""))
    }
    return context.palette.dim("skipped " + parts.joined(separator: "; skipped "))
  }
}

/// The span ids and phrases after `untag`, `relabel`: ids (`#5`, `5`, `#5-#8`, `ann2#4`)
/// stand alone; a quoted phrase, or a run of unquoted words, names spans by their text.
enum SpanTargets {
  case reference(SpanReference)
  case phrase(String)

  static func parse(_ words: [ShellWord]) -> [SpanTargets] {
    var targets: [SpanTargets] = []
    var phrase: [String] = []
    func flush() {
      if !phrase.isEmpty { targets.append(.phrase(phrase.joined(separator: " "))) }
      phrase = []
    }
    for word in words {
      if !word.isQuoted, let reference = SpanReference(word.text, allowsBareNumber: true) {
        flush()
        targets.append(.reference(reference))
      } else if word.isQuoted {
        flush()
        phrase = [word.text]
        flush()
      } else {
        phrase.append(word.text)
      }
    }
    flush()
    return targets
  }
}

extension ShellContext {
  /// The spans being edited that targets name, in the order named, each once; ids of a
  /// range that do not exist (removed earlier) are reported.
  func spans(named targets: [SpanTargets]) throws -> [StoredAnnotation] {
    var chosen: [StoredAnnotation] = []
    for target in targets {
      switch target {
      case .reference(let reference):
        let found = try spans(reference, editing: true).map(\.span)
        if reference.ids.count > 1 {
          let missing = reference.ids.filter { id in !found.contains { $0.localID == id } }
          if !missing.isEmpty {
            say(
              palette.dim(
                "(\(ShellContext.idList(missing)) \(missing.count == 1 ? "is" : "are") not on this document)"
              ))
          }
        }
        chosen += found
      case .phrase(let phrase):
        let found = try spans().filter { span in
          span.range.map { TextLocator.sameText(text[$0], phrase) } ?? false
        }
        guard !found.isEmpty else {
          throw ShellError(
            "no span \(whose) over \(AnnotationSet.quoted(phrase)); 'show spans' lists them")
        }
        chosen += found
      }
    }
    var seen = Set<Int64>()
    return chosen.filter { seen.insert($0.id).inserted }
  }
}

struct UntagCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "untag",
    abstract: "Remove spans by id (#5 #6, #5-#8), or every one of yours over \"text\".")

  @Argument(help: "Span ids (#5, #5-#8) or the text of the spans to remove.") var targets: [String]

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    let words = context.arguments(dropping: [], fallback: targets)
    let removed = try context.spans(named: SpanTargets.parse(words))
    try context.apply(
      removed.map { .remove(id: $0.id) }, to: document.id, by: context.annotator,
      summary: "untag " + context.logged(removed.map { ($0.localID, $0.range ?? 0..<0) }))
    for span in removed { context.say("removed " + context.describe(span)) }
  }
}

extension ShellContext {
  /// Why spans of the labels being edited cannot become these (range, label) pairs: an
  /// identical span, or an overlap with a span of the same label, among the others.
  func clashes(of changed: [(span: StoredAnnotation, range: Range<Int>, label: String)]) throws
    -> [String]
  {
    let changing = Set(changed.map(\.span.id))
    var others = try spans().filter { !changing.contains($0.id) }.map {
      (id: $0.localID, range: $0.range ?? 0..<0, label: $0.value)
    }
    var problems: [String] = []
    for change in changed {
      let name = ShellContext.reference(change.span.localID, owner: nil)
      if let same = others.first(where: { $0.range == change.range && $0.label == change.label }) {
        problems.append(
          "\(name) would become a copy of \(describe(same.range, label: same.label, id: same.id))")
      } else if let over = others.first(where: {
        $0.label == change.label && $0.range.overlaps(change.range)
      }) {
        problems.append(
          "\(name) would overlap \(describe(over.range, label: over.label, id: over.id)), and spans of one label do not overlap"
        )
      } else if let other = others.first(where: { $0.range == change.range }),
        !schema.allowsSeveralLabelsPerSpan
      {
        problems.append(
          "\(name) would share its range with \(describe(other.range, label: other.label, id: other.id)), and this schema gives a range one label"
        )
      }
      others.append((change.span.localID, change.range, change.label))
    }
    return problems
  }
}

struct RelabelCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "relabel",
    abstract: "Give spans another label: relabel #5 ORG, relabel #5 #6 ORG, relabel #5-#8 ORG.")

  @Argument(help: "Span ids (#5, #5-#8), then the new label.") var arguments: [String]

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    let words = context.arguments(dropping: [], fallback: arguments)
    guard words.count >= 2, let last = words.last else {
      throw ShellError("say which spans and the new label: relabel #5 ORG, relabel #5-#8 ORG")
    }
    let label = try context.entityLabel(last.text)
    let spans = try context.spans(named: SpanTargets.parse(Array(words.dropLast())))
    let changes = spans.filter { $0.value != label }
    for span in spans where span.value == label {
      context.say("\(ShellContext.reference(span.localID, owner: nil)) is already \(label)")
    }
    guard !changes.isEmpty else { return }
    let problems = try context.clashes(
      of: changes.map { (span: $0, range: $0.range ?? 0..<0, label: label) })
    guard problems.isEmpty else {
      throw ShellError(problems.joined(separator: "; ") + "; nothing was relabelled")
    }
    try context.apply(
      changes.map { .update(id: $0.id, range: $0.range, value: label) }, to: document.id,
      by: context.annotator,
      summary: "relabel "
        + context.logged(changes.map { ($0.localID, $0.range ?? 0..<0) }) + " → \(label) (was "
        + Array(Set(changes.map(\.value))).sorted().joined(separator: ", ") + ")")
    for span in changes {
      context.say(
        "relabelled "
          + context.describe(span.range ?? 0..<0, label: label, id: span.localID)
          + " (was \(span.value))")
    }
  }
}

struct ExtendCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "extend",
    abstract: "Grow (+1, the default) or shrink (-1) span #N by one token on the left or right.")

  @Argument(help: "The span id (#5).") var span: String
  @Argument(help: "left or right.") var side: String
  @Argument(parsing: .allUnrecognized, help: "+1 (grow) or -1 (shrink).") var amount: [String] = []

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    let entity = try context.span(span, editing: true).span
    let name = ShellContext.reference(entity.localID, owner: nil)
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
        throw ShellError("\(name) already starts at the first token")
      }
      start = previous.start
    case ("right", 1):
      guard let following = tokens.first(where: { $0.start >= end }) else {
        throw ShellError("\(name) already ends at the last token")
      }
      end = following.end
    case ("left", _):
      guard inside.count > 1 else {
        throw ShellError("\(name) has one token; use 'untag \(name)' to remove it")
      }
      start = inside[1].start
    default:
      guard inside.count > 1 else {
        throw ShellError("\(name) has one token; use 'untag \(name)' to remove it")
      }
      end = inside[inside.count - 2].end
    }
    let newRange = start..<end
    let problems = try context.clashes(of: [(entity, newRange, entity.value)])
    guard problems.isEmpty else { throw ShellError(problems.joined(separator: "; ")) }
    try context.apply(
      [.update(id: entity.id, range: newRange, value: entity.value)], to: document.id,
      by: context.annotator,
      summary:
        "extend \(name) \(entity.value) \(range.lowerBound):\(range.upperBound) → \(start):\(end)")
    context.say("now " + context.describe(newRange, label: entity.value, id: entity.localID))
  }
}
