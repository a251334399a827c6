import AnnoCore
import Foundation
import Testing

@testable import AnnoFormats

@Suite struct ExportAtomicityTests {
  let bad = AnnotatedDocument(
    document: Document(externalID: "bad", text: "Kerry went."),
    annotations: AnnotationSet(
      annotator: "a", entities: [EntitySpan(start: 1, end: 3, label: "PER")]))

  @Test(arguments: ExportFormat.allCases.filter(\.needsTokenAlignment))
  func failedExportLeavesNothingAtTheTarget(format: ExportFormat) throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let target = folder + "/out"
    #expect(throws: ExportError.self) {
      try ExportTestKit.run(
        ExportTestKit.fixture() + [bad], options: ExportOptions(format: format), to: .path(target))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  @Test func failedExportKeepsThePreviousFile() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let target = folder + "/out.jsonl"
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: target))
    #expect(throws: ExportError.self) {
      try ExportTestKit.run([bad], options: ExportOptions(format: .spacy), to: .path(target))
    }
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "old\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.jsonl"])
  }

  @Test func unfinishedExporterRemovesItsTemporaryFiles() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    do {
      let exporter = try DatasetExporter(
        options: ExportOptions(format: .hf), schema: try ExportTestKit.schema(),
        destination: .path(folder + "/hf"))
      let item = ExportTestKit.fixture()[0]
      let text = ScalarText(item.document.text)
      try exporter.write(item, text: text, tokens: Tokenizer().tokenize(scalars: text.scalars))
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: folder).count == 1, "the staging folder"
      )
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  @Test func refusesAFolderAnnoDidNotWriteButReplacesItsOwn() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let target = folder + "/brat"
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: URL(fileURLWithPath: target + "/notes.txt"))
    #expect(throws: ExportError.destinationNotEmpty(path: target)) {
      try ExportTestKit.run(
        ExportTestKit.fixture(), options: ExportOptions(format: .brat), to: .path(target))
    }
    try FileManager.default.removeItem(atPath: target + "/notes.txt")
    try ExportTestKit.run(
      ExportTestKit.fixture(), options: ExportOptions(format: .brat), to: .path(target))
    try ExportTestKit.run(
      Array(ExportTestKit.fixture().prefix(1)), options: ExportOptions(format: .brat),
      to: .path(target))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: target + "/alice").sorted() == [
        "kerry-sochi.ann", "kerry-sochi.txt",
      ])
  }

  @Test func standardOutputRefusesFoldersAndSplits() throws {
    let schema = try ExportTestKit.schema()
    #expect(throws: ExportError.needsPath("the brat format writes a folder and")) {
      _ = try DatasetExporter(
        options: ExportOptions(format: .brat), schema: schema, destination: .standardOutput)
    }
    let split = ExportOptions(format: .spacy, split: try SplitSpec(parsing: "a=0.5,b=0.5"))
    #expect(throws: ExportError.needsPath("a split writes one file per part and")) {
      _ = try DatasetExporter(options: split, schema: schema, destination: .standardOutput)
    }
  }
}
