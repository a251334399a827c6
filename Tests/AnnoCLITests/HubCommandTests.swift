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

  /// Each annotator's shell script: what they label.
  static let scripts = [
    "ann1": "open d1\ntag PER \"Sergei Lavrov\"\ntag PER \"John Kerry\"\ntag LOC Geneva\ndone\n",
    "ann2":
      "open d1\ntag PER \"Sergei Lavrov\"\ntag LOC Geneva\ndone\nopen d2\ntag PER \"Sergei Lavrov\"\ndone\n",
    "ann3": "open d2\ntag PER \"Sergei Lavrov\"\ntag LOC Geneva\ndone\n",
  ]

  @Test func threeAnnotatorsSyncingThroughTheBinaryGiveTheHubTheExportOfOneDatabase() async throws {
    let url = try await ThrowawayPostgres.shared().makeDatabase()
    let folder = try TemporaryDirectory()
    let corpus = try folder.write("c.jsonl", Self.corpus)
    let owner = url.loggingIn(as: url.user)
    let noPassFile = ["PGPASSFILE": folder.file("none")]
    let asOwner = noPassFile.merging(["PGPASSWORD": url.password!]) { $1 }
    let prefix = url.database + "_"
    let managerDB = folder.file("manager.sqlite")
    let study = [
      "assign", "--annotators", "ann1,ann2,ann3", "--overlap", "1", "--per-overlap-doc", "3",
      "--seed", "3",
    ]
    try AnnoBinary.prepare(["--db", managerDB, "import", corpus])
    try AnnoBinary.prepare(["--db", managerDB] + study)
    try AnnoBinary.prepare(
      ["--db", managerDB, "hub", "init", owner.description, "--login-prefix", prefix],
      environment: asOwner)
    var environments: [String: [String: String]] = [:]
    var hubs: [String: String] = [:]
    for (name, role) in [
      ("ann1", "annotator"), ("ann2", "annotator"), ("ann3", "annotator"), ("man", "manager"),
    ] {
      let password = "pw-\(name)-\(UUID().uuidString.prefix(8))"
      try AnnoBinary.prepare(
        [
          "hub", "add-member", name, "--role", role, "--password-stdin", "--login", prefix + name,
          "--hub", owner.description,
        ], stdin: password + "\n", environment: asOwner)
      environments[name] = noPassFile.merging(["PGPASSWORD": password]) { $1 }
      hubs[name] = url.loggingIn(as: prefix + name).description
    }

    // The reference: one database that received every annotator's commands.
    let singleDB = folder.file("single.sqlite")
    try AnnoBinary.prepare(["--db", singleDB, "import", corpus])
    try AnnoBinary.prepare(["--db", singleDB] + study)
    for (name, script) in Self.scripts.sorted(by: { $0.key < $1.key }) {
      try AnnoBinary.prepare(["--db", singleDB, "--annotator", name, "shell"], stdin: script)
    }

    // Each annotator: a first sync makes their database, the shell labels and syncs at the
    // end of the script (the hub is remembered), and a second sync changes nothing.
    for (name, script) in Self.scripts.sorted(by: { $0.key < $1.key }) {
      let db = folder.file("\(name).sqlite")
      let environment = try #require(environments[name])
      let first = try AnnoBinary.run(
        ["--db", db, "--annotator", name, "sync", "--hub", try #require(hubs[name])],
        environment: environment)
      #expect(first.status == 0, "\(first.stderr)")
      #expect(first.stdout.contains("pulled 2 documents"), "\(first.stdout)")
      let labelled = try AnnoBinary.run(
        ["--db", db, "--annotator", name, "shell"], stdin: script + "sync\n",
        environment: environment)
      #expect(labelled.status == 0, "\(labelled.stderr)")
      #expect(labelled.stdout.contains("synced with \(try #require(hubs[name])) as \(name)"))
      let again = try AnnoBinary.run(
        ["--db", db, "--annotator", name, "sync"], environment: environment)
      #expect(again.stdout.contains("pushed 0 events, 0 annotation sets"), "\(again.stdout)")
    }

    // The manager reads the hub directly: the export equals the single database's, byte for
    // byte, and so does the agreement report.
    let manager = try #require(environments["man"])
    let managerHub = try #require(hubs["man"])
    let fromHub = try AnnoBinary.run(
      ["--db", folder.file("unused.sqlite"), "export", "--hub", managerHub, "--format", "anno"],
      environment: manager)
    #expect(fromHub.status == 0, "\(fromHub.stderr)")
    let single = try AnnoBinary.prepare(["--db", singleDB, "export", "--format", "anno"])
    #expect(fromHub.stdout == single.stdout)
    #expect(fromHub.stdout.split(separator: "\n").count == 4)
    let agreeHub = try AnnoBinary.run(
      ["agree", "--hub", managerHub, "--format", "json"], environment: manager)
    #expect(agreeHub.status == 0, "\(agreeHub.stderr)")
    let agreeSingle = try AnnoBinary.prepare(["--db", singleDB, "agree", "--format", "json"])
    #expect(agreeHub.stdout == agreeSingle.stdout)
    let studyHub = try AnnoBinary.run(
      ["report", "study", "--hub", managerHub, "--format", "json"], environment: manager)
    #expect(studyHub.status == 0, "\(studyHub.stderr)")
    let studySingle = try AnnoBinary.prepare(
      ["--db", singleDB, "report", "study", "--format", "json"])
    #expect(studyHub.stdout == studySingle.stdout)
    #expect(!FileManager.default.fileExists(atPath: folder.file("unused.sqlite")))

    // An annotator's login reads only their own labels from the hub: agreement is refused.
    let blind = try AnnoBinary.run(
      ["agree", "--hub", try #require(hubs["ann1"])],
      environment: try #require(environments["ann1"]))
    #expect(blind.status != 0)
    #expect(blind.stderr.contains("'agree'"), "\(blind.stderr)")
    let inShell = try AnnoBinary.run(
      ["--db", folder.file("ann1.sqlite"), "--annotator", "ann1", "shell"],
      stdin: "export --hub \(managerHub)\n", environment: manager)
    #expect(inShell.status != 0)
    #expect(inShell.stderr.contains("--hub reads the team hub from the command line"))

    // hub.auto_sync: a change in the shell starts a background sync, which finishes (and says
    // what it did) before the shell leaves.
    let ann1 = try #require(environments["ann1"])
    let auto = try AnnoBinary.run(
      ["--db", folder.file("ann1.sqlite"), "--annotator", "ann1", "sync", "--auto", "on"],
      environment: ann1)
    #expect(auto.stdout == "hub.auto_sync: on\n", "\(auto.stdout)")
    let tagged = try AnnoBinary.run(
      ["--db", folder.file("ann1.sqlite"), "--annotator", "ann1", "shell"],
      stdin: "open d2\ntag LOC Geneva\n", environment: ann1)
    #expect(tagged.status == 0, "\(tagged.stderr)")
    #expect(
      tagged.stdout.contains("as ann1: pushed 1 events, 1 annotation sets"), "\(tagged.stdout)")
    let fresh = try AnnoBinary.run(
      ["--db", folder.file("fresh.sqlite"), "sync", "--auto", "on"], environment: ["ANNO_HUB": ""])
    #expect(fresh.status == 0)
    #expect(fresh.stdout.contains("no hub yet"), "\(fresh.stdout)")
  }
}
