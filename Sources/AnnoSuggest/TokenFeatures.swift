import AnnoCore

/// The attributes token patterns test, for every matchable token of one document, as
/// identifiers of one matcher's vocabulary.
struct TokenFeatures {
  var count: Int
  var textIDs: [Int32]
  var lowerIDs: [Int32]
  /// Empty unless some pattern tests `SHAPE`.
  var shapeIDs: [Int32] = []
  /// Empty unless some pattern tests a flag.
  var flags: [UInt32] = []
  var lengths: [Int32]

  /// Computes the features `vocabulary` can tell apart; strings it lacks get
  /// `Vocabulary.unknown`, which equals no pattern string.
  init(_ document: MatchableTokens, vocabulary: Vocabulary, needsShape: Bool, needsFlags: Bool) {
    count = document.count
    textIDs = [Int32](repeating: Vocabulary.unknown, count: count)
    lowerIDs = [Int32](repeating: Vocabulary.unknown, count: count)
    lengths = [Int32](repeating: 0, count: count)
    if needsShape { shapeIDs = [Int32](repeating: Vocabulary.unknown, count: count) }
    if needsFlags { flags = [UInt32](repeating: 0, count: count) }
    var lower: [Unicode.Scalar] = []
    var shape: [Unicode.Scalar] = []
    for index in 0..<count {
      let scalars = document.scalars(of: index)
      let textID = vocabulary.id(scalars)
      textIDs[index] = textID
      lengths[index] = Int32(scalars.count)
      // NB: most tokens are lower-case ASCII already; they skip lower-casing and a lookup.
      let isLowered = Self.lowercase(scalars, into: &lower)
      lowerIDs[index] = isLowered ? textID : vocabulary.id(lower[...])
      if needsShape {
        LexicalAttributes.shape(scalars, into: &shape)
        shapeIDs[index] = vocabulary.id(shape[...])
      }
      if needsFlags {
        flags[index] = LexicalAttributes.flags(scalars, lower: isLowered ? scalars : lower[...])
      }
    }
  }

  /// Writes the lower-cased `scalars` into `lower`, unless they are lower-case already.
  ///
  /// - Returns: whether `scalars` were lower-case already (and `lower` was left alone).
  private static func lowercase(
    _ scalars: ArraySlice<Unicode.Scalar>, into lower: inout [Unicode.Scalar]
  ) -> Bool {
    var isASCII = true
    var hasUpper = false
    for scalar in scalars {
      if scalar.value >= 0x80 {
        isASCII = false
        break
      }
      if scalar.value >= 0x41 && scalar.value <= 0x5A { hasUpper = true }
    }
    if isASCII {
      guard hasUpper else { return true }
      lower.removeAll(keepingCapacity: true)
      for scalar in scalars {
        let value = scalar.value
        lower.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(UInt8(value + 0x20)) : scalar)
      }
      return false
    }
    lower.removeAll(keepingCapacity: true)
    lower += String(String.UnicodeScalarView(scalars)).lowercased().unicodeScalars
    return false
  }
}
