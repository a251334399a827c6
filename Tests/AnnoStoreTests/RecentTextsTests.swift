import AnnoTestSupport
import Testing

@testable import AnnoStore

/// Rows' repeated texts come from a short cache: always the text the bytes spell.
@Suite struct RecentTextsTests {
  @Test func givesWhatDecodingGivesForRepeatsNewcomersAndBadBytes() {
    // More distinct texts than the cache holds, same-length neighbours, invalid UTF-8, a text
    // too long to keep, and the empty text.
    var pool: [[UInt8]] = (0..<40).map { Array("label-\($0)".utf8) }
    pool += [
      Array("PER".utf8), Array("ORG".utf8), Array("Київ".utf8), [0xFF, 0xFE], [0x61, 0xC3], [],
    ]
    pool.append(Array(String(repeating: "long ", count: 20).utf8))
    var recent = RecentTexts()
    var random = SplitMix(seed: 11)
    for _ in 0..<5_000 {
      // Mostly a few recent ones, sometimes any.
      let bytes =
        random.next() % 4 == 0
        ? pool[Int(random.next() % UInt64(pool.count))] : pool[Int(random.next() % 5)]
      let text = bytes.withUnsafeBufferPointer { recent.text($0) }
      #expect(
        text == String(decoding: bytes, as: UTF8.self)
          && Array(text.utf8) == Array(String(decoding: bytes, as: UTF8.self).utf8))
    }
  }
}
