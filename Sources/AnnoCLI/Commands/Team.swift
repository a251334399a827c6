import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser

extension TeamRole: ExpressibleByArgument {}

extension Anno {
  /// `anno team`: who annotates, who reviews, who manages.
  struct Team: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "team",
      abstract: "Add, list or remove the members of the team and their roles.",
      discussion: """
        Annotators work blind to each other (unless the schema says study: {blind: false}): \
        before they finish a document they see neither a colleague's labels nor its gold \
        version. Reviewers and managers see everything and are never counted as annotators. \
        Without a team nobody has a role and nothing is hidden.
        """,
      subcommands: [Add.self, List.self, Remove.self], defaultSubcommand: List.self)

    @ParentCommand var anno: Anno

    /// `anno team add NAME --role ROLE`.
    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a member, or change a member's role.")
      @ParentCommand var parent: Team
      @Argument(help: ArgumentHelp("The name they annotate under.", valueName: "name"))
      var name: String
      @Option(help: "annotator, reviewer or manager.") var role: TeamRole

      func run() throws {
        if let message = AnnotatorName.validationMessage(name) { throw CommandFailure(message) }
        guard name != Store.goldAnnotator else {
          throw CommandFailure(
            "'gold' is the adjudicated version, not a person; add the reviewers who write it")
        }
        let session = try Session(options: parent.anno.global)
        let before = try session.store.addTeamMember(name, role: role)
        switch before {
        case nil: StandardStreams.print("added \(name) as \(role.rawValue)")
        case role?: StandardStreams.print("\(name) is already \(role.rawValue); nothing changed")
        case let old?: StandardStreams.print("\(name): \(old.rawValue) → \(role.rawValue)")
        }
      }
    }

    /// `anno team list`.
    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the members, their roles and the documents each finished.")
      @ParentCommand var parent: Team
      @Option(help: "text or json.") var format: ReportFormat = .text

      func run() throws {
        let session = try Session(options: parent.anno.global)
        let members = try session.store.teamMembers()
        StandardStreams.print(
          Self.render(members, study: session.schema.study, format: format), terminator: "")
      }

      static func render(_ members: [TeamMember], study: StudySettings, format: ReportFormat)
        -> String
      {
        switch format {
        case .json:
          return JSONWriter.string(
            for: .object([
              "blind": .bool(study.isBlind),
              "suggestions": .string(study.suggestions.rawValue),
              "members": .array(
                members.map {
                  .object([
                    "name": .string($0.name), "role": .string($0.role.rawValue),
                    "documents_done": .int(Int64($0.documentsDone)),
                  ])
                }),
            ])) + "\n"
        case .text:
          guard !members.isEmpty else {
            return
              "no team: nobody has a role and nothing is hidden; 'anno team add NAME --role annotator|reviewer|manager'\n"
          }
          let mode =
            study.isBlind
            ? "blind study: annotators see colleagues' labels only on documents they finished"
            : "open study (study.blind: false): everyone sees every label"
          return TextTable.render(
            headers: ["name", "role", "done"],
            rows: members.map {
              [DisplayText.sanitized($0.name), $0.role.rawValue, String($0.documentsDone)]
            }, palette: Palette(isEnabled: false)) + mode + "\n"
        }
      }
    }

    /// `anno team remove NAME`.
    struct Remove: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a member (their labels stay; they no longer have a role).")
      @ParentCommand var parent: Team
      @Argument(help: ArgumentHelp("The member's name.", valueName: "name")) var name: String

      func run() throws {
        let session = try Session(options: parent.anno.global)
        guard try session.store.removeTeamMember(name) else {
          let names = try session.store.teamMembers().map(\.name).sorted()
          throw CommandFailure(
            names.isEmpty
              ? "there is no team, so no member '\(name)'"
              : AnnotationSet.unknown("team member", name, names))
        }
        StandardStreams.print("removed \(name) from the team; their labels stay")
      }
    }
  }
}
