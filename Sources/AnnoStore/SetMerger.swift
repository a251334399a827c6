import AnnoCore

/// Merges the annotation sets of several records of one input by one annotator (Prodigy
/// tasks: one per proposed span or label), settling contradictions by a `ConflictPolicy`.
struct SetMerger {
  let policy: ConflictPolicy
  let externalID: ExternalID
  let annotator: String
  /// Contradictions settled by `first` or `last`.
  var settled = 0
  /// Earlier rejections that a later acceptance withdrew (`last`).
  var withdrawnRejections: [EntitySpan] = []

  init(policy: ConflictPolicy, externalID: ExternalID, annotator: String) {
    self.policy = policy
    self.externalID = externalID
    self.annotator = annotator
  }

  /// Whether `stored` already says everything `incoming` says.
  static func contains(_ stored: AnnotationSet, _ incoming: AnnotationSet) -> Bool {
    func subset<T: Hashable>(_ part: [T]?, _ whole: [T]?) -> Bool {
      guard let part else { return true }
      guard let whole else { return false }
      return Set(part).isSubset(of: whole)
    }
    if let sentiment = incoming.sentiment, stored.sentiment != sentiment { return false }
    // A complete entity layer says more than a partial one with the same spans.
    if incoming.entities != nil, stored.partialEntities, !incoming.partialEntities { return false }
    for (field, value) in incoming.labels ?? [:] where stored.labels?[field] != value {
      return false
    }
    if !incoming.noValueFields.isSubset(of: stored.noValueFields) { return false }
    for (field, values) in incoming.labelSets ?? [:]
    where !Set(values).isSubset(of: stored.labelSets?[field] ?? []) {
      return false
    }
    return subset(incoming.entities, stored.entities)
      && subset(incoming.spanSentiments, stored.spanSentiments)
      && subset(incoming.stances, stored.stances) && subset(incoming.notes, stored.notes)
  }

  private func conflict(_ what: String) -> ImportRejection {
    ImportRejection(
      message:
        "annotator '\(annotator)' contradicts an earlier record of the same input '\(externalID)': \(what); choose the answer to keep with --on-conflict first or last"
    )
  }

  private static func describe(_ span: EntitySpan) -> String {
    "\(span.label) \(span.start)..<\(span.end)"
  }

  /// The union of `earlier` and `later`; `rejected` (the later record's rejected spans) loses
  /// the spans it may no longer reject.
  mutating func merge(
    _ earlier: AnnotationSet, _ later: AnnotationSet, earlierRejections: Set<EntitySpan>,
    rejected: inout [EntitySpan]
  ) throws(ImportRejection) -> AnnotationSet {
    var merged = earlier
    var mergedSets: [String: [String]]?
    if let incoming = later.entities {
      var entities = earlier.entities ?? []
      for span in incoming {
        if earlierRejections.contains(span) {
          switch policy {
          case .error: throw conflict("span \(Self.describe(span)) rejected there, accepted here")
          case .first:
            settled += 1
            continue
          case .last:
            settled += 1
            withdrawnRejections.append(span)
          }
        }
        entities.append(span)
      }
      // A layer stays partial only while every record giving it is partial: one complete
      // (manual) record states the whole layer.
      merged.partialEntities =
        earlier.entities == nil
        ? later.partialEntities : earlier.partialEntities && later.partialEntities
      merged.entities = entities
    }
    var keptRejections: [EntitySpan] = []
    for span in rejected {
      guard let index = merged.entities?.firstIndex(of: span) else {
        keptRejections.append(span)
        continue
      }
      switch policy {
      case .error: throw conflict("span \(Self.describe(span)) accepted there, rejected here")
      case .first: settled += 1
      case .last:
        settled += 1
        merged.entities?.remove(at: index)
        keptRejections.append(span)
      }
    }
    rejected = keptRejections
    if let sentiment = later.sentiment {
      merged.sentiment = try settle(
        earlier.sentiment, sentiment,
        "the sentiment is '\(earlier.sentiment ?? "")' there and '\(sentiment)' here")
    }
    if later.labels != nil || !later.noValueFields.isEmpty {
      // Each field's answer: a value, or no value (nil).
      var answers: [String: String?] = [:]
      for (field, value) in earlier.labels ?? [:] { answers[field] = .some(value) }
      for field in earlier.noValueFields where answers[field] == nil { answers[field] = .some(nil) }
      let laterAnswers: [(String, String?)] =
        (later.labels ?? [:]).map { ($0.key, $0.value) } + later.noValueFields.map { ($0, nil) }
      for (field, value) in laterAnswers.sorted(by: { $0.0 < $1.0 }) {
        answers[field] = .some(try settle(answers[field], value, field: field))
      }
      merged.labels = answers.compactMapValues { $0 }
      merged.noValueFields = Set(answers.filter { $0.value == nil }.keys)
    }
    func union<T>(_ a: [T]?, _ b: [T]?) -> [T]? { b == nil ? a : (a ?? []) + (b ?? []) }
    if let sets = later.labelSets {
      var merged = earlier.labelSets ?? [:]
      for (field, values) in sets { merged[field] = union(merged[field], values) }
      mergedSets = merged
    }
    merged.spanSentiments = union(earlier.spanSentiments, later.spanSentiments)
    merged.stances = union(earlier.stances, later.stances)
    merged.notes = union(earlier.notes, later.notes)
    if let mergedSets { merged.labelSets = mergedSets }
    return merged.normalized()
  }

  /// A field's answer from two records (`nil`: no value chosen; `earlier` `nil`: none yet).
  private mutating func settle(_ earlier: String??, _ later: String?, field: String)
    throws(ImportRejection) -> String?
  {
    guard let earlier, earlier != later else { return later }
    func answer(_ value: String?) -> String { value.map { "'\($0)'" } ?? "no value" }
    switch policy {
    case .error:
      throw conflict("field '\(field)' is \(answer(earlier)) there and \(answer(later)) here")
    case .first:
      settled += 1
      return earlier
    case .last:
      settled += 1
      return later
    }
  }

  private mutating func settle(_ earlier: String?, _ later: String, _ what: String)
    throws(ImportRejection) -> String
  {
    guard let earlier, earlier != later else { return later }
    switch policy {
    case .error: throw conflict(what)
    case .first:
      settled += 1
      return earlier
    case .last:
      settled += 1
      return later
    }
  }
}
