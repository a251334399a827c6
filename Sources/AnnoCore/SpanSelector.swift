/// The ways the shell points at text: a phrase (with an occurrence), code point offsets, a
/// token range, a regular expression, or a span that already exists.
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

  /// A phrase, matched on whole tokens.
  case text(String, Occurrence)
  /// Code point offsets `start:end`.
  case offsets(Range<Int>)
  /// Token indices `tA-tB` (inclusive, as `show tokens` numbers them).
  case tokens(ClosedRange<Int>)
  /// Each match of a regular expression (Python's `re` syntax).
  case pattern(String)
  /// Spans that exist: `#7`, `#5-#8`, `ann2#4`.
  case span(SpanReference)

  /// A selector that cannot be parsed, with what to type instead.
  public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String

    /// Creates the error.
    public init(description: String) {
      self.description = description
    }
  }

  /// What to type, for messages.
  public static let forms =
    "\"text\", \"text\" #2, \"text\" all, 120:131, t14-t16, /regex/ or a span (#7, ann2#4)"

  /// Parses the words after the label into one or more selectors.
  ///
  /// Each quoted word is a phrase of its own (`"A" "B"` is two); unquoted words run together
  /// into one phrase (`Sergei Lavrov`). `all` or `#N` right after a phrase choose its
  /// occurrences (`"Lavrov" #2 #3` is two of them); elsewhere `#N` names a span. `START:END`,
  /// `tA-tB` and `/regex/` stand alone.
  public static func parse(_ words: [ShellWord]) throws(ParseError) -> [SpanSelector] {
    guard !words.isEmpty else { throw ParseError(description: "say what to tag: \(forms)") }
    var selectors: [SpanSelector] = []
    var phrase: [String] = []
    var phraseIsOpen = false  // unquoted words may still join the phrase
    var counted: String?  // the phrase whose occurrence came last: a further #N is another
    func flush() throws(ParseError) {
      guard !phrase.isEmpty else { return }
      let text = phrase.joined(separator: " ")
      phrase = []
      phraseIsOpen = false
      guard !text.allSatisfy(\.isWhitespace) else {
        throw ParseError(description: "the text to tag is empty")
      }
      selectors.append(.text(text, .firstUntagged))
    }
    for word in words {
      if let text = counted, !word.isQuoted, let n = occurrenceNumber(word.text) {
        guard n >= 1 else {
          throw ParseError(description: "'\(word.text)' is not an occurrence; write #1, #2, ...")
        }
        selectors.append(.text(text, .nth(n)))
        continue
      }
      counted = nil
      if word.isPattern {
        try flush()
        selectors.append(.pattern(String(word.text.dropFirst().dropLast())))
        continue
      }
      if word.isQuoted {
        try flush()
        phrase = [word.text]
        if word.text.allSatisfy(\.isWhitespace) {
          throw ParseError(description: "the text to tag is empty")
        }
        continue
      }
      let afterPhrase = !phrase.isEmpty
      if afterPhrase && word.text.hasPrefix("#") && occurrenceNumber(word.text) == nil
        && SpanReference(word.text, allowsBareNumber: false) == nil
      {
        throw ParseError(description: "'\(word.text)' is not an occurrence; write #1, #2, ...")
      }
      if afterPhrase && (word.text == "all" || occurrenceNumber(word.text) != nil) {
        let text = phrase.joined(separator: " ")
        phrase = []
        phraseIsOpen = false
        if word.text == "all" {
          selectors.append(.text(text, .all))
        } else if let n = occurrenceNumber(word.text), n >= 1 {
          selectors.append(.text(text, .nth(n)))
          counted = text
        } else {
          throw ParseError(description: "'\(word.text)' is not an occurrence; write #1, #2, ...")
        }
        continue
      }
      if let range = offsets(word.text) {
        try flush()
        selectors.append(.offsets(range))
      } else if let range = tokenRange(word.text) {
        try flush()
        selectors.append(.tokens(range))
      } else if let reference = SpanReference(word.text, allowsBareNumber: false) {
        try flush()
        selectors.append(.span(reference))
      } else {
        if !phraseIsOpen { try flush() }
        phrase.append(word.text)
        phraseIsOpen = true
      }
    }
    try flush()
    return selectors
  }

  /// `#N` as an occurrence number (`#0` included, so it can be refused by name).
  static func occurrenceNumber(_ word: String) -> Int? {
    guard word.hasPrefix("#") else { return nil }
    return Int(word.dropFirst()).flatMap { $0 >= 0 ? $0 : nil }
  }

  static func offsets(_ word: String) -> Range<Int>? {
    let parts = word.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, let start = Int(parts[0]), let end = Int(parts[1]) else { return nil }
    return start < end && start >= 0 ? start..<end : nil
  }

  static func tokenRange(_ word: String) -> ClosedRange<Int>? {
    guard word.hasPrefix("t") else { return nil }
    let parts = word.dropFirst().split(separator: "-", omittingEmptySubsequences: false)
    guard let first = parts.first, let a = Int(first), a >= 0 else { return nil }
    if parts.count == 1 { return a...a }
    guard parts.count == 2 else { return nil }
    let second = parts[1].hasPrefix("t") ? parts[1].dropFirst() : parts[1]
    guard let b = Int(second), b >= a else { return nil }
    return a...b
  }
}

