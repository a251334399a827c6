import AnnoCore
import Foundation
import Testing

@testable import AnnoFormats

@Suite struct ExportBratTests {
  static let hostileIDs = [
    "../../etc/x", "..", ".", ".hidden", "a/b", "a%2Fb", "a b", "", "%", "CON", "x\u{0}y", "北京",
    "e\u{301}", "\u{E9}", "-rf", "a.b", "a\\b", "a\nb",
  ]

  @Test(arguments: hostileIDs)
  func encodedNameStaysInsideAndRoundTrips(id: String) {
    let name = SafeFileName.encode(id)
    #expect(!name.contains("/") && !name.hasPrefix(".") && !name.isEmpty)
    #expect(name.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 })
    #expect(SafeFileName.decode(name) == id)
  }

  @Test func encodingIsInjective() {
    let names = Self.hostileIDs.map(SafeFileName.encode)
    #expect(Set(names).count == Self.hostileIDs.count)
  }

  @Test func hostileIDsWriteOnlyInsideTheFolder() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let items = Self.hostileIDs.map { id in
      AnnotatedDocument(
        document: Document(externalID: ExternalID(id), text: "Kerry went to Sochi."),
        annotations: AnnotationSet(
          annotator: "../alice", entities: [EntitySpan(start: 14, end: 19, label: "LOC")]))
    }
    try ExportTestKit.run(items, options: ExportOptions(format: .brat), to: .path(folder + "/brat"))
    // Only the brat folder exists, with one pair per id and nothing outside.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["brat"])
    let annotatorFolder = folder + "/brat/" + SafeFileName.encode("../alice")
    let files = try FileManager.default.contentsOfDirectory(atPath: annotatorFolder)
    #expect(files.count == 2 * Self.hostileIDs.count)
    for id in Self.hostileIDs {
      let ann = try String(
        contentsOfFile: annotatorFolder + "/" + SafeFileName.encode(id) + ".ann", encoding: .utf8)
      #expect(ann == "T1\tLOC 14 19\tSochi\n")
    }
  }

  @Test func crlfTextShiftsOffsetsAndSplitsFragments() throws {
    let text = "Paris\r\nNew\r\nYork"
    let item = AnnotatedDocument(
      document: Document(externalID: "d", text: text),
      annotations: AnnotationSet(
        annotator: "a", entities: [ExportTestKit.entity("New\r\nYork", "LOC", in: text)]))
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try ExportTestKit.run([item], options: ExportOptions(format: .brat), to: .path(folder + "/b"))
    #expect(
      try String(contentsOfFile: folder + "/b/a/d.txt", encoding: .utf8) == "Paris\nNew\nYork")
    #expect(
      try String(contentsOfFile: folder + "/b/a/d.ann", encoding: .utf8)
        == "T1\tLOC 6 9;10 14\tNew York\n")
  }
}
