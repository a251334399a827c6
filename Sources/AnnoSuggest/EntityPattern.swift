import AnnoCore

/// A rule that proposes an entity label, as a line of a spaCy EntityRuler or Prodigy pattern
/// file.
///
/// A phrase pattern (`{"label": "ORG", "pattern": "NATO"}`) is tokenized with Anno's
/// tokenizer and matches the same token texts; a token pattern
/// (`{"label": "PER", "pattern": [{"lower": "sergei"}, {"lower": "lavrov"}]}`) matches
/// tokens one description at a time, with spaCy's Matcher operators.
public struct EntityPattern: Hashable, Sendable {
  /// What a pattern matches.
  public enum Body: Hashable, Sendable {
    /// A text whose tokens must appear in sequence.
    case phrase(String)
    /// A sequence of token descriptions.
    case tokens([TokenSpec])
  }

  /// The entity label proposed for a match.
  public var label: String
  /// What the pattern matches.
  public var body: Body
  /// The pattern's `id` (spaCy's `ent_id_`), if it has one.
  public var id: String?
  /// The 1-based line of the pattern file it was read from, if any.
  public var line: Int?

  /// Creates a pattern.
  public init(label: String, body: Body, id: String? = nil, line: Int? = nil) {
    self.label = label
    self.body = body
    self.id = id
    self.line = line
  }

  /// A phrase pattern.
  public static func phrase(_ text: String, label: String, id: String? = nil) -> EntityPattern {
    EntityPattern(label: label, body: .phrase(text), id: id)
  }

  /// A token pattern.
  public static func tokens(_ specs: [TokenSpec], label: String, id: String? = nil) -> EntityPattern
  {
    EntityPattern(label: label, body: .tokens(specs), id: id)
  }
}

/// One token description of a token pattern: constraints that must all hold, and how many
/// tokens in a row it covers.
public struct TokenSpec: Hashable, Sendable {
  /// Tests that must all hold of the token; none matches any token (spaCy's `{}`).
  public var constraints: [TokenConstraint]
  /// How many tokens in a row the description covers (spaCy's `OP`).
  public var quantifier: TokenQuantifier

  /// Creates a token description.
  public init(_ constraints: [TokenConstraint], quantifier: TokenQuantifier = .one) {
    self.constraints = constraints
    self.quantifier = quantifier
  }
}

/// spaCy's Matcher operators (`OP`).
public enum TokenQuantifier: String, Hashable, Sendable, CaseIterable {
  /// Exactly one matching token (`1`, the default).
  case one = "1"
  /// Zero or one matching token (`?`).
  case zeroOrOne = "?"
  /// Any number of matching tokens (`*`).
  case zeroOrMore = "*"
  /// At least one matching token (`+`).
  case oneOrMore = "+"
  /// Exactly one token that does not match (`!`).
  case not = "!"
}

/// A test on one token, after one key of a spaCy token description.
public enum TokenConstraint: Hashable, Sendable {
  /// The verbatim text (`ORTH`, `TEXT`).
  case text(StringTest)
  /// The lower-cased text (`LOWER`).
  case lower(StringTest)
  /// spaCy's word shape (`SHAPE`): `Xxxxx`, `dd`, `X.X.`.
  case shape(StringTest)
  /// The length in code points (`LENGTH`).
  case length(IntegerTest)
  /// A lexical flag (`IS_TITLE`, `LIKE_NUM`, ...) and the value it must have.
  case flag(TokenFlag, Bool)
}

/// A test on a string attribute of a token.
public enum StringTest: Hashable, Sendable {
  /// The attribute equals the string.
  case equals(String)
  /// The attribute is one of the strings (`IN`).
  case isIn([String])
  /// The attribute is none of the strings (`NOT_IN`).
  case isNotIn([String])
}

/// A test on an integer attribute of a token.
public enum IntegerTest: Hashable, Sendable {
  /// The attribute compares with the integer as given (`==`, `!=`, `>=`, `<=`, `>`, `<`).
  case compare(IntegerComparison, Int)
  /// The attribute is one of the integers (`IN`).
  case isIn([Int])
  /// The attribute is none of the integers (`NOT_IN`).
  case isNotIn([Int])
}

/// A comparison of spaCy's integer predicates.
public enum IntegerComparison: String, Hashable, Sendable, CaseIterable {
  case equal = "=="
  case notEqual = "!="
  case atLeast = ">="
  case atMost = "<="
  case greater = ">"
  case less = "<"

  /// Whether `value` compares with `bound` this way.
  public func holds(_ value: Int, _ bound: Int) -> Bool {
    switch self {
    case .equal: value == bound
    case .notEqual: value != bound
    case .atLeast: value >= bound
    case .atMost: value <= bound
    case .greater: value > bound
    case .less: value < bound
    }
  }
}

/// A lexical flag of a token, as spaCy's `Lexeme` attributes of the same names.
///
/// Raw values are spaCy's attribute names.
public enum TokenFlag: String, Hashable, Sendable, CaseIterable {
  /// Every character is a letter (Python's `str.isalpha`).
  case isAlpha = "IS_ALPHA"
  /// Every character is ASCII.
  case isASCII = "IS_ASCII"
  /// Every character is a digit (Python's `str.isdigit`).
  case isDigit = "IS_DIGIT"
  /// Has cased characters, all lower-case (Python's `str.islower`).
  case isLower = "IS_LOWER"
  /// Has cased characters, all upper-case (Python's `str.isupper`).
  case isUpper = "IS_UPPER"
  /// Title case (Python's `str.istitle`): `Lavrov`, `U.S.`.
  case isTitle = "IS_TITLE"
  /// Every character is punctuation (Unicode category P*).
  case isPunct = "IS_PUNCT"
  /// The token is whitespace; never true of matched tokens, which skip whitespace.
  case isSpace = "IS_SPACE"
  /// A bracket: `(`, `)`, `[`, `]`, `{`, `}`, `<`, `>`.
  case isBracket = "IS_BRACKET"
  /// A quotation mark.
  case isQuote = "IS_QUOTE"
  /// A currency symbol (Unicode category Sc).
  case isCurrency = "IS_CURRENCY"
  /// Looks like a number: `12`, `1,000.5`, `3/4`, `ten`, `21st`, `third` (English).
  case likeNum = "LIKE_NUM"

  /// The flag's bit in a token's flag set.
  package var bit: UInt32 { 1 << UInt32(Self.allCases.firstIndex(of: self) ?? 0) }
}
