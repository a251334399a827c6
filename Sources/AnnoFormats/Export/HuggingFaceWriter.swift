import AnnoCore

/// A Hugging Face dataset folder that `datasets.load_dataset(OUT, CONFIG)` loads with the
/// schema's label names.
///
/// Layout: `data/CONFIG/SPLIT.jsonl` and `README.md`, a dataset card whose YAML front matter
/// declares `configs` (`config_name`, `data_files` per split) and `dataset_info` (features,
/// with `class_label` names exactly the schema's labels and values). Without `--split`, the
/// one split is `train`. Configs, by selected kind:
/// - `ner`: `id`, `annotator`, `tokens` (whitespace tokens left out), `ner_tags` (IOB2
///   ClassLabel ints, names `O`, `B-PER`, `I-PER`, ... in schema order), from the
///   non-overlapping entity layer;
/// - `sentiment`: `id`, `annotator`, `text`, `label` (the document sentiment);
/// - `stance`: `id`, `annotator`, `text`, `target`, `label`: one row per document-level stance;
/// - one config per document field (`topic`, `urgency`; `field_ner` for a field named `ner`):
///   `id`, `annotator`, `text`, `label`; a set-valued field (`multiple: true`) has `labels`
///   instead, a `Sequence(ClassLabel)` of the chosen values in declared order (multi-label).
///
/// Rows are written only for annotated items (a set with no sentiment gives no `sentiment`
/// row), and a config or split with no rows is left out of the card. A set with no entity
/// layer, or a partial one, has no `ner` row (counted in `omitted`): all-`O` tags would say
/// its text names nothing, and `datasets` has no tag for "not annotated" that token
/// classification training and seqeval both pass over. Span sentiments and
/// anchored stances are counted in the summary's `omitted`.
final class HuggingFaceWriter: FormatWriter {
  private let schema: LabelSchema
  private let kinds: Set<AnnotationKindSelection>
  private let folder: StagedFolder
  private let splitNames: [String]
  private let nerNames: [String]
  /// Open files by config, then part.
  private var files: [String: [Int: OutputFile]] = [:]

  init(_ context: FormatContext) throws(ExportError) {
    schema = context.schema
    kinds = context.options.kinds
    guard let folder = context.layout.folder else {
      throw .needsPath("the hf format writes a folder and")
    }
    self.folder = folder
    splitNames = context.options.split?.names ?? ["train"]
    nerNames = ["O"] + schema.entityLabels.flatMap { ["B-\($0.name)", "I-\($0.name)"] }
  }

  func write(_ document: PreparedDocument, part: Int, summary: inout ExportSummary)
    throws(ExportError)
  {
    let set = document.annotations
    if kinds.contains(.entities), set.entities != nil {
      let tags = SpacyJSONEncoder.iob2Tags(
        count: document.tokens.count, spans: document.entityLayer)
      let kept = document.tokens.indices.filter { !document.tokens[$0].isSpace }
      try row("ner", part) { w in
        var o = JSONObjectWriter(&w)
        Self.idAndAnnotator(&o, document, &w)
        o.key("ner_tags", &w)
        w.list(kept) { i, w in w.int(nerNames.firstIndex(of: tags[i]) ?? 0) }
        o.key("tokens", &w)
        w.list(kept) { i, w in w.string(document.text[document.tokens[i].range]) }
        o.end(&w)
      }
    } else if kinds.contains(.entities), !document.droppedPartialLayer {
      summary.omitted[PreparedDocument.noEntityLayerOmission, default: 0] += 1
    }
    if let sentiment = set.sentiment, let label = schema.sentiment.values.firstIndex(of: sentiment)
    {
      try classification("sentiment", part, document, label: label, target: nil)
    }
    for stance in set.stances ?? [] {
      guard stance.range == nil else {
        summary.omitted["anchored stance", default: 0] += 1
        continue
      }
      if let label = schema.stance.values.firstIndex(of: stance.value) {
        try classification("stance", part, document, label: label, target: stance.target)
      }
    }
    for field in schema.fields where field.isMultiple {
      guard let chosen = set.labelSets?[field.name], !chosen.isEmpty else { continue }
      let labels = field.declaredOrder(chosen).compactMap { field.values.firstIndex(of: $0) }
      try row(Self.configName(field), part) { w in
        var o = JSONObjectWriter(&w)
        Self.idAndAnnotator(&o, document, &w)
        o.key("labels", &w)
        w.list(labels) { label, w in w.int(label) }
        o.key("text", &w)
        w.string(document.document.text)
        o.end(&w)
      }
    }
    for field in schema.fields where !field.isMultiple {
      guard let value = set.labels?[field.name],
        let label = field.canonicalValue(value).flatMap({ field.values.firstIndex(of: $0) })
      else { continue }
      try classification(Self.configName(field), part, document, label: label, target: nil)
    }
    if let count = set.spanSentiments?.count, count > 0 {
      summary.omitted["span sentiment", default: 0] += count
    }
  }

  func finish(summary: inout ExportSummary) throws(ExportError) {
    let card = try folder.makeFile("README.md")
    card.append(datasetCard())
    try card.flush()
  }

