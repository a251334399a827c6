/// Aligned text tables for the terminal.
public enum TextTable {
  /// Renders rows under headers, columns padded to their widest cell (display width).
  ///
  /// When the table is wider than `width`, the widest columns are narrowed and their cells
  /// wrap onto further lines of the same row, so no line is wider than `width`.
  public static func render(
    headers: [String], rows: [[String]], palette: Palette, width: Int? = nil
  ) -> String {
    var widths = headers.map { DisplayText.width(of: $0) }
    for row in rows {
      for (i, cell) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], DisplayText.width(of: cell))
      }
    }
    if let width { widths = fitted(widths, into: width) }
    func lines(_ cells: [String]) -> [String] {
      let wrapped = cells.enumerated().map { i, cell in
        i < widths.count ? TextWrap.wrap(cell, width: widths[i]) : [cell]
      }
      let height = wrapped.map(\.count).max() ?? 1
      return (0..<height).map { line in
        let joined = wrapped.enumerated().map { i, pieces in
          let piece = line < pieces.count ? pieces[line] : ""
          return i == wrapped.count - 1 ? piece : DisplayText.padded(piece, to: widths[i])
        }
        .joined(separator: "  ")
        return String(joined.reversed().drop(while: { $0 == " " }).reversed())
      }
    }
    var out = lines(headers).map { palette.bold($0) + "\n" }.joined()
    for row in rows { out += lines(row).map { $0 + "\n" }.joined() }
    return out
  }

  /// Column widths that fit `total` columns with two spaces between them: columns narrower
  /// than their share keep their width, the others share what is left equally (at least 6).
  static func fitted(_ natural: [Int], into total: Int) -> [Int] {
    let gaps = 2 * max(0, natural.count - 1)
    guard natural.reduce(0, +) + gaps > total, !natural.isEmpty else { return natural }
    var available = total - gaps
    var widths = natural
    var open = Set(natural.indices)
    // Water-filling: settle the columns that fit in an equal share, then share again.
    while !open.isEmpty {
      let share = max(6, available / open.count)
      let fitting = open.filter { natural[$0] <= share }
      if fitting.isEmpty {
        for i in open { widths[i] = share }
        break
      }
      for i in fitting {
        widths[i] = natural[i]
        available -= natural[i]
        open.remove(i)
      }
    }
    return widths
  }
}
