// anno-fuzz: a seeded, mutation-based fuzz driver for Anno's parsers.
//
//   anno-fuzz json|txt|yaml|words --count N [--seed S] [--corpus DIR] [--timeout SEC]
//   anno-fuzz TARGET --seed S --only I --dump FILE      write input I (to reproduce a crash)
//   anno-fuzz shell-lines --count N [--seed S]          random shell lines, for `anno shell`
//   anno-fuzz import-lines --count N [--seed S]         mutated JSONL records, for `anno import`
//
// The yaml target also puts hostile names (`../../x`, control characters, ...) where the
// schema names labels, fields, targets and values; every schema that loads is then exported
// as hf, brat and csv with a hostile id, annotator and split name, and no file may appear
// outside the export's folder.
//
// Input I of a run depends only on (seed, I), so a crash or hang is reproduced by its index.
// A crash kills the process; its signal handler first prints "crashed at input I". A watchdog
// exits with status 3 when one input runs longer than --timeout seconds (a hang).
// Exit status: 0 when every input ran, 2 when a property failed, 3 on a hang.

import AnnoCore
import AnnoFormats
import AnnoShell
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

// MARK: - Arguments

var arguments = Array(CommandLine.arguments.dropFirst())
guard let target = arguments.first else {
  FileHandle.standardError.write(
    Data("usage: anno-fuzz json|txt|yaml|words|shell-lines --count N [--seed S]\n".utf8))
  exit(64)
}
func option(_ name: String) -> String? {
  guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
  return arguments[i + 1]
}
let count = Int(option("--count") ?? "10000") ?? 10000
let seed = UInt64(option("--seed") ?? "1") ?? 1
let only = option("--only").flatMap(Int.init)
let timeout = Double(option("--timeout") ?? "10") ?? 10

// MARK: - Randomness

/// SplitMix64: small, fast, and the same everywhere.
struct Generator: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

// MARK: - Seeds and mutations

let schemaYAML = BundledGuidelines.schemaYAML
let jsonSeeds: [String] = [
  #"{"id": "kerry-sochi", "text": "John Kerry met Lavrov in Sochi.", "annotator": "ann1", "status": "done", "offsets": "codepoint", "entities": [{"start": 0, "end": 10, "label": "PER", "text": "John Kerry"}], "sentiment": "neutral", "span_sentiments": [{"start": 0, "end": 10, "value": "positive"}], "stances": [{"target": "Russia", "value": "favor"}, {"target": "Kremlin", "value": "against", "start": 15, "end": 21}], "labels": {"topic": "diplomacy", "urgency": 3}, "notes": [{"text": "check", "start": 0, "end": 4}], "flag_reason": "x"}"#,
  #"{"id": "d", "text": "Café Zoë 👍🏽 🇺🇦 東京\r\n", "title": "T", "meta": {"a": [1, 2.5e10, -0, null, true]}, "tokens": [[0, 4], [5, 8]]}"#,
  #"{"text": "Ada Lovelace wrote", "spans": [{"start": 0, "end": 12, "label": "PER"}], "answer": "accept", "_input_hash": 42, "meta": {"id": "p1"}}"#,
  #"{"text": "Moscow answered", "label": [[0, 6, "LOC"]]}"#,
  #"{"text": "Good news", "label": ["positive", "sport"]}"#,
  #"{"text": "x", "entities": [{"start_offset": 0, "end_offset": 1, "label": "PER"}]}"#,
  #"{"id": "\u0000\ud83d\ude00\\\"", "text": "\u001b[31mred\u001b[0m"}"#,
  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
  #"{"id": "tk", "text": "abc def", "tokens": [[0, 3], [4, 99]]}"#,
  #"{"id": 7, "text": "Kyiv and Paris", "annotator": "gold", "status": "done", "entities": [{"start": 9, "end": 14, "label": "LOC"}]}"#,
]
let txtSeeds: [String] = [
  "Kerry in Sochi\n\nJohn Kerry met Sergei Lavrov. \"We agreed,\" he said.\r\nU.S.-Russia talks at 3:30 p.m. cost $4.5bn.",
  "Zoe\u{308} 👩‍🔬 Київ 🇺🇦 東京 e-mail: a@b.org https://x.y/z?q=1 #tag @user :-) ...",
  "\u{FEFF}BOM line\u{2028}separator\u{0}NUL\u{1B}[2Jclear",
]
let interesting: [[UInt8]] =
  [
    "\"", "\\", "{", "}", "[", "]", ":", ",", "\\u", "\\ud800", "\\udfff", "1e999999", "-0",
    "99999999999999999999",
    "-1", "null", "true", "\"start\":", "\"end\":", "\"text\":", "\"label\":", "\n", "\r", "\t",
    "\u{1B}[", "'", "#",
    ";", "“", "”", "‘", "’", "  ", "- ", ": ", "&a", "*a", "!!str", "---", "...", "|", ">", "{{",
    "%",
  ].map { Array($0.utf8) } + [
    [0], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
  ]

