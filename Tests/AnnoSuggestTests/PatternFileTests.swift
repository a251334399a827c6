import AnnoCore
import AnnoSuggest
import Testing

@Suite struct PatternFileTests {
  static let schema = try? LabelSchema(yaml: BundledGuidelines.schemaYAML)

  func parse(_ text: String) throws(PatternFileError) -> [EntityPattern] {
    try EntityPattern.parseJSONLines(text, file: "patterns.jsonl", schema: Self.schema)
  }

  /// The whole rendered error for a bad file, or `nil` when it parses.
  func errorText(_ text: String) -> String? {
    do {
      _ = try parse(text)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func readsPhraseAndTokenPatternsWithIDsAndLines() throws {
    // Given a file in EntityRuler / Prodigy form with a blank line
    let file = """
      {"label": "ORG", "pattern": "NATO"}

      {"label": "PER", "pattern": [{"lower": "sergei"}, {"LOWER": "lavrov"}], "id": "lavrov"}
      {"label": "MISC", "pattern": [{"TEXT": {"IN": ["COVID-19", "Covid"]}}, {"IS_DIGIT": true, "OP": "?"}]}
      {"label": "LOC", "pattern": [{"ORTH": "New"}, {"is_title": true, "OP": "+"}, {"length": {">=": 2, "<": 9}}]}
      {"label": "ORG", "pattern": [{"shape": "XXX"}, {"LOWER": {"NOT_IN": ["and"]}, "OP": "*"}, {"TEXT": ",", "OP": "!"}, {}]}

      """
    // When it is parsed
    let patterns = try parse(file)
    // Then every line gives one pattern, with its line
    #expect(
      patterns == [
        EntityPattern(label: "ORG", body: .phrase("NATO"), line: 1),
        EntityPattern(
          label: "PER",
          body: .tokens([
            TokenSpec([.lower(.equals("sergei"))]), TokenSpec([.lower(.equals("lavrov"))]),
          ]),
          id: "lavrov", line: 3),
        EntityPattern(
          label: "MISC",
          body: .tokens([
            TokenSpec([.text(.isIn(["COVID-19", "Covid"]))]),
            TokenSpec([.flag(.isDigit, true)], quantifier: .zeroOrOne),
          ]), line: 4),
        EntityPattern(
          label: "LOC",
          body: .tokens([
            TokenSpec([.text(.equals("New"))]),
            TokenSpec([.flag(.isTitle, true)], quantifier: .oneOrMore),
            TokenSpec([.length(.compare(.less, 9)), .length(.compare(.atLeast, 2))]),
          ]), line: 5),
        EntityPattern(
          label: "ORG",
          body: .tokens([
            TokenSpec([.shape(.equals("XXX"))]),
            TokenSpec([.lower(.isNotIn(["and"]))], quantifier: .zeroOrMore),
            TokenSpec([.text(.equals(","))], quantifier: .not),
            TokenSpec([]),
          ]), line: 6),
      ])
  }

  @Test func acceptsAnyLabelWithoutASchema() throws {
    let patterns = try EntityPattern.parseJSONLines(
      #"{"label": "GPE", "pattern": "Kyiv"}"#, schema: nil)
    #expect(patterns.map(\.label) == ["GPE"])
  }

  @Test func acceptsWindowsLineEndingsAndAByteOrderMark() throws {
    let file =
      "\u{FEFF}{\"label\": \"ORG\", \"pattern\": \"NATO\"}\r\n{\"label\": \"LOC\", \"pattern\": \"Kyiv\"}\r\n"
    #expect(try parse(file).map(\.line) == [1, 2])
  }

  @Test func reportsEveryProblemWithItsLine() {
    let file = """
      {"label": "ORG", "pattern": "NATO"}
      {"label": "PER", "pattern": [{"lowr": "sergei"}]}
      {"pattern": "Kyiv"}
      {"label": "LOC", "pattern": 3}
      {"label": "LOC", "pattern": [{"LOWER": "new"}, {"IS_TITLE": true, "OP": "x"}]}
      {"label": "PERSON", "pattern": "Lavrov"}
      {"label": "ORG", "pattern": "NATO",}
      [1, 2]
      {"label": "ORG"}
      """
    #expect(
      errorText(file) == """
        patterns.jsonl:2: unknown token attribute 'lowr'; did you mean 'lower'?
        patterns.jsonl:3: missing key 'label'
        patterns.jsonl:4: 'pattern' must be a string or a list of token objects
        patterns.jsonl:5: unknown OP 'x'; use ?, *, +, ! or 1
        patterns.jsonl:6: unknown label 'PERSON'; did you mean 'PER'?
        patterns.jsonl:7:36: expected a string key
        patterns.jsonl:8: expected a JSON object with 'label' and 'pattern', got an array
        patterns.jsonl:9: missing key 'pattern'
        """)
  }

  @Test func reportsEveryProblemOfOneLine() {
    let file =
      #"{"label": 7, "pattern": [{"LOWR": "a", "OP": "x"}, {"POS": "PROPN"}], "id": 3, "extra": 1}"#
    #expect(
      errorText(file) == """
        patterns.jsonl:1: 'label' must be a string
        patterns.jsonl:1: unknown token attribute 'LOWR'; did you mean 'LOWER'?
        patterns.jsonl:1: unknown OP 'x'; use ?, *, +, ! or 1
        patterns.jsonl:1: token attribute 'POS' needs a trained pipeline; Anno matches on text only
        patterns.jsonl:1: 'id' must be a string
        patterns.jsonl:1: unknown key 'extra'; a pattern has 'label', 'pattern' and 'id'
        """)
  }

