import AnnoCore
import AnnoPipeline
import AnnoStore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoReport

/// The text, markdown and HTML renderings of the agreement report.
@Suite struct AgreementRendererTests {
  static func newsReport(_ options: ReportOptions = ReportOptions()) throws -> AgreementReport {
    let store = try AgreementFixtures.newsStore()
    return try AgreementJob.report(
      store: store, schema: try #require(try store.schema()),
      options: options)
  }

  @Test func textMatchesGoldenFile() throws {
    let text = AgreementRenderer.render(
      try Self.newsReport(), format: .text, colors: false, width: 100)
    try assertSnapshot(text, named: "agreement-news.txt")
    #expect(!text.contains("\u{1B}["))
  }

  @Test func textFitsTheWidth() throws {
    let text = AgreementRenderer.render(
      try Self.newsReport(), format: .text, colors: false, width: 60)
    for line in text.split(separator: "\n") { #expect(line.count <= 60, "too wide: \(line)") }
  }

  @Test func textIsColouredOnlyWhenAsked() throws {
    let text = AgreementRenderer.render(
      try Self.newsReport(), format: .text, colors: true, width: 100)
    #expect(
      text.contains("\u{1B}[32m") || text.contains("\u{1B}[33m") || text.contains("\u{1B}[31m"))
  }

  @Test func markdownMatchesGoldenFile() throws {
    let markdown = AgreementRenderer.render(
      try Self.newsReport(), format: .markdown, colors: true, width: 80)
    try assertSnapshot(markdown, named: "agreement-news.md")
  }

  @Test func htmlIsSelfContainedWithChartsAndEscapesData() throws {
    // Given a hostile document id and annotator name,
    let store = try AgreementFixtures.store()
    let hostile = "<script>alert('x')</script>"
    try AgreementFixtures.load(
      store,
      [
        (
          ExternalID(hostile), "Kerry met Lavrov.",
          [
            AnnotationSet(
              annotator: "a&b", entities: [EntitySpan(start: 0, end: 5, label: "PER")],
              sentiment: "negative"),
            AnnotationSet(
              annotator: "c", entities: [EntitySpan(start: 10, end: 16, label: "PER")],
              sentiment: "neutral"),
          ]
        ),
        (
          "calm", "All quiet.",
          [
            AnnotationSet(annotator: "a&b", entities: [], sentiment: "neutral"),
            AnnotationSet(annotator: "c", entities: [], sentiment: "neutral"),
          ]
        ),
      ])
    let report = try AgreementJob.report(
      store: store, schema: try #require(try store.schema()),
      options: ReportOptions(bootstrap: 20))
    let html = AgreementRenderer.render(report, format: .html, colors: false, width: 80)
    // then the page has its charts, no URL, and shows the data escaped.
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<svg"))
    #expect(!html.contains("http"))
    #expect(!html.contains("<script"))
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    #expect(html.contains("a&amp;b"))
    #expect(!html.contains("a&b"))
    #expect(
      html.components(separatedBy: "<svg").count == html.components(separatedBy: "</svg>").count)
    #expect(html.hasSuffix("</html>\n"))
  }

  @Test func jsonIsOneSortedLine() throws {
    let json = AgreementRenderer.render(
      try Self.newsReport(ReportOptions(fields: ["sentiment"])), format: .json, colors: false,
      width: 80)
    #expect(json.hasSuffix("}\n"))
    #expect(json.dropLast().contains("\n") == false)
    #expect(json.hasPrefix(#"{"against_majority":"#))
  }
}
