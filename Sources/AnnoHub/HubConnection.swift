import Foundation
import PostgresNIO

/// One session with a hub: a `PostgresConnection` whose every query has a deadline and whose
/// errors name the hub (never its password).
///
/// TLS is preferred: the connection is encrypted whenever the server offers it. The server's
/// certificate is checked against the system's trust store, except on loopback, where a
/// throwaway server's self-signed certificate is accepted.
public final class HubConnection: Sendable {
  /// The hub, without its password.
  public let url: HubURL
  /// How long a statement may take before the connection is closed and the statement fails.
  public let timeout: Double
  let connection: PostgresConnection
  let logger: Logger
  /// Set when a statement missed its deadline: the connection is given up on at once, even
  /// while PostgresNIO still waits for the server to finish the statement before closing.
  private let abandoned = LockedBox(false)

  private init(url: HubURL, timeout: Double, connection: PostgresConnection, logger: Logger) {
    self.url = url
    self.timeout = timeout
    self.connection = connection
    self.logger = logger
  }

  deinit {
    // The connection is kept until its close completes (PostgresNIO requires it closed
    // before it goes away).
    let connection = self.connection
    connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
  }

  /// Connects to `url` as its user, with the password from the URL, `$PGPASSWORD` or
  /// `~/.pgpass` (see `HubCredentials`).
  public static func connect(
    to url: HubURL, credentials: HubCredentials = HubCredentials(), timeout: Double = 30
  ) async throws(HubError) -> HubConnection {
    let password = try credentials.password(for: url)
    var safeURL = url
    safeURL.password = nil
    var tls = TLSConfiguration.makeClientConfiguration()
    if url.isLoopback { tls.certificateVerification = .none }
    let context: NIOSSLContext
    do {
      context = try NIOSSLContext(configuration: tls)
    } catch {
      throw .cannotConnect(hub: safeURL.description, reason: "TLS setup failed: \(error)")
    }
    var configuration = PostgresConnection.Configuration(
      host: url.host, port: url.port, username: url.user, password: password,
      database: url.database, tls: .prefer(context))
    configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
    // The server ends a statement that outlives the deadline itself, so a query the client
    // gave up on does not run on.
    // A sync moves its local cursor once the hub acknowledged a commit, so an acknowledged
    // commit must be durable even on a server that defaults to asynchronous commit.
    configuration.options.additionalStartupParameters = [
      ("statement_timeout", String(Int64(timeout * 1000))),
      ("synchronous_commit", "on"),
      ("application_name", "anno"),
    ]
    if !url.isLoopback { configuration.options.tlsServerName = url.host }
    var logger = Logger(label: "anno.hub")
    logger.logLevel = .critical
    let connection: PostgresConnection
    do {
      connection = try await Deadline.run(seconds: timeout + 1) { [logger, configuration] in
        try await PostgresConnection.connect(
          configuration: configuration, id: 1, logger: logger)
      } onTimeout: {
      }
    } catch Deadline.Expired.expired {
      throw .cannotConnect(
        hub: safeURL.description, reason: "no answer within \(Int(timeout)) s")
    } catch {
      throw .cannotConnect(hub: safeURL.description, reason: Self.describe(error))
    }
    return HubConnection(url: safeURL, timeout: timeout, connection: connection, logger: logger)
  }

  /// Whether the connection is closed (by `close()`, the server, the network or a deadline).
  public var isClosed: Bool { abandoned.withLockedValue { $0 } || connection.isClosed }

  /// Whether the session is encrypted (PostgreSQL's own view, from `pg_stat_ssl`).
  public func usesTLS() async throws(HubError) -> Bool {
    try await query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?
      .decode(Bool.self, what: "pg_stat_ssl") ?? false
  }

  /// Runs one statement and returns all its rows; fails after `timeout` seconds (closing the
  /// connection) or when the server refuses it.
  @discardableResult
  public func query(
    _ query: PostgresQuery, timeout: Double? = nil, file: String = #fileID, line: Int = #line
  ) async throws(HubError) -> [PostgresRow] {
    guard !isClosed else { throw .connectionClosed(hub: url.description) }
    let seconds = timeout ?? self.timeout
    let connection = self.connection
    let logger = self.logger
    let abandoned = self.abandoned
    do {
      return try await Deadline.run(seconds: seconds) {
        var rows: [PostgresRow] = []
        for try await row in try await connection.query(query, logger: logger) {
          rows.append(row)
        }
        return rows
      } onTimeout: {
        abandoned.withLockedValue { $0 = true }
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
      }
    } catch Deadline.Expired.expired {
      throw .timedOut(hub: url.description, seconds: seconds, what: Self.firstLine(query.sql))
    } catch {
      throw translate(error)
    }
  }

