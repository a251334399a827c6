import AnnoCore

/// Reads a Hugging Face dataset folder as `anno export --format hf` writes it: `README.md`,
/// whose YAML front matter lists each config's `data_files` and its `class_label` names,
/// and `data/CONFIG/SPLIT.jsonl`.
///
/// Configs: `ner` (`id`, `annotator`, `tokens`, `ner_tags`: IOB2 class ids or tag names),
/// `sentiment` (`text`, `label`), `stance` (`text`, `target`, `label`) and one config per
/// document field (`field_ner` for a field named `ner`), each with `id` and `annotator`
/// (else `--annotator`). A `label` may be a class id or a name. The rows of one document and
/// annotator, spread over the configs, become one annotation set.
///
/// The `ner` config carries no text: a document's text is taken from one of its rows in
/// another config and the tokens are found in it in order (whitespace between them skipped);
/// a document with `ner` rows only gets its tokens joined by single spaces as its text, with
/// the tokens as its tokenization.
///
/// Rows are streamed: a first pass over the text configs keeps, per document and annotator,
/// its document-level labels and where its text is (file and byte offset), never the text;
/// a second pass over `ner` writes each document with its text read back from there; a
/// third pass writes the documents that have no `ner` row.
struct HuggingFaceReader {
  let folder: String
  let defaultAnnotator: String
  let schema: LabelSchema

  private struct Key: Hashable {
    var id: String
    var annotator: String
  }

  private struct Entry {
    var sentiment: String?
    var stances: [Stance] = []
    var labels: [String: String] = [:]
    var labelSets: [String: [String]] = [:]
    var textFile = 0
    var textOffset = 0
    var textLine = 0
  }

  /// A data file with its config.
  private struct DataFile {
    var config: String
    var path: String
  }

  func read(_ emit: (ReaderEvent) throws -> Void) throws {
    let cardPath = folder + "/README.md"
    guard let cardBytes = FileSystem.contents(cardPath) else {
      try emit(
        .invalid(
          file: cardPath, line: 1, bytes: 0,
          message:
            "a Hugging Face dataset folder needs its README.md dataset card (configs and class_label names), as 'anno export --format hf' writes it"
        ))
      return
    }
    let card = DatasetCard(String(decoding: cardBytes, as: UTF8.self))
    var files = card.dataFiles.map { DataFile(config: $0.config, path: folder + "/" + $0.path) }
    if files.isEmpty {
      for config in (try? FileSystem.entries(of: folder + "/data")) ?? [] {
        for name in (try? FileSystem.entries(of: folder + "/data/" + config)) ?? []
        where name.hasSuffix(".jsonl") {
          files.append(DataFile(config: config, path: folder + "/data/\(config)/\(name)"))
        }
      }
    }
    let textFiles = files.indices.filter { files[$0].config != "ner" }
    var entries: [Key: Entry] = [:]
    // Pass 1: the document-level labels, and where each document's text is.
    var problem: String?
    for index in textFiles {
      let file = files[index]
      var offset = 0
      try FileLineReader(path: file.path).forEachLine { bytes, line in
        defer { offset += bytes.count + 1 }
        guard let row = try parse(bytes, file: file.path, line: line, emit) else { return }
        do throws(DecodeError) {
          let key = try self.key(row)
          var entry = entries[key] ?? Entry(textFile: index, textOffset: offset, textLine: line)
          try add(row, config: file.config, names: card.names[file.config], to: &entry)
          entries[key] = entry
        } catch {
          problem = error.message
        }
        if let message = problem {
          problem = nil
          try emit(.invalid(file: file.path, line: line, bytes: 0, message: message))
        }
      }
    }
    // Pass 2: the ner rows, each with its document's labels and text.
    for file in files where file.config == "ner" {
      try FileLineReader(path: file.path).forEachLine { bytes, line in
        guard let row = try parse(bytes, file: file.path, line: line, emit) else { return }
        let decoded = Result { () throws(DecodeError) -> ImportRecord in
          let key = try self.key(row)
          let entry = entries.removeValue(forKey: key)
          let text = try entry.map { entry throws(DecodeError) in
            try storedText(files[entry.textFile].path, entry)
          }
          return try nerRecord(row, key: key, text: text, names: card.names["ner"], entry)
        }
        switch decoded {
        case .success(let record):
          try emit(.record(record, file: file.path, line: line, bytes: bytes.count + 1))
        case .failure(let error):
          try emit(
            .invalid(
              file: file.path, line: line, bytes: bytes.count + 1, message: error.message))
        }
      }
    }
    guard !entries.isEmpty else { return }
    // Pass 3: the documents with document-level labels only, at their first row.
    for index in textFiles {
      let file = files[index]
      try FileLineReader(path: file.path).forEachLine { bytes, line in
        guard !entries.isEmpty, let row = try? JSONParser.parse(bytes),
          let key = try? self.key(row), let entry = entries[key],
          entry.textFile == index, entry.textLine == line,
          case .string(let text)? = row["text"]
        else { return }
        entries[key] = nil
        try emit(
          .record(
            ImportRecord(
              externalID: key.id, text: text, annotations: set(key.annotator, entry)),
            file: file.path, line: line, bytes: bytes.count + 1))
      }
    }
  }

