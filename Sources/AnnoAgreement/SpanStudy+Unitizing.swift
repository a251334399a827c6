extension SpanStudy {
  /// Krippendorff's unitizing α_u for one label, on the concatenated documents.
  ///
  /// After Krippendorff (1995, "On the reliability of unitizing continuous data") in the form
  /// of *Content Analysis* (2nd ed., 2004, §12.4) and "Measuring the reliability of
  /// qualitative text analysis data" (2004). Each annotator's spans of `label` cut the
  /// continuum into units and gaps; D_o sums the squared boundary differences of overlapping
  /// units, and the squared length of a unit lying inside the other annotator's gap, over all
  /// pairs of annotators; D_e is the disagreement expected over all ways to place the same
  /// units and gaps (see `Unitizing.disagreements`). α_u = 1 − D_o / D_e.
  ///
  /// Documents are concatenated, in order, into one continuum of length Σ `length`, so a gap
  /// may run across a document boundary. Any number of annotators ≥ 2.
  ///
  /// - Returns: α_u, undefined when there are fewer than two annotators, the continuum is
  ///   empty, an annotator's spans of `label` overlap each other (α_u needs a partition), or
  ///   nobody marked `label` (D_e = 0).
  /// - Precondition: `label` is declared.
  /// - Complexity: O(*s* log *s*) for *s* spans of the label.
  public func unitizingAlpha(label: String) -> UnitizingAlpha {
    let l = index(label)
    switch continuumLength() {
    case .failure(let failure): return .undefined(failure.message)
    case .success(let length):
      switch SectionsByLabel(of: self, length: length).take(label: l) {
      case .failure(let failure): return .undefined(failure.message)
      case .success(let coders):
        let d = Unitizing.disagreements(coders, length: length)
        return UnitizingAlpha(observed: d.observed, expected: d.expected, undefinedReason: "no annotator marked \(label)")
      }
    }
  }

  /// Krippendorff's unitizing α_u over all labels: 1 − Σ_c D_o(c) / Σ_c D_e(c).
  ///
  /// This is Krippendorff's (2004) α_u for all categories at once; with one label it equals
  /// ``unitizingAlpha(label:)``. Spans of different labels may overlap.
  ///
  /// - Returns: α_u, undefined as for one label, or when nobody marked any span.
  public func unitizingAlpha() -> UnitizingAlpha {
    unitizingAlphas().overall
  }

  /// α_u over all labels and for each label (in `labels` order), the same values as
  /// ``unitizingAlpha()`` and ``unitizingAlpha(label:)``, with each label's disagreements
  /// computed once and every span's label looked up once.
  ///
  /// - Complexity: O(*L* · *s* + *s* log *s*) for *L* labels and *s* spans.
  public func unitizingAlphas() -> (overall: UnitizingAlpha, byLabel: [UnitizingAlpha]) {
    let length: Int
    switch continuumLength() {
    case .failure(let failure):
      let undefined = UnitizingAlpha.undefined(failure.message)
      return (undefined, Array(repeating: undefined, count: labels.count))
    case .success(let total): length = total
    }
    let sections = SectionsByLabel(of: self, length: length)
    var byLabel: [UnitizingAlpha] = []
    var observed = 0.0, expected = 0.0
    var overallFailure: UnitizingFailure?
    for (l, label) in labels.enumerated() {
      // NB: one label's sections at a time, released once its disagreements are summed.
      switch sections.take(label: l) {
      case .failure(let failure):
        overallFailure = overallFailure ?? failure
        byLabel.append(.undefined(failure.message))
      case .success(let coders):
        let d = Unitizing.disagreements(coders, length: length)
        observed += d.observed
        expected += d.expected
        byLabel.append(UnitizingAlpha(observed: d.observed, expected: d.expected, undefinedReason: "no annotator marked \(label)"))
      }
    }
    if let overallFailure { return (.undefined(overallFailure.message), byLabel) }
    return (UnitizingAlpha(observed: observed, expected: expected, undefinedReason: "no annotator marked a span"), byLabel)
  }

  /// The length of the concatenated documents, or why α_u cannot be computed at all.
  private func continuumLength() -> Result<Int, UnitizingFailure> {
    guard annotatorCount >= 2 else { return .failure(UnitizingFailure("fewer than two annotators")) }
    let length = documents.reduce(0) { $0 + $1.length }
    guard length > 0 else { return .failure(UnitizingFailure("the documents are empty")) }
    return .success(length)
  }
}

/// Each label's sections, per annotator, for a study's documents: the annotator's spans of
/// the label cut the continuum (the documents concatenated) into units and the gaps between
/// them. A label whose annotator has overlapping spans of it (α_u needs a partition) gives
/// the failure of its first such annotator, at the first document where it happens.
///
/// Every span's label index is looked up once, so each label's pass over the documents
/// compares integers rather than names; one label's sections exist at a time.
private struct SectionsByLabel {
  let study: SpanStudy
  let length: Int
  /// The label index of every span, in document, annotator, span order.
  private let labelOfSpan: [Int32]

  init(of study: SpanStudy, length: Int) {
    self.study = study
    self.length = length
    var labelOfSpan: [Int32] = []
    for document in study.documents {
      for spans in document.annotations {
        for span in spans {
          guard let l = study.labelIndex[span.label] else { preconditionFailure("label \(span.label) is not declared") }
          labelOfSpan.append(Int32(l))
        }
      }
    }
    self.labelOfSpan = labelOfSpan
  }

  /// Label `l`'s sections, one list per annotator.
  func take(label l: Int) -> Result<[[Section]], UnitizingFailure> {
    let annotatorCount = study.annotatorCount
    let label = Int32(l)
    var coders = [[Section]](repeating: [], count: annotatorCount)
    var positions = [Int](repeating: 0, count: annotatorCount)
    var failures = [UnitizingFailure?](repeating: nil, count: annotatorCount)
    var offset = 0
    var s = 0
    for (d, document) in study.documents.enumerated() {
      for annotator in 0..<annotatorCount {
        for span in document.annotations[annotator] {
          defer { s += 1 }
          guard labelOfSpan[s] == label, failures[annotator] == nil else { continue }
          let start = offset + span.start, end = offset + span.end
          guard start >= positions[annotator] else {
            failures[annotator] = UnitizingFailure(
              "annotator \(annotator) has overlapping \(span.label) spans in document \(d)")
            continue
          }
          if start > positions[annotator] {
            coders[annotator].append(Section(start: positions[annotator], end: start, isUnit: false))
          }
          coders[annotator].append(Section(start: start, end: end, isUnit: true))
          positions[annotator] = end
        }
      }
      offset += document.length
    }
    if let failure = failures.lazy.compactMap({ $0 }).first { return .failure(failure) }
    for annotator in 0..<annotatorCount where positions[annotator] < length {
      coders[annotator].append(Section(start: positions[annotator], end: length, isUnit: false))
    }
    return .success(coders)
  }
}

private struct UnitizingFailure: Error {
  var message: String
  init(_ message: String) { self.message = message }
}