  /// Runs statements that take no parameters, one after the other.
  public func execute(_ statements: [String]) async throws(HubError) {
    for statement in statements {
      try await query(PostgresQuery(unsafeSQL: statement))
    }
  }

  /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
  public func transaction<Result: Sendable>(
    _ body: (HubConnection) async throws -> Result
  ) async throws -> Result {
    try await query("BEGIN")
    do {
      let result = try await body(self)
      try await query("COMMIT")
      return result
    } catch {
      if !isClosed { _ = try? await query("ROLLBACK") }
      throw error
    }
  }

  /// Closes the connection (waiting at most a second for the server to acknowledge).
  public func close() async {
    guard !connection.isClosed else { return }
    abandoned.withLockedValue { $0 = true }
    let connection = self.connection
    _ = try? await Deadline.run(seconds: 1) {
      try await connection.close()
    } onTimeout: {
    }
  }

  /// A hub error for a PostgresNIO error: the server's own message where there is one.
  func translate(_ error: any Error) -> HubError {
    if let error = error as? HubError { return error }
    if let error = error as? PSQLError {
      if error.code == .clientClosedConnection || error.code == .serverClosedConnection
        || error.code == .uncleanShutdown
      {
        return .connectionClosed(hub: url.description)
      }
    }
    return .server(hub: url.description, message: Self.describe(error))
  }

  /// The server's message (with its detail and hint), or the error's own description.
  static func describe(_ error: any Error) -> String {
    if let error = error as? PSQLError {
      if let info = error.serverInfo, let message = info[.message] {
        var text = message
        if let detail = info[.detail] { text += " (\(detail))" }
        if let hint = info[.hint] { text += "; \(hint)" }
        return text
      }
      if let underlying = error.underlying { return "\(error.code): \(underlying)" }
      return "\(error.code)"
    }
    return "\(error)"
  }

  /// The server's SQLSTATE for an error, e.g. `42501` for a refused privilege.
  public static func sqlState(of error: any Error) -> String? {
    (error as? PSQLError)?.serverInfo?[.sqlState]
  }

  private static func firstLine(_ sql: String) -> String {
    let line = sql.split(whereSeparator: \.isNewline).first.map(String.init) ?? sql
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    return trimmed.count > 60 ? String(trimmed.prefix(57)) + "..." : trimmed
  }
}

extension PostgresRow {
  /// The row's first column as `T`, with a hub error naming `what` when it is not one.
  public func decode<T: PostgresDecodable>(_ type: T.Type, what: String) throws(HubError) -> T {
    do {
      return try decode(T.self)
    } catch {
      throw .invalid("unexpected value from the hub (\(what)): \(error)")
    }
  }
}

/// Races an operation against a timer. Unlike a task group, it returns as soon as either
/// finishes: an operation stuck in a library that ignores cancellation is left behind, not
/// waited for.
enum Deadline {
  enum Expired: Error { case expired }

  /// The value, leaving `nil` behind: whoever takes the continuation resumes it.
  static func take<Value>(_ value: inout Value?) -> Value? {
    defer { value = nil }
    return value
  }

  static func run<T: Sendable>(
    seconds: Double, _ operation: @escaping @Sendable () async throws -> T,
    onTimeout: @escaping @Sendable () -> Void
  ) async throws -> T {
    let state = LockedBox<CheckedContinuation<T, any Error>?>(nil)
    let tasks = LockedBox<[Task<Void, Never>]>([])
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<T, any Error>) in
        state.withLockedValue { $0 = continuation }
        let finish: @Sendable (Result<T, any Error>) -> Bool = { result in
          guard let continuation = state.withLockedValue(Self.take) else { return false }
          continuation.resume(with: result)
          for task in tasks.withLockedValue({ $0 }) { task.cancel() }
          return true
        }
        let work = Task {
          do {
            let value = try await operation()
            _ = finish(.success(value))
          } catch {
            _ = finish(.failure(error))
          }
        }
        let timer = Task {
          try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1_000_000_000))
          guard !Task.isCancelled else { return }
          if finish(.failure(Expired.expired)) { onTimeout() }
        }
        tasks.withLockedValue { $0 = [work, timer] }
        // Either may have finished before the other was stored.
        if state.withLockedValue({ $0 == nil }) {
          work.cancel()
          timer.cancel()
        }
      }
    } onCancel: {
      if let continuation = state.withLockedValue(Self.take) {
        continuation.resume(throwing: CancellationError())
      }
      for task in tasks.withLockedValue({ $0 }) { task.cancel() }
    }
  }
}

/// A value behind a lock, shared between tasks.
final class LockedBox<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLockedValue<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}
