import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// `/…/` selectors take Python's `re` syntax and must find what Python finds.
@Suite struct PythonRegexTests {
  /// Patterns an annotator would type, exercising `\b`, `\w`, `\d`, `\s`, `(?i)`, anchors,
  /// named groups, quantifier forms and classes.
  static let patterns = [
    #"\b\w+\b"#, #"\w+"#, #"\W+"#, #"\b[A-Z]\w*"#, #"\d+"#, #"\d+(?:[.,]\d+)?"#, #"(?i)\bthe\b"#,
    #"(?i)minist\w*"#, #"\b\w{4}\b"#, #"\B\w\B"#, #"\w+['’]\w+"#, #"[A-Z]\w+ [A-Z]\w+"#,
    #"\s+"#, #"\S+"#, #"(?P<c>\w)(?P=c)"#, #""[^"]*""#, #"“[^”]*”"#, #"^\w+"#, #"\w+$"#,
    #"(?m)^\w+"#, #"(?m)\w+\.$"#, #".+"#, #"(?s).{10,20}"#, #"\b\w{,3}\b"#, #"[\w-]+"#,
    #"[^\w\s]"#, #"(?i)\bé\w*"#, #"\bü\w*|\w*ö\w*"#, #"[[(]\w+[])]"#, #"\w+\Z"#, #"a{2"#,
    #"[\b]"#, #"(?i)STRASSE|ÉCOLE"#, #"\d{1,2} \w+ \d{4}"#, #"(?<=\s)\w+(?=,)"#,
  ]

  /// The corpus, and a text with what tells the dialects apart: combining marks, a ZWJ,
  /// superscript and fraction digits, a connector punctuation, U+001F, `\r` and U+2028.
  static func texts() throws -> [String] {
    let folder = AnnoBinary.repositoryRoot + "/Corpus"
    let files = try #require(FileManager.default.enumerator(atPath: folder))
      .compactMap { $0 as? String }.filter { $0.hasSuffix(".txt") }.sorted()
    #expect(files.count >= 10)
    let corpus = try files.map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    let hard =
      "Zoe\u{308} met Ze\u{301}lie at the café: x² = ½, snake_case a\u{200D}b x‿y.\u{1F}Tab\r\nCR end\u{2028}LS 42\nlast line\n"
    return corpus + [hard]
  }

  /// Python's non-empty matches of each pattern in each text, as code point offsets.
  static func pythonMatches(_ texts: [String], _ patterns: [String]) throws -> [[[[Int]]]] {
    let script = """
      import json, re, sys
      data = json.load(sys.stdin)
      out = [[[[m.start(), m.end()] for m in re.finditer(p, t) if m.end() > m.start()]
              for t in data["texts"]] for p in data["patterns"]]
      json.dump(out, sys.stdout)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let request = try JSONSerialization.data(withJSONObject: [
      "texts": texts, "patterns": patterns,
    ])
    // NB: written from another thread so a full output pipe cannot block the child.
    let writer = Thread { [input] in
      input.fileHandleForWriting.write(request)
      try? input.fileHandleForWriting.close()
    }
    writer.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "python3 failed")
    return try #require(try JSONSerialization.jsonObject(with: data) as? [[[[Int]]]])
  }

  @Test func matchesWhatPythonsReMatchesOnTheCorpus() throws {
    let texts = try Self.texts()
    let python = try Self.pythonMatches(texts, Self.patterns)
    for (p, pattern) in Self.patterns.enumerated() {
      let regex = try PythonRegex(pattern)
      for (t, text) in texts.enumerated() {
        let anno = regex.matches(in: ScalarText(text)).map { [$0.lowerBound, $0.upperBound] }
        #expect(
          anno == python[p][t],
          "/\(pattern)/ (as ICU: /\(regex.translated)/) on text \(t): \(anno.count) matches, Python \(python[p][t].count)"
        )
      }
    }
  }

  @Test func icuAloneWouldDifferFromPythonWhereTheRewritingMatters() throws {
    // The rewriting is needed: ICU's own \w takes combining marks, and its \b ignores them.
    let text = ScalarText("Zoe\u{308} x")
    #expect(try PythonRegex(#"\w+"#).matches(in: text) == [0..<3, 5..<6])
    let icu = try NSRegularExpression(pattern: #"\w+"#)
    let string = "Zoe\u{308} x"
    #expect(
      icu.matches(in: string, range: NSRange(location: 0, length: string.utf16.count)).first?
        .range.length == 4)
  }

  @Test func translatesPythonOnlySyntax() {
    #expect(PythonRegex.translate(#"(?P<y>\d{4})-(?P=y)"#) == #"(?<y>\d{4})-\k<y>"#)
    #expect(PythonRegex.translate(#"a{,3}b{2,}c{x}"#) == #"a{0,3}b{2,}c\{x\}"#)
    #expect(PythonRegex.translate(#"[[&]\Z"#) == #"[\[\&]\z"#)
  }

  @Test func refusesBrokenPatternsWithAReason() {
    #expect(throws: PythonRegex.SyntaxError(description: "a [ without its ]")) {
      try PythonRegex("[abc")
    }
    #expect(throws: PythonRegex.SyntaxError(description: "missing ), unterminated subpattern")) {
      try PythonRegex("(ab")
    }
  }
}
