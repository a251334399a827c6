import AnnoCore
import AnnoHub
import AnnoPipeline
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

/// `on` or `off`.
enum Switch: String, ExpressibleByArgument, CaseIterable {
  case on
  case off
}

extension Anno {
  /// `sync [--hub URL] [--auto on|off]`: this database and the team hub, brought up to date;
  /// the same command on the command line and in the shell.
  struct Sync: SharedCommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Push your own labels and events to the team hub and pull what is new.",
      discussion: """
        Pushes the events, annotation sets and (for reviewers) gold decisions made here by the \
        member the hub URL logs in as, in batches of 500, then pulls the schema, new documents, \
        assignments and the labels, events and decisions the member may see (the server \
        decides). The hub is --hub, else $ANNO_HUB, else the one this database synced with last \
        (remembered without its password; the password comes from $PGPASSWORD or ~/.pgpass). \
        Interrupted at any point, running it again finishes it: nothing is stored twice. One \
        annotator's two versions of a set (two machines) are settled as 'anno merge' settles \
        them: the newer latest change wins and the conflict is listed. In the interactive shell \
        the sync runs in the background and what it did is said before a later prompt; in a \
        script it is waited for. --auto on makes the shell start one after every change \
        (hub.auto_sync), without syncing now.
        """)

    @Option(
      help: ArgumentHelp("The hub (default: $ANNO_HUB, else the last one).", valueName: "url"))
    var hub: String?
    @Option(help: "Turn background sync in the shell on or off (hub.auto_sync), without syncing.")
    var auto: Switch?

    func run(at place: CommandPlace) throws {
      let session = try place.session()
      let store = session.store
      if let auto {
        try store.setSetting(
          HubSyncRunner.autoSyncSetting, to: auto.rawValue, of: session.annotator)
        let knowsHub = (try? HubSyncRunner.resolveURL(nil, store: store)) != nil
        place.say(
          "hub.auto_sync: \(auto.rawValue)"
            + (auto == .on && !knowsHub
              ? " (no hub yet: background syncs start once 'sync --hub URL' or $ANNO_HUB names one)"
              : ""))
        return
      }
      let url = try HubSyncRunner.resolveURL(hub, store: store)
      let annotator = session.annotator
      switch place {
      case .commandLine:
        let progress = SyncProgress(enabled: isatty(2) != 0)
        defer { progress.clear() }
        let summary = try runBlocking {
          try await HubSyncRunner.sync(store: store, url: url) { progress.report($0) }
        }
        place.write(HubSyncRunner.describe(summary, workingAs: annotator))
      case .shell(let context):
        guard BackgroundSync.shared.start(store: store, url: url, workingAs: annotator) else {
          context.say("a sync is already running")
          return
        }
        if context.isInteractive {
          context.say("syncing with \(url) in the background")
        } else {
          BackgroundSync.shared.wait()
          for message in BackgroundSync.shared.takeFinished() { context.write(message) }
        }
      }
    }
  }
}

/// What `anno sync` and the shell's `sync` share.
enum HubSyncRunner {
  /// The annotator setting that turns background sync on in the shell.
  static let autoSyncSetting = "hub.auto_sync"

  /// The hub: given, else $ANNO_HUB, else the one the database remembers.
  static func resolveURL(_ given: String?, store: Store) throws -> HubURL {
    if let given { return try HubURL(parsing: given) }
    if let environment = ProcessInfo.processInfo.environment["ANNO_HUB"], !environment.isEmpty {
      return try HubURL(parsing: environment)
    }
    if let remembered = try store.hubSyncState().hubURL {
      return try HubURL(parsing: remembered)
    }
    throw CommandFailure(
      "which hub? pass --hub postgres://USER@HOST:PORT/DB or set ANNO_HUB (the hub is remembered after the first sync)"
    )
  }

