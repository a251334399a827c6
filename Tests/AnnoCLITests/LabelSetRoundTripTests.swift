import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// A set-valued field exported in a format and imported back arrives whole (`export F |
/// import F`), through the built binary.
@Suite struct LabelSetRoundTripTests {
  @Test(arguments: ["anno", "spacy", "hf", "csv"])
  func exportThenImportKeepsEverySet(format: String) throws {
    let folder = try TemporaryDirectory()
    let source = try SetFieldAgreementTests().makeDatabase(folder)
    let schema = try folder.write("schema2.yaml", MultiLabelSchema.yaml)
    let original = try AnnoBinary.run(["--db", source, "export", "--annotator", "ann1"])
    #expect(original.status == 0, "\(original.stderr)")
    // Given ann1's labels exported in the format,
    let out = folder.file(format == "hf" ? "out-hf" : "out.\(format == "csv" ? "csv" : "jsonl")")
    let exported = try AnnoBinary.run(
      ["--db", source, "export", "--format", format, "--annotator", "ann1", "--out", out]
        + (format == "hf" ? ["--kinds", "labels"] : []))
    #expect(exported.status == 0, "\(exported.stderr)")
    // when imported into a database holding the documents (CSV carries no text),
    let target = folder.file("b.sqlite")
    let texts = (0..<SetFieldAgreementTests.units.count).map {
      #"{"id": "u\#($0)", "text": "Document \#($0)."}"#
    }
    let documents = try AnnoBinary.run([
      "--db", target, "--schema", schema, "import",
      try folder.write("docs.jsonl", texts.joined(separator: "\n") + "\n"),
    ])
    #expect(documents.status == 0, "\(documents.stderr)")
    let imported = try AnnoBinary.run(["--db", target, "import", "--format", format, out])
    #expect(imported.status == 0, "\(imported.stderr)")
    // then the Anno export of the copy gives the same sets.
    let copy = try AnnoBinary.run(["--db", target, "export", "--annotator", "ann1"])
    func labels(_ output: String) throws -> [String] {
      try output.split(separator: "\n").map { line in
        let record = try JSONParser.parse(String(line))
        return
          "\(record["id"]?.stringValue ?? "") \(JSONWriter.string(for: record["labels"] ?? .null))"
      }
    }
    #expect(try labels(copy.stdout) == labels(original.stdout))
    #expect(try labels(copy.stdout).first == #"u0 {"topic":["politics","economy"]}"#)
  }
}