  // MARK: - Rows

  private func classification(
    _ config: String, _ part: Int, _ document: PreparedDocument, label: Int, target: String?
  ) throws(ExportError) {
    try row(config, part) { w in
      var o = JSONObjectWriter(&w)
      Self.idAndAnnotator(&o, document, &w)
      o.key("label", &w)
      w.int(label)
      if let target {
        o.key("target", &w)
        w.string(target)
      }
      o.key("text", &w)
      w.string(document.document.text)
      o.end(&w)
    }
  }

  private func row(_ config: String, _ part: Int, _ body: (inout JSONWriter) -> Void)
    throws(ExportError)
  {
    let file: OutputFile
    if let open = files[config]?[part] {
      file = open
    } else {
      file = try folder.makeFile(Self.dataPath(config: config, split: splitNames[part]))
      files[config, default: [:]][part] = file
    }
    body(&file.writer)
    file.writer.newline()
    try file.flushIfNeeded()
  }

  private static func idAndAnnotator(
    _ o: inout JSONObjectWriter, _ document: PreparedDocument, _ w: inout JSONWriter
  ) {
    o.key("annotator", &w)
    w.string(document.annotator)
    o.key("id", &w)
    w.string(document.id)
  }

  /// Where a config's split goes, every name encoded by `SafeFileName`.
  private static func dataPath(config: String, split: String) -> String {
    "data/\(SafeFileName.encode(config))/\(SafeFileName.encode(split)).jsonl"
  }

  private static func configName(_ field: DocumentField) -> String {
    ["ner", "sentiment", "stance"].contains(field.name) ? "field_\(field.name)" : field.name
  }

  // MARK: - Dataset card

  /// The configs in card order with their features (YAML lines under `features:`).
  private var configs: [(name: String, features: [String])] {
    var configs: [(String, [String])] = []
    let base = ["- name: id", "  dtype: string", "- name: annotator", "  dtype: string"]
    if kinds.contains(.entities) {
      configs.append(
        (
          "ner",
          base + ["- name: tokens", "  sequence: string", "- name: ner_tags", "  sequence:"]
            + Self.classLabel(nerNames, indent: "    ")
        ))
    }
    let text = ["- name: text", "  dtype: string"]
    if kinds.contains(.sentiment) {
      configs.append(
        (
          "sentiment",
          base + text + ["- name: label"] + Self.classLabel(schema.sentiment.values, indent: "  ")
        ))
    }
    if kinds.contains(.stance) {
      configs.append(
        (
          "stance",
          base + text + ["- name: target", "  dtype: string", "- name: label"]
            + Self.classLabel(schema.stance.values, indent: "  ")
        ))
    }
    if kinds.contains(.labels) {
      for field in schema.fields {
        let label =
          field.isMultiple
          ? ["- name: labels", "  sequence:"] + Self.classLabel(field.values, indent: "    ")
          : ["- name: label"] + Self.classLabel(field.values, indent: "  ")
        configs.append((Self.configName(field), base + text + label))
      }
    }
    return configs
  }

  private static func classLabel(_ names: [String], indent: String) -> [String] {
    ["\(indent)class_label:", "\(indent)  names:"]
      + names.enumerated().map { "\(indent)    '\($0.offset)': \(yamlQuoted($0.element))" }
  }

  private static func yamlQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }

  private func datasetCard() -> String {
    let used = configs.filter { files[$0.name] != nil }
    var lines = ["---", "configs:"]
    for config in used {
      lines += ["- config_name: \(Self.yamlQuoted(config.name))", "  data_files:"]
      for (part, name) in splitNames.enumerated() where files[config.name]?[part] != nil {
        lines += [
          "  - split: \(name)",
          "    path: \(Self.yamlQuoted(Self.dataPath(config: config.name, split: name)))",
        ]
      }
    }
    lines.append("dataset_info:")
    for config in used {
      lines +=
        ["- config_name: \(Self.yamlQuoted(config.name))", "  features:"]
        + config.features.map { "  " + $0 }
    }
    lines += [
      "pretty_name: \(Self.yamlQuoted(schema.name))", "---", "",
      "# \(schema.name) (schema version \(schema.version))", "",
      "Exported by Anno. Configs: " + used.map { "`\($0.name)`" }.joined(separator: ", ") + ".", "",
      "- `ner`: one row per document and annotator; `tokens` leave whitespace out and `ner_tags` are IOB2.",
      "- `sentiment`, `stance` and field configs: one row per document-level label (`stance` adds the `target`).",
    ]
    if used.contains(where: { config in
      schema.fields.contains { $0.isMultiple && Self.configName($0) == config.name }
    }) {
      lines.append(
        "- A field that takes several values has `labels`, a sequence of class labels, instead of `label`."
      )
    }
    lines += [
      "- `annotator` names who labelled the row; the same `id` may appear once per annotator,",
      "  always in the same split.",
      "",
      "Load with `datasets.load_dataset(\"PATH\", \"CONFIG\")`.",
      "",
    ]
    return lines.joined(separator: "\n")
  }
}
