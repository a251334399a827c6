import AnnoCore
import AnnoHub
import AnnoHubTestSupport
import AnnoTestSupport
import Foundation
import Testing

/// `anno hub init`, `add-member` and `status` through the binary, against a throwaway server.
@Suite(.timeLimit(.minutes(3))) struct HubCommandTests {
  static let corpus = """
    {"id": "d1", "text": "Sergei Lavrov met John Kerry in Geneva."}
    {"id": "d2", "text": "Later Sergei Lavrov flew to Geneva."}

    """

  @Test func initAddMemberAndStatusWorkWithThePasswordFromTheEnvironmentOnly() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let folder = try TemporaryDirectory()
    let db = folder.file("team.sqlite")
    try AnnoBinary.prepare(["--db", db, "import", try folder.write("c.jsonl", Self.corpus)])
    try AnnoBinary.prepare(["--db", db, "team", "add", "ann1", "--role", "annotator"])
    let owner = url.loggingIn(as: url.user)  // no password in the URL
    let environment = ["PGPASSWORD": url.password!, "PGPASSFILE": folder.file("none")]
    let prefix = url.database + "_"

    let initialised = try AnnoBinary.run(
      ["--db", db, "hub", "init", owner.description, "--login-prefix", prefix],
      environment: environment)
    #expect(initialised.status == 0, "\(initialised.stderr)")
    #expect(initialised.stdout.contains("documents: 2 uploaded, 0 already there"))
    #expect(initialised.stdout.contains("members added without a login: ann1"))
    let again = try AnnoBinary.run(
      ["--db", db, "hub", "init", owner.description, "--login-prefix", prefix],
      environment: environment)
    #expect(again.stdout.contains("tables up to date"), "\(again.stdout)\(again.stderr)")
    #expect(again.stdout.contains("documents: 0 uploaded, 2 already there"))

    let added = try AnnoBinary.run(
      [
        "hub", "add-member", "ann1", "--role", "annotator", "--password-stdin", "--hub",
        owner.description,
      ],
      stdin: "s3cret-pass\n", environment: environment)
    #expect(added.status == 0, "\(added.stderr)")
    #expect(!added.stdout.contains("s3cret-pass"))
    let generated = try AnnoBinary.run(
      ["hub", "add-member", "rev", "--role", "reviewer", "--login", prefix + "rev"],
      environment: environment.merging(["ANNO_HUB": owner.description]) { $1 })
    #expect(generated.status == 0, "\(generated.stderr)")
    let password = try #require(
      generated.stdout.split(separator: "\n").first { $0.hasPrefix("password for") }?
        .split(separator: " ").last.map(String.init))
    #expect(password.count == 24)

    // Both log in with their passwords; ann1 sees only their own documents' rows.
    for (login, secret) in [(prefix + "ann1", "s3cret-pass"), (prefix + "rev", password)] {
      let member = try await HubConnection.connect(
        to: url.loggingIn(as: login, password: secret),
        credentials: HubCredentials(environment: [:]))
      #expect(try await member.usesTLS())
      await member.close()
    }

    let status = try AnnoBinary.run(
      ["hub", "status", owner.description, "--format", "json"], environment: environment)
    #expect(status.status == 0, "\(status.stderr)")
    let json = try JSONParser.parse(status.stdout)
    #expect(json.objectValue?["documents"] == .int(2))
    #expect(json.objectValue?["hub"] == .string(owner.description))
    let members = json.objectValue?["members"]?.arrayValue?.compactMap { $0.objectValue } ?? []
    #expect(members.map { $0["name"] } == [.string("ann1"), .string("rev")])
    #expect(members.map { $0["can_log_in"] } == [.bool(true), .bool(true)])
    #expect(members.map { $0["last_sync"] } == [.null, .null])
    let text = try AnnoBinary.run(["hub", "status", owner.description], environment: environment)
    #expect(text.stdout.contains("documents: 2"), "\(text.stdout)")
    #expect(text.stdout.contains("never"))
  }

  @Test func hubCommandsFailWithTheHubsNameAndNoPassword() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let folder = try TemporaryDirectory()
    var wrong = url
    wrong.password = "wrong-password"
    let withWrong = "postgres://\(url.user):wrong-password@\(url.host):\(url.port)/\(url.database)"
    let refused = try AnnoBinary.run(
      ["--db", folder.file("x.sqlite"), "hub", "init", withWrong],
      environment: ["PGPASSFILE": folder.file("none")])
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("cannot connect to hub \(url.description)"), "\(refused.stderr)")
    #expect(refused.stderr.contains("password authentication failed"))
    #expect(!refused.stderr.contains("wrong-password"))

    let notInitialised = try AnnoBinary.run(
      ["hub", "status", url.loggingIn(as: url.user).description],
      environment: ["PGPASSWORD": url.password!])
    #expect(notInitialised.status != 0)
    #expect(
      notInitialised.stderr.contains("has no Anno schema; run 'anno hub init"),
      "\(notInitialised.stderr)")

    let noHub = try AnnoBinary.run(
      ["hub", "add-member", "x", "--role", "annotator"], environment: ["ANNO_HUB": ""])
    #expect(noHub.status != 0)
    #expect(noHub.stderr.contains("which hub? pass --hub"))

    let badURL = try AnnoBinary.run(["hub", "status", "http://host/db"])
    #expect(badURL.status != 0)
    #expect(badURL.stderr.contains("bad hub URL 'http://host/db'"))
  }
}
