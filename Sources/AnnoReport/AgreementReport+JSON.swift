import AnnoAgreement
import AnnoCore

extension AgreementReport {
  /// The report as one JSON value: sorted keys when written, full precision, every pair.
  ///
  /// Measures are a flat object per section under keys `NAME`, `NAME@A,B`, `NAME#LABEL` or
  /// `NAME@A,B#LABEL`; an undefined measure is `null` and its reason sits under the same key
  /// in the section's `reasons` (and in the top-level `reasons`, by section).
  public var json: JSONValue {
    var sectionsObject: [String: JSONValue] = [:]
    var reasons: [String: JSONValue] = [:]
    var confusionsObject: [String: JSONValue] = [:]
    for section in sections {
      var json = section.json
      if let caution = AgreementRenderer.caution(section, in: self), case .object(var o) = json {
        o["caution"] = .string(caution)
        json = .object(o)
      }
      sectionsObject[section.name] = json
      if let sectionReasons = json["reasons"], sectionReasons.objectValue?.isEmpty == false {
        reasons[section.name] = sectionReasons
      }
      var byPair: [String: JSONValue] = [:]
      for confusion in section.confusions {
        byPair[confusion.pair.key] = .object([
          "categories": .array(confusion.categories.map { $0.map(JSONValue.string) ?? .null }),
          "counts": .array(confusion.counts.map { .array($0.map { .int(Int64($0)) }) }),
        ])
      }
      confusionsObject[section.name] = .object(byPair)
    }
    var majority: [String: JSONValue] = [:]
    for comparison in againstMajority {
      var measures: [String: JSONValue] = ["units": .int(Int64(comparison.units))]
      var why: [String: JSONValue] = [:]
      for (key, measure) in [
        ("cohen_kappa", comparison.kappa), ("percent_agreement", comparison.percentAgreement),
      ] {
        measures[key] = measure.json
        if let reason = measure.reason { why[key] = .string(reason) }
      }
      if !why.isEmpty { measures["reasons"] = .object(why) }
      var byAnnotator = majority[comparison.annotator]?.objectValue ?? [:]
      byAnnotator[comparison.section] = .object(measures)
      majority[comparison.annotator] = .object(byAnnotator)
    }
    var object: [String: JSONValue] = [
      "version": .int(1),
      "annotators": .array(annotators.map(JSONValue.string)),
      "documents": .int(Int64(documents)),
      "selection": .array(selection.map(JSONValue.string)),
      "sections": .object(sectionsObject),
      "disagreements": .array(
        disagreements.enumerated().map { rank, item in
          .object([
            "rank": .int(Int64(rank + 1)),
            "document": .string(item.documentID),
            "score": .int(Int64(item.score)),
            "differences": .array(
              item.differences.map {
                .object(["section": .string($0.section), "description": .string($0.description)])
              }),
          ])
        }),
      "confusions": .object(confusionsObject),
      "against_majority": .object(majority),
      "reasons": .object(reasons),
      "notes": .array(notes.map(JSONValue.string)),
    ]
    if let sharedDocuments { object["shared_documents"] = .int(Int64(sharedDocuments)) }
    if let caution = AgreementRenderer.caution(self) { object["caution"] = .string(caution) }
    if let schema {
      var entry: [String: JSONValue] = [
        "name": .string(schema.name), "version": .int(Int64(schema.version)),
      ]
      if let guidelines = schema.guidelines { entry["guidelines_sha256"] = .string(guidelines) }
      object["schema"] = .object(entry)
    }
    if let bootstrap {
      var intervals: [String: JSONValue] = [:]
      for section in sections {
        var byKey: [String: JSONValue] = [:]
        for measure in section.measures {
          guard let interval = measure.interval else { continue }
          var entry: [String: JSONValue] = [
            "lower": interval.lower.json, "upper": interval.upper.json,
            "defined_replicates": .int(Int64(interval.definedReplicates)),
            "undefined_replicates": .int(Int64(interval.undefinedReplicates)),
          ]
          if let reason = interval.lower.reason {
            entry["reasons"] = .object(["lower": .string(reason), "upper": .string(reason)])
          }
          byKey[measure.key.description] = .object(entry)
        }
        if !byKey.isEmpty { intervals[section.name] = .object(byKey) }
      }
      object["bootstrap"] = .object([
        "replicates": .int(Int64(bootstrap.replicates)),
        "seed": Int64(exactly: bootstrap.seed).map(JSONValue.int)
          ?? .string(String(bootstrap.seed)),
        "confidence_level": .double(bootstrap.confidenceLevel),
        "intervals": .object(intervals),
      ])
    }
    return .object(object)
  }

  /// The report as one line of JSON, with a final newline.
  public var jsonText: String { JSONWriter.string(for: json) + "\n" }
}

extension AgreementSection {
  /// The section as JSON: kind, level, categories, unit counts, measures and their reasons.
  var json: JSONValue {
    var measuresObject: [String: JSONValue] = [:]
    var reasons: [String: JSONValue] = [:]
    var interpretations: [String: JSONValue] = [:]
    for measure in measures {
      let key = measure.key.description
      measuresObject[key] = measure.value.json
      if let reason = measure.value.reason { reasons[key] = .string(reason) }
      if let reading = AgreementRenderer.interpretation(
        measure.value, scale: measure.key.name.scale)
      {
        interpretations[key] = .string(reading)
      }
    }
    var object: [String: JSONValue] = [
      "categories": .array(categories.map(JSONValue.string)),
      "units": .int(Int64(units)),
      "pairable_units": .int(Int64(pairableUnits)),
      "documents": .int(Int64(documents)),
      "measures": .object(measuresObject),
      "reasons": .object(reasons),
      "interpretations": .object(interpretations),
    ]
    switch kind {
    case .document(let level):
      object["kind"] = .string("document")
      object["level"] = .string(level.rawValue)
    case .spans:
      object["kind"] = .string("spans")
      object["counts"] = .object(counts.mapValues { .int(Int64($0)) })
    }
    return .object(object)
  }
}

extension Measure {
  /// The value as a JSON number at full precision, or `null` when undefined.
  var json: JSONValue { value.map(JSONValue.double) ?? .null }
}
