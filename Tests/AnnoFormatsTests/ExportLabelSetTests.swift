import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoFormats

/// A set-valued field (`topic`, `multiple: true`) in every export format, each its own way.
@Suite struct ExportLabelSetTests {
  static let item = AnnotatedDocument(
    document: Document(externalID: "d1", text: "Markets fell after the cup final."),
    annotations: AnnotationSet(
      annotator: "alice", labels: ["urgency": "3"], labelSets: ["topic": ["sport", "economy"]]))

  /// Exports the item and returns the summary and what was written (a folder as one text).
  func export(_ format: ExportFormat, kinds: Set<AnnotationKindSelection>? = nil) throws -> (
    ExportSummary, String
  ) {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let target = folder + "/out" + (format.writesFolder ? "" : "." + format.fileExtension)
    var options = ExportOptions(format: format)
    if let kinds { options.kinds = kinds }
    let exporter = try DatasetExporter(
      options: options, schema: try MultiLabelSchema.schema(), destination: .path(target))
    let text = ScalarText(Self.item.document.text)
    try exporter.write(Self.item, text: text, tokens: Tokenizer().tokenize(scalars: text.scalars))
    let summary = try exporter.finish()
    let written =
      format.writesFolder
      ? try folderSnapshot(target)
      : String(decoding: try Data(contentsOf: URL(fileURLWithPath: target)), as: UTF8.self)
    return (summary, written)
  }

  @Test func spacyCatsGiveEveryDeclaredValue() throws {
    let (_, written) = try export(.spacy)
    let record = try JSONParser.parse(String(written.dropLast()))
    let cats = try #require(record["cats"]?.objectValue)
    let topics = cats.filter { $0.key.hasPrefix("topic:") }
    #expect(topics.count == 10)
    #expect(
      topics.filter { $0.value == .double(1) }.keys.sorted() == ["topic:economy", "topic:sport"])
    #expect(cats["topic:politics"] == .double(0))
    #expect(cats["urgency:3"] == .double(1))
  }

  @Test func huggingFaceHasASequenceOfClassLabels() throws {
    let (_, written) = try export(.hf)
    #expect(
      written.contains(
        #"{"annotator":"alice","id":"d1","labels":[3,4],"text":"Markets fell after the cup final."}"#
      ))
    #expect(
      written.contains(
        """
        - config_name: 'topic'
          features:
          - name: id
            dtype: string
          - name: annotator
            dtype: string
          - name: text
            dtype: string
          - name: labels
            sequence:
              class_label:
                names:
                  '0': 'diplomacy'
        """))
  }

  @Test func prodigyAcceptsEveryChosenOption() throws {
    let (_, written) = try export(.prodigy, kinds: [.labels])
    let tasks = try written.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    let topic = try #require(tasks.first { $0["label"] == .string("topic") })
    #expect(topic["accept"] == .array([.string("economy"), .string("sport")]))
    #expect(topic["_view_id"] == .string("choice"))
    #expect(topic["options"]?.arrayValue?.count == 10)
  }

  @Test func doccanoGivesOneLabelPerValue() throws {
    let (_, written) = try export(.doccano, kinds: [.sentiment, .stance, .labels])
    let record = try JSONParser.parse(String(written.dropLast()))
    #expect(
      record["label"]
        == .array([.string("topic:economy"), .string("topic:sport"), .string("urgency:3")]))
  }

  @Test func csvJoinsTheValuesWithSemicolons() throws {
    let (_, written) = try export(.csv)
    #expect(
      written.hasSuffix(
        "stances_other,topic,urgency\r\nd1,alice,,,,,,economy;sport,3\r\n"))
  }

  @Test func bratAndTheAnnoFormat() throws {
    // With entities selected, the set (which has no entity layer) is left out whole.
    let (withEntities, _) = try export(.brat)
    #expect(withEntities.omitted[PreparedDocument.noEntityLayerOmission] == 1)
    #expect(withEntities.omitted["document field"] == nil)
    let (summary, _) = try export(.brat, kinds: [.labels])
    #expect(summary.omitted["document field"] == 3)
    let (_, anno) = try export(.anno)
    #expect(anno.contains(#""labels":{"topic":["economy","sport"],"urgency":3}"#))
  }
}
