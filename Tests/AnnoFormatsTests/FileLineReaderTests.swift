import AnnoFormats
import AnnoTestSupport
import Testing

@Suite struct FileLineReaderTests {
  func lines(of contents: String, maximum: Int = FileLineReader.defaultMaximumLineLength) throws
    -> [String]
  {
    let folder = try TemporaryDirectory()
    let path = try folder.write("in.jsonl", contents)
    var lines: [String] = []
    try FileLineReader(path: path, maximumLineLength: maximum).forEachLine { bytes, number in
      lines.append("\(number):\(String(decoding: bytes, as: UTF8.self))")
    }
    return lines
  }

  @Test func splitsOnNewlinesKeepingCarriageReturnsAndTheLastUnterminatedLine() throws {
    #expect(try lines(of: "a\r\nb\n\nc") == ["1:a\r", "2:b", "3:", "4:c"])
  }

  @Test func joinsLinesThatCrossReadChunks() throws {
    let long = String(repeating: "x", count: 3 << 20)
    #expect(try lines(of: "a\n\(long)\nb\n") == ["1:a", "2:\(long)", "3:b"])
  }

  @Test func refusesALineOverTheLimitWithoutBufferingIt() throws {
    #expect(throws: FileLineReader.ReadError.lineTooLong(line: 2, limit: 1 << 20)) {
      try lines(of: "ok\n" + String(repeating: "y", count: 3 << 20) + "\n", maximum: 1 << 20)
    }
  }

  @Test func reportsAMissingFile() {
    #expect(
      throws: FileLineReader.ReadError.cannotOpen(
        path: "/nonexistent.jsonl", reason: "No such file or directory")
    ) {
      try FileLineReader(path: "/nonexistent.jsonl").forEachLine { _, _ in }
    }
  }
}
