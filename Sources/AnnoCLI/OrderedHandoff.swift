import Foundation

/// Runs a producer on a second thread while the calling thread consumes what it yields, in
/// the order yielded: reading the store and preparing each item overlaps with the work done
/// on it, so a pass over the corpus uses two cores.
///
/// Items travel in batches (fewer lock round trips), and the producer stays at most
/// `capacity` batches ahead, so memory is bounded however large the corpus. An error thrown
/// by the producer is rethrown to the consumer after the items yielded before it.
final class OrderedHandoff<Item: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private let capacity: Int
  private let batchSize: Int
  // Guarded by `condition`.
  private var ready: [[Item]] = []
  private var finished = false
  private var failure: (any Error)?

  private init(capacity: Int, batchSize: Int) {
    self.capacity = capacity
    self.batchSize = batchSize
  }

  /// Calls `consume` on the calling thread with every item `produce` yields on a second
  /// thread, in order.
  ///
  /// - Parameters:
  ///   - capacity: how many batches the producer may run ahead.
  ///   - batchSize: items per batch.
  ///   - produce: yields items through the function it is given.
  ///   - consume: takes each item.
  /// - Throws: what `produce` throws (after every item it yielded was consumed).
  static func run(
    capacity: Int = 4, batchSize: Int = 32,
    produce: @escaping @Sendable (_ yield: (Item) -> Void) throws -> Void,
    consume: (Item) -> Void
  ) throws {
    let handoff = OrderedHandoff(capacity: capacity, batchSize: batchSize)
    let producer = Thread {
      var batch: [Item] = []
      batch.reserveCapacity(batchSize)
      do {
        try produce { item in
          batch.append(item)
          if batch.count == batchSize {
            handoff.put(batch)
            batch.removeAll(keepingCapacity: true)
          }
        }
        if !batch.isEmpty { handoff.put(batch) }
        handoff.finish(nil)
      } catch {
        if !batch.isEmpty { handoff.put(batch) }
        handoff.finish(error)
      }
    }
    producer.stackSize = 8 << 20
    producer.start()
    while let batch = try handoff.take() {
      for item in batch { consume(item) }
    }
  }

  private func put(_ batch: [Item]) {
    condition.lock()
    while ready.count >= capacity { condition.wait() }
    ready.append(batch)
    condition.broadcast()
    condition.unlock()
  }

  private func finish(_ error: (any Error)?) {
    condition.lock()
    finished = true
    failure = error
    condition.broadcast()
    condition.unlock()
  }

  /// The next batch; nil once the producer finished and everything was taken.
  private func take() throws -> [Item]? {
    condition.lock()
    defer { condition.unlock() }
    while ready.isEmpty && !finished { condition.wait() }
    if !ready.isEmpty {
      let batch = ready.removeFirst()
      condition.broadcast()
      return batch
    }
    if let failure { throw failure }
    return nil
  }
}
