import AnnoHub
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A PostgreSQL cluster of the test process's own: `initdb` into a temporary folder, started
/// with `pg_ctl` on a free loopback port with TLS (a self-signed certificate) and password
/// logins, stopped and removed when the process exits.
///
/// One cluster serves every hub test of the process (`ThrowawayPostgres.shared()`); each test
/// takes a database of its own (`makeDatabase()`). As root, `initdb`, `pg_ctl` and the server
/// run as the `postgres` user, which owns the folder.
public final class ThrowawayPostgres: Sendable {
  /// Why the cluster could not start.
  public struct Failure: Error, CustomStringConvertible {
    /// What went wrong, with the command's output.
    public var description: String
  }

  /// The cluster's folder (data, socket, log).
  public let folder: String
  /// The loopback port it listens on.
  public let port: Int
  /// The superuser's name.
  public let adminUser = ThrowawayPostgres.adminName
  /// The superuser's password (random per cluster).
  public let adminPassword: String
  let binaries: String

  /// The process's cluster, started on first use.
  public static func shared() async throws -> ThrowawayPostgres {
    try await starting.value
  }

  private static let starting = Task { try ThrowawayPostgres() }

  /// A cluster of its own, for a test that stops and restarts the server.
  public static func dedicated() throws -> ThrowawayPostgres {
    try ThrowawayPostgres()
  }
  private static let adminName = "anno_admin"

  /// A fresh database on the cluster, and the superuser's URL for it (password included).
  public func makeDatabase() async throws -> HubURL {
    let name = "t_" + UUID().uuidString.prefix(8).lowercased()
    let admin = try await HubConnection.connect(to: adminURL(database: "postgres"))
    do {
      try await admin.execute(["CREATE DATABASE \(name)"])
    } catch {
      await admin.close()
      throw error
    }
    await admin.close()
    return adminURL(database: name)
  }

  /// The superuser's URL for `database`.
  public func adminURL(database: String) -> HubURL {
    HubURL(
      user: adminUser, password: adminPassword, host: "127.0.0.1", port: port, database: database)
  }

