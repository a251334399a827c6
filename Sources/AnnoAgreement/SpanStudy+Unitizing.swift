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
    _ = index(label)
    switch unitizingDisagreements(labels: [label]) {
    case .failure(let reason): return .undefined(reason.message)
    case .success(let d):
      return UnitizingAlpha(
        observed: d.observed, expected: d.expected,
        undefinedReason: "no annotator marked \(label)")
    }
  }

  /// Krippendorff's unitizing α_u over all labels: 1 − Σ_c D_o(c) / Σ_c D_e(c).
  ///
  /// This is Krippendorff's (2004) α_u for all categories at once; with one label it equals
  /// ``unitizingAlpha(label:)``. Spans of different labels may overlap.
  ///
  /// - Returns: α_u, undefined as for one label, or when nobody marked any span.
  public func unitizingAlpha() -> UnitizingAlpha {
    switch unitizingDisagreements(labels: labels) {
    case .failure(let reason): return .undefined(reason.message)
    case .success(let d):
      return UnitizingAlpha(
        observed: d.observed, expected: d.expected, undefinedReason: "no annotator marked a span")
    }
  }

  private func unitizingDisagreements(
    labels chosen: [String]
  ) -> Result<(observed: Double, expected: Double), UnitizingFailure> {
    guard annotatorCount >= 2 else {
      return .failure(UnitizingFailure("fewer than two annotators"))
    }
    let length = documents.reduce(0) { $0 + $1.length }
    guard length > 0 else { return .failure(UnitizingFailure("the documents are empty")) }
    var observed = 0.0, expected = 0.0
    for label in chosen {
      var coders: [[Section]] = []
      for annotator in 0..<annotatorCount {
        switch sections(of: annotator, label: label, length: length) {
        case .success(let s): coders.append(s)
        case .failure(let f): return .failure(f)
        }
      }
      let d = Unitizing.disagreements(coders, length: length)
      observed += d.observed
      expected += d.expected
    }
    return .success((observed, expected))
  }

  private func sections(
    of annotator: Int, label: String, length: Int
  ) -> Result<[Section], UnitizingFailure> {
    var result: [Section] = []
    var offset = 0, position = 0
    for (d, document) in documents.enumerated() {
      for span in document.annotations[annotator] where span.label == label {
        let start = offset + span.start, end = offset + span.end
        guard start >= position else {
          return .failure(
            UnitizingFailure(
              "annotator \(annotator) has overlapping \(label) spans in document \(d)"))
        }
        if start > position { result.append(Section(start: position, end: start, isUnit: false)) }
        result.append(Section(start: start, end: end, isUnit: true))
        position = end
      }
      offset += document.length
    }
    if position < length { result.append(Section(start: position, end: length, isUnit: false)) }
    return .success(result)
  }
}

private struct UnitizingFailure: Error {
  var message: String
  init(_ message: String) { self.message = message }
}
