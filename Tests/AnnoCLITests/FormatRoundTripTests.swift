import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// `anno export --format F` then `anno import --format F` into a fresh database reproduces
/// what F carries, on the bundled corpus annotated by a rule (every run of capitalised words
/// an entity, every document's sentiment, stances and fields), through the binary.
@Suite(.serialized) struct FormatRoundTripTests {
  /// What one annotation set says, as `anno export --format anno` writes it.
  struct Labels: Equatable, CustomStringConvertible {
    var text: String?
    var entities: [String] = []
    var spanSentiments: [String] = []
    var sentiment: String?
    var documentStances: [String] = []
    var anchoredStances: [String] = []
    var fields: [String] = []
    var notes: [String] = []

    var description: String {
      "entities \(entities) span sentiments \(spanSentiments) sentiment \(sentiment ?? "-") stances \(documentStances) \(anchoredStances) fields \(fields) notes \(notes)"
    }
  }

  /// The parts of `Labels` a format carries.
  enum Part: CaseIterable {
    case text, entities, spanSentiments, sentiment, documentStances, anchoredStances, fields, notes
  }

  /// A database with the bundled corpus imported and annotated by two annotators.
  final class AnnotatedCorpus: @unchecked Sendable {
    let folder: TemporaryDirectory
    let db: String
    let reference: [String: Labels]
    let ids: [String]

    init() throws {
      folder = try TemporaryDirectory()
      db = folder.file("source.sqlite")
      let corpus = AnnoBinary.repositoryRoot + "/Corpus"
      let imported = try AnnoBinary.run(["--db", db, "import", corpus])
      try #require(imported.status == 0, "\(imported.stderr)")
      // The corpus texts, for the tokenizer.
      var texts: [(id: String, text: String)] = []
      let base = URL(fileURLWithPath: corpus).standardizedFileURL.path
      let enumerator = try #require(FileManager.default.enumerator(atPath: base))
      while let relative = enumerator.nextObject() as? String {
        guard relative.hasSuffix(".txt") else { continue }
        let text = try String(contentsOfFile: base + "/" + relative, encoding: .utf8)
        texts.append((String(relative.dropLast(4)), text))
      }
      texts.sort { $0.id < $1.id }
      try #require(texts.count == 14)
      ids = texts.map(\.id)
      let input = texts.map {
        JSONWriter.string(for: .object(["id": .string($0.id), "text": .string($0.text)]))
      }
      .joined(separator: "\n")
      let tokenized = try AnnoBinary.run(["tokenize"], stdin: input + "\n")
      try #require(tokenized.status == 0, "\(tokenized.stderr)")
      var records: [String] = []
      for (index, line) in tokenized.stdout.split(separator: "\n").enumerated() {
        let object = try JSONParser.parse(String(line))
        let id = try #require(object["id"]?.stringValue)
        let text = try #require(texts.first { $0.id == id }?.text)
        let tokens = (object["tokens"]?.arrayValue ?? []).compactMap {
          token -> (Int, Int, Bool, Bool)? in
          guard let t = token.arrayValue, t.count == 4, let s = t[0].intValue,
            let e = t[1].intValue,
            case .bool(let space) = t[2], case .bool(let isSpace) = t[3]
          else { return nil }
          return (s, e, space, isSpace)
        }
        records.append(
          Self.annotations(id: id, text: text, tokens: tokens, index: index, annotator: "ann1"))
        if index % 5 == 0 {
          records.append(
            Self.annotations(
              id: id, text: text, tokens: tokens, index: index + 1, annotator: "ann2"))
        }
      }
      let labels = try folder.write("labels.jsonl", records.joined(separator: "\n") + "\n")
      let annotated = try AnnoBinary.run(["--db", db, "import", labels])
      try #require(annotated.status == 0, "\(annotated.stderr)")
      reference = try FormatRoundTripTests.labels(in: db)
      try #require(reference.count == 17)
    }

