import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser

struct LabelCommand: ShellCommand {
  static let configuration = CommandConfiguration(
    commandName: "label", abstract: "Set a document field, e.g. 'label topic diplomacy'.",
    discussion: """
      label urgency 3                  a field's value (replaces the one there)
      label urgency -                  clear the field
      A field declared 'multiple: true' holds a set of values:
      label topic economy,sport        set exactly these (also: label topic economy sport)
      label topic +economy -sport      add and remove values, keeping the others
      label topic -                    clear every value
      """)

  @Argument(help: "The field (topic, urgency, ...).") var field: String
  @Argument(
    parsing: .allUnrecognized,
    help: "Its value; '-' clears it; for a multiple field, values (a,b), +add and -remove.")
  var values: [String] = []

  func run(in context: ShellContext) throws {
    let document = try context.requireDocument()
    guard
      let declared = context.schema.field(named: field)
        ?? context.schema.fields.first(where: { $0.name.lowercased() == field.lowercased() })
    else {
      throw ShellError(AnnotationSet.unknown("field", field, context.schema.fields.map(\.name)))
    }
    guard !values.isEmpty else {
      let example = declared.isMultiple ? "\(declared.values[0]),…" : declared.values[0]
      throw ShellError(
        "give a value: label \(declared.name) \(example) ('-' clears the field)")
    }
    if declared.isMultiple {
      try LabelSetEdit(field: declared, words: values).apply(in: context, to: document.id)
      return
    }
    guard values.count == 1 else {
      throw ShellError(
        "field '\(declared.name)' is not multiple: it takes one value, not \(values.count) (label \(declared.name) \(declared.values[0]))"
      )
    }
    let word = values[0]
    // An imported answer of no value (the annotator looked and chose none), if any: a value
    // replaces it, '-' clears it.
    let noValue = try context.annotations().first(where: {
      $0.kind == .noValue && $0.target == declared.name
    })
    if word == "-" {
      guard
        let existing = try context.annotations().first(where: {
          ($0.kind == .label || $0.kind == .noValue) && $0.target == declared.name
        })
      else {
        context.say("\(declared.name) has no value")
        return
      }
      let was = existing.kind == .noValue ? "no value" : existing.value
      try context.apply(
        [.remove(id: existing.id)], to: document.id, by: context.annotator,
        summary: "label \(declared.name) cleared (was \(was))")
      context.say("\(declared.name): cleared (was \(was))")
      return
    }
    // NB: +3 reads as the number 3; on a single-valued field it still means "add".
    if word.count > 1, word.hasPrefix("+") || word.hasPrefix("-"), !declared.values.contains(word) {
      throw ShellError(
        "field '\(declared.name)' is not multiple: +VALUE and -VALUE add to and remove from a set; give one value (label \(declared.name) \(declared.values[0])) or '-' to clear"
      )
    }
    let parts = word.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    if parts.count > 1, Self.declaredValue(word, of: declared) == nil,
      parts.allSatisfy({ Self.declaredValue($0, of: declared) != nil })
    {
      throw ShellError(
        "field '\(declared.name)' is not multiple: it takes one value, not \(parts.count) (label \(declared.name) \(parts[0]))"
      )
    }
    guard let value = Self.declaredValue(word, of: declared) else {
      throw ShellError(AnnotationSet.unknown("value of \(declared.name)", word, declared.values))
    }
    if let noValue {
      try context.apply(
        [.remove(id: noValue.id), .add(.label, target: declared.name, value: value)],
        to: document.id, by: context.annotator, summary: "label \(declared.name) \(value)")
    } else {
      try context.set(
        .label, range: nil, target: declared.name, value: value,
        summary: "label \(declared.name) \(value)")
    }
    context.say("\(declared.name): \(value)")
  }

  /// The declared value `typed` names: exact, numerically equal, or in another case.
  static func declaredValue(_ typed: String, of field: DocumentField) -> String? {
    field.canonicalValue(typed)
      ?? field.values.first(where: { $0.lowercased() == typed.lowercased() })
  }
}

