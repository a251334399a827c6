import AnnoCore
import Foundation
import Testing

@testable import AnnoFormats

@Suite struct ExportSplitTests {
  @Test func parsesNamesAndFractions() throws {
    let spec = try SplitSpec(parsing: "train=0.8, dev=0.1,test=0.1")
    #expect(spec.names == ["train", "dev", "test"])
    #expect(spec.parts.map(\.fraction) == [0.8, 0.1, 0.1])
  }

  @Test(arguments: [
    (
      "train=0.8,dev=0.1",
      "invalid --split: fractions must sum to 1, but 'train=0.8,dev=0.1' sums to 0.9"
    ),
    (
      "train=0.5,train=0.5",
      "invalid --split: part name 'train' is given twice; names must be unique"
    ),
    ("train=1,dev=0", "invalid --split: fraction of part 'dev' must be positive, not 0"),
    ("train=x", "invalid --split: fraction 'x' of part 'train' is not a number"),
    (
      "train",
      "invalid --split: 'train' is not NAME=FRACTION; write e.g. train=0.8,dev=0.1,test=0.1"
    ),
    ("a/b=1", "invalid --split: part name 'a/b' must be letters, digits, '_' or '-'"),
  ])
  func rejectsInvalidSpecs(spec: String, message: String) {
    #expect {
      _ = try SplitSpec(parsing: spec)
    } throws: { error in
      (error as? ExportError)?.errorDescription == message
    }
  }

  @Test func sameSeedGivesSameAssignmentAndFractionsHold() throws {
    let spec = try SplitSpec(parsing: "train=0.8,dev=0.1,test=0.1")
    let ids = (0..<1000).map { "doc-\($0)" }
    var first = SplitAssigner(spec: spec, seed: 42, stratified: false)
    var second = SplitAssigner(spec: spec, seed: 42, stratified: false)
    var other = SplitAssigner(spec: spec, seed: 43, stratified: false)
    let a = ids.map { first.part(forID: $0, sentiment: nil) }
    let b = ids.reversed().map { second.part(forID: $0, sentiment: nil) }.reversed()
    let c = ids.map { other.part(forID: $0, sentiment: nil) }
    #expect(a == Array(b), "plain assignment depends on id and seed only, not on order")
    #expect(a != c)
    let counts = (0..<3).map { part in a.filter { $0 == part }.count }
    #expect(
      abs(counts[0] - 800) <= 40 && abs(counts[1] - 100) <= 30 && abs(counts[2] - 100) <= 30,
      "\(counts)")
  }

  @Test func stratifiedSplitHoldsFractionsWithinEachSentiment() throws {
    let spec = try SplitSpec(parsing: "train=0.8,dev=0.1,test=0.1")
    var assigner = SplitAssigner(spec: spec, seed: 1, stratified: true)
    let sentiments = ["negative", "neutral", "positive"]
    var counts: [String: [Int]] = [:]
    for i in 0..<1000 {
      let sentiment = sentiments[i % 7 == 0 ? 0 : (i % 3 == 0 ? 1 : 2)]
      let part = assigner.part(forID: "d\(i)", sentiment: sentiment)
      counts[sentiment, default: [0, 0, 0]][part] += 1
      // An annotator's second copy of a document gets the same part.
      #expect(assigner.part(forID: "d\(i)", sentiment: "other") == part)
    }
    for (sentiment, parts) in counts {
      let total = parts.reduce(0, +)
      #expect(abs(Double(parts[0]) - 0.8 * Double(total)) <= 3, "\(sentiment): \(parts)")
      #expect(abs(Double(parts[1]) - 0.1 * Double(total)) <= 3, "\(sentiment): \(parts)")
    }
  }

  @Test func splitFileNamesAndNoLeakageBetweenParts() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let items =
      ExportTestKit.fixture()
      + ExportTestKit.fixture().map { item in
        var copy = item
        copy.annotations.annotator = "zed"
        return copy
      }
    let options = ExportOptions(
      format: .spacy, split: try SplitSpec(parsing: "train=0.5,dev=0.5"), seed: 3)
    let summary = try ExportTestKit.run(items, options: options, to: .path(folder + "/data.jsonl"))
    #expect(summary.outputs == [folder + "/data.train.jsonl", folder + "/data.dev.jsonl"])
    var partsByID: [String: Set<String>] = [:]
    for part in ["train", "dev"] {
      let text = String(
        decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/data.\(part).jsonl")),
        as: UTF8.self)
      for line in text.split(separator: "\n") {
        let id = try JSONParser.parse(String(line))["meta"]?["id"]?.stringValue ?? ""
        partsByID[id, default: []].insert(part)
      }
    }
    #expect(partsByID.count == 5)
    #expect(partsByID.values.allSatisfy { $0.count == 1 })
  }

  @Test func splitIntoAFolder() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let options = ExportOptions(format: .conll, split: try SplitSpec(parsing: "train=0.5,test=0.5"))
    try ExportTestKit.run(ExportTestKit.fixture(), options: options, to: .path(folder + "/out/"))
    let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/out").sorted()
    #expect(files == [".anno-export", "test.conll", "train.conll"])
  }
}
