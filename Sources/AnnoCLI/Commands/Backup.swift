import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension Anno {
  /// `anno backup PATH`: a consistent copy of the database, taken while annotators work.
  struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "backup",
      abstract: "Copy the database safely while annotators work.",
      discussion: """
        Uses SQLite's online backup API: the copy is one consistent snapshot, and annotators \
        keep working meanwhile. The copy is written beside PATH under a temporary name, checked \
        (it must open as an Anno database and pass integrity_check) and then renamed, so PATH \
        never holds a partial copy. It is a single file (no -wal), ready to open with --db.
        """)

    @ParentCommand var anno: Anno

    @Argument(help: ArgumentHelp("Where to write the copy.", valueName: "path"))
    var destination: String

    @Flag(help: "Overwrite an existing file at PATH.")
    var force = false

    func run() throws {
      let path = anno.global.databasePath
      guard FileManager.default.fileExists(atPath: path) else {
        throw CommandFailure("no database at '\(path)'; pass --db PATH or set ANNO_DB")
      }
      let summary = try Store(path: path).backup(to: destination, overwrite: force)
      StandardStreams.print(
        "backed up \(path) to \(summary.path): \(summary.documents) documents, \(summary.annotations) annotations, "
          + "\(summary.events) events, \(summary.bytes) bytes; the copy passed integrity_check")
    }
  }
}
