extension SpanStudy {
  /// Krippendorff's unitizing α_u for one label, on the concatenated documents.
  ///
  /// After Krippendorff (1995, "On the reliability of unitizing continuous data") in the form
  /// of *Content Analysis* (2nd ed., 2004, §12.4) and "Measuring the reliability of
  /// qualitative text analysis data" (2004). Each annotator's spans of `label` cut the
  /// continuum into units and gaps; D_o sums the squared boundary differences of overlapping
  /// units, and the squared length of a unit lying inside the other annotator's gap, over all
  /// pairs of annotators; D_e is the disagreement expected over all ways to place the same
  /// units and gaps (see `Unitizing.expectedDisagreement`). α_u = 1 − D_o / D_e.
  ///
  /// Documents are concatenated, in order, into one continuum of length Σ `length`, so a gap
  /// may run across a document boundary. Any number of annotators ≥ 2.
  ///
  /// - Returns: α_u, undefined when there are fewer than two annotators, the continuum is
  ///   empty, an annotator's spans of `label` overlap each other (α_u needs a partition), or
  ///   nobody marked `label` (D_e = 0).
  /// - Precondition: `label` is declared.
  /// - Complexity: as ``unitizingAlphas()``.
  public func unitizingAlpha(label: String) -> UnitizingAlpha {
    unitizingAlphas().byLabel[index(label)]
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
  /// ``unitizingAlpha()`` and ``unitizingAlpha(label:)``, from one pass over the documents
  /// (see ``UnitizingAccumulator``).
  ///
  /// - Complexity: O(*s* + *L*·*d*) for *s* spans, *L* labels and *d* documents.
  public func unitizingAlphas() -> (overall: UnitizingAlpha, byLabel: [UnitizingAlpha]) {
    var accumulator = UnitizingAccumulator(labelCount: labels.count, coderCount: annotatorCount)
    for document in documents {
      accumulator.add(
        length: document.length,
        spans: document.annotations.map { spans in
          spans.map { IndexedSpan(start: $0.start, end: $0.end, label: index($0.label)) }
        })
    }
    return accumulator.alphas(labels: labels)
  }
}
