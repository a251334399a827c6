/// The ways the shell points at text: a quoted phrase (with an occurrence), code point
/// offsets, a token range, or a regular expression.
public enum SpanSelector: Hashable, Sendable {
  /// Which occurrences of a phrase.
  public enum Occurrence: Hashable, Sendable {
    /// The first occurrence not already tagged.
    case firstUntagged
    /// The n-th occurrence (1-based).
    case nth(Int)
    /// Every occurrence.
    case all
  }

  /// Exact text.
  case text(String, Occurrence)
  /// Code point offsets `start:end`.
  case offsets(Range<Int>)
  /// Token indices `tA-tB` (inclusive, as `show tokens` numbers them).
  case tokens(ClosedRange<Int>)
  /// Each match of a regular expression.
  case pattern(String)

  /// A selector that cannot be parsed, with what to type instead.
  public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String
  }

  /// Parses the words after the label: `"text" [#N|all]`, `START:END`, `tA-tB`, `/regex/`.
  /// Unquoted words are joined with single spaces.
  public init(words: [String]) throws(ParseError) {
    guard let first = words.first else {
      throw ParseError(
        description:
          "say what to tag: \"text\", \"text\" #2, \"text\" all, 120:131, t14-t16 or /regex/")
    }
    if words.count == 1, let range = SpanSelector.offsets(first) {
      self = .offsets(range)
      return
    }
    if words.count == 1, let range = SpanSelector.tokenRange(first) {
      self = .tokens(range)
      return
    }
    if words.count == 1, first.count >= 2, first.hasPrefix("/"), first.hasSuffix("/") {
      self = .pattern(String(first.dropFirst().dropLast()))
      return
    }
    var phraseWords = words
    var occurrence = Occurrence.firstUntagged
    if let last = words.last, words.count > 1 {
      if last == "all" {
        occurrence = .all
        phraseWords.removeLast()
      } else if last.hasPrefix("#") {
        guard let n = Int(last.dropFirst()), n >= 1 else {
          throw ParseError(description: "'\(last)' is not an occurrence; write #1, #2, ...")
        }
        occurrence = .nth(n)
        phraseWords.removeLast()
      }
    }
    let phrase = phraseWords.joined(separator: " ")
    guard !phrase.isEmpty else { throw ParseError(description: "the text to tag is empty") }
    self = .text(phrase, occurrence)
  }

  static func offsets(_ word: String) -> Range<Int>? {
    let parts = word.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, let start = Int(parts[0]), let end = Int(parts[1]) else { return nil }
    return start < end && start >= 0 ? start..<end : nil
  }

  static func tokenRange(_ word: String) -> ClosedRange<Int>? {
    guard word.hasPrefix("t") else { return nil }
    let parts = word.dropFirst().split(separator: "-", omittingEmptySubsequences: false)
    guard let first = parts.first, let a = Int(first) else { return nil }
    if parts.count == 1 { return a...a }
    guard parts.count == 2 else { return nil }
    let second = parts[1].hasPrefix("t") ? parts[1].dropFirst() : parts[1]
    guard let b = Int(second), b >= a else { return nil }
    return a...b
  }
}

/// A range a selector found, and where it started before snapping to tokens.
public struct SelectedRange: Hashable, Sendable {
  /// The range to tag.
  public var range: Range<Int>
  /// The range before snapping, when snapping moved it.
  public var snappedFrom: Range<Int>?
}

/// Resolves selectors against a document's text and tokens.
public struct TextLocator: Sendable {
  /// The document's scalars.
  public let text: ScalarText
  /// The document's tokens, whitespace tokens included.
  public let tokens: [Token]
  /// The non-whitespace tokens, as `show tokens` numbers them.
  public let wordTokens: [Token]

  /// Creates a locator.
  public init(text: ScalarText, tokens: [Token]) {
    self.text = text
    self.tokens = tokens
    self.wordTokens = tokens.filter { !$0.isSpace }
  }

