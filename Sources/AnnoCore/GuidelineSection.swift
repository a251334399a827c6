/// Finds a section of the Markdown guidelines from a schema reference such as
/// `entities.md#per`.
public enum GuidelineSection {
  /// The section a reference points to: from its heading to the next heading of the same or
  /// a higher level; the whole file when the reference has no `#section`.
  ///
  /// - Parameters:
  ///   - reference: `FILE.md` or `FILE.md#slug`; the slug is the heading in lower case with
  ///     spaces as hyphens and other punctuation dropped (as GitHub makes anchors).
  ///   - files: guideline files by name.
  /// - Returns: the section's Markdown, or `nil` when the file or heading is missing.
  public static func find(_ reference: String, in files: [String: String]) -> String? {
    let parts = reference.split(separator: "#", maxSplits: 1).map(String.init)
    guard let file = parts.first, let markdown = files[file] else { return nil }
    guard parts.count == 2 else { return markdown }
    let wanted = parts[1].lowercased()
    var collected: [Substring] = []
    var level = 0
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      let hashes = line.prefix { $0 == "#" }.count
      let isHeading = hashes > 0 && line.dropFirst(hashes).first == " "
      if level > 0 {
        if isHeading && hashes <= level { break }
        collected.append(line)
      } else if isHeading && slug(String(line.dropFirst(hashes + 1))) == wanted {
        level = hashes
        collected.append(line)
      }
    }
    guard level > 0 else { return nil }
    while let last = collected.last, last.allSatisfy(\.isWhitespace) { collected.removeLast() }
    return collected.joined(separator: "\n")
  }

  /// The GitHub-style anchor of a heading: lower case, spaces to hyphens, punctuation dropped.
  public static func slug(_ heading: String) -> String {
    var out = ""
    for character in heading.lowercased() {
      if character == " " {
        out.append("-")
      } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
        out.append(character)
      }
    }
    return out
  }
}