func mutate(_ input: [UInt8], with rng: inout Generator, pool: [[UInt8]]) -> [UInt8] {
  var bytes = input
  for _ in 0..<Int.random(in: 1...8, using: &rng) {
    let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
    switch Int.random(in: 0..<9, using: &rng) {
    case 0 where !bytes.isEmpty:
      let i = Int.random(in: 0..<bytes.count, using: &rng)
      bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
    case 1:
      bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
    case 2 where !bytes.isEmpty:
      let end = min(bytes.count, position + Int.random(in: 1...16, using: &rng))
      if position < end { bytes.removeSubrange(position..<end) }
    case 3 where !bytes.isEmpty:
      let end = min(bytes.count, position + Int.random(in: 1...64, using: &rng))
      if position < end { bytes.insert(contentsOf: Array(bytes[position..<end]), at: position) }
    case 4, 5:
      bytes.insert(contentsOf: interesting.randomElement(using: &rng) ?? [], at: position)
    case 6:
      if let other = pool.randomElement(using: &rng), !other.isEmpty {
        let start = Int.random(in: 0..<other.count, using: &rng)
        let end = min(other.count, start + Int.random(in: 1...128, using: &rng))
        bytes.insert(contentsOf: other[start..<end], at: position)
      }
    case 7 where !bytes.isEmpty:
      bytes.removeSubrange(position..<bytes.count)
    default:
      // Replace a run of digits with a hostile number.
      if let i = bytes.indices.dropFirst(position).first(where: {
        (0x30...0x39).contains(bytes[$0])
      }) {
        let number = [
          "-1", "0", "2147483648", "9223372036854775807", "9223372036854775808", "1.5", "1e3",
          "-0.0",
        ]
        bytes.replaceSubrange(i...i, with: Array((number.randomElement(using: &rng) ?? "0").utf8))
      }
    }
  }
  return bytes
}

/// Values that make decoders work: wrong types, out-of-range offsets, hostile strings.
let hostileValues: [JSONValue] = [
  .null, .bool(true), .int(-1), .int(0), .int(3), .int(Int64.max), .int(Int64.min), .double(1e300),
  .double(-0.5),
  .string(""), .string("PER"), .string("positive"), .string("Russia"), .string("done"),
  .string("\u{0}\u{1B}[2J"),
  .string("'; DROP TABLE document; --"), .string("../../x"),
  .string(String(repeating: "a", count: 5000)),
  .array([]), .object([:]), .array([.int(0), .int(4)]),
  .array([.array([.int(0), .int(4), .string("PER")])]),
  // Token lists: past the end, reversed, overlapping, negative, huge, the wrong shape.
  .array([.array([.int(0), .int(3)]), .array([.int(4), .int(99)])]),
  .array([.array([.int(5), .int(2)])]),
  .array([.array([.int(0), .int(2)]), .array([.int(1), .int(3)])]),
  .array([.array([.int(-1), .int(3)])]), .array([.array([.int(0), .int(Int64.max)])]),
  .array([.object(["start": .int(0), "end": .int(1_000_000)])]), .array([.array([.int(2)])]),
  .array([.array([.int(0), .int(1)]), .array([.int(0), .int(1)])]),
  // Names: blank, padded, reserved, hostile.
  .string("   "), .string(" ann1"), .string("gold"), .string("a\u{7}b"),
]