/// What `label FIELD ...` asks of a set-valued field: set it, add and remove, or clear it.
struct LabelSetEdit {
  enum Request: Equatable {
    case set([String])
    case change(add: [String], remove: [String])
    case clear
  }

  let field: DocumentField
  let request: Request

  /// Reads the words after the field name; every value must be declared.
  init(field: DocumentField, words: [String]) throws {
    self.field = field
    func value(_ typed: String) throws -> String {
      guard let value = LabelCommand.declaredValue(typed, of: field) else {
        throw ShellError(AnnotationSet.unknown("value of \(field.name)", typed, field.values))
      }
      return value
    }
    if words == ["-"] {
      request = .clear
      return
    }
    let signed = words.filter { $0.hasPrefix("+") || $0.hasPrefix("-") }
    if signed.isEmpty {
      let typed = words.flatMap { $0.split(separator: ",").map(String.init) }
      var chosen: [String] = []
      for word in typed {
        let v = try value(word)
        if chosen.contains(v) {
          throw ShellError("'\(v)' is given twice; give each value of \(field.name) once")
        }
        chosen.append(v)
      }
      guard !chosen.isEmpty else { throw ShellError("give a value of \(field.name)") }
      request = .set(chosen)
      return
    }
    guard signed.count == words.count else {
      throw ShellError(
        "either set the values (label \(field.name) a,b) or add and remove them (label \(field.name) +a -b), not both"
      )
    }
    var add: [String] = []
    var remove: [String] = []
    for word in words {
      let name = String(word.dropFirst())
      guard !name.isEmpty else {
        throw ShellError(
          "say which value to add or remove: +\(field.values[0]) or -\(field.values[0])")
      }
      let v = try value(name)
      if add.contains(v) || remove.contains(v) {
        throw ShellError("'\(v)' is named twice; add or remove each value once")
      }
      if word.hasPrefix("+") { add.append(v) } else { remove.append(v) }
    }
    request = .change(add: add, remove: remove)
  }

  /// Applies the request as one undo step, and says what the field holds after it.
  func apply(in context: ShellContext, to documentID: DocumentID) throws {
    let existing = try context.annotations().filter {
      $0.kind == .choice && $0.target == field.name
    }
    let current = Set(existing.map(\.value))
    var adding: [String] = []
    var removing: [StoredAnnotation] = []
    var summary: String
    switch request {
    case .clear:
      removing = existing
      summary = "label \(field.name) cleared"
    case .set(let chosen):
      adding = chosen.filter { !current.contains($0) }
      removing = existing.filter { !chosen.contains($0.value) }
      summary = "label \(field.name) \(field.declaredOrder(chosen).joined(separator: ","))"
    case .change(let add, let remove):
      if let missing = remove.first(where: { !current.contains($0) }) {
        throw ShellError(
          "\(field.name) does not have '\(missing)' (it has \(Self.listed(field.declaredOrder(current)))); nothing was changed"
        )
      }
      for value in add where current.contains(value) {
        context.say("\(field.name) already has \(value)")
      }
      adding = add.filter { !current.contains($0) }
      removing = existing.filter { remove.contains($0.value) }
      summary =
        "label \(field.name) "
        + (adding.map { "+" + $0 } + removing.map { "-" + $0.value }).joined(separator: " ")
    }
    let after = current.subtracting(removing.map(\.value)).union(adding)
    guard !adding.isEmpty || !removing.isEmpty else {
      context.say("\(field.name): \(Self.listed(field.declaredOrder(after))) (unchanged)")
      return
    }
    let edits: [Edit] =
      removing.map { .remove(id: $0.id) }
      + adding.map { .add(.choice, target: field.name, value: $0) }
    try context.apply(edits, to: documentID, by: context.annotator, summary: summary)
    context.say("\(field.name): \(Self.listed(field.declaredOrder(after)))")
  }

  /// `economy, sport`, or `none`.
  static func listed(_ values: [String]) -> String {
    values.isEmpty ? "none" : values.joined(separator: ", ")
  }
}