  /// The parsed row; `nil` (after reporting) when it is blank or malformed.
  private func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int,
    _ emit: (ReaderEvent) throws -> Void
  ) throws -> JSONValue? {
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
    do {
      return try JSONParser.parse(bytes)
    } catch {
      try emit(
        .invalid(
          file: file, line: line, bytes: bytes.count + 1,
          message: "malformed JSON at column \(error.column): \(error.message)"))
      return nil
    }
  }

  private func key(_ row: JSONValue) throws(DecodeError) -> Key {
    guard case .object = row else {
      throw DecodeError(
        "hf: expected a row object {\"id\", \"annotator\", ...}, found \(row.typeName)")
    }
    let id: String
    switch row["id"] {
    case .string(let s)? where !s.isEmpty: id = s
    case .int(let i)?: id = String(i)
    default: throw DecodeError("hf: expected 'id' (a string) in every row")
    }
    let annotator = row["annotator"]?.stringValue ?? defaultAnnotator
    if let problem = AnnotatorName.problem(annotator) {
      throw DecodeError("hf: annotator \(AnnotationSet.quoted(annotator)) \(problem)")
    }
    return Key(id: id, annotator: annotator)
  }

  /// A class name from a `label` that is a class id (with the card's names) or a name.
  private func className(_ value: JSONValue?, names: [String]?, config: String)
    throws(DecodeError) -> String
  {
    switch value {
    case .string(let s)?: return s
    case .int(let i)?:
      guard let names, i >= 0, Int(i) < names.count else {
        throw DecodeError(
          "hf: label \(i) has no class_label name in README.md for config '\(config)'")
      }
      return names[Int(i)]
    default:
      throw DecodeError("hf: expected 'label' (a class id or name) in a '\(config)' row")
    }
  }

  private func add(_ row: JSONValue, config: String, names: [String]?, to entry: inout Entry)
    throws(DecodeError)
  {
    guard case .string? = row["text"] else {
      throw DecodeError("hf: expected 'text' (a string) in a '\(config)' row")
    }
    // A set-valued field's row: `labels`, a sequence of class ids or names.
    if case .array(let items)? = row["labels"], config != "sentiment", config != "stance" {
      let field =
        config.hasPrefix("field_")
          && ["ner", "sentiment", "stance"].contains(String(config.dropFirst(6)))
        ? String(config.dropFirst(6)) : config
      guard let declared = schema.field(named: field), declared.isMultiple else {
        throw DecodeError(
          "hf: config '\(config)' has 'labels' (several values), but the schema has no field '\(field)' declared multiple: true"
        )
      }
      var values: [String] = []
      for item in items {
        let name = try className(item, names: names, config: config)
        values.append(declared.canonicalValue(name) ?? name)
      }
      entry.labelSets[field] = values
      return
    }
    let value = try className(row["label"], names: names, config: config)
    switch config {
    case "sentiment":
      guard entry.sentiment == nil || entry.sentiment == value else {
        throw DecodeError("hf: a second sentiment ('\(value)') for this id and annotator")
      }
      entry.sentiment = value
    case "stance":
      guard case .string(let target)? = row["target"] else {
        throw DecodeError("hf: expected 'target' (a string) in a 'stance' row")
      }
      entry.stances.append(Stance(target: target, value: value))
    default:
      var field = config
      if config.hasPrefix("field_"),
        ["ner", "sentiment", "stance"].contains(String(config.dropFirst(6)))
      {
        field = String(config.dropFirst(6))
      }
      guard let declared = schema.field(named: field) else {
        throw DecodeError(
          "hf: config '\(config)' is not ner, sentiment, stance or a field of the schema ("
            + schema.fields.map(\.name).joined(separator: ", ") + ")")
      }
      guard entry.labels[field] == nil || entry.labels[field] == value else {
        throw DecodeError(
          "hf: a second value ('\(value)') of field '\(field)' for this id and annotator")
      }
      entry.labels[field] = declared.canonicalValue(value) ?? value
    }
  }

  private func storedText(_ path: String, _ entry: Entry) throws(DecodeError) -> String {
    guard let line = FileSystem.line(at: entry.textOffset, in: path),
      let row = try? JSONParser.parse(line), case .string(let text)? = row["text"]
    else {
      throw DecodeError("hf: cannot read the text back from \(path):\(entry.textLine)")
    }
    return text
  }

  private func set(_ annotator: String, _ entry: Entry?) -> AnnotationSet {
    var set = AnnotationSet(annotator: annotator, status: .done)
    set.sentiment = entry?.sentiment
    if let stances = entry?.stances, !stances.isEmpty { set.stances = stances }
    if let labels = entry?.labels, !labels.isEmpty { set.labels = labels }
    if let sets = entry?.labelSets, !sets.isEmpty { set.labelSets = sets }
    return set
  }

  private func nerRecord(
    _ row: JSONValue, key: Key, text: String?, names: [String]?, _ entry: Entry?
  ) throws(DecodeError) -> ImportRecord {
    guard case .array(let tokenValues)? = row["tokens"],
      case .array(let tagValues)? = row["ner_tags"]
    else {
      throw DecodeError("hf: expected 'tokens' and 'ner_tags' lists in a 'ner' row")
    }
    guard tokenValues.count == tagValues.count else {
      throw DecodeError(
        "hf: \(tokenValues.count) tokens but \(tagValues.count) ner_tags; each token needs one tag")
    }
    var tokens: [String] = []
    var tags: [String] = []
    for (i, (token, tag)) in zip(tokenValues, tagValues).enumerated() {
      guard case .string(let orth) = token, !orth.isEmpty else {
        throw DecodeError("hf: tokens[\(i)] must be a non-empty string")
      }
      tokens.append(orth)
      tags.append(try className(tag, names: names, config: "ner"))
    }
    var record: ImportRecord
    let ranges: [Range<Int>]
    if let text {
      ranges = try SpacyJSONReader.align(tokens, in: Array(text.unicodeScalars), path: "hf: tokens")
      record = ImportRecord(externalID: key.id, text: text)
    } else {
      var scalars: [Unicode.Scalar] = []
      var built: [Range<Int>] = []
      for token in tokens {
        if !scalars.isEmpty { scalars.append(" ") }
        let start = scalars.count
        scalars.append(contentsOf: token.unicodeScalars)
        built.append(start..<scalars.count)
      }
      ranges = built
      record = ImportRecord(
        externalID: key.id, text: String(String.UnicodeScalarView(scalars)), tokenRanges: built)
    }
    var set = set(key.annotator, entry)
    set.entities = try SpacyJSONReader.entities(tags: tags, ranges: ranges, path: "hf: ner_tags")
    record.annotations = set
    return record
  }
}

