import AnnoHubTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import AnnoHub

@Suite(.timeLimit(.minutes(3))) struct HubConnectionTests {
  @Test func connectsWithTLSWhenTheServerOffersIt() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    #expect(try await hub.usesTLS())
    #expect(hub.url.password == nil)
    #expect(!hub.url.description.contains(url.password!))
    await hub.close()
    #expect(hub.isClosed)
  }

  @Test func aWrongPasswordIsRefusedNamingTheHubButNotThePassword() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    var wrong = url
    wrong.password = "not-the-password"
    do {
      _ = try await HubConnection.connect(to: wrong)
      Issue.record("connected with a wrong password")
    } catch {
      let message = error.errorDescription ?? ""
      #expect(message.contains(url.description), "\(message)")
      #expect(message.contains("password authentication failed"), "\(message)")
      #expect(!message.contains("not-the-password"))
    }
  }

  @Test func aSlowQueryFailsAtItsDeadlineAndClosesTheConnection() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    let started = Date()
    do {
      try await hub.query("SELECT pg_sleep(20)", timeout: 0.5)
      Issue.record("the query outlived its deadline")
    } catch {
      #expect(error == .timedOut(hub: url.description, seconds: 0.5, what: "SELECT pg_sleep(20)"))
    }
    #expect(Date().timeIntervalSince(started) < 5)
    // The next statement fails at once instead of hanging on the closed connection.
    try await Task.sleep(nanoseconds: 200_000_000)
    #expect(hub.isClosed)
    await #expect(throws: HubError.connectionClosed(hub: url.description)) {
      try await hub.query("SELECT 1")
    }
  }

  @Test func aServerErrorCarriesTheServersMessageAndTheTransactionIsRolledBack() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let hub = try await HubConnection.connect(to: url)
    defer { Task { await hub.close() } }
    try await hub.execute(["CREATE TABLE t (x int PRIMARY KEY)"])
    do {
      try await hub.transaction { hub in
        try await hub.query("INSERT INTO t VALUES (1)")
        try await hub.query("INSERT INTO t VALUES (1)")
      }
      Issue.record("a duplicate key was accepted")
    } catch let error as HubError {
      #expect(
        error.errorDescription?.contains("duplicate key value violates unique constraint") == true)
      #expect(error.errorDescription?.hasPrefix("hub \(url.description): ") == true)
    }
    let count = try await hub.query("SELECT count(*) FROM t").first?.decode(Int.self, what: "count")
    #expect(count == 0)
  }
}
