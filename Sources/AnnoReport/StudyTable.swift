import AnnoCore
import Foundation

/// A table of a study report, rendered as aligned text, Markdown, CSV or HTML.
///
/// Columns of numbers are right-aligned, the others left-aligned.
package struct StudyTable: Sendable, Hashable {
  /// The column titles.
  package var header: [String]
  /// The rows, one cell per column.
  package var rows: [[String]] = []

  /// Creates a table with these column titles.
  package init(_ header: [String]) { self.header = header }

  /// Whether column `c` holds numbers only (or "—"): those are right-aligned.
  func isNumeric(_ c: Int) -> Bool {
    c > 0 && rows.allSatisfy { c < $0.count && ($0[c] == "—" || Double($0[c]) != nil) }
  }

  /// Aligned columns, indented by two spaces, one line per row.
  package var text: String {
    let widths = header.indices.map { c in
      ([header] + rows).reduce(0) { max($0, c < $1.count ? $1[c].count : 0) }
    }
    let numeric = header.indices.map(isNumeric)
    return ([header] + rows).map { row in
      "  "
        + row.indices.map { c in
          let pad = String(repeating: " ", count: max(0, widths[c] - row[c].count))
          return numeric[c] ? pad + row[c] : row[c] + pad
        }.joined(separator: "  ").trimmingTrailingSpaces()
    }.joined(separator: "\n") + "\n"
  }

  /// A GitHub-flavoured Markdown table.
  package var markdown: String {
    func line(_ cells: [String]) -> String {
      "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ")
        + " |"
    }
    let rule = "|" + header.indices.map { isNumeric($0) ? " ---: |" : " --- |" }.joined()
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
  }

  /// RFC 4180 CSV with a header line; fields with commas, quotes or line breaks are quoted.
  package var csv: String {
    func field(_ s: String) -> String {
      s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    return ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n")
      + "\r\n"
  }

  /// An HTML table (cells escaped; numbers right-aligned by the `n` class).
  package var html: String {
    var out = "<table>\n<tr>" + header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr>\n"
    for row in rows {
      out +=
        "<tr>"
        + row.indices.map { c in
          isNumeric(c)
            ? "<td class=\"n\">\(Self.escape(row[c]))</td>" : "<td>\(Self.escape(row[c]))</td>"
        }.joined() + "</tr>\n"
    }
    return out + "</table>\n"
  }

  /// `text` with `&`, `<`, `>` and `"` escaped for HTML.
  package static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}

/// Fixed-decimal formatting for report figures (round half away from zero).
package enum Figure {
  /// `value` with `decimals` decimals.
  package static func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (abs(value) * scale).rounded(.toNearestOrAwayFromZero) / scale
    let sign = value < 0 && rounded != 0 ? "-" : ""
    let whole = Int(rounded)
    guard decimals > 0 else { return sign + String(whole) }
    let fraction = Int(((rounded - Double(whole)) * scale).rounded())
    let digits = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count)
      + digits
  }
}