  /// One sync of `store` with the hub at `url`.
  static func sync(
    store: Store, url: HubURL, progress: @escaping @Sendable (HubSyncProgress) async -> Void
  ) async throws -> HubSyncSummary {
    let hub = try await HubConnection.connect(to: url)
    do {
      let summary = try await HubSync(store: store, hub: hub).run(progress: progress)
      await hub.close()
      return summary
    } catch {
      await hub.close()
      throw error
    }
  }

  /// The summary's lines, one per conflict after the counts.
  static func describe(_ s: HubSyncSummary, workingAs annotator: String) -> String {
    let p = s.pulled
    var out = "synced with \(s.hub) as \(s.member): "
    out += "pushed \(s.eventsPushed) events, \(s.setsPushed) annotation sets"
    if s.decisionsPushed > 0 { out += ", \(s.decisionsPushed) gold decisions" }
    out +=
      "; pulled \(p.documentsAdded) documents, \(p.setsAdded + p.setsReplaced) annotation sets, "
    out += "\(p.eventsAdded) events"
    if p.decisionsAdded + p.decisionsReplaced > 0 {
      out += ", \(p.decisionsAdded + p.decisionsReplaced) gold decisions"
    }
    out += "; \(p.assignments) assignments"
    if p.schemaChanged { out += "; took the hub's schema" }
    out += "\n"
    if s.tookNewOrigin {
      out +=
        "this database is a copy of one that synced before: it took a new origin, so its events keep ids of their own\n"
    }
    if annotator != s.member {
      out +=
        "note: you work here as '\(annotator)', but the hub login is member '\(s.member)': only '\(s.member)''s own labels are pushed\n"
    }
    if s.setsWithoutDocument > 0 {
      out +=
        "not pushed: \(s.setsWithoutDocument) annotation sets of documents the hub does not hold\n"
    }
    if !p.documentConflicts.isEmpty {
      out +=
        "documents with another text on the hub (left as they are here): "
        + p.documentConflicts.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
        + (p.documentConflicts.count > 10 ? " and \(p.documentConflicts.count - 10) more" : "")
        + "\n"
    }
    for conflict in p.conflicts {
      out += conflict.line(
        keptTheirs: "kept the hub's", keptOurs: "kept this database's", there: "on the hub")
    }
    return out
  }
}

/// The shell's syncs: one at a time, on a thread of their own, so the shell never waits for
/// the network; what a finished one did is said before the next prompt.
final class BackgroundSync: @unchecked Sendable {
  static let shared = BackgroundSync()
  private let lock = NSLock()
  private var running = false
  private var finished: [String] = []

  /// Starts a sync unless one is running; whether it started.
  @discardableResult
  func start(store: Store, url: HubURL, workingAs annotator: String) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard !running else { return false }
    running = true
    let thread = Thread { [self] in
      let message: String
      do {
        let summary = try runBlocking {
          try await HubSyncRunner.sync(store: store, url: url) { _ in }
        }
        message = HubSyncRunner.describe(summary, workingAs: annotator)
      } catch {
        message =
          "sync failed: \((error as? any LocalizedError)?.errorDescription ?? "\(error)")\n"
      }
      lock.lock()
      finished.append(message)
      running = false
      lock.unlock()
    }
    thread.start()
    return true
  }

  /// Before a shell command: what the syncs that finished since did, with the shell's counts
  /// brought up to date (a sync may have pulled documents).
  func reportFinished(in context: ShellContext) {
    let messages = takeFinished()
    guard !messages.isEmpty else { return }
    for message in messages { context.write(message) }
    try? context.refreshCounts()
    if context.document == nil && context.documentCount > 0 {
      context.say(context.palette.dim("('next' opens a document)"))
    }
  }

  /// After a shell command that saved a change: a new background sync when hub.auto_sync is
  /// on (the change itself is already saved locally).
  func startIfAutomatic(in context: ShellContext, annotator: String) {
    let store = context.store
    guard context.lastSaveMicroseconds != nil,
      (try? store.setting(HubSyncRunner.autoSyncSetting, of: annotator)) == "on",
      let url = try? HubSyncRunner.resolveURL(nil, store: store)
    else { return }
    start(store: store, url: url, workingAs: annotator)
  }

  /// Whether a sync is running.
  var isRunning: Bool {
    lock.lock()
    defer { lock.unlock() }
    return running
  }

  /// What the syncs that finished since the last call did.
  func takeFinished() -> [String] {
    lock.lock()
    defer { lock.unlock() }
    defer { finished = [] }
    return finished
  }

  /// Waits until no sync runs.
  func wait() {
    while isRunning { Thread.sleep(forTimeInterval: 0.02) }
  }
}

