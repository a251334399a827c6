import AnnoCore
import AnnoFormats
import AnnoTestSupport
import Foundation
import Testing

/// Inputs the fuzzer (Fuzz/, `scripts/reliability.sh`) found interesting, kept so that they
/// keep running cleanly: each must parse or fail with an error, never crash or hang, and each
/// JSON line and schema gets exactly the refusal written in `expectedOutcomes`.
@Suite struct FuzzRegressionTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("FuzzCorpus")

  static func files(_ kind: String) -> [String] {
    let folder = corpus.appendingPathComponent(kind).path
    return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map {
      folder + "/" + $0
    }
  }

  static let schema: LabelSchema? = try? LabelSchema(yaml: BundledGuidelines.schemaYAML)

  @Test(arguments: files("json"))
  func jsonLinesDecodeOrFailCleanly(path: String) throws {
    let bytes = try #require(FileManager.default.contents(atPath: path))
    let schema = try #require(Self.schema)
    guard let value = try? JSONParser.parse(Array(bytes)) else { return }
    // What the parser accepts, the writer writes back to the same value.
    #expect(try JSONParser.parse(JSONWriter.string(for: value)) == value)
    for format in InputFormat.allCases where format != .txt {
      guard
        case .record(let record)? = try? RecordDecoder(
          format: format, defaultAnnotator: "a", schema: schema
        ).decode(value)
      else { continue }
      let scalars = ScalarText(record.text ?? "")
      let problems = record.problems(in: scalars, schema: schema)
      if let text = record.text {
        // Building the document never traps, whatever its tokens say; it fails only with a
        // problem that says why.
        let document = record.document(text: text, scalars: scalars)
        #expect(document != nil || !problems.isEmpty)
        if problems.isEmpty { #expect(document?.externalID.rawValue == record.externalID) }
      }
    }
  }

  /// What `anno import` makes of one JSON line: the parser's, the decoder's (`--format auto`) or
  /// the record check's refusal, every message joined, or `accepted`.
  static func importOutcome(_ bytes: [UInt8], schema: LabelSchema) -> String {
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      return "refused: malformed JSON at column \(error.column): \(error.message)"
    }
    let decoded: DecodedLine
    do {
      decoded = try RecordDecoder(format: .auto, defaultAnnotator: "a", schema: schema).decode(
        value)
    } catch {
      return "refused: \(error.message)"
    }
    switch decoded {
    case .skipped(let why): return "skipped: \(why)"
    case .record(let record):
      let problems = record.problems(in: ScalarText(record.text ?? ""), schema: schema)
      return problems.isEmpty ? "accepted" : "refused: " + problems.joined(separator: "; ")
    case .records(let records):
      let text = ScalarText(records.first?.text ?? "")
      let problems = records.flatMap { $0.problems(in: text, schema: schema) }
      return problems.isEmpty ? "accepted" : "refused: " + problems.joined(separator: "; ")
    }
  }

  /// What loading one schema file says: its refusal, or `accepted`.
  static func schemaOutcome(_ bytes: [UInt8]) -> String {
    do {
      _ = try LabelSchema(yaml: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
      return "accepted"
    } catch {
      return "refused: \(error)"
    }
  }

  /// Every kept input, JSON line or schema, gets the refusal (or acceptance) written here, so a
  /// message that changes or an input that starts to pass is seen. A new file in FuzzCorpus/json
  /// or FuzzCorpus/yaml needs its line here.
  static let expectedOutcomes: [String: String] = [
    "anchors.yaml":
      "refused: fuzz.yaml:3: invalid YAML: found undefined alias",
    "billion-laughs.yaml":
      "refused: fuzz.yaml:1: unknown key 'a' in the schema (allowed: schema, version, guidelines, entities, allow_several_labels_per_span, sentiment, stance, fields, study)",
    "bom.json":
      #"refused: malformed JSON at column 1: unexpected character '\u{ef}'"#,
    "deep-nesting.json":
      "refused: malformed JSON at column 513: nesting too deep",
    "deep-object.json":
      "refused: malformed JSON at column 2561: nesting too deep",
    "deep.yaml":
      "refused: fuzz.yaml:1: unknown key 'a' in the schema (allowed: schema, version, guidelines, entities, allow_several_labels_per_span, sentiment, stance, fields, study)",
    "doccano-mixed-labels.json":
      #"refused: read as doccano JSONL (from its key 'label'; give --format to choose): label[2]: expected [start, end, "LABEL"] or {"start_offset", "end_offset", "label"}, found an array of 1 item"#,
    "duplicate-keys.json":
      #"refused: malformed JSON at column 22: duplicate key "id""#,
    "duplicate-labels.yaml":
      "refused: fuzz.yaml:5: entity label 'PER' is declared twice",
    "empty-object.json":
      "refused: missing key 'text'",
    "empty.yaml":
      "refused: fuzz.yaml: the schema is empty",
    "escape-text.json":
      "accepted",
    "huge-number.json":
      "refused: malformed JSON at column 96: number out of range",
    "int64-edge.json":
      "refused: entities[0]: start 9223372036854775807 must be less than end -9223372036854775808",
    "invalid-utf8.json":
      "refused: malformed JSON at column 22: string is not valid UTF-8",
    "inverted-offsets.json":
      "refused: entities[0]: start 3 must be less than end 1",
    "lone-surrogate.json":
      #"refused: malformed JSON at column 15: unpaired surrogate in \u escape"#,
    "negative-offsets.json":
      "refused: entities[0]: start -1 is negative",
    "nul-in-strings.json":
      "refused: 'id' contains U+0000 (NUL), which cannot be stored; remove it; 'text' contains U+0000 (NUL), which cannot be stored; remove it; 'title' contains U+0000 (NUL), which cannot be stored; remove it",
    "numbers.json":
      "refused: expected a JSON object, found an array",
    "only-whitespace.json":
      "refused: malformed JSON at column 5: unexpected end of input",
    "prodigy-bad-tokens.json":
      "refused: read as a Prodigy task (from its key 'answer'; give --format to choose): tokens[0]: expected [start, end] with 0 ≤ start < end",
    "surrogate-pair-split.json":
      #"refused: malformed JSON at column 17: unpaired surrogate in \u escape"#,
    "tabs.yaml":
      "refused: fuzz.yaml:2: invalid YAML: found a tab character that violates indentation",
    "tokens-out-of-range.json":
      "refused: tokens[1]: expected [start, end] with 0 ≤ start < end",
    "trailing-garbage.json":
      "refused: malformed JSON at column 26: unexpected characters after the JSON value",
    "unicode.yaml":
      #"refused: fuzz.yaml:1: 'schema' must not contain control characters ("\u{0}\u{1b}[31m")"#,
    "unterminated-string.json":
      "refused: malformed JSON at column 25: unterminated string",
    "wrong-types.json":
      "refused: read as doccano JSONL (from its key 'entities'; give --format to choose): 'text' must be a string, not an array",
    "wrong-types.yaml":
      "refused: fuzz.yaml:1: 'schema' must be a non-empty text",
  ]

  @Test(arguments: files("json") + files("yaml"))
  func inputGetsItsExpectedRefusal(path: String) throws {
    let bytes = try #require(FileManager.default.contents(atPath: path))
    let name = URL(fileURLWithPath: path).lastPathComponent
    let outcome =
      path.hasSuffix(".yaml")
      ? Self.schemaOutcome(Array(bytes))
      : Self.importOutcome(Array(bytes), schema: try #require(Self.schema))
    #expect(outcome == Self.expectedOutcomes[name], "\(name)")
  }

  @Test(arguments: files("txt"))
  func textFilesValidateAndTokenize(path: String) throws {
    let bytes = try #require(FileManager.default.contents(atPath: path))
    guard let text = String(validating: Array(bytes), as: UTF8.self) else {
      #expect(path.contains("invalid") || path.contains("overlong"))
      return
    }
    let scalars = Array(text.unicodeScalars)
    let tokens = Tokenizer().tokenize(scalars: scalars)
    #expect(tokens.allSatisfy { $0.start < $0.end && $0.end <= scalars.count })
    _ = SentenceSplitter.sentences(
      tokens: tokens, text: ScalarText(text), keepingTogether: [])
  }

  @Test(arguments: files("yaml"))
  func schemasLoadOrFailWithAMessage(path: String) throws {
    let bytes = try #require(FileManager.default.contents(atPath: path))
    do {
      _ = try LabelSchema(yaml: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
    } catch {
      #expect(!error.description.isEmpty)
    }
  }

  @Test func theLineReaderRefusesOverlongLinesWithoutBufferingThem() throws {
    let folder = try TemporaryDirectory()
    let path = try folder.write(
      "long.jsonl", Data(repeating: 0x61, count: 3 << 20) + Data("\nshort\n".utf8))
    var lines: [Int] = []
    #expect(throws: FileLineReader.ReadError.lineTooLong(line: 1, limit: 1 << 20)) {
      try FileLineReader(path: path, maximumLineLength: 1 << 20).forEachLine { _, line in
        lines.append(line)
      }
    }
    #expect(lines == [])
  }
}
