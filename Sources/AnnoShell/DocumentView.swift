import AnnoCore
import AnnoPipeline
import AnnoStore
import AnnoSuggest

/// Rendering of the open document for `show`.
package enum DocumentView {
  package static func header(_ context: ShellContext) throws -> String {
    guard let document = context.document else { return "" }
    let p = context.palette
    var out = p.bold(DisplayText.sanitized(document.document.externalID))
    if let title = document.document.title { out += " — " + DisplayText.sanitized(title) }
    out += "\n"
    let status = try context.store.status(documentID: document.id, annotator: context.labelOwner)
    var facts = [
      "status: \(status.status.rawValue)"
        + (status.flagReason.map { " (\(DisplayText.sanitized($0)))" } ?? "")
    ]
    let annotations = try context.annotations()
    if let sentiment = annotations.first(where: { $0.kind == .sentiment }) {
      facts.append("sentiment: \(sentiment.value)")
    }
    let stances = annotations.filter { $0.kind == .stance }
    let documentStances = stances.filter { $0.range == nil }.map { stance in
      "\(DisplayText.sanitized(stance.target ?? ""))=\(stance.value)"
    }
    if !documentStances.isEmpty {
      facts.append("stance: " + documentStances.joined(separator: ", "))
    }
    for field in context.schema.fields {
      if let label = annotations.first(where: { $0.kind == .label && $0.target == field.name }) {
        facts.append("\(field.name): \(label.value)")
      } else if annotations.contains(where: { $0.kind == .noValue && $0.target == field.name }) {
        facts.append("\(field.name): no value (looked, chose none)")
      }
      let chosen = annotations.filter { $0.kind == .choice && $0.target == field.name }
      if !chosen.isEmpty {
        facts.append(
          "\(field.name): " + field.declaredOrder(chosen.map(\.value)).joined(separator: ", "))
      }
    }
    let notes = annotations.filter { $0.kind == .note }.count
    if notes > 0 { facts.append("notes: \(notes) ('notes' lists them)") }
    out += p.dim(facts.joined(separator: " · ")) + "\n"
    // Stances anchored to their evidence, one line each.
    for stance in stances {
      guard let range = stance.range else { continue }
      out +=
        p.dim(
          "stance: \(DisplayText.sanitized(stance.target ?? ""))=\(stance.value), evidence "
            + "\(DisplayText.sanitized(AnnotationSet.quoted(context.text[range], limit: 60))) \(range.lowerBound):\(range.upperBound)"
        ) + "\n"
    }
    return out + "\n"
  }

  /// `3` or `3-5`: paragraph numbers.
  package static func paragraphRange(_ word: String) -> ClosedRange<Int>? {
    let bounds = word.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
    guard (1...2).contains(bounds.count), let first = bounds[0], let last = bounds[bounds.count - 1]
    else { return nil }
    return first <= last ? first...last : nil
  }

  /// `show N-M`: a line saying where these paragraphs are, then the paragraphs.
  package static func showParagraphs(
    _ range: ClosedRange<Int>, everyone: Bool, in context: ShellContext
  )
    throws
  {
    guard let document = context.document else { return }
    let paragraphs = try drawnParagraphs(context, everyone: everyone)
    guard range.lowerBound >= 1, range.upperBound <= paragraphs.count else {
      throw ShellError(
        paragraphs.count == 1
          ? "this document has one paragraph; 'show' shows it"
          : "this document has paragraphs 1 to \(paragraphs.count); 'show 1-\(min(3, paragraphs.count))' shows the first ones"
      )
    }
    let which =
      range.count == 1
      ? "paragraph \(range.lowerBound)" : "paragraphs \(range.lowerBound)–\(range.upperBound)"
    context.say(
      context.palette.dim(
        "\(DisplayText.sanitized(document.document.externalID)): \(which) of \(paragraphs.count)"))
    context.write(join(paragraphs, range, in: context))
  }

  package static func join(
    _ paragraphs: [String], _ range: ClosedRange<Int>, in context: ShellContext
  )
    -> String
  {
    DocumentRenderer.join(paragraphs, range, palette: context.palette)
  }

  /// What opening a document shows at a terminal: the header and the paragraphs that fit on
  /// the screen, and, when some do not, how to see the rest.
  ///
  /// - Parameter reserved: the lines the rest of the screen needs (the prompt, lines printed
  ///   with the preview).
  package static func preview(_ context: ShellContext, reserving reserved: Int = 2) throws -> String
  {
    let header = try header(context)
    let paragraphs = try drawnParagraphs(context, everyone: false)
    guard let height = context.height, !paragraphs.isEmpty else {
      return header + join(paragraphs, 1...max(1, paragraphs.count), in: context)
    }
    func lines(_ text: String) -> Int { TerminalOutput.height(of: text, columns: context.width) }
    func note(_ shown: Int) -> String {
      let next = "\(shown + 1)-\(min(paragraphs.count, 2 * shown))"
      return context.palette.dim(
        "(paragraphs 1–\(shown) of \(paragraphs.count); 'show' pages them all, 'show \(next)' the next)"
      ) + "\n"
    }
    var room = height - reserved - lines(header) - lines(note(paragraphs.count))
    var shown = 0
    for paragraph in paragraphs {
      let needed = lines(paragraph) + (shown > 0 ? 1 : 0)
      guard needed <= room else { break }
      room -= needed
      shown += 1
    }
    guard shown > 0 else {
      return header
        + context.palette.dim(
          "(\(paragraphs.count) paragraph\(paragraphs.count == 1 ? "" : "s"); 'show' pages them, 'show 1-3' prints the first)"
        ) + "\n"
    }
    return header + join(paragraphs, 1...shown, in: context)
      + (shown < paragraphs.count ? note(shown) : "")
  }

  package static func body(_ context: ShellContext, everyone: Bool) throws -> String {
    let paragraphs = try drawnParagraphs(context, everyone: everyone)
    return paragraphs.isEmpty ? "" : join(paragraphs, 1...paragraphs.count, in: context)
  }

  /// The open document drawn paragraph by paragraph, with the annotator's spans and
  /// suggestions, or every annotator's spans.
  package static func drawnParagraphs(_ context: ShellContext, everyone: Bool) throws -> [String] {
    guard let document = context.document else { return [] }
    var spans: [RenderedSpan] = []
    func draw(_ entity: StoredAnnotation, owner: String?) {
      guard let range = entity.range else { return }
      spans.append(
        RenderedSpan(
          range: range, label: entity.value,
          number: (owner == nil ? "" : "@") + ShellContext.reference(entity.localID, owner: owner),
          color: context.schema.entityLabel(named: entity.value)?.color))
    }
    if everyone {
      // Yours as #N, everyone else's as @name#N: the names untag and the others take.
      for (name, annotations) in try context.store.allAnnotations(documentID: document.id).sorted(
        by: { $0.key < $1.key })
      {
        for entity in annotations.filter({ $0.kind == .entity }).sorted(
          by: ShellContext.displayOrder)
        {
          draw(entity, owner: name == context.labelOwner ? nil : name)
        }
      }
    } else {
      for entity in try context.spans() { draw(entity, owner: nil) }
      for (i, suggestion) in try context.suggestions().enumerated() {
        spans.append(
          RenderedSpan(
            range: suggestion.range, label: suggestion.label, number: "s\(i + 1)",
            color: context.schema.entityLabel(named: suggestion.label)?.color, isSuggestion: true))
      }
    }
    return DocumentRenderer.paragraphs(
      text: context.text, spans: spans, width: context.width, palette: context.palette)
  }

  package static func tokens(_ context: ShellContext) -> String {
    let pieces = context.locator.wordTokens.enumerated().map { i, token in
      context.palette.dim("t\(i):") + DisplayText.sanitized(context.text[token.range])
    }
    var out = ""
    var line = ""
    for piece in pieces {
      if !line.isEmpty
        && DisplayText.width(of: line) + 1 + DisplayText.width(of: piece) > context.width
      {
        out += line + "\n"
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + piece
    }
    return out + (line.isEmpty ? "" : line + "\n")
  }

  package static func suggestionTable(_ context: ShellContext) throws -> String {
    let rows = try context.suggestions().enumerated().map { i, suggestion in
      [
        "s\(i + 1)", suggestion.label,
        "\(suggestion.range.lowerBound):\(suggestion.range.upperBound)",
        DisplayText.sanitized(AnnotationSet.quoted(context.text[suggestion.range], limit: 40)),
        SuggestionProvider.describe(suggestion),
      ]
    }
    guard !rows.isEmpty else {
      return context.suggestionsOn
        ? "no suggestions here\n" : "suggestions are off ('suggest on' turns them on)\n"
    }
    return TextTable.render(
      headers: ["#", "label", "offsets", "text", "source"], rows: rows, palette: context.palette,
      width: context.width)
      + context.palette.dim("accept sN · accept all · accept LABEL · reject sN · reject all") + "\n"
  }

  package static func spanTable(_ context: ShellContext) throws -> String {
    let annotations = try context.annotations()
    let sentiments = annotations.filter { $0.kind == .spanSentiment }
    let stances = annotations.filter { $0.kind == .stance && $0.range != nil }
    let rows = try context.spans().map { entity -> [String] in
      let range = entity.range ?? 0..<0
      let sentiment = sentiments.first { $0.range == range }?.value ?? ""
      let stance = stances.filter { $0.range == range }.map { "\($0.target ?? "")=\($0.value)" }
        .joined(separator: ", ")
      return [
        ShellContext.reference(entity.localID, owner: nil), entity.value,
        "\(range.lowerBound):\(range.upperBound)",
        DisplayText.sanitized(AnnotationSet.quoted(context.text[range], limit: 40)), sentiment,
        stance,
      ]
    }
    guard !rows.isEmpty else { return "no spans yet; tag one with 'tag LABEL \"text\"'\n" }
    return TextTable.render(
      headers: ["#", "label", "offsets", "text", "sentiment", "stance"], rows: rows,
      palette: context.palette, width: context.width)
  }
}

/// Opens a document and announces it: the whole view at a terminal, one line in scripts.
package func present(_ stored: StoredDocument, in context: ShellContext) throws {
  if context.isReviewing {
    try ReviewView.checkReviewable(stored, in: context)
    // What every finished annotator agrees on goes to the gold version as the reviewer opens
    // the document (auto:unanimous), so only disagreements are left to decide.
    _ = try context.store.settleUnanimousItems(documentID: stored.id)
  }
  context.open(stored)
  if context.isReviewing {
    // Number the versions now, so 'accept N' means this list even if someone decides meanwhile.
    context.listedVersions = (
      stored.id, ReviewView.versions(try context.store.review(of: stored.id))
    )
  }
  if context.isInteractive {
    guard context.isReviewing else {
      context.write(try DocumentView.preview(context))
      return
    }
    // The numbered versions 'accept N' refers to stay on the screen, below what fits of the text.
    let table = try ReviewView.disagreements(context)
    context.write(
      try DocumentView.preview(
        context,
        reserving: 2 + TerminalOutput.height(of: table, columns: context.width)))
    context.writeBelow(table)
  } else {
    context.say("opened \(DisplayText.sanitized(stored.document.externalID))")
  }
}
