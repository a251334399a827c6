/// Splits a tokenized text into sentences for display, by punctuation and blank lines.
///
/// A sentence ends after `.`, `!`, `?` or `…` tokens (and any closing quotes or brackets
/// glued to them) when whitespace and then an uppercase letter, a digit, or an opening quote
/// or bracket follow, and at every blank line. It does not end after a period split off a
/// common abbreviation (`No. 10`); abbreviations spaCy keeps whole (`Mr.`, `U.S.`, `Jan.`)
/// are one token not made of sentence punctuation, so they never end one. Boundaries fall
/// between tokens only, never inside one.
public struct SentenceSplitter: Sendable {
  /// Creates a sentence splitter.
  public init() {}

  /// The sentences of `text` as scalar ranges, from each first to each last non-space token.
  public func sentences(in text: String, tokens: [Token]) -> [Range<Int>] {
    sentences(in: Array(text.unicodeScalars), tokens: tokens)
  }

  /// The sentences of a text given as scalars, as scalar ranges (see `sentences(in:tokens:)`).
  public func sentences(in scalars: [Unicode.Scalar], tokens: [Token]) -> [Range<Int>] {
    var result: [Range<Int>] = []
    var start: Int?  // the first token of the open sentence
    var last = 0  // the end of its last non-space token
    func close() {
      if let s = start { result.append(s..<last) }
      start = nil
    }
    var k = 0
    while k < tokens.count {
      let token = tokens[k]
      guard token.end <= scalars.count, token.start < token.end else { break }
      if token.isSpace {
        if isBlankLine(scalars[token.start..<token.end]) { close() }
        k += 1
        continue
      }
      if start == nil { start = token.start }
      last = token.end
      guard isTerminal(scalars[token.start..<token.end]), !followsAbbreviation(k, tokens, scalars)
      else {
        k += 1
        continue
      }
      // Take the run of sentence punctuation and closing quotes glued to this token.
      var j = k
      while j + 1 < tokens.count, tokens[j].end == tokens[j + 1].start, !tokens[j + 1].isSpace,
        tokens[j + 1].end <= scalars.count,
        isTerminal(scalars[tokens[j + 1].start..<tokens[j + 1].end])
          || isClosing(scalars[tokens[j + 1].start..<tokens[j + 1].end])
      {
        j += 1
      }
      last = tokens[j].end
      k = j + 1
      // Then whitespace, then the start of a new sentence.
      guard tokens[j].spaceAfter || (k < tokens.count && tokens[k].isSpace) else { continue }
      var n = k
      while n < tokens.count, tokens[n].isSpace { n += 1 }
      if n < tokens.count, tokens[n].start < scalars.count, startsSentence(scalars[tokens[n].start])
      {
        close()
      }
    }
    close()
    return result
  }

  private func isTerminal(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
    text.allSatisfy { $0 == "." || $0 == "!" || $0 == "?" || $0 == "…" }
  }

  private func isClosing(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
    text.count == 1 && "\"'”’»)]}".unicodeScalars.contains(text[text.startIndex])
  }

  private func startsSentence(_ c: Unicode.Scalar) -> Bool {
    if "\"'“‘«([".unicodeScalars.contains(c) { return true }
    let props = c.properties
    return props.isUppercase || props.generalCategory == .titlecaseLetter
      || props.generalCategory == .decimalNumber
  }

  /// Whether a whitespace token holds two line breaks or more (or a paragraph separator).
  private func isBlankLine(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
    var breaks = 0
    var previous: Unicode.Scalar = " "
    for c in text {
      if c == "\u{2029}" { return true }
      // "\r\n" is one break; a lone "\r" or "\n" is one too.
      if c == "\n" || c == "\r" || c == "\u{2028}" || c == "\u{0B}" || c == "\u{0C}" {
        if !(c == "\n" && previous == "\r") { breaks += 1 }
      }
      previous = c
    }
    return breaks >= 2
  }

  /// Whether token `k`, a lone period, was split off an abbreviation spaCy does not list.
  private func followsAbbreviation(_ k: Int, _ tokens: [Token], _ scalars: [Unicode.Scalar])
    -> Bool
  {
    guard k > 0, tokens[k - 1].end == tokens[k].start, tokens[k].end - tokens[k].start == 1,
      scalars[tokens[k].start] == "."
    else { return false }
    let word = String(String.UnicodeScalarView(scalars[tokens[k - 1].start..<tokens[k - 1].end]))
    return Self.abbreviations.contains(word)
  }

  // NB: spaCy already keeps Mr. Dr. St. Jan. U.S. etc. as single tokens; these are the
  // abbreviations whose period it splits off (`No.` → `No` `.`).
  static let abbreviations: Set<String> = [
    "No", "Nos", "no", "Vol", "vol", "Fig", "fig", "Sgt", "Capt", "Lt", "Col", "Maj", "Cmdr",
    "Supt", "Insp", "Det", "Cpl", "Pte", "Hon", "Sr", "Sra", "Mme", "Mlle", "Fr", "Pres",
    "Ave", "Blvd", "Rd", "Ln", "Dept", "Univ", "Assn", "Est", "est", "approx", "ca", "cf",
    "al", "etc", "Ref", "ref", "pp", "Ch", "Art", "Sec", "Op", "Ed", "eds", "Mx", "Gov",
    "Sen", "Rep", "Gen", "Adm", "Atty", "Supt", "Bros", "Inc", "Corp", "Ltd", "Co", "Jr",
    "Sun", "Mon", "Tue", "Tues", "Wed", "Thu", "Thurs", "Fri", "Sat",
  ]
}
