import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension Anno {
  /// `anno merge OTHER...`: another team member's database, brought into this one.
  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "merge",
      abstract: "Merge other Anno databases into this one.",
      discussion: """
        Brings in each file's documents, annotators, annotation sets, statuses, gold decisions \
        and event log, one transaction per file. Merging the same file twice changes nothing. \
        When one annotator has different annotations on the same document in both databases, \
        the version whose latest change is newer is kept and the conflict is listed; the other \
        version stays in the event log. A document with the same id and a different text \
        stops the merge of that file: nothing of it is written. The database is created if \
        missing, taking the first file's schema. 'anno export --format anno --all' and \
        'anno import' are the portable alternative.
        """)

    @ParentCommand var anno: Anno

    @Argument(help: ArgumentHelp("The Anno databases to merge in.", valueName: "other.sqlite"))
    var others: [String]

    func validate() throws {
      if others.isEmpty { throw ValidationError("give at least one database to merge") }
    }

    func run() throws {
      let path = anno.global.databasePath
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      if !FileManager.default.fileExists(atPath: path)
        && !FileManager.default.fileExists(atPath: folder)
      {
        throw CommandFailure("cannot create '\(path)': the folder '\(folder)' does not exist")
      }
      let store = try Store(path: path)
      var merged: [String] = []
      for other in others {
        do {
          let summary = try store.merge(from: other)
          StandardStreams.print(Self.describe(summary), terminator: "")
          merged.append(other)
        } catch {
          let message = (error as? any LocalizedError)?.errorDescription ?? "\(error)"
          let earlier =
            merged.isEmpty ? "" : " (\(merged.joined(separator: ", ")) merged before it)"
          throw CommandFailure("\(message)\(earlier)")
        }
      }
    }

    /// What one merge did, with one line per conflict.
    static func describe(_ s: MergeSummary) -> String {
      if s.changedNothing && s.conflicts.isEmpty {
        return "nothing to merge from \(s.source): everything in it is already here\n"
      }
      var out =
        "merged \(s.source): documents \(s.documentsAdded) added, \(s.documentsShared) shared; "
      out +=
        "annotators \(s.annotatorsAdded) added; annotation sets \(s.annotationSetsAdded) added, "
      out += "\(s.annotationSetsUnchanged) unchanged, \(s.conflicts.count) in conflict; "
      out +=
        "\(s.annotationsAdded) annotations added; events \(s.eventsCopied) copied, \(s.eventsAlreadyPresent) already here"
      if s.goldDecisionsAdded + s.goldDecisionsReplaced > 0 {
        out +=
          "; gold decisions \(s.goldDecisionsAdded) added, \(s.goldDecisionsReplaced) replaced by newer"
      }
      if s.schemaAdopted { out += "; took its schema" }
      out += "\n"
      for conflict in s.conflicts {
        out += conflict.line(keptTheirs: "kept theirs", keptOurs: "kept ours", there: "there")
      }
      return out
    }
  }
}

extension MergeConflict {
  /// The line `merge` and `sync` print for a conflict: which version was kept, and when each
  /// changed last (`there`: where the other version is).
  func line(keptTheirs: String, keptOurs: String, there: String) -> String {
    let kept = winner == .theirs ? keptTheirs : keptOurs
    return "conflict '\(document)' by '\(annotator)': \(kept) (latest change here "
      + "\(Self.timestamp(oursLatest)), \(there) \(Self.timestamp(theirsLatest)))\n"
  }

  private static func timestamp(_ time: Double) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS'Z'"
    return formatter.string(from: Date(timeIntervalSince1970: time))
  }
}
