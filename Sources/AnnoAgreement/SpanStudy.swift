/// Several annotators' entity spans over the same documents, with the schema's declared labels.
///
/// The span measures live in extensions: pairwise F1 (`SpanStudy+Matching.swift`), label
/// confusion (`SpanStudy+Confusion.swift`), κ and α over IOB2 token tags
/// (`SpanStudy+Tokens.swift`) and Krippendorff's unitizing α (`SpanStudy+Unitizing.swift`).
public struct SpanStudy: Sendable {
  /// The declared labels, in order.
  public let labels: [String]
  /// The number of annotators.
  public let annotatorCount: Int
  /// The documents, in the order added.
  public private(set) var documents: [SpanDocument] = []
  let labelIndex: [String: Int]

  /// Creates an empty study of `annotatorCount` annotators and the declared `labels`.
  ///
  /// - Precondition: labels are distinct; `annotatorCount ≥ 1`.
  public init(labels: [String], annotatorCount: Int) {
    precondition(annotatorCount >= 1, "a span study needs at least one annotator")
    var index: [String: Int] = [:]
    for (i, label) in labels.enumerated() {
      precondition(index[label] == nil, "label \(label) is declared twice")
      index[label] = i
    }
    self.labels = labels
    self.annotatorCount = annotatorCount
    self.labelIndex = index
  }

  /// Appends a document.
  ///
  /// - Precondition: it has one span list per annotator, and every label is declared.
  public mutating func append(_ document: SpanDocument) {
    precondition(
      document.annotations.count == annotatorCount,
      "a document has \(document.annotations.count) annotators but the study has \(annotatorCount)")
    for spans in document.annotations {
      for span in spans {
        precondition(labelIndex[span.label] != nil, "label \(span.label) is not declared")
      }
    }
    documents.append(document)
  }

  func checkPair(_ a: Int, _ b: Int) {
    precondition(a != b, "a pair needs two different annotators, got \(a) twice")
    precondition(
      (0..<annotatorCount).contains(a) && (0..<annotatorCount).contains(b),
      "annotator index out of 0..<\(annotatorCount)")
  }
}

/// How two annotators' spans are paired.
public enum SpanMatching: String, Sendable, Hashable, CaseIterable {
  /// Same start and end (and, for F1, the same label).
  case exact
  /// At least one shared offset (and, for F1, the same label).
  case overlap
}
