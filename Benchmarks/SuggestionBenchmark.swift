import AnnoAgreement
import AnnoCore
import AnnoSuggest
import Foundation

/// The figure the product shows: suggestions for a 5 KB news document.
///
/// The document meets 10,000 patterns and a 100,000-entry gazetteer.
enum SuggestionBenchmark {
  static let syllables = [
    "ka", "lo", "mi", "ra", "ven", "tor", "sha", "bel", "dri", "nov", "ast", "pol", "ger", "isk",
    "umi",
  ]
  static let words = """
    the minister said on Tuesday that talks with officials in the capital would resume after \
    a meeting of the council where delegates discussed sanctions trade energy prices and the \
    ceasefire while analysts warned that markets could fall by 15 percent if the agreement failed
    """.split(separator: " ").map(String.init)

  static func name(_ generator: inout SplitMix64) -> String {
    let count = Int.random(in: 2...3, using: &generator)
    let word = (0..<count).map { _ in syllables.randomElement(using: &generator) ?? "ka" }.joined()
    return word.prefix(1).uppercased() + word.dropFirst()
  }

  static func run() throws {
    var generator = SplitMix64(seed: 2024)
    let labels = ["PER", "ORG", "LOC", "MISC"]

    // 100,000 learned entries: one- to three-token names, some given two labels.
    var entries: [Gazetteer.Entry] = []
    for index in 0..<100_000 {
      let tokens = (0..<Int.random(in: 1...3, using: &generator)).map { _ in name(&generator) }
      let label = labels[index % labels.count]
      entries.append(
        .init(
          text: tokens.joined(separator: " "), label: label,
          count: Int.random(in: 1...9, using: &generator)))
      if index % 10 == 0 {
        entries.append(.init(text: tokens.joined(separator: " "), label: "LOC", count: 1))
      }
    }
    // 10,000 patterns: 7,000 phrases, 2,600 token patterns keyed by a word, 400 by flags only.
    var patterns: [EntityPattern] = []
    for index in 0..<7_000 {
      let phrase = (0..<(1 + index % 3)).map { _ in name(&generator) }.joined(separator: " ")
      patterns.append(.phrase(phrase, label: labels[index % 4], id: "p\(index)"))
    }
    for index in 0..<2_600 {
      let word =
        index < 60 ? words[index % words.count] : name(&generator).lowercased()
      patterns.append(
        .tokens(
          [
            TokenSpec([.lower(.equals(word))]),
            TokenSpec([.flag(.isTitle, true)], quantifier: .oneOrMore),
            TokenSpec([.lower(.isIn(["said", "told", "met"]))], quantifier: .zeroOrOne),
          ], label: labels[index % 4]))
    }
    let firsts: [TokenConstraint] = [
      .flag(.likeNum, true), .flag(.isTitle, true), .flag(.isUpper, true), .shape(.equals("Xxxxx")),
      .length(.compare(.atLeast, 12)), .flag(.isPunct, true), .text(.isNotIn(["the", "a"])),
    ]
    for index in 0..<400 {
      patterns.append(
        .tokens(
          [
            TokenSpec([firsts[index % firsts.count]]),
            TokenSpec([.lower(.equals(name(&generator).lowercased()))]),
          ],
          label: labels[index % 4]))
    }

    // A 5 KB document mixing prose, pattern phrases and learned names.
    var text = ""
    while text.utf8.count < 5_000 {
      var sentence: [String] = []
      for _ in 0..<Int.random(in: 8...16, using: &generator) {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: sentence.append(entries.randomElement(using: &generator)?.text ?? "")
        case 1:
          if case .phrase(let phrase) = patterns[Int.random(in: 0..<7_000, using: &generator)].body
          {
            sentence.append(phrase)
          }
        case 2: sentence.append(name(&generator))
        default: sentence.append(words.randomElement(using: &generator) ?? "the")
        }
      }
      text += sentence.joined(separator: " ") + ". "
    }

    let clock = ContinuousClock()
    var gazetteer: Gazetteer?
    let gazetteerTime = clock.measure { gazetteer = Gazetteer(entries: entries) }
    var matcher: PatternMatcher?
    let matcherTime = clock.measure { matcher = PatternMatcher(patterns: patterns) }
    let engine = SuggestionEngine(patterns: matcher, gazetteer: gazetteer)
    let scalars = ScalarText(text)
    let tokens = Tokenizer().tokenize(text)

    var suggestions: [SpanSuggestion] = []
    var times: [Duration] = []
    for _ in 0..<200 {
      times.append(
        clock.measure {
          suggestions = engine.suggestions(text: scalars, tokens: tokens, existing: [])
        })
    }
    times.sort()
    let median = times[times.count / 2]
    print(
      """
      suggestion benchmark: \(text.utf8.count) bytes, \(tokens.count) tokens, \(patterns.count) patterns, \
      \(entries.count) gazetteer entries
        gazetteer built in \(gazetteerTime), matcher in \(matcherTime)
        per document: median \(median), fastest \(times[0]), slowest \(times[times.count - 1]); \
      \(suggestions.count) suggestions
      """)
    try BenchmarkFailure.check(!suggestions.isEmpty, "no suggestions")
  }
}