/// Edits a parsed JSON value at random: replaces, drops or adds members and elements.
func mutate(_ value: JSONValue, with rng: inout Generator, depth: Int = 0) -> JSONValue {
  if depth > 6 || Int.random(in: 0..<6, using: &rng) == 0 {
    return hostileValues.randomElement(using: &rng) ?? .null
  }
  switch value {
  case .object(var object):
    guard let key = object.keys.sorted().randomElement(using: &rng) else { return value }
    switch Int.random(in: 0..<4, using: &rng) {
    case 0: object[key] = nil
    case 1:
      object[
        [
          "id", "text", "annotator", "status", "entities", "label", "spans", "tokens", "start",
          "end", "tokens", "meta",
        ].randomElement(using: &rng) ?? "x"] = hostileValues.randomElement(using: &rng)
    default: object[key] = mutate(object[key] ?? .null, with: &rng, depth: depth + 1)
    }
    return .object(object)
  case .array(var array):
    guard !array.isEmpty else { return .array([hostileValues.randomElement(using: &rng) ?? .null]) }
    let i = Int.random(in: 0..<array.count, using: &rng)
    if Bool.random(using: &rng) {
      array[i] = mutate(array[i], with: &rng, depth: depth + 1)
    } else {
      array.append(array[i])
    }
    return .array(array)
  default:
    return hostileValues.randomElement(using: &rng) ?? .null
  }
}

/// Names a schema could give a label, field, target or value, that must never reach a path.
let hostileNames = [
  "../../../../x", "..", ".", "/etc/passwd", "a/b", "a\\b", "%2e%2e%2fx", ".hidden", "-", "_",
  "a b", "CON", "x:y", "\u{0}", "\t", "\u{1B}[2J", "\u{202E}txt.exe", "👍🏽", "Київ", "null", "true",
  "123", "'", "\"", "#x", String(repeating: "n", count: 300),
]

/// Where the bundled schema names something: the text before the name and the name.
let schemaNameSites: [(prefix: String, name: String)] = [
  ("schema: ", "anno-news"), ("  - name: ", "PER"), ("  - name: ", "MISC"),
  ("  - name: ", "topic"), ("  - name: ", "urgency"), ("    - name: ", "Russia"),
  ("    - name: ", "European Union"), ("values: [", "negative"), ("values: [", "favor"),
  ("values: [", "diplomacy"), ("aliases: [", "Moscow"),
]

/// The bundled schema with one name (or several) replaced by a hostile one.
func mutateSchemaNames(with rng: inout Generator) -> [UInt8] {
  var yaml = schemaYAML
  for _ in 0..<Int.random(in: 1...3, using: &rng) {
    guard let site = schemaNameSites.randomElement(using: &rng),
      let name = hostileNames.randomElement(using: &rng),
      let range = yaml.range(of: site.prefix + site.name)
    else { continue }
    let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    yaml.replaceSubrange(range, with: site.prefix + quoted)
  }
  return Array(yaml.utf8)
}

/// The input number `index` of this run.
func input(_ index: Int, seeds: [[UInt8]]) -> [UInt8] {
  var rng = Generator(state: seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(index))
  if target == "json" || target == "import-lines", Bool.random(using: &rng),
    let base = seeds.randomElement(using: &rng),
    var value = try? JSONParser.parse(base)
  {
    for _ in 0..<Int.random(in: 1...4, using: &rng) { value = mutate(value, with: &rng) }
    return Array(JSONWriter.string(for: value).utf8)
  }
  if target == "yaml", Bool.random(using: &rng) {
    return mutateSchemaNames(with: &rng)
  }
  if Int.random(in: 0..<10, using: &rng) == 0 {
    return (0..<Int.random(in: 0...256, using: &rng)).map { _ in
      UInt8.random(in: 0...255, using: &rng)
    }
  }
  let base = seeds.randomElement(using: &rng) ?? []
  return mutate(base, with: &rng, pool: seeds)
}