/// The parts of a dataset card's YAML front matter the reader needs: the data files of each
/// config and its `class_label` names (in id order).
struct DatasetCard {
  var dataFiles: [(config: String, path: String)] = []
  var names: [String: [String]] = [:]

  init(_ text: String) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? $0.dropLast() : $0
    }
    guard lines.first == "---" else { return }
    lines.removeFirst()
    var section = ""
    var config = ""
    var collecting = false
    for line in lines {
      if line == "---" { break }
      if !line.hasPrefix(" ") && !line.hasPrefix("-") && line.hasSuffix(":") {
        section = String(line.dropLast())
        continue
      }
      let trimmed = line.drop { $0 == " " }
      if trimmed.hasPrefix("- config_name:") {
        config = Self.unquote(trimmed.dropFirst("- config_name:".count))
        collecting = false
        continue
      }
      if section == "configs", trimmed.hasPrefix("path:") {
        dataFiles.append((config, Self.unquote(trimmed.dropFirst("path:".count))))
      } else if section == "dataset_info" {
        if trimmed == "names:" {
          collecting = true
          names[config] = []
        } else if collecting, let colon = Self.keyColon(trimmed) {
          names[config, default: []].append(Self.unquote(trimmed[trimmed.index(after: colon)...]))
        } else {
          collecting = false
        }
      }
    }
  }

  /// The colon after a quoted or bare class id (`'0':`, `"0":`, `0:`).
  private static func keyColon(_ text: Substring) -> Substring.Index? {
    guard let colon = text.firstIndex(of: ":") else { return nil }
    let key = text[..<colon].trimmingQuotes
    return !key.isEmpty && key.allSatisfy(\.isNumber) ? colon : nil
  }

  /// A YAML scalar without its quotes (`'it''s'` → `it's`).
  static func unquote(_ text: Substring) -> String {
    let value = text.drop { $0 == " " }
    if value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2 {
      return String(value.dropFirst().dropLast()).replacing("''", with: "'")
    }
    if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
      return String(value.dropFirst().dropLast()).replacing("\\\"", with: "\"")
    }
    return String(value)
  }
}

extension Substring {
  fileprivate var trimmingQuotes: Substring {
    var s = self.drop { $0 == " " }
    if s.first == "'" || s.first == "\"" { s = s.dropFirst() }
    if s.last == "'" || s.last == "\"" { s = s.dropLast() }
    return s
  }
}
