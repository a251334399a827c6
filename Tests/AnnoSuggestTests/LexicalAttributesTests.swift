import AnnoCore
import AnnoSuggest
import Testing

@Suite struct LexicalAttributesTests {
  func flags(_ text: String) -> Set<TokenFlag> {
    let scalars = Array(text.unicodeScalars)
    let lower = Array(text.lowercased().unicodeScalars)
    let bits = LexicalAttributes.flags(scalars[...], lower: lower[...])
    return Set(TokenFlag.allCases.filter { bits & $0.bit != 0 })
  }

  @Test(arguments: [
    ("Lavrov", [TokenFlag.isAlpha, .isASCII, .isTitle]),
    ("U.S.", [.isASCII, .isTitle, .isUpper]),
    ("NATO", [.isAlpha, .isASCII, .isUpper]),
    ("McDonald", [.isAlpha, .isASCII]),
    ("minister", [.isAlpha, .isASCII, .isLower]),
    ("2,000", [.isASCII, .likeNum]),
    ("15", [.isASCII, .isDigit, .likeNum]),
    ("3/4", [.isASCII, .likeNum]),
    ("-1.5", [.isASCII, .likeNum]),
    ("21st", [.isASCII, .isLower, .likeNum]),
    ("Ten", [.isAlpha, .isASCII, .isTitle, .likeNum]),
    ("third", [.isAlpha, .isASCII, .isLower, .likeNum]),
    (",", [.isASCII, .isPunct]),
    ("(", [.isASCII, .isPunct, .isBracket]),
    ("“", [.isPunct, .isQuote]),
    ("$", [.isASCII, .isCurrency]),
    ("€", [.isCurrency]),
    ("Київ", [.isAlpha, .isTitle]),
    ("北京", [.isAlpha]),
    ("٣", [.isDigit, .likeNum]),
  ])
  func flagsFollowPythonStringPredicates(text: String, expected: [TokenFlag]) {
    #expect(flags(text) == Set(expected))
  }

  @Test(arguments: [
    ("Lavrov", "Xxxxx"), ("U.S.", "X.X."), ("2,000", "d,ddd"), ("NATO", "XXXX"),
    ("COVID-19", "XXXX-dd"),
    ("Київ", "Xxxx"),
  ])
  func shapesFollowSpaCy(text: String, shape: String) {
    #expect(LexicalAttributes.shape(text) == shape)
  }
}
