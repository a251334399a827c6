import Foundation
import Testing

@testable import AnnoPipeline

/// The two-thread pass of `agree` and `export`: items arrive in order, errors cross over,
/// and a consumer that stops ends the producer before `run` returns.
@Suite struct OrderedHandoffTests {
  struct ProducerFailed: Error, Equatable { let after: Int }
  struct ConsumerFailed: Error {}

  /// Counts what the producer thread does, read after `run` returns.
  final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var yielded = 0
    private var done = false
    func yielded(_ n: Int) { lock.withLock { yielded = n } }
    func finish() { lock.withLock { done = true } }
    var snapshot: (yielded: Int, done: Bool) { lock.withLock { (yielded, done) } }
  }

  @Test(arguments: [1, 7, 32, 1000])
  func everyItemArrivesOnceInOrder(batchSize: Int) throws {
    var received: [Int] = []
    try OrderedHandoff<Int>.run(
      capacity: 2, batchSize: batchSize,
      produce: { yield, _ in for i in 0..<5_003 { try yield(i) } },
      consume: { received.append($0) })
    #expect(received == Array(0..<5_003))
  }

  /// The producer learns that the consumer is behind once half the batches it may wait for
  /// are waiting, and not before: the consumer here holds its first item until told.
  @Test func theProducerSeesWhenTheConsumerIsBehind() throws {
    final class Observations: @unchecked Sendable {
      let lock = NSLock()
      var beforeAnything = true
      var behindAfter: Int?
      let taken = DispatchSemaphore(value: 0)
      let behind = DispatchSemaphore(value: 0)
    }
    let seen = Observations()
    var received: [Int] = []
    try OrderedHandoff<Int>.run(
      capacity: 4, batchSize: 1,
      produce: { yield, consumerIsBehind in
        seen.lock.withLock { seen.beforeAnything = consumerIsBehind() }
        for i in 0..<20 {
          try yield(i)
          if i == 0 { seen.taken.wait() }
          if seen.lock.withLock({ seen.behindAfter }) == nil, consumerIsBehind() {
            seen.lock.withLock { seen.behindAfter = i + 1 }
            seen.behind.signal()
          }
        }
      },
      consume: { item in
        if item == 0 {
          seen.taken.signal()
          seen.behind.wait()
        }
        received.append(item)
      })
    #expect(received == Array(0..<20))
    // Item 0 was taken; items 1 and 2 wait: two of the four batches the consumer may wait for.
    #expect(seen.lock.withLock { (seen.beforeAnything, seen.behindAfter) } == (false, 3))
  }

  @Test func aProducerErrorArrivesAfterTheItemsBeforeIt() {
    var received: [Int] = []
    #expect(throws: ProducerFailed(after: 100)) {
      try OrderedHandoff<Int>.run(
        batchSize: 32,
        produce: { yield, _ in
          for i in 0..<100 { try yield(i) }
          throw ProducerFailed(after: 100)
        },
        consume: { received.append($0) })
    }
    #expect(received == Array(0..<100))
  }

  @Test func aProducerThatFailsAtOnceReportsItsError() {
    var received = 0
    #expect(throws: ProducerFailed(after: 0)) {
      try OrderedHandoff<Int>.run(
        produce: { _, _ in throw ProducerFailed(after: 0) }, consume: { _ in received += 1 })
    }
    #expect(received == 0)
  }

  /// When both sides fail, the consumer's error is the one reported: the producer's
  /// (its cancelled yield, or its own) comes after.
  @Test func whenBothFailTheConsumersErrorIsReported() {
    #expect(throws: ConsumerFailed.self) {
      try OrderedHandoff<Int>.run(
        capacity: 1, batchSize: 1,
        produce: { yield, _ in
          for i in 0..<100 { try yield(i) }
          throw ProducerFailed(after: 100)
        },
        consume: { item in if item == 3 { throw ConsumerFailed() } })
    }
  }

  /// The producer could yield a million items; the consumer stops at the tenth, and the
  /// producer has stopped (its yield threw) by the time `run` rethrows.
  @Test func aConsumerErrorStopsTheProducerBeforeRunReturns() {
    let progress = Progress()
    var consumed = 0
    #expect(throws: ConsumerFailed.self) {
      try OrderedHandoff<Int>.run(
        capacity: 2, batchSize: 4,
        produce: { yield, _ in
          defer { progress.finish() }
          for i in 0..<1_000_000 {
            try yield(i)
            progress.yielded(i + 1)
          }
        },
        consume: { _ in
          consumed += 1
          if consumed == 10 { throw ConsumerFailed() }
        })
    }
    let (yielded, done) = progress.snapshot
    #expect(done)
    // At most the batches in flight and the queue's capacity beyond the failing item.
    #expect(yielded < 10 + 4 * (2 + 2))
  }

  /// Weighs what has been yielded and not yet consumed, from both threads.
  final class InFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var weight = 0
    private var peak = 0
    func produced(_ w: Int) {
      lock.withLock {
        weight += w
        peak = max(peak, weight)
      }
    }
    func consumed(_ w: Int) { lock.withLock { weight -= w } }
    var maximum: Int { lock.withLock { peak } }
  }

  @Test func aWeightLimitKeepsTheProducerFromRunningFarAhead() throws {
    // Items of very different weights (as records of very different lengths), a slow consumer
    let weights = (0..<400).map { i in i % 50 == 0 ? 900 : 1 + (i * 37) % 60 }
    let inFlight = InFlight()
    var received: [Int] = []
    try OrderedHandoff<Int>.run(
      capacity: 4, batchSize: 32, weightLimit: 200, weight: { weights[$0] },
      produce: { yield, _ in
        for i in weights.indices {
          inFlight.produced(weights[i])
          try yield(i)
        }
      },
      consume: { i in
        if i % 20 == 0 { Thread.sleep(forTimeInterval: 0.001) }
        received.append(i)
        inFlight.consumed(weights[i])
      })
    // Then everything arrives in order, and at most three limits plus two items were in flight
    // (without the limit, four batches of 32 could be: thousands).
    #expect(received == Array(weights.indices))
    #expect(inFlight.maximum <= 3 * 200 + 2 * 900)
    #expect(inFlight.maximum > 200)
  }
}