// MARK: - Targets

let schema: LabelSchema
do {
  schema = try LabelSchema(yaml: schemaYAML)
} catch {
  FileHandle.standardError.write(Data("the bundled schema does not load: \(error)\n".utf8))
  exit(1)
}
var propertyFailures = 0
/// Inputs that got past the first stage (parsed JSON, valid UTF-8, a loaded schema, split words).
var accepted = 0
/// Inputs that reached the last stage (a decoded record, tokens, ...).
var deep = 0
func fail(_ index: Int, _ message: String) {
  propertyFailures += 1
  if propertyFailures <= 20 { print("property failed at input \(index): \(message)") }
}

func runJSON(_ bytes: [UInt8], _ index: Int) {
  guard let value = try? JSONParser.parse(bytes) else { return }
  accepted += 1
  let written = JSONWriter.string(for: value)
  if (try? JSONParser.parse(written)) != value {
    fail(index, "JSON does not survive write and parse: \(written.prefix(200))")
  }
  for format in InputFormat.allCases where format != .txt {
    let decoder = RecordDecoder(format: format, defaultAnnotator: "fuzz", schema: schema)
    guard case .record(let record)? = try? decoder.decode(value) else { continue }
    deep += 1
    let scalars = ScalarText(record.text ?? "")
    let problems = record.problems(in: scalars, schema: schema)
    // The document is built whatever the problems, as a careless importer would.
    if let text = record.text, record.document(text: text, scalars: scalars) == nil,
      problems.isEmpty
    {
      fail(index, "a record without problems has no document")
    }
  }
}

func runText(_ bytes: [UInt8], _ index: Int) {
  guard let text = String(validating: bytes, as: UTF8.self) else {
    if String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes) {
      fail(index, "valid UTF-8 refused")
    }
    return
  }
  accepted += 1
  let scalars = Array(text.unicodeScalars)
  let tokens = Tokenizer().tokenize(scalars: scalars)
  for token in tokens where !(token.start < token.end && token.end <= scalars.count) {
    fail(index, "token \(token.start)..<\(token.end) outside 0..<\(scalars.count)")
  }
  let sentences = SentenceSplitter.sentences(
    tokens: tokens, text: ScalarText(text), keepingTogether: [])
  if sentences.last?.upperBound != (tokens.isEmpty ? nil : tokens.count) {
    fail(index, "sentences do not cover the tokens")
  }
  if !tokens.isEmpty { deep += 1 }
}

func runYAML(_ bytes: [UInt8], _ index: Int) {
  guard let loaded = try? LabelSchema(yaml: String(decoding: bytes, as: UTF8.self)) else { return }
  accepted += 1
  if exportsStayInside(loaded, index) { deep += 1 }
}

/// A scratch folder of this process, for the exports of `exportsStayInside`.
let scratch = FileManager.default.temporaryDirectory.path + "/anno-fuzz-\(getpid())"

