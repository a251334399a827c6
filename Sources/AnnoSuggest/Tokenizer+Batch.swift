import AnnoCore

extension Tokenizer {
  /// Tokenizes many short texts (gazetteer entries, phrase patterns) in one pass, calling
  /// `body(index, scalars, tokens)` for each text in order with its scalars and its
  /// non-whitespace tokens.
  ///
  /// NB: tokenizing 100,000 entries one by one costs a tokenizer set-up each; joined by
  /// newlines they are one text. The tokenizer splits at whitespace first and never looks
  /// across it, so each text gets the tokens it would get alone.
  package func forEachTokenized(
    _ texts: some Sequence<String>,
    _ body: (_ index: Int, _ scalars: ArraySlice<Unicode.Scalar>, _ tokens: ArraySlice<Token>) ->
      Void
  ) {
    var scalars: [Unicode.Scalar] = []
    var bounds: [Int] = [0]
    scalars.reserveCapacity(texts.underestimatedCount * 16)
    bounds.reserveCapacity(texts.underestimatedCount + 1)
    for text in texts {
      for scalar in text.unicodeScalars { scalars.append(scalar) }
      scalars.append("\n")
      bounds.append(scalars.count)
    }
    var tokens = tokenize(scalars: scalars)
    tokens.removeAll { $0.isSpace }
    var next = 0
    for index in 0..<(bounds.count - 1) {
      let end = bounds[index + 1] - 1
      let first = next
      while next < tokens.count, tokens[next].end <= end { next += 1 }
      body(index, scalars[bounds[index]..<end], tokens[first..<next])
    }
  }
}
