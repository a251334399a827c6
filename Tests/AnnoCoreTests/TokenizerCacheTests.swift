import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoCore

/// The tokenizer's chunk cache changes nothing: every text gets exactly the tokens the rules
/// give it chunk by chunk, however often its chunks were seen before.
@Suite struct TokenizerCacheTests {
  /// The articles in Corpus/, each tokenized twice by one tokenizer (the second time from
  /// the cache), as text and as scalars.
  @Test func corpusArticlesGetTheRulesTokensFromTheCache() throws {
    let folder = AnnoBinary.repositoryRoot + "/Corpus"
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted()
    #expect(names.count >= 10)
    let tokenizer = Tokenizer()
    for name in names {
      let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
      let scalars = Array(text.unicodeScalars)
      let expected = tokenizer.tokenizeWithoutCache(scalars: scalars)
      #expect(tokenizer.tokenize(text) == expected, "\(name), first time")
      #expect(tokenizer.tokenize(text) == expected, "\(name), from the cache")
      #expect(tokenizer.tokenize(scalars: scalars) == expected, "\(name), as scalars")
    }
  }

  /// Random texts built from tricky pieces (quotes, abbreviations, emoji sequences,
  /// combining marks, URLs, numbers with units, every kind of whitespace), so that the
  /// same chunks recur in new neighbourhoods.
  @Test func randomTextsOfTrickyPiecesMatchTheRules() {
    let pieces = [
      "Mr.", "U.S.", "don't", "“Yes,”", "(AP)", "—", "–", "said:", "5km", "$10", "3.5%", "e.g.", "can't!", "’s",
      "👍🏽", "🇺🇦", "👩‍🔬", "❤️.", "Zoe\u{308}", "Café", "王毅", "Київ.", "https://example.org/a?b=c", "a@b.com",
      "U.N.-backed", "well-known", "...", "…", "'90s", "o'clock", "N.Y.", "gonna", "Dr", "10:30", "1,000", "x",
      "cannot", "Cannot", "lemme", "gotta", "dont", "Ive", "ima", "wanna", "A", "I",
    ]
    let spaces = [" ", "  ", "\n", "\n\n", "\t", " \u{A0}", "\u{2009}", "\r\n", " \u{3000} "]
    let tokenizer = Tokenizer()
    var random = SplitMix(seed: 7)
    for _ in 0..<300 {
      var text = ""
      for _ in 0..<Int(random.next() % 30) {
        text += pieces[Int(random.next() % UInt64(pieces.count))]
        if random.next() % 3 == 0 { text += pieces[Int(random.next() % UInt64(pieces.count))] }
        text += spaces[Int(random.next() % UInt64(spaces.count))]
      }
      let scalars = Array(text.unicodeScalars)
      let expected = tokenizer.tokenizeWithoutCache(scalars: scalars)
      #expect(tokenizer.tokenize(text) == expected, "\(text.debugDescription)")
      #expect(tokenizer.tokenize(scalars: scalars) == expected, "\(text.debugDescription)")
    }
  }

  /// More distinct chunks than the cache holds: it starts over and stays correct.
  @Test func aFullCacheStartsOverAndStaysCorrect() {
    var cache = ChunkTokenCache()
    let words = (0..<(ChunkTokenCache.capacity + 500)).map { "w\($0)," }
    let text = words.joined(separator: " ")
    let values = text.unicodeScalars.map(\.value)
    let tokens = values.withUnsafeBufferPointer { cache.tokenize(values: $0) }
    #expect(tokens == Tokenizer().tokenizeWithoutCache(scalars: Array(text.unicodeScalars)))
    #expect(tokens.count == words.count * 2)
    var utf8 = text
    let again = utf8.withUTF8 { cache.tokenize(utf8: $0) }
    #expect(again == tokens)
  }

  /// The tokenizer may be shared between threads.
  @Test func oneTokenizerSharedByThreadsGivesEveryThreadTheRightTokens() async {
    let tokenizer = Tokenizer()
    let text = String(repeating: "“Mr. Smith’s 5km walk,” she said — 👍🏽 in Київ. ", count: 50)
    let expected = tokenizer.tokenizeWithoutCache(scalars: Array(text.unicodeScalars))
    let results = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<8 { group.addTask { (0..<20).allSatisfy { _ in tokenizer.tokenize(text) == expected } } }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results == Array(repeating: true, count: 8))
  }
}
