import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension Anno {
  /// `anno check`: is the database whole, consistent and readable?
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract:
        "Check the database: integrity, foreign keys, orphans, offsets, undeclared labels, target spellings, event log.",
      discussion: """
        Runs SQLite's integrity_check and foreign_key_check, then looks for annotations whose \
        annotator, document or status row is missing, spans that end past their document's \
        text, labels, values, targets and fields the schema no longer declares, stance targets \
        stored in two spellings that differ only in case or a leading article ('China' and \
        'china'), and an event log entry that cannot be read. Prints one 'ok' or 'problem' line per check; the exit \
        status is 0 when everything is clean and 1 when not. It reads one consistent snapshot \
        and blocks no annotator.

        It also removes temporary files (.NAME.anno-tmp-PID-N) that an export or a backup \
        killed part-way left beside the database or in the --clean-temp folders, when their \
        process is gone; they never hide a finished file.
        """)

    @ParentCommand var anno: Anno

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @Option(
      name: .customLong("clean-temp"),
      help: ArgumentHelp(
        "Also remove stale export temporaries in this folder (repeatable).", valueName: "folder"))
    var cleanTemp: [String] = []

    func run() throws {
      let path = anno.global.databasePath
      guard FileManager.default.fileExists(atPath: path) else {
        throw CommandFailure("no database at '\(path)'; pass --db PATH or set ANNO_DB")
      }
      let report = try Store(path: path).check()
      let folders = [URL(fileURLWithPath: path).deletingLastPathComponent().path] + cleanTemp
      let removed = StaleTemporaries.remove(in: folders)
      StandardStreams.print(Self.render(report, removed: removed, format: format), terminator: "")
      if !report.isClean { throw ExitCode.failure }
    }

    /// Renders the report as `ok`/`problem` lines, or as one JSON object.
    static func render(_ report: CheckReport, removed: [String], format: ReportFormat) -> String {
      switch format {
      case .json:
        let checks: [JSONValue] = report.results.map { result in
          .object([
            "name": .string(result.name), "ok": .bool(result.isOK),
            "problem_count": .int(Int64(result.problemCount)),
            "problems": .array(result.problems.map { .string($0) }),
          ])
        }
        return JSONWriter.string(
          for: .object([
            "ok": .bool(report.isClean), "problem_count": .int(Int64(report.problemCount)),
            "checks": .array(checks),
            "counts": .object(report.counts.mapValues { .int(Int64($0)) }),
            "removed_temporaries": .array(removed.map { .string($0) }),
          ])) + "\n"
      case .text:
        var report = report
        report.counts["problems"] = report.problemCount
        var out = ""
        for result in report.results {
          if result.isOK {
            out += "ok       \(result.name): \(result.detail)\n"
            continue
          }
          out +=
            "problem  \(result.name): \(result.problemCount) problem\(result.problemCount == 1 ? "" : "s")\n"
          for line in result.problems { out += "         \(DisplayText.sanitized(line))\n" }
          if result.problemCount > result.problems.count {
            out += "         … and \(result.problemCount - result.problems.count) more\n"
          }
        }
        for file in removed { out += "removed  stale temporary \(DisplayText.sanitized(file))\n" }
        func count(_ key: String, _ noun: String) -> String {
          let n = report.counts[key] ?? 0
          return "\(n) \(noun)\(n == 1 ? "" : "s")"
        }
        out += [
          count("documents", "document"), count("annotators", "annotator"),
          count("annotations", "annotation"),
        ]
        .joined(separator: ", ")
        out += ", \(count("events", "event")): "
        out += report.isClean ? "no problems\n" : "\(count("problems", "problem"))\n"
        return out
      }
    }
  }
}

/// Temporary files and folders an export or backup left when its process was killed.
enum StaleTemporaries {
  /// Removes `.NAME.anno-tmp-PID-N` entries in `folders` whose process no longer runs.
  ///
  /// - Returns: the paths removed.
  static func remove(in folders: [String]) -> [String] {
    var removed: [String] = []
    for folder in folders {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
      for name in names.sorted() {
        guard let pid = TemporarySibling.processID(inName: name), !isRunning(pid) else { continue }
        let path = (folder as NSString).appendingPathComponent(name)
        if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
      }
    }
    return removed
  }

  private static func isRunning(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno == EPERM
  }
}
