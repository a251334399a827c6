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
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
      $0.hasSuffix(".txt")
    }.sorted()
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
      "Mr.", "U.S.", "don't", "“Yes,”", "(AP)", "—", "–", "said:", "5km", "$10", "3.5%", "e.g.",
      "can't!", "’s",
      "👍🏽", "🇺🇦", "👩‍🔬", "❤️.", "Zoe\u{308}", "Café", "王毅", "Київ.", "https://example.org/a?b=c",
      "a@b.com",
      "U.N.-backed", "well-known", "...", "…", "'90s", "o'clock", "N.Y.", "gonna", "Dr", "10:30",
      "1,000", "x",
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

  /// The eight-bytes-at-a-time letter test agrees with the byte table for every byte value
  /// at every position of a word, including the neighbours of the letter ranges (`@`, `[`,
  /// a backtick, `{`) and bytes of longer scalars.
  @Test func eightByteLetterTestAgreesWithTheByteTable() {
    let table = ASCIIByteClass.table
    for position in 0..<8 {
      for value in 0..<256 {
        var bytes = [UInt8](repeating: UInt8(ascii: "q"), count: 8)
        bytes[position] = UInt8(value)
        let word = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        let expected: UInt64 =
          table[value] == ASCIIByteClass.letter ? 0 : 0x80 << UInt64(8 * position)
        #expect(ASCIIByteClass.nonLetterBytes(word) == expected, "byte \(value) at \(position)")
      }
    }
    var random = SplitMix(seed: 11)
    for _ in 0..<10_000 {
      let word = random.next()
      var expected: UInt64 = 0
      for position in 0..<8
      where table[Int((word >> UInt64(8 * position)) & 0xFF)] != ASCIIByteClass.letter {
        expected |= 0x80 << UInt64(8 * position)
      }
      #expect(ASCIIByteClass.nonLetterBytes(word) == expected)
    }
  }

  /// Runs of letters of every length up to 20, broken by the bytes next to the letter ranges,
  /// apostrophes, digits and non-ASCII letters, with and without whitespace at the end: the
  /// eight-byte steps stop at the right byte wherever a run ends.
  @Test func letterRunsOfEveryLengthMatchTheRules() {
    let breaks = ["@", "[", "`", "{", "'", "’", "é", "Ж", "1", ".", ",", "-", "😀", "Z\u{301}"]
    // With the rarer ASCII whitespace (vertical tab, form feed, the information separators).
    let spaces = [" ", "\n", "", "\u{A0}", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}", "  "]
    let tokenizer = Tokenizer()
    var random = SplitMix(seed: 13)
    for _ in 0..<500 {
      var text = ""
      for _ in 0..<Int(random.next() % 12) {
        let length = Int(random.next() % 21)
        for _ in 0..<length {
          let letter = UInt8(ascii: "a") + UInt8(random.next() % 26)
          text.unicodeScalars.append(Unicode.Scalar(random.next() % 2 == 0 ? letter : letter - 32))
        }
        if random.next() % 2 == 0 { text += breaks[Int(random.next() % UInt64(breaks.count))] }
        text += spaces[Int(random.next() % UInt64(spaces.count))]
      }
      let scalars = Array(text.unicodeScalars)
      let expected = tokenizer.tokenizeWithoutCache(scalars: scalars)
      #expect(tokenizer.tokenize(text) == expected, "\(text.debugDescription)")
    }
  }

  /// Every special case spelled with ASCII letters alone (`Dont`, `gonna`: the ones the
  /// letters filter must let through), alone and before punctuation, gets the rules' tokens.
  @Test func specialCasesSpelledWithLettersAreSplitAsTheRulesSay() {
    let entries = SpecialCases.english.entries.filter { entry in
      entry.scalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic }
    }
    #expect(entries.count == 324)
    let words = entries.map { String(String.UnicodeScalarView($0.scalars)) }
    let text = words.map { "\($0) \($0). \($0)" }.joined(separator: "\n")
    let tokenizer = Tokenizer()
    let expected = tokenizer.tokenizeWithoutCache(scalars: Array(text.unicodeScalars))
    #expect(tokenizer.tokenize(text) == expected)
    // Each word alone gets exactly its special case's pieces (`Dont`: `Do`, `nt`).
    for (word, entry) in zip(words, entries) {
      #expect(tokenizer.tokenize(word).map { $0.end - $0.start } == entry.pieces, "\(word)")
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

  /// A chunk hashes the same whether its last bytes are read one at a time (a chunk at the
  /// very end of the text) or as one word that runs on into the text after it, so the cache
  /// finds a chunk wherever it stands. The bytes after each chunk differ from its own.
  @Test func chunkHashIsTheSameReadByteByByteOrAsOneWord() {
    let buffer = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    buffer.withUnsafeBufferPointer { all in
      for offset in 0..<8 {
        for length in 1...40 {
          let chunk = UnsafeBufferPointer(rebasing: all[offset..<(offset + length)])
          let alone = ChunkTokenCache.hash(chunk, readable: length)
          let inText = ChunkTokenCache.hash(chunk, readable: all.count - offset)
          #expect(alone == inText, "offset \(offset), length \(length)")
        }
      }
    }
  }

  /// The tokenizer may be shared between threads.
  @Test func oneTokenizerSharedByThreadsGivesEveryThreadTheRightTokens() async {
    let tokenizer = Tokenizer()
    let text = String(repeating: "“Mr. Smith’s 5km walk,” she said — 👍🏽 in Київ. ", count: 50)
    let expected = tokenizer.tokenizeWithoutCache(scalars: Array(text.unicodeScalars))
    let results = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<8 {
        group.addTask { (0..<20).allSatisfy { _ in tokenizer.tokenize(text) == expected } }
      }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results == Array(repeating: true, count: 8))
  }
}
