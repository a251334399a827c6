/// Splits a shell line into words, respecting quotes.
///
/// Words are separated by whitespace. `"..."` and `“...”` group words (a backslash escapes
/// `"` and `\` inside them); `'...'` groups literally. `;` outside quotes separates commands
/// (see `commands(in:)`).
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

  static func closing(_ quote: Character) -> Character {
    switch quote {
    case "“": "”"
    case "‘": "’"
    default: quote
    }
  }

  /// The words of one command.
  public static func words(in line: String) throws(UnterminatedQuote) -> [String] {
    var words: [String] = []
    var current = ""
    var hasWord = false
    var quote: Character?
    var escaping = false
    for character in line {
      if let open = quote {
        if escaping {
          current.append(character)
          escaping = false
        } else if character == "\\" && open == "\"" {
          escaping = true
        } else if character == closing(open) {
          quote = nil
        } else {
          current.append(character)
        }
        continue
      }
      switch character {
      case "\"", "'", "“", "‘":
        quote = character
        hasWord = true
      case _ where character.isWhitespace:
        if hasWord { words.append(current) }
        current = ""
        hasWord = false
      default:
        current.append(character)
        hasWord = true
      }
    }
    if let open = quote { throw UnterminatedQuote(quote: open) }
    if hasWord { words.append(current) }
    return words
  }

  /// Splits a line into commands at `;` outside quotes.
  public static func commands(in line: String) -> [String] {
    var commands: [String] = []
    var current = ""
    var quote: Character?
    var escaping = false
    for character in line {
      if let open = quote {
        current.append(character)
        if escaping {
          escaping = false
        } else if character == "\\" && open == "\"" {
          escaping = true
        } else if character == closing(open) {
          quote = nil
        }
        continue
      }
      if character == ";" {
        commands.append(current)
        current = ""
        continue
      }
      if character == "\"" || character == "'" || character == "“" || character == "‘" {
        quote = character
      }
      current.append(character)
    }
    commands.append(current)
    return commands.filter { !$0.allSatisfy(\.isWhitespace) }
  }
}
