import Foundation

/// Runs a producer on a second thread while the calling thread consumes what it yields, in
/// the order yielded: reading the store and preparing each item overlaps with the work done
/// on it, so a pass over the corpus uses two cores.
///
/// Items travel in batches (fewer lock round trips). At most `capacity` batches wait to be
/// taken, and the producer holds one more while it waits to hand it over, so memory is bounded
/// however large the corpus. When items differ widely in size, a weight (say, their bytes)
/// bounds it too: a batch is handed over once it weighs `weightLimit`, and the producer waits
/// while that much waits to be taken, so about three times `weightLimit` plus two items are in
/// flight at most. An error thrown
/// by the producer reaches the consumer after the items yielded before it. When the consumer
/// throws, the producer is stopped (its next `yield` throws) and waited for before `run`
/// rethrows, so nothing still reads the store once `run` has returned.
public final class OrderedHandoff<Item: Sendable>: @unchecked Sendable {
  /// What the producer's `yield` throws once the consumer has stopped.
  public struct Cancelled: Error {}

  private let condition = NSCondition()
  private let capacity: Int
  private let weightLimit: Int
  // Guarded by `condition`.
  private var ready: [(batch: [Item], weight: Int)] = []
  private var readyWeight = 0
  private var finished = false
  private var cancelled = false
  private var failure: (any Error)?

  private init(capacity: Int, weightLimit: Int) {
    self.capacity = capacity
    self.weightLimit = weightLimit
  }

  /// Calls `consume` on the calling thread with every item `produce` yields on a second
  /// thread, in order.
  ///
  /// - Parameters:
  ///   - capacity: how many batches the producer may run ahead.
  ///   - batchSize: items per batch.
  ///   - weightLimit: the weight at which a batch is handed over, and the weight waiting to be
  ///     taken at which the producer waits.
  ///   - weight: an item's weight (none by default).
  ///   - produce: yields items through the first function it is given; the second tells
  ///     whether the consumer is behind (half the batches it may wait for are waiting), so
  ///     that the producer can take on work the consumer would otherwise do.
  ///   - consume: takes each item.
  /// - Throws: what `consume` throws, or else what `produce` throws.
  public static func run(
    capacity: Int = 4, batchSize: Int = 32, weightLimit: Int = .max,
    weight: @escaping @Sendable (Item) -> Int = { _ in 0 },
    produce:
      @escaping @Sendable (_ yield: (Item) throws -> Void, _ consumerIsBehind: () -> Bool) throws ->
      Void,
    consume: (Item) throws -> Void
  ) throws {
    let handoff = OrderedHandoff(capacity: capacity, weightLimit: weightLimit)
    let producer = Thread {
      var batch: [Item] = []
      var batchWeight = 0
      batch.reserveCapacity(batchSize)
      do {
        try produce(
          { item in
            batch.append(item)
            batchWeight += weight(item)
            if batch.count == batchSize || batchWeight >= weightLimit {
              try handoff.put(batch, weight: batchWeight)
              batch.removeAll(keepingCapacity: true)
              batchWeight = 0
            }
          },
          handoff.consumerIsBehind)
        if !batch.isEmpty { try handoff.put(batch, weight: batchWeight) }
        handoff.finish(nil)
      } catch {
        if !batch.isEmpty { try? handoff.put(batch, weight: batchWeight) }
        handoff.finish(error)
      }
    }
    producer.stackSize = 8 << 20
    producer.start()
    do {
      while let batch = try handoff.take() {
        for item in batch { try consume(item) }
      }
    } catch {
      handoff.cancelAndWait()
      throw error
    }
  }

  private func put(_ batch: [Item], weight: Int) throws {
    condition.lock()
    defer { condition.unlock() }
    while (ready.count >= capacity || (!ready.isEmpty && readyWeight >= weightLimit)) && !cancelled
    { condition.wait() }
    if cancelled { throw Cancelled() }
    ready.append((batch, weight))
    readyWeight += weight
    condition.broadcast()
  }

  private func consumerIsBehind() -> Bool {
    condition.lock()
    defer { condition.unlock() }
    return ready.count >= max(1, capacity / 2)
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
      let (batch, weight) = ready.removeFirst()
      readyWeight -= weight
      condition.broadcast()
      return batch
    }
    if let failure { throw failure }
    return nil
  }

  /// Stops the producer and waits until it has finished.
  private func cancelAndWait() {
    condition.lock()
    cancelled = true
    ready.removeAll()
    readyWeight = 0
    condition.broadcast()
    while !finished { condition.wait() }
    condition.unlock()
  }
}
