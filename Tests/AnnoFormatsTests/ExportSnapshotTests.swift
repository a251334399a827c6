import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoFormats

// MARK: - Helpers shared by the Export*Tests files

/// Fixtures and helpers for the export tests (namespaced, so they never shadow AnnoTestSupport).
enum ExportTestKit {

  /// The bundled schema, inlined so the tests do not depend on the repository layout.
  static let schemaYAML = """
    schema: anno-news
    version: 1
    entities:
      - {name: PER, description: Person.}
      - {name: ORG, description: Organisation.}
      - {name: LOC, description: Location.}
      - {name: MISC, description: Other.}
    sentiment:
      values: [negative, neutral, positive]
    stance:
      values: [favor, against, neutral]
      allow_ad_hoc_targets: true
      targets:
        - {name: European Union, aliases: [EU]}
        - {name: Russia, aliases: [Moscow]}
        - {name: United States, aliases: [US]}
    fields:
      - {name: topic, description: Topic., level: nominal, values: [diplomacy, politics, economy, sport, culture]}
      - {name: urgency, description: Urgency., level: interval, values: [1, 2, 3, 4, 5]}
    """

  static func schema() throws -> LabelSchema {
    try LabelSchema(yaml: schemaYAML)
  }

  /// The scalar range of the `occurrence`-th `needle` in `text`.
  static func scalarRange(of needle: String, in text: String, occurrence: Int = 1) -> Range<Int> {
    let scalars = Array(text.unicodeScalars)
    let target = Array(needle.unicodeScalars)
    var seen = 0
    for start in 0...(scalars.count - target.count)
    where Array(scalars[start..<(start + target.count)]) == target {
      seen += 1
      if seen == occurrence { return start..<(start + target.count) }
    }
    preconditionFailure("'\(needle)' not found in '\(text)'")
  }

  static func entity(_ needle: String, _ label: String, in text: String) -> EntitySpan {
    let range = scalarRange(of: needle, in: text)
    return EntitySpan(start: range.lowerBound, end: range.upperBound, label: label)
  }

  /// Documents with emoji (skin tone, flag, ZWJ), CJK, combining marks, CRLF and an overlap.
  static func fixture() -> [AnnotatedDocument] {
    let t1 = "John Kerry met Sergey Lavrov in Sochi🇷🇺 on Tuesday. The U.S. and Russia 👍🏽 agreed."
    let t2 = "北京 hosted the 東京 delegation; Zoe\u{308} Dubois-Mu\u{308}ller (café owner) spoke."
    let t3 = "Angela Merkel visited Paris.\r\nThe EU welcomed it.\r\n\r\nNew\r\nYork was next."
    let t4 = "The 👨\u{200D}👩\u{200D}👧 family from Kyiv cheered for Ukraine!"
    let t5 = "The Bank of England said “Kerry’s plan” failed."
    let kerry = scalarRange(of: "John Kerry", in: t1)
    let newYork = scalarRange(of: "New\r\nYork", in: t3)
    let quote = scalarRange(of: "“Kerry’s plan”", in: t5)
    return [
      AnnotatedDocument(
        document: Document(externalID: "kerry-sochi", text: t1),
        annotations: AnnotationSet(
          annotator: "alice",
          entities: [
            entity("John Kerry", "PER", in: t1), entity("Sergey Lavrov", "PER", in: t1),
            entity("Sochi", "LOC", in: t1), entity("U.S.", "LOC", in: t1),
            entity("Russia", "LOC", in: t1),
          ],
          spanSentiments: [
            SpanSentiment(start: kerry.lowerBound, end: kerry.upperBound, value: "positive")
          ],
          sentiment: "positive",
          stances: [
            Stance(target: "Russia", value: "favor"), Stance(target: "Ukraine", value: "against"),
          ],
          labels: ["topic": "diplomacy", "urgency": "3"])),
      AnnotatedDocument(
        document: Document(externalID: "beijing/cjk", text: t2),
        annotations: AnnotationSet(
          annotator: "alice",
          entities: [
            entity("北京", "LOC", in: t2), entity("東京", "LOC", in: t2),
            entity("Zoe\u{308} Dubois-Mu\u{308}ller", "PER", in: t2),
          ],
          sentiment: "neutral", labels: ["topic": "culture"])),
      AnnotatedDocument(
        document: Document(externalID: "../crlf doc", text: t3),
        annotations: AnnotationSet(
          annotator: "bob",
          entities: [
            entity("Angela Merkel", "PER", in: t3), entity("Paris", "LOC", in: t3),
            entity("EU", "ORG", in: t3),
            EntitySpan(start: newYork.lowerBound, end: newYork.upperBound, label: "LOC"),
          ],
          sentiment: "positive",
          stances: [
            Stance(
              target: "European Union", value: "favor",
              range: scalarRange(of: "The EU welcomed it.", in: t3))
          ],
          notes: [Note(text: "a city\nacross a line break", range: newYork)])),
      AnnotatedDocument(
        document: Document(externalID: "family-emoji", text: t4),
        annotations: AnnotationSet(
          annotator: "alice",
          entities: [entity("Kyiv", "LOC", in: t4), entity("Ukraine", "LOC", in: t4)],
          sentiment: "positive", labels: ["topic": "sport", "urgency": "5"])),
      AnnotatedDocument(
        document: Document(externalID: "bank-overlap", text: t5),
        annotations: AnnotationSet(
          annotator: "alice",
          entities: [
            entity("Bank of England", "ORG", in: t5), entity("England", "LOC", in: t5),
            entity("Kerry", "PER", in: t5),
          ],
          spanSentiments: [
            SpanSentiment(start: quote.lowerBound, end: quote.upperBound, value: "negative")
          ],
          sentiment: "negative")),
    ]
  }

