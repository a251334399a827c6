/// How `adjudicate --auto` settles an item: the quota of voters behind the most chosen version,
/// every voter, more than half of them, or at least K.
///
/// With `count` voters behind the most chosen version out of `total`: unanimous settles when
/// count = total, majority when 2·count > total (a strict majority: ties stay open), and
/// threshold K when count ≥ K. A threshold above the number of voters never settles anything.
public enum AdjudicationStrategy: Hashable, Sendable, CustomStringConvertible {
  /// Every voter agrees.
  case unanimous
  /// More than half agree; ties stay open.
  case majority
  /// At least K agree.
  case threshold(Int)

  /// Parses `unanimous`, `majority` or `threshold=K` (K ≥ 1).
  public init?(_ text: String) {
    switch text {
    case "unanimous": self = .unanimous
    case "majority": self = .majority
    default:
      guard text.hasPrefix("threshold="), let k = Int(text.dropFirst("threshold=".count)), k >= 1
      else { return nil }
      self = .threshold(k)
    }
  }

  public var description: String {
    switch self {
    case .unanimous: "unanimous"
    case .majority: "majority"
    case .threshold(let k): "threshold=\(k)"
    }
  }

  /// Whether the rule can settle anything among `annotators` voters: a threshold above their
  /// number never can.
  public func canSettle(withAnnotators annotators: Int) -> Bool {
    switch self {
    case .unanimous, .majority: annotators >= 1
    case .threshold(let k): k <= annotators
    }
  }

  /// Whether `count` of `total` voters behind one version is enough to settle the item.
  public func settles(_ count: Int, of total: Int) -> Bool {
    switch self {
    case .unanimous: count == total
    case .majority: 2 * count > total
    case .threshold(let k): count >= k
    }
  }
}

/// One thing annotators can disagree on, with every annotator's version.
///
/// Every item is valued, `nil` meaning "gave none": a range of text is one item whose
/// versions are the labels annotators gave it (`PER` by ann1, `ORG` by ann2, none by ann3),
/// so the gold version gets one of them, never both; document fields (sentiment, stance per
/// target, each further field), span sentiments and anchored stances are items whose
/// versions are their values.
public struct AdjudicationItem: Hashable, Sendable {
  /// The item's identity, stable across runs: `entity|15:28`, `sentiment`, `stance|Russia`,
  /// `stance|Russia|15:28`, `label|topic`, `span_sentiment|15:28`.
  public var key: String
  /// Each finished annotator's version: for a range its label (labels, when the schema lets
  /// one annotator give it several, joined by `+` in order: `ORG+PER`) or `nil`; for valued
  /// items the value or `nil`.
  public var versions: [String: String?]

  /// Whether this is a span (present or absent) rather than a valued item.
  public var isSpan: Bool { key.hasPrefix("entity|") }

  /// The distinct versions with the annotators who chose each: most chosen first, then
  /// values before `nil` (absent, or no value), then by value.
  public var groupedVersions: [(value: String?, annotators: [String])] {
    var groups: [String?: [String]] = [:]
    for (annotator, value) in versions { groups[value, default: []].append(annotator) }
    return groups.map { (value: $0.key, annotators: $0.value.sorted()) }.sorted { a, b in
      if a.annotators.count != b.annotators.count { return a.annotators.count > b.annotators.count }
      switch (a.value, b.value) {
      case (let x?, let y?): return x < y
      case (.some, nil): return true
      default: return false
      }
    }
  }

  /// Whether the annotators gave different versions (a unanimous item is no disagreement).
  public var isDisputed: Bool { !isUnanimous }

  /// Whether every annotator gave the same version.
  public var isUnanimous: Bool { AdjudicationItems.isUnanimous(versions.values) }

  /// The outcome a strategy reaches, or `nil` when the item stays open.
  ///
  /// The outcome is a version's value, or `.some(nil)` (decided: none, no span on the range).
  public func outcome(under strategy: AdjudicationStrategy) -> String?? {
    let total = versions.count
    let ranked = groupedVersions
    guard let top = ranked.first else { return nil }
    // A tie for the top version is never settled.
    if ranked.count > 1 && ranked[1].annotators.count == top.annotators.count { return nil }
    return strategy.settles(top.annotators.count, of: total) ? .some(top.value) : nil
  }
}

