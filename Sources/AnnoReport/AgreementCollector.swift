import AnnoAgreement
import AnnoCore

/// Gathers one pass over the store: each document once, all its annotation sets together.
///
/// Per document it does light work only: it looks values up, tokenizes the text once (when a
/// span layer is compared) and adds counts to the tallies; it keeps no text. The agreement job
/// (AnnoPipeline's `AgreementJob`) runs the pass; `AgreementReportBuilder` assembles the report.
package struct AgreementCollector {
  let plan: AgreementPlan
  /// The selected annotators, in code point order; a rater's index is its position here.
  let annotators: [String]
  private let raterIndex: [String: Int]
  private let keepsDocuments: Bool
  /// For documents that come without tokens (the agreement job tokenizes on its reading thread).
  private let tokenizer = Tokenizer()
  /// Documents with at least one selected annotator's set.
  private(set) var documentCount = 0
  /// Documents coded by two or more of the annotators.
  package private(set) var sharedDocumentCount = 0
  /// The document fields' tallies and the span layers', by section name.
  var fields: NamedTallies<FieldTally> { fieldTallies }
  var spans: NamedTallies<SpanTally> { spanTallies }
  /// The set-valued document fields' tallies, by field name.
  private(set) var setFields = NamedTallies<SetFieldTally>()
  // NB: in arrays, mutated in place: taking a tally out of a dictionary to add to it copied
  // (retained and released) each of its arrays, several times per document.
  private var fieldTallies = NamedTallies<FieldTally>()
  private var spanTallies = NamedTallies<SpanTally>()
  /// Annotators who share at least one document with another selected annotator.
  package private(set) var coFinishers: Set<String> = []
  private(set) var ranking = DisagreementRanking()
  /// Ignored data by kind, for the report's notes.
  private(set) var ignored: [String: Int] = [:]
  /// Annotation sets left out of the entity layer's agreement because their source did not
  /// annotate entities (no entity layer), and because it annotated them partially.
  private(set) var entitySetsWithoutLayer = 0
  private(set) var entitySetsWithPartialLayer = 0
  /// Every entity label the schema declares (spans with others are counted as ignored).
  private let declaredEntityLabels: Set<String>
  /// Stance targets as written → the names they resolve to (`StanceTargets.resolve`, where
  /// the first spelling of an ad-hoc target met stands for its case and article variants).
  private var canonicalTargets: [String: String] = [:]
  private var targets: StanceTargets
  /// Storage for counting the ranges on which a document's span lists differ.
  private var rangeMerge = RangeMergeScratch()
  /// Document-level stance targets as written → canonical name and tally (nil: left out).
  private var documentStanceFields: [String: (target: String, field: Int)?] = [:]

  package init(plan: AgreementPlan, annotators: [String]) {
    self.plan = plan
    self.annotators = annotators
    var index: [String: Int] = [:]
    for (i, name) in annotators.enumerated() { index[name] = i }
    raterIndex = index
    keepsDocuments = plan.replicates > 0
    targets = StanceTargets(schema: plan.schema)
    declaredEntityLabels = Set(plan.schema.entityLabels.map(\.name))
    let schema = plan.schema
    if plan.sentiment {
      makeField("sentiment", level: .ordinal, categories: schema.sentiment.values)
    }
    switch plan.stance {
    case .none: break
    case .all: for target in schema.stance.targets { makeStance(target.name) }
    case .only(let targets): for target in targets { makeStance(target) }
    }
    for field in plan.fields {
      if field.isMultiple {
        setFields.insert(
          name: field.name,
          SetFieldTally(
            name: field.name, categories: field.values, raterCount: annotators.count,
            keepsDocuments: keepsDocuments))
        continue
      }
      makeField(
        field.name, level: MeasurementLevel(field.level),
        categories: NoValue.categories(field, answered: plan.noValueFields))
    }
    if plan.entities { makeSpans("entities", labels: plan.entityLabels) }
    if plan.spanSentiment { makeSpans("span_sentiment", labels: schema.sentiment.values) }
  }

  private mutating func makeField(
    _ name: String, level: MeasurementLevel, categories: [String]
  ) {
    fieldTallies.insert(
      name: name,
      FieldTally(
        name: name, level: level, categories: categories, raterCount: annotators.count,
        keepsDocuments: keepsDocuments))
  }

  private mutating func makeStance(_ target: String) {
    if fieldTallies.index(of: "stance:" + target) == nil {
      makeField("stance:" + target, level: .nominal, categories: NoStance.categories(plan.schema))
    }
  }

  private mutating func makeSpans(_ name: String, labels: [String]) {
    spanTallies.insert(
      name: name,
      SpanTally(
        name: name, labels: labels, raterCount: annotators.count, keepsDocuments: keepsDocuments))
  }

  // MARK: - One document

  /// Adds one document with every selected annotator's set on it (other sets are ignored).
  package mutating func add(_ group: [AnnotatedDocument]) {
    guard let document = group.first?.document else { return }
    if !plan.includes(document.externalID.rawValue) { return }
    var present: [(rater: Int, set: AnnotationSet)] = []
    for item in group {
      guard let r = raterIndex[item.annotations.annotator],
        !present.contains(where: { $0.rater == r })
      else { continue }
      present.append((r, item.annotations))
    }
    guard !present.isEmpty else { return }
    present.sort { $0.rater < $1.rater }
    if present.count >= 2 {
      sharedDocumentCount += 1
      for p in present { coFinishers.insert(annotators[p.rater]) }
    }
    let d = documentCount
    documentCount += 1
    var pending = PendingDifferences()
    addDocumentFields(present, document: d, pending: &pending)
    if plan.hasSpanLayers {
      addSpanLayers(present, document: d, source: document, pending: &pending)
    }
    guard present.count >= 2,
      ranking.qualifies(score: pending.count, documentID: document.externalID.rawValue)
    else { return }
    // The text as scalars only for the documents the ranking keeps, to quote their spans.
    let scalars = Array(document.text.unicodeScalars)
    let names = present.map { annotators[$0.rater] }
    ranking.insert(
      DocumentDisagreement(
        documentID: document.externalID.rawValue, score: pending.count,
        differences: pending.differences.map {
          .init(
            section: $0.section, description: $0.description(annotators: names, scalars: scalars))
        }))
  }

  private mutating func addDocumentFields(
    _ present: [(rater: Int, set: AnnotationSet)], document d: Int,
    pending: inout PendingDifferences
  ) {
    if plan.sentiment, let k = fieldTallies.index(of: "sentiment") {
      addField(k, present.map { $0.set.sentiment }, present, document: d, pending: &pending)
    }
    if plan.stance != .none {
      // The document's targets (a few) with each present annotator's first value.
      var byTarget: [(target: String, field: Int, values: [String?])] = []
      for (i, p) in present.enumerated() {
        for stance in p.set.stances ?? [] where stance.range == nil {
          guard let (target, field) = documentStanceField(stance.target) else { continue }
          if let k = byTarget.firstIndex(where: { $0.field == field }) {
            if byTarget[k].values[i] == nil { byTarget[k].values[i] = stance.value }
          } else {
            var values = [String?](repeating: nil, count: present.count)
            values[i] = stance.value
            byTarget.append((target, field, values))
          }
        }
      }
      byTarget.sort { CodePoint.precedes($0.target, $1.target) }
      for entry in byTarget {
        var values = entry.values
        for (i, p) in present.enumerated() where values[i] == nil && NoStance.counts(in: p.set) {
          values[i] = NoStance.category
        }
        addField(entry.field, values, present, document: d, pending: &pending)
      }
    }
    for field in plan.fields where field.isMultiple {
      guard let k = setFields.index(of: field.name) else { continue }
      var unit = [Set<Int>?](repeating: nil, count: annotators.count)
      var shown = [String?](repeating: nil, count: present.count)
      for (i, p) in present.enumerated() {
        guard let chosen = p.set.labelSets?[field.name] else { continue }
        var set: Set<Int> = []
        for value in chosen {
          if let c = setFields.items[k].index[value] {
            set.insert(c)
          } else {
            ignored["\(field.name) values that are not declared", default: 0] += 1
          }
        }
        guard !set.isEmpty else { continue }
        unit[p.rater] = set
        shown[i] = set.sorted().map { field.values[$0] }.joined(separator: ",")
      }
      setFields.items[k].add(unit, document: d)
      if present.count >= 2, shown.contains(where: { $0 != nil }),
        !shown.allSatisfy({ $0 == shown[0] })
      {
        pending.append(.field(section: field.name, values: shown))
      }
    }
    for field in plan.fields where !field.isMultiple {
      guard let k = fieldTallies.index(of: field.name) else { continue }
      let values: [String?] = present.map { p in
        guard let raw = p.set.labels?[field.name] else {
          let noValue = p.set.noValueFields.contains(field.name) && NoValue.counts(field)
          return noValue ? NoValue.category : nil
        }
        return field.canonicalValue(raw) ?? raw
      }
      addField(k, values, present, document: d, pending: &pending)
    }
  }

  private mutating func canonicalTarget(_ target: String) -> String {
    if let known = canonicalTargets[target] { return known }
    let resolved = try? targets.resolve(target, creating: true)
    let canonical = resolved?.name ?? target
    if resolved?.source == .created { targets.adopt(canonical) }
    canonicalTargets[target] = canonical
    return canonical
  }

  /// For a document-level stance's target as written: its canonical name and its tally, or
  /// nil when the report leaves the target out. Looked up once per spelling.
  private mutating func documentStanceField(_ written: String) -> (target: String, field: Int)? {
    if let known = documentStanceFields[written] { return known }
    let target = canonicalTarget(written)
    let entry = plan.stance.includes(target) ? (target, stanceField(target)) : nil
    documentStanceFields[written] = .some(entry)
    return entry
  }

  /// The tally of the stance toward a (canonical) target, made when first seen.
  private mutating func stanceField(_ target: String) -> Int {
    makeStance(target)
    guard let k = fieldTallies.index(of: "stance:" + target) else {
      preconditionFailure("makeStance makes the tally")
    }
    return k
  }

  /// Adds one document's values of the field whose tally is `fieldTallies.items[k]`.
  private mutating func addField(
    _ k: Int, _ values: [String?], _ present: [(rater: Int, set: AnnotationSet)], document d: Int,
    pending: inout PendingDifferences
  ) {
    let name = fieldTallies.items[k].name
    var unit = [Int?](repeating: nil, count: annotators.count)
    var cleaned = values
    for (i, value) in values.enumerated() {
      guard let value else { continue }
      if let c = fieldTallies.items[k].index[value] {
        unit[present[i].rater] = c
      } else {
        ignored["\(name) values that are not declared", default: 0] += 1
        cleaned[i] = nil
      }
    }
    fieldTallies.items[k].add(unit, document: d)
    if present.count >= 2, cleaned.contains(where: { $0 != nil }),
      !cleaned.allSatisfy({ $0 == cleaned[0] })
    {
      pending.append(.field(section: name, values: cleaned))
    }
  }

  private mutating func addSpanLayers(
    _ present: [(rater: Int, set: AnnotationSet)], document d: Int, source document: Document,
    pending: inout PendingDifferences
  ) {
    let length = document.length
    let tokens = Self.tokenRanges(
      document.tokens ?? tokenizer.tokenize(document.text), length: length)
    let raters = present.map(\.rater)
    let documentID = document.externalID.rawValue
    if spanTallies.index(of: "entities") != nil {
      // A set whose source did not annotate entities, or annotated some spans only, says
      // nothing of the rest of the text: it is left out of the layer, not counted as "none".
      var positions: [Int] = []
      var lists: [[(start: Int, end: Int, label: String)]] = []
      for (i, p) in present.enumerated() {
        guard let entities = p.set.entities else {
          entitySetsWithoutLayer += 1
          continue
        }
        guard !p.set.partialEntities else {
          entitySetsWithPartialLayer += 1
          continue
        }
        positions.append(i)
        lists.append(entities.map { (start: $0.start, end: $0.end, label: $0.label) })
      }
      if !positions.isEmpty {
        addSpans(
          "entities", lists, raters: positions.map { raters[$0] }, positions: positions,
          presentCount: present.count, document: d, documentID: documentID, tokens: tokens,
          length: length, pending: &pending)
      }
    }
    if spanTallies.index(of: "span_sentiment") != nil {
      let lists = present.map { p in
        (p.set.spanSentiments ?? []).map { (start: $0.start, end: $0.end, label: $0.value) }
      }
      addSpans(
        "span_sentiment", lists, raters: raters, positions: Array(present.indices),
        presentCount: present.count, document: d, documentID: documentID,
        tokens: tokens, length: length,
        pending: &pending)
    }
    if plan.anchoredStance != .none {
      var byTarget: [String: [[(start: Int, end: Int, label: String)]]] = [:]
      for (i, p) in present.enumerated() {
        for stance in p.set.stances ?? [] {
          guard let range = stance.range else { continue }
          let target = canonicalTarget(stance.target)
          guard plan.anchoredStance.includes(target) else { continue }
          byTarget[target, default: Array(repeating: [], count: present.count)][i].append(
            (range.lowerBound, range.upperBound, stance.value))
        }
      }
      for target in byTarget.keys.sorted(by: CodePoint.precedes) {
        let name = "stance_anchored:" + target
        if spanTallies.index(of: name) == nil { makeSpans(name, labels: plan.schema.stance.values) }
        addSpans(
          name, byTarget[target] ?? [], raters: raters, positions: Array(present.indices),
          presentCount: present.count, document: d, documentID: documentID, tokens: tokens,
          length: length, pending: &pending)
      }
    }
  }

  /// Adds one span layer of a document; spans outside the document are counted as ignored,
  /// and, for entities, spans with labels the schema does not declare.
  ///
  /// - Parameters:
  ///   - lists: one list per annotator in the layer, whose rater is in `raters` and whose
  ///     place among the document's present annotators (`presentCount` of them) in `positions`.
  private mutating func addSpans(
    _ name: String, _ lists: [[(start: Int, end: Int, label: String)]], raters: [Int],
    positions: [Int], presentCount: Int, document d: Int,
    documentID: String, tokens: [Range<Int>], length: Int, pending: inout PendingDifferences
  ) {
    guard let k = spanTallies.index(of: name) else { return }
    let added = spanTallies.items[k].add(
      document: d, documentID: documentID, raters: raters, lists: lists, tokens: tokens,
      length: length)
    if name == "entities" {
      for label in added.otherLabels where !declaredEntityLabels.contains(label) {
        ignored["entity spans with undeclared labels", default: 0] += 1
      }
    }
    if added.outside > 0 {
      ignored["\(name) spans outside their document", default: 0] += added.outside
    }
    // NB: most documents agree; comparing the lists first skips grouping spans by range.
    if raters.count >= 2, added.spans.contains(where: { $0 != added.spans[0] }) {
      pending.appendSpanLayer(
        section: name, added.spans, labels: added.labels, positions: positions,
        presentCount: presentCount, scratch: &rangeMerge)
    }
  }

  /// The non-space tokens as ranges, dropping any that are empty, overlap the previous one or
  /// run past the text (a foreign tokenization can be inconsistent).
  static func tokenRanges(_ tokens: [Token], length: Int) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(tokens.count)
    var previousEnd = 0
    for token in tokens where !token.isSpace {
      guard token.start >= previousEnd, token.start < token.end, token.end <= length else {
        continue
      }
      ranges.append(token.start..<token.end)
      previousEnd = token.end
    }
    return ranges
  }
}

/// Tallies kept in an array, found by section name; iterated in the order they were made.
struct NamedTallies<Tally>: Sequence {
  fileprivate(set) var items: [Tally] = []
  /// The section names, in `items` order.
  private(set) var names: [String] = []
  private var indices: [String: Int] = [:]

  func index(of name: String) -> Int? { indices[name] }

  subscript(name: String) -> Tally? { indices[name].map { items[$0] } }

  mutating func insert(name: String, _ tally: Tally) {
    if let k = indices[name] {
      items[k] = tally
    } else {
      indices[name] = items.count
      names.append(name)
      items.append(tally)
    }
  }

  func makeIterator() -> some IteratorProtocol<(name: String, tally: Tally)> {
    zip(names, items).lazy.map { (name: $0, tally: $1) }.makeIterator()
  }
}

extension MeasurementLevel {
  /// The statistics' level of a schema field's declared level: the one place the schema's
  /// vocabulary meets AnnoAgreement's.
  init(_ level: DocumentField.Level) {
    switch level {
    case .nominal: self = .nominal
    case .ordinal: self = .ordinal
    case .interval: self = .interval
    case .ratio: self = .ratio
    }
  }
}