  @Test func reportsAMisspeltKeyOnceNotAlsoAsMissing() {
    #expect(
      errorText(#"{"lable": "ORG", "pattern": "NATO"}"#) == """
        patterns.jsonl:1: unknown key 'lable'; did you mean 'label'?
        """)
  }

  @Test(arguments: [
    (
      #"{"label": "FOO", "pattern": "x"}"#,
      "unknown label 'FOO'; the schema declares PER, ORG, LOC, MISC"
    ),
    (#"{"label": "ORG", "pattern": "  "}"#, "'pattern' is empty"),
    (#"{"label": "ORG", "pattern": []}"#, "'pattern' is empty"),
    (
      #"{"label": "ORG", "pattern": [{"LOWER": "a"}, "b"]}"#,
      "'pattern' must be a string or a list of token objects"
    ),
    (#"{"label": "ORG", "pattern": [{"OP": 1}]}"#, "'OP' must be a string: ?, *, +, ! or 1"),
    (
      #"{"label": "ORG", "pattern": [{"LOWER": 1}]}"#,
      "'LOWER' must be a string or an object with IN or NOT_IN"
    ),
    (#"{"label": "ORG", "pattern": [{"LOWER": {"IN": "a"}}]}"#, "'IN' must be a list of strings"),
    (
      #"{"label": "ORG", "pattern": [{"LOWER": {"INN": ["a"]}}]}"#,
      "unknown predicate 'INN'; did you mean 'IN'?"
    ),
    (
      #"{"label": "ORG", "pattern": [{"TEXT": {"REGEX": "^N"}}]}"#,
      "predicate 'REGEX' is not supported; use IN, NOT_IN"
    ),
    (#"{"label": "ORG", "pattern": [{"IS_TITLE": "yes"}]}"#, "'IS_TITLE' must be true or false"),
    (
      #"{"label": "ORG", "pattern": [{"LENGTH": "3"}]}"#,
      "'LENGTH' must be an integer or an object with IN, NOT_IN, ==, !=, >=, <=, > or <"
    ),
    (#"{"label": "ORG", "pattern": [{"LENGTH": {">=": 2.5}}]}"#, "'>=' must be an integer"),
    (
      #"{"label": "ORG", "pattern": [{"LENGTH": {"IN": [1, "2"]}}]}"#,
      "'IN' must be a list of integers"
    ),
    (#"{"label": "ORG", "pattern": [{"NORM": "x"}]}"#, "token attribute 'NORM' is not supported"),
    (#"{"label": "ORG", "pattern": [{"colour": "x"}]}"#, "unknown token attribute 'colour'"),
  ])
  func rejectsBadValues(line: String, message: String) {
    #expect(errorText(line) == "patterns.jsonl:1: \(message)")
  }

  @Test func rejectsTokenPatternsLongerThanTheMatcherHolds() {
    let tokens = Array(repeating: #"{"IS_ALPHA": true}"#, count: 64).joined(separator: ", ")
    #expect(
      errorText(#"{"label": "ORG", "pattern": [\#(tokens)]}"#) == """
        patterns.jsonl:1: a token pattern may have at most 63 tokens
        """)
  }

  @Test func theErrorDescribesItselfForUsers() {
    let error = PatternFileError(diagnostics: [
      PatternDiagnostic(file: "p.jsonl", line: 2, message: "missing key 'label'")
    ])
    #expect(error.errorDescription == "p.jsonl:2: missing key 'label'")
  }
}
