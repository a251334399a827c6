import Testing

@testable import AnnoStore

/// Annotation rows are read through SQLite's C API, their kind straight from its bytes.
@Suite struct AnnotationKindTests {
  @Test func everyKindIsReadFromItsBytesAndNothingElseIs() {
    func kind(_ text: String) -> AnnotationKind? {
      var text = text
      return text.withUTF8 { AnnotationKind(utf8: $0) }
    }
    for kind_ in AnnotationKind.allCases { #expect(kind(kind_.rawValue) == kind_) }
    // Same length and first byte as a kind, but another word; case and padding matter.
    for text in [
      "entitx", "stancE", "Entity", "labels", "lab", "", "nope", "span_sentimenT", "sentimenx",
      " note",
    ] {
      #expect(kind(text) == nil, "\(text)")
    }
  }

  @Test func everyKindIsBoundAsTheNameItIsStoredUnder() {
    for kind in AnnotationKind.allCases {
      #expect(kind.storedName.description == kind.rawValue)
      #expect(kind.storedName.hasPointerRepresentation)
    }
  }
}