/// The progress line of `anno sync`: one bar per step, on standard error at a terminal.
final class SyncProgress: @unchecked Sendable {
  private let lock = NSLock()
  private let enabled: Bool
  private var step = ""
  private var line: ProgressLine?
  private var reported = 0

  init(enabled: Bool) { self.enabled = enabled }

  func report(_ progress: HubSyncProgress) {
    lock.lock()
    defer { lock.unlock() }
    if progress.step != step {
      line?.clear()
      step = progress.step
      reported = 0
      line = ProgressLine(
        total: progress.total, enabled: enabled, label: progress.step,
        write: StandardStreams.writeError)
    }
    line?.advance(by: progress.done - reported)
    reported = progress.done
  }

  func clear() {
    lock.lock()
    defer { lock.unlock() }
    line?.clear()
  }
}

/// `--hub URL` of the manager views (`agree`, `export`, `report study`): read the team hub
/// instead of the local database.
struct HubReading: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Read the team hub instead of this database (what your hub login may see, pulled now into a temporary copy).",
      valueName: "url"))
  var hub: String?

  /// Where the command runs: `place` itself, or on the command line a snapshot of the hub as
  /// the database (kept alive by the returned snapshot), with the hub member as the annotator.
  ///
  /// - Throws: `CommandFailure` for `--hub` in the shell (the shell works on its database).
  func place(_ place: CommandPlace, command: String) throws -> (
    place: CommandPlace, snapshot: HubSnapshot?
  ) {
    guard let hub else { return (place, nil) }
    switch place {
    case .commandLine(let global):
      let snapshot = try HubSnapshot(url: hub)
      return (.commandLine(snapshot.options(global)), snapshot)
    case .shell:
      throw CommandFailure(
        "--hub reads the team hub from the command line: run 'anno \(command) --hub \(hub)'; the shell works on this database"
      )
    }
  }
}

/// A temporary database holding what a hub login may see, for the manager views: removed
/// when the command ends.
final class HubSnapshot {
  let folder: String
  let path: String
  /// The hub member the URL logs in as.
  private(set) var member = ""

  /// Pulls the hub at `url` into a new database in a temporary folder, in batches (memory
  /// stays flat however large the hub).
  init(url given: String) throws {
    let url = try HubURL(parsing: given)
    folder = NSTemporaryDirectory() + "anno-hub-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    path = folder + "/hub.sqlite"
    let store: Store
    do {
      store = try Store(path: path)
    } catch {
      try? FileManager.default.removeItem(atPath: folder)
      throw error
    }
    let progress = SyncProgress(enabled: isatty(2) != 0)
    defer { progress.clear() }
    do {
      member = try runBlocking {
        let hub = try await HubConnection.connect(to: url)
        do {
          var sync = HubSync(store: store, hub: hub)
          sync.batchSize = 2000
          let member = try await sync.member()
          _ = try await sync.pullAll { progress.report($0) }
          await hub.close()
          return member
        } catch {
          await hub.close()
          throw error
        }
      }
    } catch {
      try? FileManager.default.removeItem(atPath: folder)
      throw error
    }
  }

  /// The global options with the snapshot as the database and the hub member as the
  /// annotator.
  func options(_ global: GlobalOptions) -> GlobalOptions {
    var options = global
    options.db = path
    options.annotator = member
    return options
  }

  deinit { try? FileManager.default.removeItem(atPath: folder) }
}
