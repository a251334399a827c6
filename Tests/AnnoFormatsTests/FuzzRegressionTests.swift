import AnnoCore
import AnnoFormats
import AnnoTestSupport
import Foundation
import Testing

/// Inputs the fuzzer (Fuzz/, `scripts/reliability.sh`) found interesting, kept so that they
/// keep running cleanly: each must parse or fail with an error, never crash or hang.
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
        if problems.isEmpty { #expect(document?.externalID == record.externalID) }
      }
    }
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
    _ = SentenceSplitter().sentences(in: scalars, tokens: tokens)
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
