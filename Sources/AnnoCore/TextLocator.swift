/// A range a selector found, and where it started before snapping to tokens.
public struct SelectedRange: Hashable, Sendable {
  /// The range to tag.
  public var range: Range<Int>
  /// The range before snapping, when `--snap` moved it.
  public var snappedFrom: Range<Int>?

  /// Creates a selected range.
  public init(range: Range<Int>, snappedFrom: Range<Int>? = nil) {
    self.range = range
    self.snappedFrom = snappedFrom
  }
}

/// Resolves selectors against a document's text and tokens.
///
/// Selectors select whole tokens: a phrase matches only where it starts and ends on token
/// boundaries, and offsets or a regular expression match that would cut a token are refused
/// unless the caller asks to snap to the tokens or keep the characters. Phrases match
/// straight and typographic quotes alike (`'` `’` `‘`, `"` `“` `”`), any run of whitespace
/// for a space, and letter case exactly unless told otherwise.
public struct TextLocator: Sendable {
  /// The document's scalars.
  public let text: ScalarText
  /// The document's tokens, whitespace tokens included.
  public let tokens: [Token]
  /// The non-whitespace tokens, as `show tokens` numbers them.
  public let wordTokens: [Token]
  private let tokenStarts: Set<Int>
  private let tokenEnds: Set<Int>

  /// Creates a locator.
  public init(text: ScalarText, tokens: [Token]) {
    self.text = text
    self.tokens = tokens
    self.wordTokens = tokens.filter { !$0.isSpace }
    tokenStarts = Set(wordTokens.map(\.start))
    tokenEnds = Set(wordTokens.map(\.end))
  }

  /// What to do with a range that does not start and end on token boundaries.
  public enum Boundaries: Hashable, Sendable {
    /// Refuse it (phrases: leave such occurrences out).
    case tokens
    /// Widen it to the tokens it touches (`--snap`).
    case snap
    /// Keep its characters (`--chars`).
    case chars
  }

  /// How selectors match.
  public struct Options: Hashable, Sendable {
    /// Whether phrases ignore letter case (`-i`).
    public var ignoresCase: Bool
    /// Token boundaries: required, snapped to, or ignored.
    public var boundaries: Boundaries

    /// Creates options.
    public init(ignoresCase: Bool = false, boundaries: Boundaries = .tokens) {
      self.ignoresCase = ignoresCase
      self.boundaries = boundaries
    }
  }

  /// What a selector picked.
  public struct Resolution: Hashable, Sendable {
    /// The ranges, in text order.
    public var ranges: [SelectedRange] = []
    /// Matches left out because they would cut a token (regular expressions, and phrases
    /// with `all`).
    public var cut: [Range<Int>] = []
  }

  /// A resolution failure, with what to type instead.
  public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String