/// Spans named by their short ids: `#7`, `#5-#8`, or another annotator's `ann2#4`.
///
/// Ids belong to one document and one annotator; without a name, the reference is to the
/// labels being edited (yours, or the gold version in review).
public struct SpanReference: Hashable, Sendable, CustomStringConvertible {
  /// Whose spans, or `nil` for the ones being edited.
  public var annotator: String?
  /// The ids, one or a range.
  public var ids: ClosedRange<LocalID>

  /// Creates a reference.
  public init(annotator: String? = nil, ids: ClosedRange<LocalID>) {
    self.annotator = annotator
    self.ids = ids
  }

  /// Parses `#7`, `#5-#8`, `#5-8`, `ann2#4` (or `@ann2#4`, as `show --all` draws it), and
  /// (when allowed) a bare `7`.
  public init?(_ word: String, allowsBareNumber: Bool) {
    var annotator: String?
    var numbers = Substring(word)
    if let hash = word.firstIndex(of: "#") {
      let name = word[..<hash].drop { $0 == "@" }
      annotator = name.isEmpty ? nil : String(name)
      numbers = word[word.index(after: hash)...]
      if let name = annotator, name.contains(where: \.isWhitespace) { return nil }
    } else if !allowsBareNumber {
      return nil
    }
    let bounds = numbers.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    guard let low = bounds.first.flatMap({ Int($0) }), low >= 1 else { return nil }
    var high = low
    if bounds.count == 2 {
      let upper = bounds[1].hasPrefix("#") ? bounds[1].dropFirst() : bounds[1]
      guard let value = Int(upper), value >= low else { return nil }
      high = value
    }
    self.init(annotator: annotator, ids: LocalID(low)...LocalID(high))
  }

  public var description: String {
    let prefix = annotator ?? ""
    return ids.count == 1
      ? "\(prefix)#\(ids.lowerBound)" : "\(prefix)#\(ids.lowerBound)-#\(ids.upperBound)"
  }
}

/// A word of a shell line, with how it was written: what selectors and commands read.
public struct ShellWord: Hashable, Sendable {
  /// The word, quotes removed.
  public var text: String
  /// Whether any of it was quoted: a quoted word is always text (`"all"` is a phrase, `all` a
  /// keyword; `"12:20"` text, `12:20` offsets), except a quoted `/pattern/`.
  public var isQuoted: Bool

  /// Creates a word.
  public init(_ text: String, isQuoted: Bool = false) {
    self.text = text
    self.isQuoted = isQuoted
  }

  /// Whether it is written `/…/`: a regular expression.
  public var isPattern: Bool {
    text.count >= 2 && text.hasPrefix("/") && text.hasSuffix("/")
  }
}
