import AnnoCore

/// Splits a shell line into words, respecting quotes.
///
/// Words are separated by whitespace. `"..."` and `“...”` group words (a backslash escapes
/// `"` and `\` inside them; before anything else it is kept). `'...'` and `‘...’` group
/// literally; they open only at the start of a word and close only before whitespace or the
/// end, so apostrophes inside words (`Putin's`, `'Putin's'`) are text. `;` outside quotes
/// separates commands (see `commands(in:)`).
public enum WordSplitter {
  /// An unterminated quote.
  public struct UnterminatedQuote: Error, Equatable, Sendable, CustomStringConvertible {
    /// The quote character left open.
    public var quote: Character

    /// Creates the error.
    public init(quote: Character) {
      self.quote = quote
    }

    public var description: String {
      "unterminated quote \(quote); close it with \(WordSplitter.closing(quote))"
    }
  }

  /// The characters that open a quoted word.
  public static let quotes: Set<Character> = ["\"", "'", "“", "‘"]

  /// The character that closes a word opened with `quote`.
  public static func closing(_ quote: Character) -> Character {
    switch quote {
    case "“": "”"
    case "‘": "’"
    default: quote
    }
  }

  /// The words of one command.
  public static func words(in line: String) throws(UnterminatedQuote) -> [String] {
    try split(line, keepsPatterns: false).map(\.text)
  }

  /// The words of one command, with whether each was quoted. An unquoted word that starts
  /// with `/` runs, spaces, quotes and backslashes included, to the next `/` before
  /// whitespace or the end: `/Black Sea/` and `/\bSea\b/` are one word each, as typed.
  public static func shellWords(in line: String) throws(UnterminatedQuote) -> [ShellWord] {
    try split(line, keepsPatterns: true)
  }

  /// What one character of a line is, as the splitter reads it.
  enum Role: Equatable {
    /// Part of a word (`quoted`: inside quotes or escaped).
    case text(quoted: Bool)
    /// An opening or closing quote, or a backslash that escapes the next character.
    case syntax
    /// Whitespace outside quotes.
    case separator
    /// A whole `/pattern/` starting here, this many characters long.
    case pattern(length: Int)
  }

  /// Walks a line character by character, telling `body` each character's role.
  static func scan(
    _ characters: [Character], keepsPatterns: Bool, _ body: (Int, Role) -> Void
  ) throws(UnterminatedQuote) {
    var quote: Character?
    var escaping = false
    var atWordStart = true
    var i = 0
    func endsWord(_ index: Int) -> Bool {
      index >= characters.count || characters[index].isWhitespace
    }
    while i < characters.count {
      let character = characters[i]
      if let open = quote {
        if escaping {
          body(i, .text(quoted: true))
          escaping = false
        } else if character == "\\" && open == "\"" {
          let next = i + 1 < characters.count ? characters[i + 1] : nil
          if next == "\"" || next == "\\" {
            escaping = true
            body(i, .syntax)
          } else {
            body(i, .text(quoted: true))
          }
        } else if character == closing(open) && (open == "\"" || open == "“" || endsWord(i + 1)) {
          quote = nil
          body(i, .syntax)
        } else {
          body(i, .text(quoted: true))
        }
        i += 1
        continue
      }
      if character.isWhitespace {
        body(i, .separator)
        atWordStart = true
        i += 1
        continue
      }
      if keepsPatterns && atWordStart && character == "/",
        let end = patternEnd(characters, from: i)
      {
        body(i, .pattern(length: end - i + 1))
        i = end + 1
        atWordStart = false
        continue
      }
      switch character {
      case "\"", "“":
        quote = character
        body(i, .syntax)
      case "'" where atWordStart, "‘" where atWordStart:
        quote = character
        body(i, .syntax)
      default:
        body(i, .text(quoted: false))
      }
      atWordStart = false
      i += 1
    }
    if let open = quote { throw UnterminatedQuote(quote: open) }
  }

  /// The index of the `/` that closes a pattern opened at `start`: the next one not escaped
  /// by a backslash and followed by whitespace or the end.
  static func patternEnd(_ characters: [Character], from start: Int) -> Int? {
    var i = start + 1
    while i < characters.count {
      if characters[i] == "\\" {
        i += 2
        continue
      }
      if characters[i] == "/" && (i + 1 == characters.count || characters[i + 1].isWhitespace) {
        return i
      }
      i += 1
    }
    return nil
  }

  static func split(_ line: String, keepsPatterns: Bool) throws(UnterminatedQuote) -> [ShellWord] {
    let characters = Array(line)
    var words: [ShellWord] = []
    var current: ShellWord?
    try scan(characters, keepsPatterns: keepsPatterns) { i, role in
      switch role {
      case .separator:
        if let word = current { words.append(word) }
        current = nil
      case .syntax:
        current = current ?? ShellWord("")
        if characters[i] != "\\" { current?.isQuoted = true }
      case .text(let quoted):
        current = current ?? ShellWord("")
        current?.text.append(characters[i])
        if quoted { current?.isQuoted = true }
      case .pattern(let length):
        current = ShellWord(String(characters[i..<(i + length)]))
      }
    }
    if let word = current { words.append(word) }
    return words
  }

  /// Splits a line into commands at `;` outside quotes.
  public static func commands(in line: String) -> [String] {
    let characters = Array(line)
    var commands: [String] = []
    var current = ""
    var cuts: [Int] = []
    // NB: a line with an unterminated quote is one command; running it reports the quote.
    try? scan(characters, keepsPatterns: false) { i, role in
      if role == .text(quoted: false) && characters[i] == ";" { cuts.append(i) }
    }
    let cutSet = Set(cuts)
    for (i, character) in characters.enumerated() {
      if cutSet.contains(i) {
        commands.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    commands.append(current)
    return commands.filter { !$0.allSatisfy(\.isWhitespace) }
  }
}
