import AnnoCore

/// How often a text was annotated with each label.
public struct LabelDistribution: Hashable, Sendable {
  /// One label and how often it was given.
  public struct Entry: Hashable, Sendable {
    /// The label.
    public var label: String
    /// How often it was given; positive.
    public var count: Int

    /// Creates an entry.
    public init(label: String, count: Int) {
      self.label = label
      self.count = count
    }
  }

  /// The labels, most frequent first, then by label name; never empty.
  public let entries: [Entry]

  /// Creates a distribution from counts by label, dropping counts below 1.
  ///
  /// - Returns: `nil` when no label has a positive count.
  public init?(counts: [String: Int]) {
    let entries = counts.filter { $0.value > 0 }.map { Entry(label: $0.key, count: $0.value) }
    guard !entries.isEmpty else { return nil }
    self.entries = entries.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
  }

  /// Creates a distribution from label counts that may repeat a label and that are all
  /// positive; there must be at least one.
  package init(merging counts: [(label: String, count: Int)]) {
    precondition(!counts.isEmpty, "a label distribution needs a count")
    if counts.count == 1 {
      entries = [Entry(label: counts[0].label, count: counts[0].count)]
      return
    }
    var merged: [Entry] = []
    for (label, count) in counts.sorted(by: { $0.label < $1.label }) {
      if merged.last?.label == label {
        merged[merged.count - 1].count += count
      } else {
        merged.append(Entry(label: label, count: count))
      }
    }
    entries = merged.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
  }

  /// The most frequent label; ties go to the label that sorts first, so the answer does not
  /// depend on the order entries were added.
  public var majority: String { entries[0].label }

  /// The total count over all labels.
  public var total: Int { entries.reduce(0) { $0 + $1.count } }

  /// How often `label` was given.
  public func count(of label: String) -> Int {
    entries.first { $0.label == label }?.count ?? 0
  }

  /// The share of `label` in the total, from 0 to 1.
  public func share(of label: String) -> Double {
    Double(count(of: label)) / Double(total)
  }
}
