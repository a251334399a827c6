import AnnoCore
import AnnoReport
import Testing

@testable import AnnoCLI

/// `anno agree`'s options as parsed from the command line, and what the report gets of them.
@Suite struct AgreementOptionsTests {
  @Test func optionsParseAndValidate() throws {
    let options = try AgreementOptions.parse([
      "--annotators", "b,a", "--fields", "sentiment,stance:EU", "--format", "json", "--bootstrap",
      "100", "--seed", "7",
      "--out", "r.json", "--docs", "sport/*",
    ])
    #expect(options.annotators?.names == ["b", "a"])
    #expect(options.format == .json)
    #expect(options.statuses == [.done])
    #expect(throws: (any Error).self) {
      try AgreementOptions.parse(["--status", "done", "--include-unfinished"])
    }
    #expect(throws: (any Error).self) { try AgreementOptions.parse(["--annotators", "a"]) }
    #expect(try AgreementOptions.parse(["--include-unfinished"]).statuses == nil)
    // stance:EU resolves the alias to the declared target.
    let schema = try LabelSchema(yaml: BundledGuidelines.schemaYAML)
    let plan = try AgreementPlan(schema: schema, options: options.report)
    #expect(plan.stance == .only(["European Union"]))
    // The report gets the selection as plain values.
    let report = options.report
    #expect(report.annotators == ["b", "a"])
    #expect(report.fields == ["sentiment", "stance:EU"])
    #expect(report.labels == nil)
    #expect(report.statuses == [.done])
    #expect(report.documentPattern == "sport/*")
    #expect(report.bootstrap == 100 && report.seed == 7)
    #expect(try AgreementOptions.parse(["--include-unfinished"]).report.statuses == nil)
    #expect(
      try AgreementOptions.parse(["--status", "done,flagged"]).report.statuses == [.done, .flagged])
  }
}