  /// A resolution failure, with what to type instead.
  public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String
  }

  /// The ranges a selector picks.
  ///
  /// - Parameters:
  ///   - selector: what the user typed.
  ///   - tagged: ranges already tagged (skipped by "first untagged occurrence").
  ///   - snaps: whether to widen ranges to token boundaries (`--chars` turns it off).
  public func resolve(_ selector: SpanSelector, tagged: Set<Range<Int>>, snaps: Bool)
    throws(Failure) -> [SelectedRange]
  {
    let raw: [Range<Int>]
    switch selector {
    case .offsets(let range):
      guard range.upperBound <= text.count else {
        throw Failure(
          description:
            "offsets \(range.lowerBound):\(range.upperBound) go past the end of the text (\(text.count) code points)"
        )
      }
      raw = [range]
    case .tokens(let indices):
      guard indices.upperBound < wordTokens.count else {
        throw Failure(
          description:
            "there is no token t\(indices.upperBound); this document has t0–t\(wordTokens.count - 1) ('show tokens' lists them)"
        )
      }
      raw = [wordTokens[indices.lowerBound].start..<wordTokens[indices.upperBound].end]
    case .text(let phrase, let occurrence):
      let all = occurrences(of: phrase)
      guard !all.isEmpty else {
        throw Failure(
          description:
            "\(AnnotationSet.quoted(phrase)) does not occur in this document (the match is exact and case-sensitive)"
        )
      }
      switch occurrence {
      case .all:
        raw = all
      case .nth(let n):
        guard n <= all.count else {
          throw Failure(
            description:
              "\(AnnotationSet.quoted(phrase)) occurs \(all.count) time\(all.count == 1 ? "" : "s"), so there is no #\(n)"
          )
        }
        raw = [all[n - 1]]
      case .firstUntagged:
        guard let free = all.first(where: { !tagged.contains(snaps ? snap($0) : $0) }) else {
          throw Failure(
            description:
              "every occurrence of \(AnnotationSet.quoted(phrase)) is tagged with this label already"
          )
        }
        raw = [free]
      }
    case .pattern(let pattern):
      raw = try matches(of: pattern)
    }
    return raw.map { range in
      let trimmed = trimWhitespace(range)
      guard snaps else {
        return SelectedRange(range: trimmed, snappedFrom: trimmed == range ? nil : range)
      }
      let snapped = snap(trimmed)
      return SelectedRange(range: snapped, snappedFrom: snapped == range ? nil : range)
    }.filter { !$0.range.isEmpty }
  }

  /// Every occurrence of a phrase, left to right, not overlapping.
  public func occurrences(of phrase: String) -> [Range<Int>] {
    let needle = Array(phrase.unicodeScalars)
    guard !needle.isEmpty, needle.count <= text.count else { return [] }
    var found: [Range<Int>] = []
    var i = 0
    let haystack = text.scalars
    while i + needle.count <= haystack.count {
      if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) {
        found.append(i..<(i + needle.count))
        i += needle.count
      } else {
        i += 1
      }
    }
    return found
  }

  func matches(of pattern: String) throws(Failure) -> [Range<Int>] {
    let regex: Regex<AnyRegexOutput>
    do {
      regex = try Regex(pattern)
    } catch {
      throw Failure(description: "invalid regular expression /\(pattern)/: \(error)")
    }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: text.scalars)
    let string = String(view)
    var ranges: [Range<Int>] = []
    for match in string.matches(of: regex.matchingSemantics(.unicodeScalar))
    where !match.range.isEmpty {
      let start = string.unicodeScalars.distance(
        from: string.startIndex, to: match.range.lowerBound)
      let length = string.unicodeScalars.distance(
        from: match.range.lowerBound, to: match.range.upperBound)
      ranges.append(start..<(start + length))
    }
    guard !ranges.isEmpty else {
      throw Failure(description: "/\(pattern)/ matches nothing in this document")
    }
    return ranges
  }

  /// The range without leading or trailing whitespace.
  public func trimWhitespace(_ range: Range<Int>) -> Range<Int> {
    var start = range.lowerBound
    var end = range.upperBound
    while start < end, text.scalars[start].properties.isWhitespace { start += 1 }
    while end > start, text.scalars[end - 1].properties.isWhitespace { end -= 1 }
    return start..<end
  }

  /// The range widened to the boundaries of the tokens it touches.
  public func snap(_ range: Range<Int>) -> Range<Int> {
    var start = range.lowerBound
    var end = range.upperBound
    for token in wordTokens {
      if token.start < start && token.end > start { start = token.start }
      if token.start < end && token.end > end { end = token.end }
      if token.start >= end { break }
    }
    return start..<end
  }

  /// The index (in `wordTokens`) of the token containing an offset, if any.
  public func tokenIndex(containing offset: Int) -> Int? {
    wordTokens.firstIndex { $0.start <= offset && offset < $0.end }
  }
}
