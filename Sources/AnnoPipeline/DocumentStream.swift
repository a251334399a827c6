import AnnoCore
import AnnoStore

/// The store → records pass that every job reading the corpus shares: each document with its
/// selected annotation sets (one per annotator), in the store's order.
///
/// The store is read on a second thread (``OrderedHandoff``), so reading overlaps with the
/// work done on each document; `consume` runs on the calling thread, in document order, so a
/// job's output is the same as from one thread. Memory is bounded by the handoff's batches,
/// however large the corpus.
public enum DocumentStream {
  /// Calls `consume` with every selected document's annotation sets, in the store's order.
  ///
  /// - Parameters:
  ///   - store: the store to read.
  ///   - annotators: whose sets to read, or `nil` for everyone's.
  ///   - statuses: the statuses of the sets to read, or `nil` for every status.
  ///   - batchSize: documents per batch handed between the threads (four batches wait at
  ///     most, and the reader holds one more).
  ///   - includes: whether a document (by external id) is passed on at all; documents left
  ///     out cost no `prepare`.
  ///   - prepare: runs on the reading thread for each document passed on, with a tokenizer of
  ///     that thread and a function telling whether the consumer is behind, so that the
  ///     reader can take on work the consumer would otherwise do (tokenizing a text).
  ///   - consume: takes each document's sets (at least one) and what `prepare` made of them.
  /// - Throws: what `consume` throws, or else what reading the store throws.
  public static func run<Prepared: Sendable>(
    store: Store, annotators: [String]?, statuses: Set<DocumentStatus>?, batchSize: Int = 32,
    includes: @escaping @Sendable (String) -> Bool = { _ in true },
    prepare:
      @escaping @Sendable (
        _ sets: inout [AnnotatedDocument], _ tokenizer: Tokenizer, _ consumerIsBehind: () -> Bool
      ) -> Prepared,
    consume: (_ sets: [AnnotatedDocument], _ prepared: Prepared) throws -> Void
  ) throws {
    try OrderedHandoff<(sets: [AnnotatedDocument], prepared: Prepared)>.run(
      batchSize: batchSize,
      produce: { yield, consumerIsBehind in
        let tokenizer = Tokenizer()
        var group: [AnnotatedDocument] = []
        func yieldGroup() throws {
          defer { group.removeAll(keepingCapacity: true) }
          guard let first = group.first, includes(first.document.externalID.rawValue) else {
            return
          }
          let prepared = prepare(&group, tokenizer, consumerIsBehind)
          try yield((group, prepared))
        }
        try store.forEachAnnotatedDocument(annotators: annotators, statuses: statuses) { item in
          if let first = group.first, first.document.externalID != item.document.externalID {
            try yieldGroup()
          }
          group.append(item)
        }
        try yieldGroup()
      },
      consume: { try consume($0.sets, $0.prepared) })
  }
}
