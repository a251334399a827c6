import Foundation
import GRDB

/// Moves WAL checkpoints off the save path.
///
/// By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: that
/// commit copies the pages into the database file and fsyncs it, so one label in a few
/// hundred takes tens of milliseconds to save. After ``Store/checkpointInBackground()`` the
/// store's own connection never checkpoints; a second connection runs a passive checkpoint on
/// a background queue once writes pause for `idleDelay` (an annotator reading the next
/// sentence), or at once after `busyThreshold` commits without a pause. Checkpointing while
/// a label is being saved would make the two fsyncs queue behind each other; measured, that
/// doubled the median save, which is why it waits for a pause.
final class WALCheckpointer: @unchecked Sendable {
  private let lock = NSLock()
  private let queue = DispatchQueue(label: "anno.wal-checkpoint", qos: .utility)
  // Guarded by `lock`.
  private var connection: DatabaseQueue?
  private var commitsSinceCheckpoint = 0
  private var generation = 0

  /// Starts checkpointing in the background through a connection of its own to `path`.
  func start(path: String) throws {
    var config = Configuration()
    config.busyMode = .timeout(Store.busyTimeout)
    config.label = "anno.wal-checkpoint"
    let queue = try DatabaseQueue(path: path, configuration: config)
    lock.withLock { connection = queue }
  }

  /// Whether checkpoints run in the background.
  var isRunning: Bool { lock.withLock { connection != nil } }

  /// Called after each committed write: schedules a passive checkpoint for when the writes
  /// pause (`idleDelay` after the last one), or at once when the WAL has grown past
  /// `busyThreshold` commits since the last checkpoint.
  func afterCommit() {
    let (scheduled, now, ticket): (DatabaseQueue?, Bool, Int) = lock.withLock {
      guard let connection else { return (nil, false, 0) }
      commitsSinceCheckpoint += 1
      generation &+= 1
      return (connection, commitsSinceCheckpoint >= Self.busyThreshold, generation)
    }
    guard let connection = scheduled else { return }
    let run: @Sendable () -> Void = { [self] in
      // Skip when a later commit has rescheduled (unless the WAL is long).
      let stale = lock.withLock {
        generation != ticket && commitsSinceCheckpoint < Self.busyThreshold
      }
      guard !stale else { return }
      lock.withLock { commitsSinceCheckpoint = 0 }
      // NB: failures (a busy database) only leave the pages for the next checkpoint.
      _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }
    if now {
      queue.async(execute: run)
    } else {
      queue.asyncAfter(deadline: .now() + Self.idleDelay, execute: run)
    }
  }

  /// How long writes must pause before a checkpoint runs.
  static let idleDelay: DispatchTimeInterval = .milliseconds(200)
  /// Commits after which a checkpoint runs even while writes continue.
  static let busyThreshold = 500

  /// Waits for a checkpoint that is running or due; one still waiting for writes to pause is
  /// left to SQLite, which checkpoints when the last connection closes.
  func drain() {
    queue.sync {}
  }
}

extension Store {
  /// Stops this store's connection from checkpointing inside commits and checkpoints after
  /// each write on a background queue instead (see `WALCheckpointer`): for the shell, where
  /// every label is its own durable transaction. A no-op for an in-memory store.
  public func checkpointInBackground() throws {
    guard let path, !isReadOnly, !checkpointer.isRunning else { return }
    do {
      try checkpointer.start(path: path)
      try writer.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
      }
    } catch let error as DatabaseError {
      throw Store.translate(error, path: path)
    }
  }

  /// Waits for a background checkpoint in progress, if any.
  public func finishBackgroundCheckpoints() {
    checkpointer.drain()
  }
}
