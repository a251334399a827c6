import AnnoAgreement
import AnnoCore
import AnnoFormats
import Foundation

/// Agreement on a ratings table that is not in the database: a CSV file with a header
/// `unit,RATER1,RATER2,...` and one row per unit, an empty cell meaning "not rated".
///
/// The file is read twice, streaming (once to find the categories when none are given, once
/// to tally), so memory does not grow with the number of units.
enum RatingsFile {
  /// Reads the file and computes every document-field measure for it, as one section named
  /// `ratings`.
  ///
  /// - Parameters:
  ///   - path: the CSV file.
  ///   - level: the measurement level of the ratings.
  ///   - categories: the categories in order, or `nil` to take those in the file (numeric
  ///     order when all are numbers, else code point order).
  static func report(path: String, level: AnnoAgreement.MeasurementLevel, categories given: [String]?) throws -> AgreementReport {
    var raters: [String] = []
    var seen: Set<String> = []
    var units = 0
    func cells(_ line: UnsafeBufferPointer<UInt8>) -> [Substring] {
      let text = String(decoding: line, as: UTF8.self)
      return text.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces).isEmpty ? Substring("") : Substring($0.trimmingCharacters(in: .whitespacesAndNewlines))
      }
    }
    try FileLineReader(path: path).forEachLine { line, number in
      let row = cells(line)
      if number == 1 {
        raters = row.dropFirst().map(String.init)
        guard raters.count >= 2 else {
          throw CLIError.message("\(path):1: the header must be unit,RATER1,RATER2,... with at least two raters")
        }
        return
      }
      guard !(row.count == 1 && row[0].isEmpty) else { return }
      guard row.count == raters.count + 1 else {
        throw CLIError.message("\(path):\(number): \(row.count) cells, but the header has \(raters.count + 1)")
      }
      if given == nil { for cell in row.dropFirst() where !cell.isEmpty { seen.insert(String(cell)) } }
    }
    let categories =
      given
      ?? {
        let all = Array(seen)
        let numbers = all.compactMap(Double.init)
        return numbers.count == all.count ? all.sorted { (Double($0) ?? 0) < (Double($1) ?? 0) } : all.sorted()
      }()
    guard !categories.isEmpty else { throw CLIError.message("\(path): no ratings found") }
    var tally = FieldTally(name: "ratings", level: level, categories: categories, raterCount: raters.count, keepsDocuments: false)
    var unit = [Int?](repeating: nil, count: raters.count)
    try FileLineReader(path: path).forEachLine { line, number in
      guard number > 1 else { return }
      let row = cells(line)
      guard !(row.count == 1 && row[0].isEmpty) else { return }
      for rater in 0..<raters.count {
        let cell = row[rater + 1]
        if cell.isEmpty {
          unit[rater] = nil
        } else if let index = tally.index[String(cell)] {
          unit[rater] = index
        } else {
          throw CLIError.message(
            "\(path):\(number): '\(cell)' is not one of the categories (\(categories.joined(separator: ", ")))")
        }
      }
      units += 1
      tally.add(unit, document: units)
    }
    let section = tally.section(annotators: raters, intervals: [:])
    return AgreementReport(
      annotators: raters, documents: units, selection: ["ratings \(path)"], sections: [section], disagreements: [],
      againstMajority: tally.majorityComparisons(annotators: raters), bootstrap: nil, notes: [])
  }
}
