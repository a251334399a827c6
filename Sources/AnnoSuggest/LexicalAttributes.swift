import AnnoCore

/// spaCy's lexical attributes (`spacy/lang/lex_attrs.py`, English `like_num`), computed from a
/// token's scalars with Python's `str` semantics.
package enum LexicalAttributes {
  /// The set of `TokenFlag` bits that hold for a token.
  ///
  /// - Parameters:
  ///   - scalars: the token's text.
  ///   - lower: the token's lower-cased text (for `LIKE_NUM`).
  /// - Returns: the `TokenFlag.bit`s of the flags that hold.
  package static func flags(
    _ scalars: ArraySlice<Unicode.Scalar>, lower: ArraySlice<Unicode.Scalar>
  ) -> UInt32 {
    var flags: UInt32 = 0
    func set(_ flag: TokenFlag, _ holds: Bool) {
      if holds { flags |= flag.bit }
    }
    if let ascii = asciiFlags(scalars) {
      flags = ascii
    } else {
      set(.isAlpha, !scalars.isEmpty && scalars.allSatisfy(isLetter))
      set(.isDigit, isDigits(scalars))
      set(.isLower, isLower(scalars))
      set(.isUpper, isUpper(scalars))
      set(.isTitle, isTitle(scalars))
      set(.isPunct, !scalars.isEmpty && scalars.allSatisfy(isPunctuation))
      set(.isSpace, !scalars.isEmpty && scalars.allSatisfy(\.properties.isWhitespace))
      set(
        .isCurrency,
        !scalars.isEmpty && scalars.allSatisfy { $0.properties.generalCategory == .currencySymbol })
    }
    if scalars.count <= 2 {
      let text = String(String.UnicodeScalarView(scalars))
      set(.isBracket, brackets.contains(text))
      set(.isQuote, quotes.contains(text))
    }
    set(.likeNum, likeNumber(lower))
    return flags
  }

  // MARK: - ASCII

  private static let asciiLetter: UInt8 = 1
  private static let asciiUpper: UInt8 = 2
  private static let asciiLower: UInt8 = 4
  private static let asciiDigit: UInt8 = 8
  private static let asciiPunct: UInt8 = 16
  private static let asciiSpace: UInt8 = 32
  private static let asciiCurrency: UInt8 = 64
  /// Character classes of the ASCII scalars, as Unicode gives them.
  private static let asciiClasses: [UInt8] = (0..<128).map { value in
    let scalar = Unicode.Scalar(UInt8(value))
    var classes: UInt8 = 0
    if isLetter(scalar) { classes |= asciiLetter }
    if scalar.properties.isUppercase { classes |= asciiUpper }
    if scalar.properties.isLowercase { classes |= asciiLower }
    if isDigit(scalar) { classes |= asciiDigit }
    if isPunctuation(scalar) { classes |= asciiPunct }
    if scalar.properties.isWhitespace { classes |= asciiSpace }
    if scalar.properties.generalCategory == .currencySymbol { classes |= asciiCurrency }
    return classes
  }

  /// The flags other than brackets, quotes and `LIKE_NUM` of an all-ASCII token, or `nil`.
  private static func asciiFlags(_ scalars: ArraySlice<Unicode.Scalar>) -> UInt32? {
    guard !scalars.isEmpty else { return nil }
    var all: UInt8 = 0xFF
    var any: UInt8 = 0
    var isTitle = true
    var previousIsCased = false
    for scalar in scalars {
      guard scalar.value < 128 else { return nil }
      let classes = asciiClasses[Int(scalar.value)]
      all &= classes
      any |= classes
      if classes & asciiUpper != 0 {
        if previousIsCased { isTitle = false }
        previousIsCased = true
      } else if classes & asciiLower != 0 {
        if !previousIsCased { isTitle = false }
        previousIsCased = true
      } else {
        previousIsCased = false
      }
    }
    var flags = TokenFlag.isASCII.bit
    if all & asciiLetter != 0 { flags |= TokenFlag.isAlpha.bit }
    if all & asciiDigit != 0 { flags |= TokenFlag.isDigit.bit }
    if all & asciiPunct != 0 { flags |= TokenFlag.isPunct.bit }
    if all & asciiSpace != 0 { flags |= TokenFlag.isSpace.bit }
    if all & asciiCurrency != 0 { flags |= TokenFlag.isCurrency.bit }
    let isCased = any & (asciiUpper | asciiLower) != 0
    if isCased, any & asciiUpper == 0 { flags |= TokenFlag.isLower.bit }
    if isCased, any & asciiLower == 0 { flags |= TokenFlag.isUpper.bit }
    if isCased, isTitle { flags |= TokenFlag.isTitle.bit }
    return flags
  }

  /// spaCy's `word_shape`: letters become `X`/`x`, digits `d`, runs cut after four.
  ///
  /// - Parameters:
  ///   - scalars: the token's text.
  ///   - shape: receives the shape, replacing what it held.
  package static func shape(
    _ scalars: ArraySlice<Unicode.Scalar>, into shape: inout [Unicode.Scalar]
  ) {
    shape.removeAll(keepingCapacity: true)
    guard scalars.count < 100 else {
      shape += "LONG".unicodeScalars
      return
    }
    var last: Unicode.Scalar?
    var run = 0
    for scalar in scalars {
      let mapped: Unicode.Scalar =
        if scalar.value < 128 {
          switch asciiClasses[Int(scalar.value)] {
          case let classes where classes & asciiUpper != 0: "X"
          case let classes where classes & asciiLetter != 0: "x"
          case let classes where classes & asciiDigit != 0: "d"
          default: scalar
          }
        } else if isLetter(scalar) {
          scalar.properties.isUppercase ? "X" : "x"
        } else if isDigit(scalar) {
          "d"
        } else {
          scalar
        }
      if mapped == last {
        run += 1
      } else {
        run = 0
        last = mapped
      }
      if run < 4 { shape.append(mapped) }
    }
  }

  /// The shape of `text`.
  package static func shape(_ text: String) -> String {
    var shape: [Unicode.Scalar] = []
    self.shape(Array(text.unicodeScalars)[...], into: &shape)
    return String(String.UnicodeScalarView(shape))
  }

  static let brackets: Set<String> = ["(", ")", "[", "]", "{", "}", "<", ">"]
  static let quotes: Set<String> = [
    "\"", "'", "`", "«", "»", "‘", "’", "‚", "‛", "“", "”", "„", "‟", "‹", "›", "❮", "❯", "''",
    "``",
  ]
  static let numberWords: Vocabulary = {
    var words = Vocabulary()
    for word in [
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
      "eleven",
      "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
      "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
      "thousand", "million", "billion", "trillion", "quadrillion", "gajillion", "bazillion",
      "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
      "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
      "eighteenth", "nineteenth", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
      "seventieth", "eightieth", "ninetieth", "hundredth", "thousandth", "millionth", "billionth",
      "trillionth", "quadrillionth", "gajillionth", "bazillionth",
    ] {
      _ = words.intern(word)
    }
    return words
  }()

  // MARK: - Python's str predicates

  static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
    default: false
    }
  }

  static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.numericType {
    case .decimal?, .digit?: true
    default: false
    }
  }

  static func isDigits(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
    !scalars.isEmpty && scalars.allSatisfy(isDigit)
  }

  static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation:
      true
    default: false
    }
  }

  static func isTitlecase(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.generalCategory == .titlecaseLetter
  }

  static func isLower(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
    var isCased = false
    for scalar in scalars {
      if scalar.properties.isUppercase || isTitlecase(scalar) { return false }
      if scalar.properties.isLowercase { isCased = true }
    }
    return isCased
  }

  static func isUpper(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
    var isCased = false
    for scalar in scalars {
      if scalar.properties.isLowercase || isTitlecase(scalar) { return false }
      if scalar.properties.isUppercase { isCased = true }
    }
    return isCased
  }

  /// Python's `str.istitle`: upper-case only after uncased characters, lower-case only after
  /// cased ones.
  static func isTitle(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
    var isCased = false
    var previousIsCased = false
    for scalar in scalars {
      if scalar.properties.isUppercase || isTitlecase(scalar) {
        if previousIsCased { return false }
        previousIsCased = true
        isCased = true
      } else if scalar.properties.isLowercase {
        if !previousIsCased { return false }
        previousIsCased = true
        isCased = true
      } else {
        previousIsCased = false
      }
    }
    return isCased
  }

  /// spaCy's English `like_num`, given the lower-cased text.
  static func likeNumber(_ lower: ArraySlice<Unicode.Scalar>) -> Bool {
    var body = lower
    if let first = body.first, ["+", "-", "±", "~"].contains(first) { body = body.dropFirst() }
    let stripped =
      body.contains { $0 == "," || $0 == "." } ? body.filter { $0 != "," && $0 != "." }[...] : body
    guard let first = stripped.first else { return false }
    if isDigit(first) {
      if isDigits(stripped) { return true }
      if let slash = stripped.firstIndex(of: "/"), stripped.lastIndex(of: "/") == slash,
        isDigits(stripped[..<slash]), isDigits(stripped[(slash + 1)...])
      {
        return true
      }
      // Ordinals: 1st, 22nd, 103rd, 4th.
      guard stripped.count > 2 else { return false }
      let suffix = stripped.suffix(2)
      let isOrdinal = ["st", "nd", "rd", "th"].contains { $0.unicodeScalars.elementsEqual(suffix) }
      return isOrdinal && isDigits(stripped.dropLast(2))
    }
    return numberWords.id(stripped) != Vocabulary.unknown
  }
}
