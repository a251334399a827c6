/// Splits text into tokens with Unicode scalar offsets.
///
/// (Interim: whitespace and punctuation splitting; the spaCy-compatible rules replace it.)
public struct Tokenizer: Sendable {
  public init() {}
  public func tokenize(_ text: String) -> [Token] { tokenize(scalars: Array(text.unicodeScalars)) }
  public func tokenize(scalars: [Unicode.Scalar]) -> [Token] {
    var tokens: [Token] = []
    var i = 0
    let n = scalars.count
    while i < n {
      let c = scalars[i]
      if c == " " {
        var j = i
        while j < n, scalars[j] == " " { j += 1 }
        if let last = tokens.indices.last, tokens[last].end == i, !tokens[last].isSpace {
          tokens[last].spaceAfter = true
          if j - i > 1 { tokens.append(Token(start: i + 1, end: j, isSpace: true)) }
        } else { tokens.append(Token(start: i, end: j, isSpace: true)) }
        i = j
      } else if c.properties.isWhitespace {
        var j = i
        while j < n, scalars[j].properties.isWhitespace, scalars[j] != " " { j += 1 }
        tokens.append(Token(start: i, end: j, isSpace: true)); i = j
      } else if c.properties.isAlphabetic || c.properties.numericType != nil {
        var j = i
        while j < n, scalars[j].properties.isAlphabetic || scalars[j].properties.numericType != nil || scalars[j].properties.generalCategory == .nonspacingMark { j += 1 }
        tokens.append(Token(start: i, end: j)); i = j
      } else { tokens.append(Token(start: i, end: i + 1)); i += 1 }
    }
    return tokens
  }
}