/// Exports one labelled document as hf, brat and csv with `schema`, a hostile id, annotator
/// and split name, and checks that every file written is inside the export's folder.
func exportsStayInside(_ schema: LabelSchema, _ index: Int) -> Bool {
  let manager = FileManager.default
  let inside = scratch + "/in"
  try? manager.removeItem(atPath: scratch)
  guard (try? manager.createDirectory(atPath: inside, withIntermediateDirectories: true)) != nil,
    let label = schema.entityLabels.first
  else { return false }
  let text = "Paris is lovely."
  var labels: [String: String] = [:]
  for field in schema.fields { labels[field.name] = field.values.first }
  let set = AnnotationSet(
    annotator: "../../annotator", entities: [EntitySpan(start: 0, end: 5, label: label.name)],
    sentiment: schema.sentiment.values.first,
    stances: schema.stance.targets.first.map {
      [Stance(target: $0.name, value: schema.stance.values[0])]
    },
    labels: labels)
  let item = AnnotatedDocument(
    document: Document(externalID: "../../id", text: text), annotations: set)
  let scalars = ScalarText(text)
  let tokens = Tokenizer().tokenize(scalars: scalars.scalars)
  for format in [ExportFormat.hf, .brat, .csv] {
    var options = ExportOptions(format: format)
    options.split = SplitSpec(parts: [SplitPart(name: "../../split", fraction: 1)])
    do {
      let exporter = try DatasetExporter(
        options: options, schema: schema, destination: .path(inside + "/out-\(format.rawValue)/"))
      try exporter.write(item, text: scalars, tokens: tokens)
      _ = try exporter.finish()
    } catch {
      fail(index, "a schema that loads could not be exported as \(format.rawValue): \(error)")
      return false
    }
  }
  for path in manager.subpaths(atPath: scratch) ?? [] where !path.hasPrefix("in") {
    fail(index, "an export wrote outside its folder: \(path)")
    return false
  }
  for path in manager.subpaths(atPath: inside) ?? [] where !path.hasPrefix("out-") {
    fail(index, "an export wrote outside its folder: in/\(path)")
    return false
  }
  return true
}

func runWords(_ bytes: [UInt8], _ index: Int) {
  let line = String(decoding: bytes, as: UTF8.self)
  let words = try? WordSplitter.words(in: line)
  if let words {
    accepted += 1
    if words.count > 1 { deep += 1 }
  }
  _ = WordSplitter.commands(in: line)
  let special: Set<Character> = ["\"", "'", "“", "‘", "\\"]
  if !line.contains(where: special.contains),
    words != line.split(whereSeparator: \.isWhitespace).map(String.init)
  {
    fail(index, "unquoted words differ from a whitespace split: \(line.debugDescription)")
  }
}

// MARK: - Shell lines (for the binary)

let hostile = [
  "Kerry", "John Kerry", "Lavrov", "'; DROP TABLE annotation; --", "\u{1B}[2J\u{1B}[31m",
  "../../etc/passwd", "/tmp/x",
  "é", "👍🏽", "", " ", "\\", "\"", "0:0", "-1:5", "5:2", "0:999999999", "t0-t3", "t9-t1", "/Ker+y/",
  "/(a+)+$/", "/[/",
  "#0", "#2", "all", "999999999999999999999", "-3", "PER", "per", "p", "ORG", "LOC", "MISC",
  "positive", "negative",
  "neutral", "Russia", "Kremlin", "favor", "against", "topic", "diplomacy", "urgency", "3", "left",
  "right", "+1", "--all",
  "--chars", "tokens", "spans", "raw", "todo", "done", "flagged", "ann2", "--help", "\u{0}", "\t",
]
let verbs = [
  "show", "next", "prev", "open", "list", "find", "tag", "untag", "relabel", "extend", "sentiment",
  "stance", "label",
  "note", "flag", "done", "skip", "undo", "redo", "history", "compare", "guide", "help", "stats",
  "?", "bogus",
]
func shellLine(_ index: Int) -> String {
  var rng = Generator(state: seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(index))
  var words = [verbs.randomElement(using: &rng) ?? "show"]
  for _ in 0..<Int.random(in: 0...4, using: &rng) {
    let word = hostile.randomElement(using: &rng) ?? ""
    words.append(
      Bool.random(using: &rng)
        ? "\"" + word.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : word)
  }
  var bytes = Array(words.joined(separator: " ").utf8)
  if Int.random(in: 0..<4, using: &rng) == 0 {
    bytes = mutate(bytes, with: &rng, pool: interesting)
  }
  var line = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
    .replacingOccurrences(of: "\r", with: " ")
  // Never leave the shell, nor read or write files outside the scratch folder.
  let first =
    line.split(whereSeparator: { $0.isWhitespace || $0 == "\"" || $0 == "'" }).first.map(
      String.init) ?? ""
  if ["quit", "exit", "q", "import", "export"].contains(first.lowercased())
    || line.contains("import")
    || line.contains("export")
  {
    line = "show spans"
  }
  return line
}

