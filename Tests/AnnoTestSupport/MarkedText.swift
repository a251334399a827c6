import AnnoCore

/// A text with entity spans written inline, for readable span fixtures.
///
/// `⟦PER Ada Lovelace⟧ wrote the ⟦MISC Notes⟧.` is the text `Ada Lovelace wrote the Notes.`
/// with a PER span over `Ada Lovelace` and a MISC span over `Notes`, in code point offsets.
/// Spans may nest: `⟦ORG ⟦LOC Paris⟧ Saint-Germain⟧`.
public struct MarkedText {
  /// The text without markers.
  public let text: String
  /// The marked spans, sorted.
  public let spans: [EntitySpan]

  /// Parses marked text.
  ///
  /// - Throws: `MarkedTextError` for an unbalanced marker or a marker without a label.
  public init(_ marked: String) throws {
    var scalars: [Unicode.Scalar] = []
    var open: [(start: Int, label: String)] = []
    var spans: [EntitySpan] = []
    var iterator = Array(marked.unicodeScalars)[...]
    while let scalar = iterator.popFirst() {
      switch scalar {
      case "⟦":
        var label = ""
        while let next = iterator.popFirst(), next != " " { label.unicodeScalars.append(next) }
        guard !label.isEmpty else { throw MarkedTextError(message: "a ⟦ without a label") }
        open.append((scalars.count, label))
      case "⟧":
        guard let last = open.popLast() else { throw MarkedTextError(message: "a ⟧ without its ⟦") }
        spans.append(EntitySpan(start: last.start, end: scalars.count, label: last.label))
      default:
        scalars.append(scalar)
      }
    }
    guard open.isEmpty else { throw MarkedTextError(message: "a ⟦ that is never closed") }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    text = String(view)
    self.spans = spans.sorted()
  }
}

/// A malformed marked text.
public struct MarkedTextError: Error, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  public var description: String { message }
}
