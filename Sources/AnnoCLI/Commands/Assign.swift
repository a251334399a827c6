import AnnoCore
import AnnoReport
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension Anno {
  /// `anno assign`: who codes which document in a study.
  struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "assign",
      abstract: "Give every document its annotators: a seeded, balanced study with an overlap set.",
      subcommands: [Plan.self, Status.self, Move.self], defaultSubcommand: Plan.self)

    @ParentCommand var anno: Anno

    /// `anno assign --annotators a,b,c --overlap 0.2 …`.
    struct Plan: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Assign the corpus (run as 'anno assign --annotators …').",
        discussion: """
          A share --overlap of the documents is coded by --per-overlap-doc annotators each (the \
          overlap set agreement is measured on), the rest by --per-doc. Documents are shuffled \
          with SplitMix64 seeded by --seed, overlap documents are spread evenly through every \
          queue, and each document goes to the least loaded annotators, so loads differ by at \
          most one document. Gold questions ('anno gold-items add', before or after) are mixed \
          into every queue at --gold-rate. The rule is stored: documents imported later are \
          assigned by it. 'next' in the shell then follows each annotator's own queue.
          """)
      @ParentCommand var parent: Assign

      @Option(
        help: ArgumentHelp(
          "The annotators who share the work, comma-separated.", valueName: "a,b,c"))
      var annotators: NameList

      @Option(
        name: .customLong("per-doc"), help: "Annotators per document outside the overlap set.")
      var perDocument = 1

      @Option(help: "The share of documents coded by several annotators (0 to 1).")
      var overlap: Double

      @Option(name: .customLong("per-overlap-doc"), help: "Annotators per overlap document.")
      var perOverlapDocument = 2

      @Option(help: "The seed of the assignment's random generator (SplitMix64).")
      var seed: UInt64

      @Option(
        name: .customLong("docs"),
        help: ArgumentHelp(
          "Only documents whose id matches this glob (* ? [..]), now and later.",
          valueName: "pattern"))
      var documentPattern: String?

      @Option(
        name: .customLong("gold-rate"),
        help: "The share of each queue that is gold questions (0 to below 1).")
      var goldRate = 0.0

      var rule: AssignmentRule {
        AssignmentRule(
          annotators: annotators.names, perDocument: perDocument, overlap: overlap,
          perOverlapDocument: perOverlapDocument, seed: seed, documentPattern: documentPattern,
          goldRate: goldRate)
      }

      func validate() throws {
        if let problem = rule.problem { throw ValidationError(problem) }
        if let documentPattern, documentPattern.isEmpty {
          throw ValidationError("--docs needs a pattern such as 'sport/*'")
        }
        for name in annotators.names {
          if let problem = AnnotatorName.problem(name) { throw ValidationError(problem) }
        }
      }

      func run() throws {
        let session = try Session(options: parent.anno.global)
        let noGoldYet = try goldRate > 0 && session.store.goldItemCount() == 0
        for name in rule.annotators {
          if let role = try session.store.teamRole(of: name), role != .annotator {
            throw CommandFailure(
              "'\(name)' is a \(role.rawValue) on the team, not an annotator; reviewers and managers get no queue"
            )
          }
        }
        let summary = try session.store.assign(rule)
        StandardStreams.print(Self.describe(summary, rule: rule))
        if noGoldYet {
          StandardStreams.print(
            "note: no gold questions yet; those 'anno gold-items add' adds enter every queue at --gold-rate \(goldRate)"
          )
        }
      }

      static func describe(_ summary: AssignmentSummary, rule: AssignmentRule) -> String {
        let single = summary.documents - summary.overlapDocuments
        var out =
          "assigned \(summary.documents) document\(summary.documents == 1 ? "" : "s") to "
          + "\(rule.annotators.joined(separator: ", ")) (seed \(rule.seed)): "
          + "\(summary.overlapDocuments) overlap coded by \(rule.perOverlapDocument) each, "
          + "\(single) coded by \(rule.perDocument)"
        if summary.goldQuestions > 0 {
          out +=
            "; \(summary.goldQuestions) gold question\(summary.goldQuestions == 1 ? "" : "s") mixed in"
        }
        for name in rule.annotators {
          out += "\n  \(name.padding(toLength: 12, withPad: " ", startingAt: 0))"
          out += "\(summary.placements[name] ?? 0) in the queue"
        }
        return out
      }
    }

    /// `anno assign status`.
    struct Status: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each annotator's queue: documents by kind, done, skipped and remaining.")
      @ParentCommand var parent: Assign

      @Option(help: "Output format: text or json.")
      var format: ReportFormat = .text

      func run() throws {
        let session = try Session(options: parent.anno.global)
        guard let rule = try session.store.assignmentRule() else {
          throw CommandFailure(
            "no study is assigned; 'anno assign --annotators a,b,c --overlap 0.2 --seed 1' starts one"
          )
        }
        StandardStreams.print(
          Self.render(try session.store.queueStatuses(), rule: rule, format: format),
          terminator: "")
      }

      static func render(_ queues: [QueueStatus], rule: AssignmentRule, format: ReportFormat)
        -> String
      {
        switch format {
        case .json:
          let object: JSONValue = .object([
            "rule": StudyReport.json(rule), "queues": .array(queues.map(StudyReport.json)),
          ])
          return JSONWriter.string(for: object) + "\n"
        case .text:
          var out =
            "study: \(rule.annotators.joined(separator: ", ")); \(percent(rule.overlap)) overlap coded by \(rule.perOverlapDocument), "
            + "others by \(rule.perDocument); gold rate \(percent(rule.goldRate)); seed \(rule.seed)"
          if let pattern = rule.documentPattern { out += "; documents matching \(pattern)" }
          out += "\n"
          let header = [
            "annotator", "queue", "single", "overlap", "gold", "done", "skipped", "remaining",
          ]
          let rows = queues.map { q in
            [q.annotator]
              + [q.total, q.single, q.overlap, q.gold, q.done, q.skipped, q.remaining].map {
                String($0)
              }
          }
          let widths = header.indices.map { i in
            ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0
          }
          for row in [header] + rows {
            out +=
              row.indices.map { i in
                i == 0
                  ? row[i].padding(toLength: widths[i], withPad: " ", startingAt: 0)
                  : String(repeating: " ", count: widths[i] - row[i].count) + row[i]
              }.joined(separator: "  ") + "\n"
          }
          return out
        }
      }

      static func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
      }
    }

    /// `anno assign move --from ann3 --to ann4`.
    struct Move: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Hand an annotator's unfinished documents over to another annotator.",
        discussion: """
          Every document of --from's queue that is neither done nor skipped goes to the end of \
          --to's queue, in order, and --to takes --from's place in the rule for documents \
          imported later. What --from finished stays theirs.
          """)
      @ParentCommand var parent: Assign

      @Option(help: "Who hands the work over.") var from: String
      @Option(help: "Who takes it.") var to: String
      @Flag(help: "Leave documents --to already codes with --from instead of refusing the move.")
      var keepShared = false

      func validate() throws {
        if let problem = AnnotatorName.problem(to) { throw ValidationError(problem) }
      }

      func run() throws {
        let session = try Session(options: parent.anno.global)
        if let role = try session.store.teamRole(of: to), role != .annotator {
          throw CommandFailure(
            "'\(to)' is a \(role.rawValue) on the team, not an annotator; move the work to an annotator"
          )
        }
        let summary = try session.store.moveAssignments(
          from: from, to: to, keepingShared: keepShared)
        var out =
          "moved \(summary.moved) document\(summary.moved == 1 ? "" : "s") from \(from) to \(to)"
        if summary.goldDropped > 0 {
          out +=
            "; \(summary.goldDropped) gold question\(summary.goldDropped == 1 ? "" : "s") \(to) already has left \(from)'s queue"
        }
        if !summary.kept.isEmpty {
          out +=
            "; kept with \(from): \(summary.kept.joined(separator: ", ")) (\(to) codes them already)"
        }
        StandardStreams.print(out)
      }
    }
  }
}
