/// Which labels two annotators give to the same (or overlapping) stretches of text.
///
/// Rows are the first annotator's labels, columns the second's, in declared order, plus a
/// last row and column for "no span": a span of one annotator that no span of the other was
/// paired with.
public struct LabelConfusion: Sendable, Hashable {
  /// The declared labels; index `labels.count` stands for "no span".
  public var labels: [String]
  /// `counts[row][column]`, (labels.count + 1) × (labels.count + 1).
  public var counts: [[Int]]

  /// The number of paired spans labelled `first` by the first annotator and `second` by the
  /// second; `nil` stands for "no span".
  ///
  /// - Precondition: labels are declared.
  public func count(_ first: String?, _ second: String?) -> Int {
    counts[index(first)][index(second)]
  }

  private func index(_ label: String?) -> Int {
    guard let label else { return labels.count }
    guard let i = labels.firstIndex(of: label) else {
      preconditionFailure("label \(label) is not declared")
    }
    return i
  }
}