  /// Stops the server now (`pg_ctl stop -m immediate`); the folder is removed at exit.
  public func stop() {
    _ = try? Self.run(
      asPostgres: true, binaries + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "stop"])
  }

  /// Starts the server again after `stop()` (same port, same data).
  public func restart() throws {
    try Self.run(
      asPostgres: true, binaries + "/pg_ctl",
      ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "start"])
  }

  private init() throws {
    guard let binaries = Self.findBinaries() else {
      throw Failure(
        description:
          "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install postgresql (apt-get install postgresql)"
      )
    }
    self.binaries = binaries
    adminPassword = UUID().uuidString
    folder =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "anno-pg-\(UUID().uuidString.prefix(8))"
      ).path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let passwordFile = folder + "/password"
    try Data(adminPassword.utf8).write(to: URL(fileURLWithPath: passwordFile))
    try Self.giveToPostgres(folder)
    Self.cleanUpAtExit(folder: folder, binaries: binaries)

    try Self.run(
      asPostgres: true, binaries + "/initdb",
      [
        "-D", folder + "/data", "-U", Self.adminName, "--pwfile=" + passwordFile,
        "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
      ])
    try Self.run(
      asPostgres: true, "/usr/bin/openssl",
      [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
        "-keyout", folder + "/data/server.key", "-out", folder + "/data/server.crt",
      ])
    try Self.run(asPostgres: true, "/bin/chmod", ["600", folder + "/data/server.key"])
    var port = 0
    var lastError: (any Error)?
    // The port is free when chosen; another process may take it before the server binds it.
    for _ in 0..<5 {
      port = try Self.freePort()
      let settings = """

        listen_addresses = '127.0.0.1'
        port = \(port)
        unix_socket_directories = '\(folder)'
        ssl = on
        fsync = off
        synchronous_commit = off
        full_page_writes = off
        max_connections = 200

        """
      let handle = try FileHandle(
        forWritingTo: URL(fileURLWithPath: folder + "/data/postgresql.conf"))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(settings.utf8))
      try handle.close()
      do {
        try Self.run(
          asPostgres: true, binaries + "/pg_ctl",
          ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "start"])
        lastError = nil
        break
      } catch {
        lastError = error
      }
    }
    if let lastError { throw lastError }
    self.port = port
  }

  /// The newest installed PostgreSQL's `bin` folder.
  static func findBinaries() -> String? {
    let base = "/usr/lib/postgresql"
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
    return versions.compactMap { Int($0) }.sorted(by: >).map { "\(base)/\($0)/bin" }
      .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
  }

  static var isRoot: Bool { getuid() == 0 }

  /// Runs a tool (as `postgres` when this process is root) and fails with its output.
  ///
  /// It is spawned and waited for directly (`posix_spawn`, `waitpid`), with no descriptor
  /// but its output file: Foundation's `Process` notices a child's exit through a descriptor
  /// the child inherits, which the server `pg_ctl` starts would keep open for good.
  @discardableResult
  static func run(asPostgres: Bool, _ tool: String, _ arguments: [String]) throws -> String {
    let command =
      asPostgres && isRoot
      ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] + arguments
      : [tool] + arguments
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent(
      "anno-pg-output-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let pid = try spawn(command, output: outputPath)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
      guard errno == EINTR else {
        throw Failure(description: "waitpid for \(command[0]) failed: errno \(errno)")
      }
    }
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    // WIFEXITED and WEXITSTATUS, which are macros in C.
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    guard exitStatus == 0 else {
      throw Failure(
        description:
          "\((tool as NSString).lastPathComponent) \(arguments.joined(separator: " ")) exited with \(exitStatus): \(text)"
      )
    }
    return text
  }

  /// Starts `command` with standard input from /dev/null, standard output and error into
  /// `output`, and no other descriptor of this process.
  static func spawn(_ command: [String], output: String, attempt: Int = 0) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Every other open descriptor is closed in the child (a descriptor another thread closes
    // meanwhile makes the spawn fail with EBADF: it is tried again).
    let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [])
      .compactMap { Int32($0) }.filter { $0 > 2 }
    for descriptor in open { posix_spawn_file_actions_addclose(&actions, descriptor) }
    let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
    if spawned == EBADF, attempt < 3 {
      return try spawn(command, output: output, attempt: attempt + 1)
    }
    guard spawned == 0 else {
      throw Failure(description: "cannot run \(command[0]): \(String(cString: strerror(spawned)))")
    }
    return pid
  }

  private static func giveToPostgres(_ path: String) throws {
    guard isRoot else { return }
    try run(asPostgres: false, "/bin/chown", ["-R", "postgres:postgres", path])
  }

  /// A TCP port on 127.0.0.1 that nothing listens on right now.
  static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
        bind(descriptor, socketAddress, length) == 0
          && getsockname(descriptor, socketAddress, &length) == 0
      }
    }
    guard bound else { throw Failure(description: "bind() failed: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Stops the server and removes its folder when the process exits: at `exit` (atexit),
  /// and, should the process die without running it, from a watchdog that waits for this
  /// process to end.
  private static func cleanUpAtExit(folder: String, binaries: String) {
    let prefix = isRoot ? "runuser -u postgres -- " : ""
    let script = """
      \(prefix)'\(binaries)/pg_ctl' -D '\(folder)/data' -m immediate stop >/dev/null 2>&1
      rm -rf '\(folder)'
      """
    cleanUpScript.withLock { $0 = script }
    _ = try? spawn(
      ["/bin/sh", "-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(script)"],
      output: "/dev/null")
    atexit {
      guard let script = ThrowawayPostgres.cleanUpScript.withLock({ $0 }) else { return }
      _ = try? ThrowawayPostgres.run(asPostgres: false, "/bin/sh", ["-c", script])
    }
  }

  private static let cleanUpScript = Locked<String?>(nil)
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLock<R>(_ body: (inout Value) -> R) -> R {
    lock.lock()
    defer { lock.unlock() }
    return body(&value)
  }
}