// MARK: - Watchdog and crash report

nonisolated(unsafe) var currentIndex = -1
final class Watch: @unchecked Sendable {
  private let lock = NSLock()
  private var started = Date()
  private var index = -1
  func begin(_ i: Int) {
    lock.withLock {
      started = Date()
      index = i
    }
  }
  func check(limit: Double) -> Int? {
    lock.withLock { index != -1 && Date().timeIntervalSince(started) > limit ? index : nil }
  }
}
let watch = Watch()
Thread.detachNewThread {
  while true {
    Thread.sleep(forTimeInterval: 0.5)
    if let index = watch.check(limit: timeout) {
      print("hang: input \(index) of \(target) (seed \(seed)) ran longer than \(timeout) s")
      fflush(stdout)
      exit(3)
    }
  }
}
for signalNumber in [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE] {
  signal(signalNumber) { number in
    var text = Array("crashed at input ".utf8)
    text += Array(String(currentIndex).utf8) + Array(" (signal \(number))\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    signal(number, SIG_DFL)
    raise(number)
  }
}

// MARK: - Run

if target == "shell-lines" {
  var out = ""
  for i in 0..<count { out += shellLine(i) + "\n" }
  FileHandle.standardOutput.write(Data(out.utf8))
  exit(0)
}
if target == "import-lines" {
  // One mutated record per line (line breaks inside a record become spaces).
  let seeds = jsonSeeds.map { Array($0.utf8) }
  var out: [UInt8] = []
  for i in 0..<count {
    out += input(i, seeds: seeds).map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 } + [0x0A]
  }
  FileHandle.standardOutput.write(Data(out))
  exit(0)
}
var seeds: [[UInt8]]
let run: ([UInt8], Int) -> Void
switch target {
case "json":
  seeds = jsonSeeds.map { Array($0.utf8) }
  run = runJSON
case "txt":
  seeds = txtSeeds.map { Array($0.utf8) }
  run = runText
case "yaml":
  seeds = [Array(schemaYAML.utf8)]
  run = runYAML
case "words":
  seeds = [
    #"tag PER "John Kerry" #2"#, #"note “a ‘b’ c” 3; flag 'x y'"#, #"tag LOC "a \"b\" \\ c"; done"#,
  ].map { Array($0.utf8) }
  run = runWords
default:
  FileHandle.standardError.write(Data("unknown target '\(target)'\n".utf8))
  exit(64)
}
if let folder = option("--corpus"),
  let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
{
  for name in names.sorted() where !name.hasPrefix(".") {
    if let data = FileManager.default.contents(atPath: folder + "/" + name) {
      seeds.append(Array(data))
    }
  }
}
if let only {
  let bytes = input(only, seeds: seeds)
  if let dump = option("--dump") {
    _ = FileManager.default.createFile(atPath: dump, contents: Data(bytes))
  }
  currentIndex = only
  run(bytes, only)
  print("input \(only) of \(target) ran: \(bytes.count) bytes")
  exit(0)
}
let start = Date()
// The seeds and corpus files themselves first, unmutated (index -1 in a crash report).
for bytes in seeds {
  watch.begin(-2)
  run(bytes, -1)
}
for i in 0..<count {
  currentIndex = i
  watch.begin(i)
  run(input(i, seeds: seeds), i)
}
try? FileManager.default.removeItem(atPath: scratch)
let seconds = Date().timeIntervalSince(start)
print(
  "fuzz \(target): \(count) inputs (\(accepted) accepted, \(deep) deep), seed \(seed), "
    + "\(String(format: "%.1f", seconds)) s, 0 crashes, 0 hangs, "
    + "\(propertyFailures) property failures")
exit(propertyFailures == 0 ? 0 : 2)
