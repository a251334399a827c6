import AnnoTestSupport
import Testing

@testable import AnnoHub

@Suite struct HubURLTests {
  @Test func partsAreReadAndThePasswordNeverPrinted() throws {
    let url = try HubURL(parsing: "postgres://ann%40lab:s3cr%3At@db.example.org:6543/hub_one")
    #expect(url.user == "ann@lab")
    #expect(url.password == "s3cr:t")
    #expect(url.host == "db.example.org")
    #expect(url.port == 6543)
    #expect(url.database == "hub_one")
    #expect(url.description == "postgres://ann%40lab@db.example.org:6543/hub_one")
    #expect(!url.description.contains("s3cr"))
    let plain = try HubURL(parsing: "postgresql://alice@localhost/anno")
    #expect(plain.port == 5432)
    #expect(plain.password == nil)
    #expect(plain.isLoopback)
    #expect(!url.isLoopback)
    let six = try HubURL(parsing: "postgres://bob@[::1]:7000/anno")
    #expect(six.host == "::1" && six.port == 7000)
    #expect(six.description == "postgres://bob@[::1]:7000/anno")
    #expect(try HubURL(parsing: six.description) == six)
  }

  @Test func badURLsSayWhatIsWrongWithoutThePassword() {
    let cases: [(String, String)] = [
      ("http://a@b/c", "does not start with postgres://"),
      ("postgres://host/db", "names no user"),
      ("postgres://a@host", "names no database"),
      ("postgres://a@host:port/db", "port 'port' is not a number"),
      ("postgres://a@host:70000/db", "out of range"),
      ("postgres://a:hunter2@host/db?sslmode=require", "query parameters"),
      ("postgres://a:hunter2@/db", "names no host"),
    ]
    for (text, reason) in cases {
      do {
        _ = try HubURL(parsing: text)
        Issue.record("\(text) parsed")
      } catch {
        let message = error.errorDescription ?? ""
        #expect(message.contains(reason), "\(text): \(message)")
        #expect(!message.contains("hunter2"), "\(message)")
      }
    }
  }

  @Test func thePasswordComesFromTheURLThenPGPASSWORDThenThePasswordFile() throws {
    let url = try HubURL(parsing: "postgres://ann@db.example.org:5433/hub")
    let passFile = """
      # comment
      db.example.org:5432:hub:ann:wrong-port
      db.example.org:5433:other:ann:wrong-database
      *:5433:hub:ann:from\\:file
      *:*:*:*:too-late
      """
    #expect(HubCredentials.password(inPassFile: passFile, for: url) == "from:file")
    #expect(
      HubCredentials.password(inPassFile: passFile, for: url.loggingIn(as: "bob")) == "too-late")
    #expect(HubCredentials.password(inPassFile: "x:1:y:z:w", for: url) == nil)

    let folder = try TemporaryDirectory()
    let file = folder.path + "/pgpass"
    try passFile.write(toFile: file, atomically: true, encoding: .utf8)
    let fromFile = HubCredentials(environment: ["PGPASSFILE": file])
    #expect(try fromFile.password(for: url) == "from:file")
    let fromEnvironment = HubCredentials(environment: ["PGPASSFILE": file, "PGPASSWORD": "env"])
    #expect(try fromEnvironment.password(for: url) == "env")
    var withPassword = url
    withPassword.password = "inline"
    #expect(try fromEnvironment.password(for: withPassword) == "inline")
    let home = HubCredentials(environment: ["HOME": folder.path])
    #expect(home.passwordFile == folder.path + "/.pgpass")
    #expect(try home.password(for: url) == nil)
  }
}
