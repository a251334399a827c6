import Foundation

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
      let heading = heading(line)
      if level > 0 {
        if let heading, heading.level <= level { break }
        collected.append(line)
      } else if let heading, slug(heading.title) == wanted {
        level = heading.level
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

  /// `markdown` without its worked decisions: a "Worked decisions" section (to the next heading
  /// of the same or a higher level) and any stray `decision` block, which the shell renders
  /// in its own way.
  public static func withoutWorkedDecisions(_ markdown: String) -> String {
    var kept: [Substring] = []
    var skippingLevel = 0
    var inBlock = false
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      let heading = heading(line)
      if skippingLevel > 0 {
        guard let heading, heading.level <= skippingLevel else { continue }
        skippingLevel = 0
      }
      if let heading, slug(heading.title) == "worked-decisions" {
        skippingLevel = heading.level
        continue
      }
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if inBlock {
        if trimmed == "```" { inBlock = false }
        continue
      }
      if trimmed == "```decision" {
        inBlock = true
        continue
      }
      kept.append(line)
    }
    while let last = kept.last, last.allSatisfy(\.isWhitespace) { kept.removeLast() }
    return kept.joined(separator: "\n")
  }

  /// Every heading of the guideline files with its reference (`stance.md#targets`), its title
  /// and its section's own text (up to the next heading), in file name order.
  public static func headings(in files: [String: String]) -> [(
    reference: String, title: String, text: String
  )] {
    var found: [(reference: String, title: String, text: String)] = []
    for name in files.keys.sorted() {
      for line in (files[name] ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
        if let title = heading(line)?.title {
          found.append(("\(name)#\(slug(title))", title, title))
        } else if !found.isEmpty, found[found.count - 1].reference.hasPrefix(name + "#") {
          found[found.count - 1].text += "\n" + line
        }
      }
    }
    return found.filter { !$0.reference.hasSuffix("#worked-decisions") }.map {
      ($0.reference, $0.title, withoutWorkedDecisions($0.text))
    }
  }

  /// A Markdown heading's level and title (`## Values` → 2, `Values`), or `nil` for any other
  /// line.
  private static func heading(_ line: Substring) -> (level: Int, title: String)? {
    let hashes = line.prefix { $0 == "#" }.count
    guard hashes > 0, line.dropFirst(hashes).first == " " else { return nil }
    return (hashes, String(line.dropFirst(hashes + 1)))
  }
}
