/// A text to annotate, stored exactly as it was imported.
///
/// Offsets into `text` count Unicode scalars (code points), the unit Python string indices
/// use. Line endings are kept as they were (CRLF included) so offsets computed by any tool
/// on the original text stay valid.
public struct Document: Hashable, Sendable {
  /// The external, user-facing identifier; unique in a store.
  public var externalID: ExternalID
  /// The full text, byte for byte as imported.
  public var text: String
  /// An optional human title.
  public var title: String?
  /// Where the text came from (a file path, a URL, a feed name).
  public var source: String?
  /// Free metadata, a JSON object.
  public var meta: [String: JSONValue]?
  /// An explicit tokenization given by the importer; when present it replaces the built-in
  /// tokenizer for this document.
  public var tokens: [Token]?

  /// Creates a document.
  public init(
    externalID: ExternalID, text: String, title: String? = nil, source: String? = nil,
    meta: [String: JSONValue]? = nil, tokens: [Token]? = nil
  ) {
    self.externalID = externalID
    self.text = text
    self.title = title
    self.source = source
    self.meta = meta
    self.tokens = tokens
  }

  /// The SHA-256 of the text's UTF-8 bytes, as lower-case hex.
  public var contentHash: String {
    var text = text
    return text.withUTF8 { SHA256.hexDigest(of: $0) }
  }

  /// The length of the text in Unicode scalars.
  public var length: Int { Self.scalarCount(of: text) }

  /// The number of Unicode scalars in `text`: its UTF-8 bytes that start a scalar (not
  /// continuation bytes 10xxxxxx), counted without walking the string's index model.
  public static func scalarCount(of text: String) -> Int {
    var text = text
    return text.withUTF8 { bytes in
      // Eight aligned bytes at a time: a continuation byte has its top bit set and the next
      // one clear.
      let high: UInt64 = 0x8080_8080_8080_8080
      var continuations = 0
      var i = 0
      if let base = bytes.baseAddress.map(UnsafeRawPointer.init) {
        while i < bytes.count && Int(bitPattern: base + i) & 7 != 0 {
          if bytes[i] & 0xC0 == 0x80 { continuations &+= 1 }
          i += 1
        }
        // NB: each byte of `lanes` counts continuation bytes (at most 255 words per round),
        // summed across bytes at the end of a round: no popcount instruction is assumed.
        while i + 8 <= bytes.count {
          var lanes: UInt64 = 0
          var words = 0
          while words < 255 && i + 8 <= bytes.count {
            let word = (base + i).load(as: UInt64.self)
            lanes &+= (word & high & ~(word << 1)) >> 7
            i += 8
            words += 1
          }
          let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ (lanes >> 8 & 0x00FF_00FF_00FF_00FF)
          continuations &+= Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
        }
      }
      while i < bytes.count {
        if bytes[i] & 0xC0 == 0x80 { continuations &+= 1 }
        i += 1
      }
      return bytes.count - continuations
    }
  }
}
