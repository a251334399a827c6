import AnnoAgreement
import Foundation
import Testing

/// Anno's side of `scripts/crosscheck_agreement.py`.
///
/// With `ANNO_CROSSCHECK_DIR` set, reads `ratings.json` there, computes every document-level
/// measure with AnnoAgreement and writes `anno.json` beside it; the script compares the
/// numbers with Python's libraries. Skipped (not passed vacuously) when the variable is unset.
///
/// `ratings.json`: `{"cases": [{"name", "categories": [String], "values": [Double],
/// "ratings": [[String?]]}]}`, ratings as units × raters of category names, `null` missing.
/// `anno.json`: `{"cases": [{"name", "measures": {String: Double?}}]}`, `null` = undefined.
@Suite struct CrossCheckHookTests {
  static let directory = ProcessInfo.processInfo.environment["ANNO_CROSSCHECK_DIR"]

  struct Ratings: Decodable {
    struct Case: Decodable {
      var name: String
      var categories: [String]
      var values: [Double]
      var ratings: [[String?]]
    }
    var cases: [Case]
  }

  struct Output: Encodable {
    struct Case: Encodable {
      var name: String
      var measures: [String: Double?]
    }
    var cases: [Case]
  }

  static func measures(_ c: Ratings.Case) -> [String: Double?] {
    let acc = RatingTable(categories: c.categories, units: c.ratings).accumulator
    var out: [String: Double?] = [
      "percent_agreement": acc.percentAgreement.value,
      "fleiss_kappa": acc.fleissKappa.value,
      "conger_kappa": acc.congersKappa.value,
      "gwet_ac1": acc.gwetsAC1.value,
      "bennett_s": acc.bennettsS.value,
      "light_kappa": acc.lightsKappa.value,
    ]
    for level in MeasurementLevel.allCases {
      out["alpha_\(level.rawValue)"] = acc.krippendorffAlpha(level: level, values: c.values).value
    }
    for pair in acc.raterPairs {
      let key = "\(pair.a)-\(pair.b)"
      out["cohen_kappa/\(key)"] = acc.cohensKappa(pair.a, pair.b).value
      out["scott_pi/\(key)"] = acc.scottsPi(pair.a, pair.b).value
      out["percent_agreement/\(key)"] = acc.percentAgreement(pair.a, pair.b).value
      for w in KappaWeighting.allCases {
        out["weighted_kappa_\(w.rawValue)/\(key)"] =
          acc.weightedKappa(pair.a, pair.b, weighting: w).value
      }
    }
    return out
  }

  @Test(.enabled(if: directory != nil, "set ANNO_CROSSCHECK_DIR to run the cross-check hook"))
  func writesAnnoMeasuresForTheCrossCheckScript() throws {
    let dir = URL(fileURLWithPath: try #require(Self.directory))
    let input = try JSONDecoder().decode(
      Ratings.self, from: Data(contentsOf: dir.appendingPathComponent("ratings.json")))
    #expect(!input.cases.isEmpty)
    let output = Output(
      cases: input.cases.map { Output.Case(name: $0.name, measures: Self.measures($0)) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try encoder.encode(output).write(to: dir.appendingPathComponent("anno.json"))
  }
}