    /// One annotation record for a document: capitalised runs as entities (labels in turn),
    /// a span sentiment on the first, an anchored stance on the second, a note on the third.
    static func annotations(
      id: String, text: String, tokens: [(Int, Int, Bool, Bool)], index: Int, annotator: String
    ) -> String {
      let scalars = Array(text.unicodeScalars)
      func isCapitalised(_ token: (Int, Int, Bool, Bool)) -> Bool {
        let word = scalars[token.0..<token.1]
        return word.count >= 2 && word.first?.properties.isUppercase == true
          && word.allSatisfy { $0.properties.isAlphabetic }
      }
      var runs: [Range<Int>] = []
      var i = 0
      while i < tokens.count {
        guard !tokens[i].3, isCapitalised(tokens[i]) else {
          i += 1
          continue
        }
        var end = i
        while end + 2 < tokens.count, tokens[end].2, scalars[tokens[end].1] == " ",
          tokens[end + 1].0 == tokens[end].1 + 1, isCapitalised(tokens[end + 1])
        {
          end += 1
        }
        runs.append(tokens[i].0..<tokens[end].1)
        i = end + 1
      }
      let labels = ["PER", "ORG", "LOC", "MISC"]
      func span(_ range: Range<Int>, _ extra: [String: JSONValue]) -> JSONValue {
        var object = extra
        object["start"] = .int(Int64(range.lowerBound))
        object["end"] = .int(Int64(range.upperBound))
        return .object(object)
      }
      var record: [String: JSONValue] = [
        "id": .string(id), "annotator": .string(annotator), "status": .string("done"),
        "entities": .array(
          runs.enumerated().map { span($1, ["label": .string(labels[($0 + index) % 4])]) }),
        "sentiment": .string(["negative", "neutral", "positive"][index % 3]),
        "labels": .object([
          "topic": .string(
            ["diplomacy", "politics", "business", "economy", "sport"][index % 5]),
          "urgency": .int(Int64(index % 5 + 1)),
        ]),
      ]
      var stances: [JSONValue] = [
        .object(["target": .string("Russia"), "value": .string(["favor", "against"][index % 2])])
      ]
      if index % 3 == 0 {
        stances.append(
          .object(["target": .string("Hyllie stadium plan"), "value": .string("neutral")]))
      }
      if runs.count > 1 {
        stances.append(
          span(runs[1], ["target": .string("European Union"), "value": .string("against")]))
      }
      record["stances"] = .array(stances)
      if let first = runs.first {
        record["span_sentiments"] = .array([span(first, ["value": .string("positive")])])
      }
      if runs.count > 2 {
        record["notes"] = .array([span(runs[2], ["text": .string("check \(index)")])])
      }
      return JSONWriter.string(for: .object(record))
    }
  }

  /// Every annotation set of a database, by `id annotator`.
  static func labels(in db: String) throws -> [String: Labels] {
    let export = try AnnoBinary.run(["--db", db, "export", "--all", "--include-unfinished"])
    try #require(export.status == 0, "\(export.stderr)")
    var result: [String: Labels] = [:]
    for line in export.stdout.split(separator: "\n") {
      let object = try JSONParser.parse(String(line))
      func spans(_ key: String, _ value: String) -> [String] {
        (object[key]?.arrayValue ?? []).compactMap { item in
          guard let start = item["start"]?.intValue, let end = item["end"]?.intValue else {
            return nil
          }
          return
            "\(start)-\(end) \(item[value]?.stringValue ?? "") \(item["text"]?.stringValue ?? "")"
        }.sorted()
      }
      var labels = Labels(text: object["text"]?.stringValue)
      labels.entities = spans("entities", "label")
      labels.spanSentiments = spans("span_sentiments", "value")
      labels.sentiment = object["sentiment"]?.stringValue
      for stance in object["stances"]?.arrayValue ?? [] {
        let target = stance["target"]?.stringValue ?? ""
        let value = stance["value"]?.stringValue ?? ""
        if let start = stance["start"]?.intValue, let end = stance["end"]?.intValue {
          labels.anchoredStances.append("\(start)-\(end) \(target)=\(value)")
        } else {
          labels.documentStances.append("\(target)=\(value)")
        }
      }
      labels.anchoredStances.sort()
      labels.documentStances.sort()
      labels.fields = (object["labels"]?.objectValue ?? [:]).map {
        "\($0.key)=\(JSONWriter.string(for: $0.value))"
      }.sorted()
      labels.notes = spans("notes", "text")
      let id = object["id"]?.stringValue ?? ""
      let annotator = object["annotator"]?.stringValue ?? ""
      result["\(id) \(annotator)"] = labels
    }
    return result
  }

  static func only(_ labels: Labels, _ parts: Set<Part>) -> Labels {
    var kept = Labels()
    if parts.contains(.text) { kept.text = labels.text }
    if parts.contains(.entities) { kept.entities = labels.entities }
    if parts.contains(.spanSentiments) { kept.spanSentiments = labels.spanSentiments }
    if parts.contains(.sentiment) { kept.sentiment = labels.sentiment }
    if parts.contains(.documentStances) { kept.documentStances = labels.documentStances }
    if parts.contains(.anchoredStances) { kept.anchoredStances = labels.anchoredStances }
    if parts.contains(.fields) { kept.fields = labels.fields }
    if parts.contains(.notes) { kept.notes = labels.notes }
    return kept
  }

  static let corpus = Result { try AnnotatedCorpus() }