/// The items of one document, built from the annotation sets of the annotators who finished it.
public enum AdjudicationItems {
  /// Every item any finished annotator proposed, sorted by key in natural order (offsets as
  /// numbers: `entity|140:150|…` before `entity|1045:1050|…`).
  public static func items(from sets: [AnnotationSet]) -> [AdjudicationItem] {
    let annotators = sets.map(\.annotator)
    return NaturalOrder.sorted(
      versionTable(sets).map { key, versions in
        AdjudicationItem(
          key: key, versions: Dictionary(uniqueKeysWithValues: zip(annotators, versions)))
      }, by: \.key)
  }

  /// The keys of `items(from: sets)`, each with whether its item is disputed, without
  /// building or sorting the items: what a document's adjudication counts need.
  public static func disputes(from sets: [AnnotationSet]) -> [String: Bool] {
    versionTable(sets).mapValues { !isUnanimous($0) }
  }

  /// How many items `disputes(from: sets)` holds and how many of them are disputed, without
  /// writing their keys: what a document's adjudication counts need when no item has a
  /// decision. Ranges are told apart by their offsets, every other item by its key.
  public static func disputeCounts(from sets: [AnnotationSet]) -> (items: Int, disputed: Int) {
    let width = sets.count
    var slots: [ItemSlot: Int] = [:]
    // Each item's versions, `width` entries from its slot's position, as `versionTable` has them.
    var versions: [String?] = []
    var entities: [EntitySpan] = []
    for (index, set) in sets.enumerated() {
      func record(_ slot: ItemSlot, _ value: String?) {
        let position: Int
        if let known = slots[slot] {
          position = known
        } else {
          position = versions.count
          slots[slot] = position
          versions.append(contentsOf: repeatElement(nil, count: width))
        }
        versions[position + index] = value
      }
      entities.removeAll(keepingCapacity: true)
      entities.append(contentsOf: set.entities ?? [])
      entities.sort { $0.start != $1.start ? $0.start < $1.start : $0.end < $1.end }
      var first = 0
      while first < entities.count {
        var next = first + 1
        while next < entities.count && entities[next].start == entities[first].start
          && entities[next].end == entities[first].end
        {
          next += 1
        }
        let value =
          next == first + 1
          ? entities[first].label : entityValue(entities[first..<next].map(\.label))
        record(.entity(entities[first].start, entities[first].end), value)
        first = next
      }
      for span in set.spanSentiments ?? [] {
        record(.spanSentiment(span.start, span.end), span.value)
      }
      if let sentiment = set.sentiment { record(.key("sentiment"), sentiment) }
      for stance in set.stances ?? [] {
        let anchor = stance.range.map { "|\($0.lowerBound):\($0.upperBound)" } ?? ""
        record(.key("stance|\(stance.target)\(anchor)"), stance.value)
      }
      for (field, value) in set.labels ?? [:] { record(.key("label|\(field)"), value) }
      for (field, values) in set.labelSets ?? [:] {
        for value in values { record(.key("choice|\(field)|\(value)"), "present") }
      }
    }
    var disputed = 0
    for position in stride(from: 0, to: versions.count, by: max(width, 1))
    where !isUnanimous(versions[position..<position + width]) {
      disputed += 1
    }
    return (slots.count, disputed)
  }

  /// An item of `disputeCounts`: an entity range (`entity|START:END`), a span sentiment's
  /// range (`span_sentiment|START:END`), or any other item by its key.
  private enum ItemSlot: Hashable {
    case entity(Int, Int)
    case spanSentiment(Int, Int)
    case key(String)
  }

  /// Whether there are versions and they are all the same (a version of `nil`, none,
  /// counting as one).
  static func isUnanimous(_ versions: some Sequence<String?>) -> Bool {
    var first: String?
    for version in versions {
      let value = version ?? "\u{0}"
      if first == nil {
        first = value
      } else if first != value {
        return false
      }
    }
    return first != nil
  }

