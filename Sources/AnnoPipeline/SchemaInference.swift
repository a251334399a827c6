import AnnoCore
import AnnoFormats
import Foundation

/// What a set of input files annotates: every entity label, class and field value, counted.
/// Feeds `anno schema infer` and `anno import --new-labels`.
public struct SchemaInference {
  /// Entity labels, with how many spans use each, in the order first met.
  public private(set) var entityLabels: [(name: String, count: Int)] = []
  /// Classes by the field they fill (`nil`: no field named; `--field` names one), counted.
  public private(set) var classes: [(field: String?, values: [(value: String, count: Int)])] = []
  /// Sentiment values (document and span sentiment), in the order first met, counted.
  public private(set) var sentimentValues: [(value: String, count: Int)] = []
  /// Stance targets as written, in the order first met, counted.
  public private(set) var stanceTargets: [(name: String, count: Int)] = []
  /// An empty inference.
  public init() {}

  /// Records read, and records that could not be read.
  public private(set) var records = 0
  public private(set) var invalid = 0
  /// What the records carry that Anno would leave out.
  public private(set) var notes = NoteTally()

  /// Reads every input: JSONL with a decoder that collects classes instead of mapping them,
  /// the other formats with their readers.
  public mutating func scan(_ inputs: [ImportInput], decoder: RecordDecoder) throws {
    var decoder = decoder
    decoder.options.infersSchema = true
    for input in inputs {
      if case .formatted(let format) = input.kind {
        try FormatReaders.read(
          path: input.path, format: format, defaultAnnotator: decoder.defaultAnnotator,
          schema: decoder.schema
        ) { event in
          switch event {
          case .record(let record, _, _, _): add(record)
          case .skipped: records += 1
          case .invalid: invalid += 1
          case .leftOut(let item): notes.add(item.note)
          }
        }
        continue
      }
      guard case .jsonLines = input.kind else { continue }
      try FileLineReader(path: input.path).forEachLine { bytes, _ in
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
        guard let value = try? JSONParser.parse(bytes) else {
          invalid += 1
          return
        }
        switch try? decoder.decode(value) {
        case .record(let record)?: add(record)
        case .records(let list)?:
          for record in list { add(record) }
        case .skipped?: records += 1
        case nil: invalid += 1
        }
      }
    }
  }

  private mutating func add(_ record: ImportRecord) {
    records += 1
    for note in record.notes { notes.add(note) }
    for span in record.annotations?.entities ?? [] {
      if let i = entityLabels.firstIndex(where: { $0.name == span.label }) {
        entityLabels[i].count += 1
      } else {
        entityLabels.append((span.label, 1))
      }
    }
    for (field, value) in record.classes {
      countClass(field: field, value: value)
    }
    for (field, value) in record.annotations?.labels ?? [:] {
      countClass(field: field, value: value)
    }
    var sentiments = (record.annotations?.spanSentiments ?? []).map(\.value)
    if let sentiment = record.annotations?.sentiment { sentiments.insert(sentiment, at: 0) }
    for value in sentiments {
      if let i = sentimentValues.firstIndex(where: { $0.value == value }) {
        sentimentValues[i].count += 1
      } else {
        sentimentValues.append((value, 1))
      }
    }
    for stance in record.annotations?.stances ?? [] {
      if let i = stanceTargets.firstIndex(where: { $0.name == stance.target }) {
        stanceTargets[i].count += 1
      } else {
        stanceTargets.append((stance.target, 1))
      }
    }

    func countClass(field: String?, value: String) {
      let i =
        classes.firstIndex(where: { $0.field == field })
        ?? {
          classes.append((field, []))
          return classes.count - 1
        }()
      if let j = classes[i].values.firstIndex(where: { $0.value == value }) {
        classes[i].values[j].count += 1
      } else {
        classes[i].values.append((value, 1))
      }
    }
  }

  /// A schema declaring everything found, with the counts as comments, for the user to edit.
  public func yaml(sources: [String]) -> String {
    func quoted(_ s: String) -> String { JSONWriter.string(for: .string(s)) }
    var lines = [
      "# Inferred by 'anno schema infer' from \(sources.joined(separator: ", ")):",
      "# \(records) records read\(invalid > 0 ? ", \(invalid) unreadable (run 'anno import' to see why)" : "").",
      "# Edit it (descriptions, keys, colours; merge or drop labels), then: anno schema load FILE",
      "schema: inferred",
      "version: 1",
      "",
      "entities:",
    ]
    var declared = 0
    for (name, count) in entityLabels.sorted(by: {
      $0.count > $1.count || ($0.count == $1.count && $0.name < $1.name)
    }) {
      guard LabelSchema.isPlainName(name) else {
        lines.append(
          "  # \(quoted(name)) (\(count) spans) is no valid label name; rename it with anno import --label-map"
        )
        continue
      }
      lines.append("  - name: \(name)  # \(count) span\(count == 1 ? "" : "s")")
      lines.append("    description: \"\"")
      declared += 1
    }
    if declared == 0 {
      lines.append("  # no spans found; a schema declares at least one entity label")
      lines.append("  - name: ENTITY")
      lines.append("    description: \"\"")
    }
    lines += [
      "",
      "sentiment:",
      "  values: [negative, neutral, positive]",
      "",
      "stance:",
      "  values: [favor, against, neutral]",
    ]
    let fields = classes.filter { !$0.values.isEmpty }
    if !fields.isEmpty {
      lines += [
        "", "# Document classes found, as fields (one value per document unless multiple).",
        "fields:",
      ]
      for (field, values) in fields {
        let total = values.reduce(0) { $0 + $1.count }
        lines.append("  - name: \(field ?? "category")  # \(total) answer\(total == 1 ? "" : "s")")
        lines.append("    description: \"\"")
        lines.append("    level: nominal")
        lines.append("    values:")
        for (value, count) in values.sorted(by: {
          $0.count > $1.count || ($0.count == $1.count && $0.value < $1.value)
        }) {
          lines.append("      - \(quoted(value))  # \(count)")
        }
      }
    }
    let left = notes.lines(kind: .leftOut)
    if !left.isEmpty {
      lines.append("")
      lines.append("# On import (Anno has no place for them):")
      for line in left { lines.append("#   \(line)") }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
