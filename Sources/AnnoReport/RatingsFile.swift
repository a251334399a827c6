import AnnoAgreement
import AnnoCore
import AnnoFormats
import Foundation

/// Agreement on a ratings table that is not in the database: a CSV file with a header
/// `unit,RATER1,RATER2,...` and one row per unit, an empty cell meaning "not rated".
///
/// The file is read twice, streaming (once to find the categories when none are given, once
/// to tally), so memory does not grow with the number of units.
public enum RatingsFile {
  /// Reads the file and computes every document-field measure for it, as one section named
  /// `ratings`.
  ///
  /// - Parameters:
  ///   - path: the CSV file.
  ///   - level: the measurement level of the ratings.
  ///   - categories: the categories in order, or `nil` to take those in the file (numeric
  ///     order when all are numbers, else code point order).
  public static func report(
    path: String, level: MeasurementLevel, categories given: [String]?
  ) throws -> AgreementReport {
    if let given,
      let twice = given.enumerated().first(where: { given.prefix($0.offset).contains($0.element) })
    {
      throw AgreementError.invalidRatings("--categories lists '\(twice.element)' twice")
    }
    var raters: [String] = []
    var seen = ByteStringTable()
    var units = 0
    /// The cells of a line as byte ranges, with surrounding spaces and a final `\r` trimmed.
    func cells(_ line: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>]) {
      ranges.removeAll(keepingCapacity: true)
      var start = 0
      var end = line.count
      if end > 0 && line[end - 1] == 0x0D { end -= 1 }
      func trimmed(_ a: Int, _ b: Int) -> Range<Int> {
        var a = a
        var b = b
        while a < b && line[a] == 0x20 { a += 1 }
        while b > a && line[b - 1] == 0x20 { b -= 1 }
        return a..<b
      }
      for i in 0..<end where line[i] == UInt8(ascii: ",") {
        ranges.append(trimmed(start, i))
        start = i + 1
      }
      ranges.append(trimmed(start, end))
    }
    var ranges: [Range<Int>] = []
    try FileLineReader(path: path).forEachLine { line, number in
      cells(line, into: &ranges)
      if number == 1 {
        raters = ranges.dropFirst().map {
          String(decoding: UnsafeBufferPointer(rebasing: line[$0]), as: UTF8.self)
        }
        guard raters.count >= 2 else {
          throw AgreementError.invalidRatings(
            "\(path):1: the header must be unit,RATER1,RATER2,... with at least two raters")
        }
        var seen: Set<String> = []
        if let twice = raters.first(where: { !seen.insert($0).inserted }) {
          throw AgreementError.invalidRatings(
            "\(path):1: rater '\(twice)' appears twice in the header; give each column its own name"
          )
        }
        return
      }
      if ranges.count == 1 && ranges[0].isEmpty { return }
      guard ranges.count == raters.count + 1 else {
        throw AgreementError.invalidRatings(
          "\(path):\(number): \(ranges.count) cells, but the header has \(raters.count + 1)")
      }
      if given == nil {
        for range in ranges.dropFirst() where !range.isEmpty {
          seen.insert(UnsafeBufferPointer(rebasing: line[range]))
        }
      }
    }
    let categories =
      given
      ?? {
        let all = seen.keys.map { String(decoding: $0, as: UTF8.self) }
        let numbers = all.compactMap(Double.init)
        return numbers.count == all.count
          ? all.sorted { (Double($0) ?? 0) < (Double($1) ?? 0) } : all.sorted()
      }()
    guard !categories.isEmpty else {
      throw AgreementError.invalidRatings("\(path): no ratings found")
    }
    var tally = FieldTally(
      name: "ratings", level: level, categories: categories, raterCount: raters.count,
      keepsDocuments: false)
    // Categories are looked up by their bytes, without building a string or an array per cell.
    var lookup = ByteStringTable()
    for var category in categories { category.withUTF8 { _ = lookup.insert($0) } }
    var unit = [Int?](repeating: nil, count: raters.count)
    try FileLineReader(path: path).forEachLine { line, number in
      guard number > 1 else { return }
      cells(line, into: &ranges)
      if ranges.count == 1 && ranges[0].isEmpty { return }
      for rater in 0..<raters.count {
        let range = ranges[rater + 1]
        if range.isEmpty {
          unit[rater] = nil
        } else if let index = lookup.index(of: UnsafeBufferPointer(rebasing: line[range])) {
          unit[rater] = index
        } else {
          let cell = String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self)
          throw AgreementError.invalidRatings(
            "\(path):\(number): '\(cell)' is not one of the categories (\(categories.joined(separator: ", ")))"
          )
        }
      }
      units += 1
      tally.add(unit, document: units)
    }
    let section = tally.section(annotators: raters, intervals: [:])
    return AgreementReport(
      annotators: raters, documents: units, selection: ["ratings \(path)"], sections: [section],
      disagreements: [],
      againstMajority: tally.majorityComparisons(annotators: raters), bootstrap: nil, notes: [])
  }
}

/// Distinct byte strings, each with the index of its first insertion; a lookup by bytes
/// allocates nothing while the table is small (a ratings file has a handful of categories).
struct ByteStringTable {
  /// The distinct keys, in insertion order.
  private(set) var keys: [[UInt8]] = []
  private var indexByKey: [[UInt8]: Int] = [:]
  /// Up to this many keys are compared one by one, not hashed.
  private static let linearLimit = 16

  /// The index of `bytes`, or `nil` when it was never inserted.
  func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    if keys.count <= Self.linearLimit {
      for (i, key) in keys.enumerated() where key.count == bytes.count {
        if key.elementsEqual(bytes) { return i }
      }
      return nil
    }
    return indexByKey[Array(bytes)]
  }

  /// Inserts `bytes` unless present; returns its index.
  @discardableResult
  mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    if let i = index(of: bytes) { return i }
    let key = Array(bytes)
    keys.append(key)
    indexByKey[key] = keys.count - 1
    return keys.count - 1
  }

}