  /// Every item key the sets propose, with each set's version in the sets' order (`nil`:
  /// that set gives none).
  static func versionTable(_ sets: [AnnotationSet]) -> [String: [String?]] {
    var versions: [String: [String?]] = [:]
    // Annotators mostly propose the same items: the first set's count is a fair capacity.
    if let first = sets.first {
      versions.reserveCapacity(
        (first.entities?.count ?? 0) + (first.spanSentiments?.count ?? 0)
          + (first.stances?.count ?? 0) + (first.labels?.count ?? 0) + 1)
    }
    for (index, set) in sets.enumerated() {
      func record(_ key: String, _ value: String?) {
        versions[key, default: Array(repeating: nil, count: sets.count)][index] = value
      }
      var labelsByRange: [String: [String]] = [:]
      labelsByRange.reserveCapacity(set.entities?.count ?? 0)
      for span in set.entities ?? [] {
        labelsByRange["entity|\(span.start):\(span.end)", default: []].append(span.label)
      }
      for (key, labels) in labelsByRange {
        record(key, Self.entityValue(labels))
      }
      for span in set.spanSentiments ?? [] {
        record("span_sentiment|\(span.start):\(span.end)", span.value)
      }
      if let sentiment = set.sentiment { record("sentiment", sentiment) }
      for stance in set.stances ?? [] {
        let anchor = stance.range.map { "|\($0.lowerBound):\($0.upperBound)" } ?? ""
        record("stance|\(stance.target)\(anchor)", stance.value)
      }
      for (field, value) in set.labels ?? [:] { record("label|\(field)", value) }
      // A set-valued field is decided value by value, as entity spans are: present or not.
      for (field, values) in set.labelSets ?? [:] {
        for value in values { record("choice|\(field)|\(value)", "present") }
      }
    }
    return versions
  }

  /// The version of a range with these labels: one label, or several joined by `+` in order.
  public static func entityValue(_ labels: [String]) -> String {
    labels.count == 1 ? labels[0] : Set(labels).sorted().joined(separator: "+")
  }

  /// The annotations a settled item stands for in the gold version (none for "none"; one
  /// span per label of a range's version).
  public static func annotations(for key: String, value: String?) -> [GoldAnnotation] {
    guard let value else { return [] }
    if key.hasPrefix("entity|") {
      let parts = key.split(separator: "|", omittingEmptySubsequences: false)
      let bounds = parts.count == 2 ? parts[1].split(separator: ":").compactMap { Int($0) } : []
      guard bounds.count == 2, bounds[0] < bounds[1] else { return [] }
      return value.split(separator: "+").map {
        .entity(EntitySpan(start: bounds[0], end: bounds[1], label: String($0)))
      }
    }
    return annotation(for: key, value: value).map { [$0] } ?? []
  }

  /// The annotation a settled item other than a range stands for in the gold version, or
  /// `nil` for "none" (a range's labels: `annotations(for:value:)`).
  public static func annotation(for key: String, value: String?) -> GoldAnnotation? {
    guard let value else { return nil }
    let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    func range(_ text: String) -> Range<Int>? {
      let bounds = text.split(separator: ":").compactMap { Int($0) }
      return bounds.count == 2 && bounds[0] < bounds[1] ? bounds[0]..<bounds[1] : nil
    }
    switch parts.first {
    case "entity" where parts.count == 2 && !value.contains("+"):
      return range(parts[1]).map {
        .entity(EntitySpan(start: $0.lowerBound, end: $0.upperBound, label: value))
      }
    case "span_sentiment" where parts.count == 2:
      return range(parts[1]).map {
        .spanSentiment(SpanSentiment(start: $0.lowerBound, end: $0.upperBound, value: value))
      }
    case "sentiment": return .sentiment(value)
    case "stance" where parts.count == 2: return .stance(Stance(target: parts[1], value: value))
    case "stance" where parts.count == 3:
      return range(parts[2]).map { .stance(Stance(target: parts[1], value: value, range: $0)) }
    case "label" where parts.count == 2: return .label(field: parts[1], value: value)
    case "choice" where parts.count >= 3:
      return .choice(field: parts[1], value: parts[2...].joined(separator: "|"))
    default: return nil
    }
  }
}

/// A gold annotation an adjudication decision stands for.
public enum GoldAnnotation: Hashable, Sendable {
  case entity(EntitySpan)
  case spanSentiment(SpanSentiment)
  case sentiment(String)
  case stance(Stance)
  case label(field: String, value: String)
  /// One value of a set-valued field.
  case choice(field: String, value: String)
}
