import AnnoCore
import AnnoFormats
import ArgumentParser
import Foundation

extension Anno {
  /// `anno tokenize`: the built-in tokenizer, for checking boundaries against other tools.
  struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "tokenize",
      abstract: "Tokenize JSONL documents {\"id\", \"text\"} with the built-in tokenizer.",
      discussion: """
        Prints one line per document: {"id", "tokens": [[start, end, space_after, is_space], ...]} \
        with code point offsets. Used by scripts/tokenizer_agreement.py to compare with spaCy.
        """)

    @Argument(
      help: ArgumentHelp("A JSONL file ('-' or nothing for standard input).", valueName: "file"))
    var file: String = "-"

    @Flag(
      help:
        "Print only {\"documents\", \"tokens\", \"tokenize_seconds\"}: the time spent tokenizing, for benchmarks."
    )
    var timing = false

    func run() throws {
      let tokenizer = Tokenizer()
      var writer = JSONWriter(capacity: 1 << 20)
      var failed = false
      var elapsed: UInt64 = 0
      var documents = 0
      var tokenCount = 0
      try FileLineReader(path: file).forEachLine { bytes, line in
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) else { return }
        guard let value = try? JSONParser.parse(bytes), case .string(let text)? = value["text"]
        else {
          StandardStreams.writeError(
            "\(file):\(line): expected a JSON object with a string 'text'\n")
          failed = true
          return
        }
        if timing {
          let started = DispatchTime.now().uptimeNanoseconds
          let count = tokenizer.tokenize(text).count
          elapsed += DispatchTime.now().uptimeNanoseconds - started
          documents += 1
          tokenCount += count
          return
        }
        // Output is flushed in large blocks, not one write per line.
        if writer.bytes.count > 1 << 20 {
          StandardStreams.write(bytes: writer.bytes)
          writer.reset()
        }
        var object = JSONObjectWriter(&writer)
        object.key("id", &writer)
        writer.value(value["id"] ?? .null)
        object.key("tokens", &writer)
        writer.byte(UInt8(ascii: "["))
        for (i, token) in tokenizer.tokenize(text).enumerated() {
          if i > 0 { writer.byte(UInt8(ascii: ",")) }
          writer.byte(UInt8(ascii: "["))
          writer.int(token.start)
          writer.byte(UInt8(ascii: ","))
          writer.int(token.end)
          writer.byte(UInt8(ascii: ","))
          token.spaceAfter ? writer.raw("true") : writer.raw("false")
          writer.byte(UInt8(ascii: ","))
          token.isSpace ? writer.raw("true") : writer.raw("false")
          writer.byte(UInt8(ascii: "]"))
        }
        writer.byte(UInt8(ascii: "]"))
        object.end(&writer)
        writer.byte(UInt8(ascii: "\n"))
      }
      if timing {
        StandardStreams.print(
          #"{"documents":\#(documents),"tokenize_seconds":\#(Double(elapsed) / 1e9),"tokens":\#(tokenCount)}"#
        )
      } else {
        StandardStreams.write(bytes: writer.bytes)
      }
      if failed { throw ExitCode.failure }
    }
  }
}
