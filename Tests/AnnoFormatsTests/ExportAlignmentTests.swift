import AnnoCore
import Foundation
import Testing

@testable import AnnoFormats

@Suite struct ExportAlignmentTests {
  let text = "Kerry visited Sochi."
  var misaligned: AnnotatedDocument {
    AnnotatedDocument(
      document: Document(externalID: "kerry-sochi", text: text),
      annotations: AnnotationSet(
        annotator: "alice",
        entities: [
          EntitySpan(start: 0, end: 4, label: "PER"),
          ExportTestKit.entity("Sochi", "LOC", in: text),
        ]))
  }

  @Test func errorPolicyNamesDocumentOffsetsAndText() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/out.jsonl"
    // When a span ends inside a token under the default policy,
    #expect {
      try ExportTestKit.run([misaligned], options: ExportOptions(format: .spacy), to: .path(path))
    } throws: { error in
      // the message names the document, the span, its text and label, and the token.
      (error as? ExportError)?.errorDescription
        == "document 'kerry-sochi': span 0..<4 \"Kerr\" [PER] ends inside token 0..<5 \"Kerry\"; use --misaligned expand or skip"
    }
    // and nothing is published.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  @Test func skipPolicyLeavesSpanOutAndListsIt() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/out.jsonl"
    let summary = try ExportTestKit.run(
      [misaligned], options: ExportOptions(format: .spacy, misaligned: .skip), to: .path(path))
    #expect(
      summary.issues.map(\.description) == [
        "document 'kerry-sochi' (alice): entity PER 0..<4 \"Kerr\": skipped (misaligned)"
      ])
    let line = try JSONParser.parse(
      String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    #expect(line["entities"] == .array([.array([.int(14), .int(19), .string("LOC")])]))
  }

  @Test func expandPolicyWidensToTokensAndListsIt() throws {
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/out.jsonl"
    let summary = try ExportTestKit.run(
      [misaligned], options: ExportOptions(format: .spacy, misaligned: .expand), to: .path(path))
    #expect(
      summary.issues.map(\.description) == [
        "document 'kerry-sochi' (alice): entity PER 0..<4 \"Kerr\": expanded to 0..<5"
      ])
    let line = try JSONParser.parse(
      String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    #expect(line["entities"]?.arrayValue?.first == .array([.int(0), .int(5), .string("PER")]))
  }

  @Test func spanOnWhitespaceIsMisalignedAndTrimmedByExpand() throws {
    let text = "Kerry visited Sochi."
    let tokens = Tokenizer().tokenize(text)
    let index = TokenIndex(
      tokens: try TokenIndex.covering(tokens, text: ScalarText(text), documentID: "d"), length: 20)
    guard
      case .misaligned(let problem, let expanded) = index.align(
        13..<19, label: "LOC", text: ScalarText(text))
    else {
      Issue.record("a span starting on a space must be misaligned")
      return
    }
    #expect(problem == "starts on whitespace")
    #expect(expanded?.range == 14..<19)
  }

  @Test func coveringTokensFillGapsFromBareRanges() throws {
    // Given an importer's bare token ranges that skip whitespace,
    let text = ScalarText("a  b\nc")
    let bare = [Token(start: 0, end: 1), Token(start: 3, end: 4), Token(start: 5, end: 6)]
    // the covering tokens add whitespace tokens, so texts and spaces rebuild the text.
    let covering = try TokenIndex.covering(bare, text: text, documentID: "d")
    let rebuilt = covering.map { text[$0.range] + ($0.spaceAfter ? " " : "") }.joined()
    #expect(rebuilt == "a  b\nc")
    #expect(covering.filter(\.isSpace).map(\.range) == [2..<3, 4..<5])
    #expect(covering[0].spaceAfter)
  }

  @Test func overlappingTokensAreRejected() {
    #expect(
      throws: ExportError.invalidTokens(
        documentID: "d",
        detail:
          "token 1 at 0..<2 must be non-empty, in order, not overlapping and inside the text (length 3)"
      )
    ) {
      _ = try TokenIndex.covering(
        [Token(start: 0, end: 2), Token(start: 0, end: 2)], text: ScalarText("abc"), documentID: "d"
      )
    }
  }

  @Test func conllNeverBreaksASentenceInsideAnEntity() throws {
    // "Dr. No" would split after "Dr." were it not one entity; a line break inside keeps too.
    let text = "We met Dr. No today.\n\nThen Rio\n\nde Janeiro."
    let item = AnnotatedDocument(
      document: Document(externalID: "d", text: text),
      annotations: AnnotationSet(
        annotator: "a",
        entities: [
          ExportTestKit.entity("Dr. No", "PER", in: text),
          ExportTestKit.entity("Rio\n\nde Janeiro", "LOC", in: text),
        ]))
    let folder = try ExportTestKit.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try ExportTestKit.run(
      [item], options: ExportOptions(format: .conll), to: .path(folder + "/o.conll"))
    let written = String(
      decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/o.conll")), as: UTF8.self)
    let sentences = written.components(separatedBy: "\n\n").dropFirst().filter { !$0.isEmpty }
    for sentence in sentences {
      #expect(
        !sentence.hasPrefix("No ") && !sentence.hasPrefix("de "),
        "a sentence starts inside an entity: \(sentence)")
    }
    #expect(written.contains("Rio -X- _ B-LOC\nde -X- _ I-LOC\nJaneiro -X- _ I-LOC\n"))
  }
}