  /// A fresh empty folder under the system temporary folder.
  static func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "anno-export-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Runs one export of `items` and returns the summary.
  @discardableResult
  static func run(
    _ items: [AnnotatedDocument], options: ExportOptions, to destination: ExportDestination
  ) throws -> ExportSummary {
    let exporter = try DatasetExporter(
      options: options, schema: try schema(), destination: destination)
    for item in items {
      let text = ScalarText(item.document.text)
      try exporter.write(
        item, text: text,
        tokens: item.document.tokens ?? Tokenizer().tokenize(scalars: text.scalars))
    }
    return try exporter.finish()
  }
}

// MARK: - Golden files

@Suite struct ExportSnapshotTests {
  static let singleFileFormats: [ExportFormat] = [
    .anno, .spacy, .spacyJSON, .prodigy, .doccano, .conll, .csv,
  ]

  @Test(arguments: singleFileFormats)
  func singleFileFormatMatchesGoldenFile(format: ExportFormat) throws {
    // Given the fixture, when exported to one file,
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/out.\(format.fileExtension)"
    try ExportTestKit.run(
      ExportTestKit.fixture(), options: ExportOptions(format: format), to: .path(path))
    // then the file is the golden one, byte for byte.
    let written = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    try assertSnapshot(
      written, named: "export-\(format.rawValue).\(format.fileExtension)")
  }

  @Test func doccanoClassificationMatchesGoldenFile() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/out.jsonl"
    try ExportTestKit.run(
      ExportTestKit.fixture(),
      options: ExportOptions(format: .doccano, kinds: [.sentiment, .stance, .labels]),
      to: .path(path))
    let written = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    try assertSnapshot(written, named: "export-doccano-classification.jsonl")
  }

  @Test(arguments: [ExportFormat.brat, .hf])
  func folderFormatMatchesGoldenFiles(format: ExportFormat) throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let target = folder + "/out"
    let summary = try ExportTestKit.run(
      ExportTestKit.fixture(), options: ExportOptions(format: format), to: .path(target))
    #expect(summary.outputs == [target])
    try assertSnapshot(
      try folderSnapshot(target), named: "export-\(format.rawValue).txt")
  }

  @Test func summaryListsOverlapsAndOmissions() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let summary = try ExportTestKit.run(
      ExportTestKit.fixture(), options: ExportOptions(format: .conll),
      to: .path(folder + "/x.conll"))
    #expect(summary.documents == 5)
    #expect(summary.spansPerLabel == ["LOC": 9, "ORG": 2, "PER": 5])
    #expect(
      summary.issues.map(\.description) == [
        "document 'bank-overlap' (alice): entity LOC 12..<19 \"England\": left out (overlaps another entity)"
      ])
  }

  @Test func prodigyTokensRebuildEveryText() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/p.jsonl"
    try ExportTestKit.run(
      ExportTestKit.fixture(), options: ExportOptions(format: .prodigy, kinds: [.entities]),
      to: .path(path))
    let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
      .split(separator: "\n")
    #expect(lines.count == 5)
    for line in lines {
      let task = try JSONParser.parse(String(line))
      let tokens = try #require(task["tokens"]?.arrayValue)
      let rebuilt = tokens.map {
        ($0["text"]?.stringValue ?? "") + ($0["ws"] == .bool(true) ? " " : "")
      }.joined()
      #expect(rebuilt == task["text"]?.stringValue)
    }
  }
}
