import AnnoCore
import AnnoHub
import AnnoPipeline
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension HubRole: ExpressibleByArgument {}

extension Anno {
  /// `anno hub`: a team's shared PostgreSQL database.
  struct Hub: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "hub",
      abstract: "Set up and inspect a team hub: a PostgreSQL database the team syncs with.",
      discussion: """
        The hub's URL is postgres://USER@HOST:PORT/DATABASE; the password comes from the URL, \
        $PGPASSWORD or ~/.pgpass and is never stored. Commands other than init take the URL \
        from --hub or $ANNO_HUB. Connections use TLS whenever the server offers it.
        """,
      subcommands: [Init.self, Status.self, AddMember.self])

    @ParentCommand var anno: Anno

    /// `anno hub init URL`.
    struct Init: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "init",
        abstract:
          "Create the hub's tables, roles and policies, and upload this database's documents, schema, guidelines, team and assignment.",
        discussion: """
          Run it as the hub's owner: a PostgreSQL role that may create roles (and the \
          database's owner). Running it again is safe: it adds what the hub lacks and refuses \
          when the hub has another schema or other texts under the same document ids. \
          Members from the local team join without a login; give each one with \
          'anno hub add-member NAME --role ROLE'.
          """)
      @ParentCommand var parent: Hub
      @Argument(help: ArgumentHelp("postgres://USER@HOST:PORT/DATABASE", valueName: "url"))
      var url: String
      @Option(
        help: ArgumentHelp(
          "Put before each member's name to make their PostgreSQL role (roles are shared by every database on a server).",
          valueName: "prefix"))
      var loginPrefix = ""

      func run() throws {
        let hubURL = try HubURL(parsing: url)
        let session = try Session(options: parent.anno.global)
        let store = session.store
        let total = try store.documentCount()
        let progress = ProgressBox(
          ProgressLine(
            total: total, enabled: isatty(2) != 0 && total > HubAdmin.batchSize,
            label: "uploading documents", write: StandardStreams.writeError))
        let prefix = loginPrefix
        let summary = try runBlocking {
          let hub = try await HubConnection.connect(to: hubURL)
          do {
            let summary = try await HubAdmin.initialise(hub, from: store, loginPrefix: prefix) {
              progress.report($0)
            }
            await hub.close()
            return summary
          } catch {
            await hub.close()
            throw error
          }
        }
        progress.clear()
        var lines = [
          summary.migrations.isEmpty
            ? "hub \(hubURL): tables up to date"
            : "hub \(hubURL): applied \(summary.migrations.joined(separator: ", "))",
          "documents: \(summary.documentsAdded) uploaded, \(summary.documentsPresent) already there",
          summary.schemaWritten ? "schema: uploaded" : "schema: the hub has the same one",
          "guidelines: \(summary.guidelines) file\(summary.guidelines == 1 ? "" : "s")",
          "assignment: \(summary.assignments) queue entries",
        ]
        if !summary.membersAdded.isEmpty {
          lines.append(
            "members added without a login: \(summary.membersAdded.joined(separator: ", ")); "
              + "give each one with 'anno hub add-member NAME --role ROLE --hub \(hubURL)'")
        }
        StandardStreams.print(lines.joined(separator: "\n"))
      }
    }

    /// `anno hub status [URL]`.
    struct Status: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the hub's documents, members, assignments and each member's last sync.")
      @ParentCommand var parent: Hub
      @Argument(help: ArgumentHelp("The hub (default: --hub or $ANNO_HUB).", valueName: "url"))
      var url: String?
      @Option(help: ArgumentHelp("The hub's URL (default: $ANNO_HUB).", valueName: "url"))
      var hub: String?
      @Option(help: "text or json.") var format: ReportFormat = .text

      func run() throws {
        let hubURL = try Hub.resolveURL(url ?? hub)
        let status = try runBlocking {
          let hub = try await HubConnection.connect(to: hubURL)
          do {
            let status = try await HubAdmin.status(hub)
            await hub.close()
            return status
          } catch {
            await hub.close()
            throw error
          }
        }
        StandardStreams.print(Self.render(status, format: format), terminator: "")
      }

      static func render(_ status: HubStatus, format: ReportFormat) -> String {
        switch format {
        case .json:
          return JSONWriter.string(
            for: .object([
              "hub": .string(status.url),
              "schema_version": .int(Int64(status.schemaVersion)),
              "label_schema": status.labelSchema.map(JSONValue.string) ?? .null,
              "blind": .bool(status.isBlind),
              "documents": .int(Int64(status.documents)),
              "assignments": .int(Int64(status.assignments)),
              "annotation_sets": .int(Int64(status.annotationSets)),
              "events": .int(Int64(status.events)),
              "members": .array(
                status.members.map { member in
                  .object([
                    "name": .string(member.name), "role": .string(member.role.rawValue),
                    "login": .string(member.login), "can_log_in": .bool(member.canLogIn),
                    "assigned": .int(Int64(member.assigned)), "done": .int(Int64(member.done)),
                    "last_sync": member.lastSync.map { .string(Self.timestamp($0)) } ?? .null,
                  ])
                }),
            ])) + "\n"
        case .text:
          var text = """
            hub \(status.url) (tables v\(status.schemaVersion))
            schema: \(status.labelSchema ?? "none")
            study: \(status.isBlind ? "blind" : "open (study.blind: false)")
            documents: \(status.documents)
            assignment: \(status.assignments) queue entries
            annotation sets: \(status.annotationSets), events: \(status.events)

            """
          guard !status.members.isEmpty else {
            return text
              + "no members yet: 'anno hub add-member NAME --role annotator|reviewer|manager'\n"
          }
          text += TextTable.render(
            headers: ["member", "role", "login", "assigned", "done", "last sync"],
            rows: status.members.map { member in
              [
                DisplayText.sanitized(member.name), member.role.rawValue,
                member.canLogIn ? DisplayText.sanitized(member.login) : "(none yet)",
                String(member.assigned), String(member.done),
                member.lastSync.map(Self.timestamp) ?? "never",
              ]
            }, palette: Palette(isEnabled: false))
          return text
        }
      }

      static func timestamp(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
      }
    }

    /// `anno hub add-member NAME --role ROLE`.
    struct AddMember: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "add-member",
        abstract: "Add a member to the hub: a PostgreSQL role that logs in as them.",
        discussion: """
          Without --password-stdin or --certificate, a password is generated and printed \
          once; only its SCRAM verifier reaches the server. With --certificate the role has \
          no password: the server's pg_hba.conf must accept their client certificate \
          ('hostssl DATABASE ROLE ... cert'). A member that 'anno hub init' added without a \
          login gets one; an existing member's role changes. Run it as the hub's owner.
          """)
      @ParentCommand var parent: Hub
      @Argument(help: ArgumentHelp("The name they annotate under.", valueName: "name"))
      var name: String
      @Option(help: "annotator, reviewer or manager.") var role: HubRole
      @Option(
        help: ArgumentHelp(
          "The PostgreSQL role they log in as (default: their name).", valueName: "role"))
      var login: String?
      @Flag(help: "Read the password from the first line of standard input.")
      var passwordStdin = false
      @Flag(help: "They log in with a client certificate, not a password.")
      var certificate = false
      @Option(help: ArgumentHelp("The hub's URL (default: $ANNO_HUB).", valueName: "url"))
      var hub: String?

      func run() throws {
        guard !(passwordStdin && certificate) else {
          throw CommandFailure("choose one of --password-stdin and --certificate")
        }
        let hubURL = try Hub.resolveURL(hub)
        var generated: String?
        let credentials: MemberLogin
        if certificate {
          credentials = .certificate
        } else if passwordStdin {
          guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
            throw CommandFailure(
              "--password-stdin: standard input has no password (an empty first line)")
          }
          credentials = .password(line)
        } else {
          let password = HubAdmin.generatePassword()
          generated = password
          credentials = .password(password)
        }
        let (name, role, login) = (self.name, self.role, self.login)
        let isNew = try runBlocking {
          let hub = try await HubConnection.connect(to: hubURL)
          do {
            let isNew = try await HubAdmin.addMember(
              hub, name: name, role: role, login: login, with: credentials)
            await hub.close()
            return isNew
          } catch {
            await hub.close()
            throw error
          }
        }
        let roleName = login ?? name
        var lines = [
          isNew
            ? "added \(name) as \(role.rawValue) (PostgreSQL role '\(roleName)')"
            : "\(name) is now \(role.rawValue) and may log in"
        ]
        if let generated {
          lines.append("password for \(roleName) (shown once, not stored): \(generated)")
        }
        if certificate {
          lines.append(
            "\(roleName) logs in with a client certificate whose CN is '\(roleName)'; "
              + "the server's pg_hba.conf needs 'hostssl \(hubURL.database) \(roleName) all cert'")
        }
        var memberURL = hubURL
        memberURL.user = roleName
        lines.append("their hub URL: \(memberURL)")
        StandardStreams.print(lines.joined(separator: "\n"))
      }
    }

    /// The hub a command names: its argument, else `$ANNO_HUB`.
    static func resolveURL(_ given: String?) throws -> HubURL {
      if let given { return try HubURL(parsing: given) }
      if let environment = ProcessInfo.processInfo.environment["ANNO_HUB"], !environment.isEmpty {
        return try HubURL(parsing: environment)
      }
      throw CommandFailure("which hub? pass --hub postgres://USER@HOST:PORT/DB or set ANNO_HUB")
    }
  }
}

/// A progress line shared with the task that uploads.
final class ProgressBox: @unchecked Sendable {
  private let lock = NSLock()
  private var line: ProgressLine
  private var reported = 0

  init(_ line: ProgressLine) { self.line = line }

  func report(_ done: Int) {
    lock.lock()
    defer { lock.unlock() }
    line.advance(by: done - reported)
    reported = done
  }

  func clear() {
    lock.lock()
    defer { lock.unlock() }
    line.clear()
  }
}