    /// Creates a failure.
    public init(_ description: String) {
      self.description = description
    }
  }

  /// The ranges a selector picks.
  ///
  /// - Parameters:
  ///   - selector: what the user typed (span references are the caller's to resolve).
  ///   - options: case and token boundaries.
  ///   - isTaken: whether a range is already tagged; the first-untagged occurrence of a
  ///     phrase is the first for which this is false (every occurrence, when none is).
  public func resolve(
    _ selector: SpanSelector, options: Options = Options(),
    isTaken: (Range<Int>) -> Bool = { _ in false }
  ) throws(Failure) -> Resolution {
    switch selector {
    case .offsets(let range):
      guard range.upperBound <= text.count else {
        throw Failure(
          "offsets \(range.lowerBound):\(range.upperBound) go past the end of the text (\(text.count) code points)"
        )
      }
      let trimmed = trimWhitespace(range)
      guard !trimmed.isEmpty else {
        throw Failure("offsets \(range.lowerBound):\(range.upperBound) hold only whitespace")
      }
      if options.boundaries == .tokens, !isWhole(trimmed) {
        throw Failure(cutMessage(for: "\(range.lowerBound):\(range.upperBound)", trimmed))
      }
      return Resolution(ranges: [place(trimmed, original: range, options)])
    case .tokens(let indices):
      guard indices.upperBound < wordTokens.count else {
        throw Failure(
          wordTokens.isEmpty
            ? "this document has no tokens"
            : "there is no token t\(indices.upperBound); this document has t0–t\(wordTokens.count - 1) ('show tokens' lists them)"
        )
      }
      let range = wordTokens[indices.lowerBound].start..<wordTokens[indices.upperBound].end
      return Resolution(ranges: [SelectedRange(range: range)])
    case .text(let phrase, let occurrence):
      return try resolve(phrase: phrase, occurrence, options, isTaken)
    case .pattern(let pattern):
      return try resolve(pattern: pattern, options)
    case .span(let reference):
      throw Failure("\(reference) names a span, not text")
    }
  }

  private func resolve(
    phrase: String, _ occurrence: SpanSelector.Occurrence, _ options: Options,
    _ isTaken: (Range<Int>) -> Bool
  ) throws(Failure) -> Resolution {
    let found = occurrences(of: phrase, ignoringCase: options.ignoresCase)
    var resolution = Resolution()
    var candidates: [SelectedRange]
    switch options.boundaries {
    case .tokens:
      candidates = found.filter(isWhole).map { SelectedRange(range: $0) }
      resolution.cut = nonOverlapping(found.filter { !isWhole($0) })
    case .snap:
      candidates = found.map { place($0, original: $0, options) }
    case .chars:
      candidates = found.map { SelectedRange(range: $0) }
    }
    candidates = nonOverlapping(candidates)
    guard !candidates.isEmpty else { throw Failure(missMessage(phrase, options)) }
    switch occurrence {
    case .all:
      resolution.ranges = candidates
    case .nth(let n):
      guard n <= candidates.count else {
        throw Failure(
          "\(AnnotationSet.quoted(phrase)) occurs \(candidates.count) time\(candidates.count == 1 ? "" : "s")\(options.boundaries == .tokens ? " as whole words" : ""), so there is no #\(n)"
        )
      }
      resolution.ranges = [candidates[n - 1]]
      resolution.cut = []
    case .firstUntagged:
      // When every occurrence is taken, all of them, for the caller to say why.
      resolution.ranges = candidates.first(where: { !isTaken($0.range) }).map { [$0] } ?? candidates
      resolution.cut = []
    }
    return resolution
  }

  private func resolve(pattern: String, _ options: Options) throws(Failure) -> Resolution {
    let regex: PythonRegex
    do {
      regex = try PythonRegex(pattern)
    } catch {
      throw Failure("invalid regular expression /\(pattern)/: \(error.description)")
    }
    let found = regex.matches(in: text).map(trimWhitespace).filter { !$0.isEmpty }
    guard !found.isEmpty else {
      throw Failure("/\(pattern)/ matches nothing in this document")
    }
    var resolution = Resolution()
    switch options.boundaries {
    case .tokens:
      resolution.ranges = found.filter(isWhole).map { SelectedRange(range: $0) }
      resolution.cut = found.filter { !isWhole($0) }
    case .snap:
      resolution.ranges = nonOverlapping(found.map { place($0, original: $0, options) })
    case .chars:
      resolution.ranges = found.map { SelectedRange(range: $0) }
    }
    guard !resolution.ranges.isEmpty else {
      let examples = resolution.cut.prefix(3).map { range in
        "\(AnnotationSet.quoted(text[range])) \(range.lowerBound):\(range.upperBound) in \(AnnotationSet.quoted(text[snap(range)]))"
      }
      throw Failure(
        "/\(pattern)/ matches only parts of tokens (\(examples.joined(separator: ", "))\(resolution.cut.count > 3 ? ", …" : "")); "
          + "--snap tags the whole tokens, --chars the matched characters")
    }
    return resolution
  }

  private func place(_ range: Range<Int>, original: Range<Int>, _ options: Options)
    -> SelectedRange
  {
    guard options.boundaries == .snap else { return SelectedRange(range: range) }
    let snapped = snap(range)
    return SelectedRange(range: snapped, snappedFrom: snapped == original ? nil : original)
  }

  /// Whether a range starts and ends on token boundaries.
  public func isWhole(_ range: Range<Int>) -> Bool {
    tokenStarts.contains(range.lowerBound) && tokenEnds.contains(range.upperBound)
  }

  /// The message for a range that cuts a token: the token, and what `--snap` and `--chars`
  /// would tag instead.
  public func cutMessage(for what: String, _ range: Range<Int>) -> String {
    let snapped = snap(range)
    let cut = wordTokens.filter {
      ($0.start < range.lowerBound && $0.end > range.lowerBound)
        || ($0.start < range.upperBound && $0.end > range.upperBound)
    }
    let named = cut.map { "\(AnnotationSet.quoted(text[$0.range])) \($0.start):\($0.end)" }
    return
      "\(what) cuts the token\(cut.count == 1 ? "" : "s") \(named.joined(separator: " and ")); "
      + "--snap tags \(snapped.lowerBound):\(snapped.upperBound) \(AnnotationSet.quoted(text[snapped])), "
      + "--chars keeps \(range.lowerBound):\(range.upperBound) \(AnnotationSet.quoted(text[range]))"
  }

  /// Ranges in order, without any that overlaps one kept before it.
  private func nonOverlapping(_ ranges: [Range<Int>]) -> [Range<Int>] {
    nonOverlapping(ranges.map { SelectedRange(range: $0) }).map(\.range)
  }

  private func nonOverlapping(_ ranges: [SelectedRange]) -> [SelectedRange] {
    var kept: [SelectedRange] = []
    for range in ranges.sorted(by: { $0.range.lowerBound < $1.range.lowerBound })
    where kept.last.map({ $0.range.upperBound <= range.range.lowerBound }) ?? true {
      kept.append(range)
    }
    return kept
  }

  // MARK: - Phrases

  /// Every place a phrase occurs, at any character (overlapping ones included), in order.
  ///
  /// Quotes and apostrophes match their typographic variants, any run of whitespace in the
  /// phrase matches any run in the text, and case matters unless `ignoringCase`.
  public func occurrences(of phrase: String, ignoringCase: Bool = false) -> [Range<Int>] {
    let needle = Self.pieces(of: phrase, ignoringCase: ignoringCase)
    guard let first = needle.first else { return [] }
    let haystack = text.scalars
    var found: [Range<Int>] = []
    for start in haystack.indices {
      if case .scalar(let s) = first, Self.fold(haystack[start], ignoringCase) != s { continue }
      if let end = matchEnd(needle, from: start, ignoringCase) { found.append(start..<end) }
    }
    return found
  }

  /// Whether two texts are the same as phrases compare them: typographic and straight
  /// quotes alike, any run of whitespace alike.
  public static func sameText(_ a: String, _ b: String) -> Bool {
    pieces(of: a, ignoringCase: false) == pieces(of: b, ignoringCase: false)
  }

  /// A phrase as scalars to match, whitespace runs collapsed to one piece.
  enum Piece: Equatable {
    case scalar(Unicode.Scalar)
    case whitespace
  }

  static func pieces(of phrase: String, ignoringCase: Bool) -> [Piece] {
    var pieces: [Piece] = []
    for scalar in phrase.unicodeScalars {
      if scalar.properties.isWhitespace {
        if !pieces.isEmpty && pieces.last != .whitespace { pieces.append(.whitespace) }
      } else {
        pieces.append(.scalar(fold(scalar, ignoringCase)))
      }
    }
    if pieces.last == .whitespace { pieces.removeLast() }
    return pieces
  }

  private func matchEnd(_ needle: [Piece], from start: Int, _ ignoringCase: Bool) -> Int? {
    let haystack = text.scalars
    var i = start
    for piece in needle {
      switch piece {
      case .scalar(let s):
        guard i < haystack.count, Self.fold(haystack[i], ignoringCase) == s else { return nil }
        i += 1
      case .whitespace:
        guard i < haystack.count, haystack[i].properties.isWhitespace else { return nil }
        while i < haystack.count && haystack[i].properties.isWhitespace { i += 1 }
      }
    }
    return i
  }

  /// A scalar as phrases compare it: typographic quotes as straight ones, and lower case
  /// when case is ignored (when its lower case is one scalar).
  static func fold(_ scalar: Unicode.Scalar, _ ignoringCase: Bool) -> Unicode.Scalar {
    switch scalar {
    case "’", "‘", "‛", "ʼ", "′": return "'"
    case "“", "”", "„", "‟", "″": return "\""
    default:
      guard ignoringCase, scalar.properties.changesWhenLowercased else { return scalar }
      let lower = scalar.properties.lowercaseMapping.unicodeScalars
      return lower.count == 1 ? lower.first! : scalar
    }
  }

  /// Why a phrase matched nothing, with the nearest thing the document has.
  func missMessage(_ phrase: String, _ options: Options) -> String {
    let quoted = AnnotationSet.quoted(phrase)
    let found = occurrences(of: phrase, ignoringCase: options.ignoresCase)
    if options.boundaries == .tokens, !found.isEmpty {
      var words: [String: Int] = [:]
      var order: [String] = []
      for range in nonOverlapping(found) {
        let word = text[snap(range)]
        if words[word] == nil { order.append(word) }
        words[word, default: 0] += 1
      }
      let listed = order.prefix(3).map { "\(AnnotationSet.quoted($0)) (\(words[$0]!)×)" }
      return
        "\(quoted) occurs only inside other words here: \(listed.joined(separator: ", "))\(order.count > 3 ? ", …" : ""); "
        + "tag those words, or give --snap (whole words) or --chars (these characters)"
    }
    if !options.ignoresCase,
      let other = occurrences(of: phrase, ignoringCase: true).first(where: {
        options.boundaries != .tokens || isWhole($0)
      })
    {
      return
        "\(quoted) does not occur as typed (case matters); did you mean \(AnnotationSet.quoted(Self.typable(text[other])))? (-i ignores case)"
    }
    if let near = nearest(to: phrase) {
      return
        "\(quoted) does not occur in this document; did you mean \(AnnotationSet.quoted(near))?"
    }
    return "\(quoted) does not occur in this document"
  }

  /// The run of whole tokens closest to a phrase by edit distance (case, quotes and
  /// whitespace aside), if close enough to be a slip: at most a third of its length.
  public func nearest(to phrase: String) -> String? {
    let target = Self.pieces(of: phrase, ignoringCase: true)
    guard !target.isEmpty else { return nil }
    let wanted = target.map(Self.comparable)
    let wantedAsTyped = Self.pieces(of: phrase, ignoringCase: false).map(Self.comparable)
    let limit = max(1, wanted.count / 3)
    let words = phrase.split(whereSeparator: \.isWhitespace).count
    // The closest ignoring case, then the closest in case too ("Gdańsk" before "GDAŃSK").
    var best: (range: Range<Int>, distance: Int, caseDistance: Int)?
    for i in wordTokens.indices {
      for k in 1...min(words + 2, 8) where i + k <= wordTokens.count {
        let range = wordTokens[i].start..<wordTokens[i + k - 1].end
        let candidate = Self.pieces(of: text[range], ignoringCase: true).map(Self.comparable)
        if candidate.count > wanted.count + limit { break }
        if candidate.count < wanted.count - limit { continue }
        let distance = Suggestion.editDistance(wanted, candidate)
        guard distance <= limit, distance <= (best?.distance ?? Int.max) else { continue }
        let caseDistance = Suggestion.editDistance(
          wantedAsTyped, Self.pieces(of: text[range], ignoringCase: false).map(Self.comparable))
        if let best, distance == best.distance, caseDistance >= best.caseDistance { continue }
        best = (range, distance, caseDistance)
      }
    }
    return best.map { Self.typable(text[$0.range]) }
  }

  /// Text as one would type it as a phrase: each run of whitespace one space.
  static func typable(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  private static func comparable(_ piece: Piece) -> Unicode.Scalar {
    if case .scalar(let s) = piece { return s }
    return " "
  }

  // MARK: - Ranges and tokens

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