  /// Exports the corpus as `format`, imports it into a fresh database (after `prepare`), and
  /// compares what the format carries.
  func roundTrip(
    _ format: String, folder isFolder: Bool = false, carries parts: Set<Part>,
    prepare: (String) throws -> Void = { _ in }
  ) throws {
    let corpus = try Self.corpus.get()
    let out = corpus.folder.file("out-\(format)" + (isFolder ? "" : ".\(format)"))
    let export = try AnnoBinary.run([
      "--db", corpus.db, "export", "--all", "--format", format, "--out", out,
    ])
    try #require(export.status == 0, "\(export.stderr)")
    let db = corpus.folder.file("copy-\(format).sqlite")
    try prepare(db)
    let imported = try AnnoBinary.run(["--db", db, "import", "--format", format, out])
    try #require(imported.status == 0, "\(imported.stderr)")
    #expect(!imported.stdout.contains("left out"), "\(imported.stdout)")
    #expect(imported.stderr.isEmpty || imported.stderr.hasPrefix("created "), "\(imported.stderr)")
    let copy = try Self.labels(in: db)
    #expect(copy.keys.sorted() == corpus.reference.keys.sorted())
    if !isFolder {
      // `anno export --format F | anno import --format F -` gives the same.
      let piped = corpus.folder.file("piped-\(format).sqlite")
      try prepare(piped)
      let stdout = try AnnoBinary.run(["--db", corpus.db, "export", "--all", "--format", format])
      try #require(stdout.status == 0, "\(stdout.stderr)")
      let fromPipe = try AnnoBinary.run(
        ["--db", piped, "import", "--format", format, "-"], stdin: stdout.stdout)
      try #require(fromPipe.status == 0, "\(fromPipe.stderr)")
      #expect(try Self.labels(in: piped) == copy)
    }
    for (key, labels) in corpus.reference {
      let expected = Self.only(labels, parts)
      let found = copy[key].map { Self.only($0, parts) }
      #expect(found == expected, "\(format): \(key)")
    }
  }

  @Test func spacyCarriesEverySpanAndDocumentLabel() throws {
    try roundTrip(
      "spacy",
      carries: [
        .text, .entities, .spanSentiments, .sentiment, .documentStances, .anchoredStances, .fields,
      ])
  }

  @Test func spacyJSONCarriesEntitiesAndCategories() throws {
    try roundTrip("spacy-json", carries: [.text, .entities, .sentiment, .documentStances, .fields])
  }

  @Test func hfCarriesEntitiesAndCategoriesWithTheTextOfTheTextConfigs() throws {
    try roundTrip(
      "hf", folder: true, carries: [.text, .entities, .sentiment, .documentStances, .fields])
  }

  @Test func bratCarriesSpansAttributesAndNotes() throws {
    try roundTrip(
      "brat", folder: true,
      carries: [.text, .entities, .spanSentiments, .anchoredStances, .notes])
  }

  @Test func csvCarriesDocumentLabelsOntoStoredDocuments() throws {
    try roundTrip("csv", carries: [.sentiment, .documentStances, .fields]) { db in
      let texts = try AnnoBinary.run(["--db", db, "import", AnnoBinary.repositoryRoot + "/Corpus"])
      try #require(texts.status == 0, "\(texts.stderr)")
    }
  }

  /// CoNLL carries no id, annotator or spacing: one annotator's export comes back as the same
  /// tokens and tags, and every entity's text and label in order.
  @Test func conllCarriesTokensAndTagsOfOneAnnotator() throws {
    let corpus = try Self.corpus.get()
    let out = corpus.folder.file("out.conll")
    let export = try AnnoBinary.run([
      "--db", corpus.db, "--annotator", "ann1", "export", "--format", "conll", "--out", out,
    ])
    try #require(export.status == 0, "\(export.stderr)")
    let db = corpus.folder.file("copy-conll.sqlite")
    let imported = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "import", "--format", "conll", out,
    ])
    try #require(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("documents: 14 added"), "\(imported.stdout)")
    let again = corpus.folder.file("again.conll")
    let reexport = try AnnoBinary.run([
      "--db", db, "export", "--format", "conll", "--out", again,
    ])
    try #require(reexport.status == 0, "\(reexport.stderr)")
    func tokenLines(_ path: String) throws -> [Substring] {
      try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }
    let first = try tokenLines(out)
    #expect(first.count > 5_000)
    #expect(try tokenLines(again) == first)
    let copy = try Self.labels(in: db)
    // Entity labels and texts, document by document (offsets differ: the text is rebuilt).
    func entityTexts(_ labels: Labels) -> [String] {
      labels.entities.map { String($0.split(separator: " ", maxSplits: 1).last ?? "") }.sorted()
    }
    let original = corpus.ids.compactMap { corpus.reference["\($0) ann1"] }
    let expected = original.map(entityTexts).sorted { $0.lexicographicallyPrecedes($1) }
    let found = copy.values.map(entityTexts).sorted { $0.lexicographicallyPrecedes($1) }
    #expect(found.count == 14)
    #expect(found == expected)
    #expect(copy.keys.allSatisfy { $0.hasPrefix("doc-") && $0.hasSuffix(" ann1") })
  }
}
