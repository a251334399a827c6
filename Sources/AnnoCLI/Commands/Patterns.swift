import AnnoCore
import AnnoShell
import AnnoStore
import AnnoSuggest
import ArgumentParser
import Foundation

extension Anno {
  /// `anno patterns`: the pattern file suggestions come from.
  struct Patterns: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "patterns",
      abstract: "Load or list the entity patterns that suggestions come from.",
      subcommands: [Load.self, List.self], defaultSubcommand: List.self)

    @ParentCommand var anno: Anno

    /// `anno patterns load FILE`.
    struct Load: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "load",
        abstract:
          "Replace the stored patterns with those in FILE (spaCy EntityRuler / Prodigy patterns JSONL).",
        discussion: """
          Each line is {"label": "ORG", "pattern": "NATO"} (a phrase, matched on tokens) or \
          {"label": "PER", "pattern": [{"lower": "sergei"}, {"lower": "lavrov"}], "id": "lavrov"} \
          (token attributes text/orth, lower, shape, length, is_title, is_digit, is_alpha, is_upper, \
          is_punct, like_num and more; IN and NOT_IN; op ?, *, +, ! and 1). Every problem is \
          reported as FILE:LINE: message and nothing is stored.
          """)
      @ParentCommand var parent: Patterns
      @Argument(help: ArgumentHelp("The patterns file (JSONL).", valueName: "file")) var file:
        String

      func run() throws {
        let session = try Session(options: parent.anno.global)
        guard let data = FileManager.default.contents(atPath: file) else {
          throw CommandFailure.cannotRead(path: file)
        }
        guard let text = String(data: data, encoding: .utf8) else {
          throw CommandFailure("\(file): bytes that are not UTF-8; save the file as UTF-8")
        }
        let patterns: [EntityPattern]
        do {
          patterns = try EntityPattern.parseJSONLines(text, file: file, schema: session.schema)
        } catch {
          for diagnostic in error.diagnostics {
            StandardStreams.writeError("\(diagnostic)\n")
          }
          StandardStreams.writeError("patterns refused: nothing was stored\n")
          throw ExitCode.failure
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let stored = patterns.map { pattern in
          let line = pattern.line ?? 1
          let json =
            line - 1 < lines.count
            ? String(lines[line - 1]).trimmingCharacters(in: .whitespacesAndNewlines) : ""
          return (
            label: pattern.label, id: pattern.id,
            json: json.hasPrefix("\u{FEFF}") ? String(json.dropFirst()) : json, line: line
          )
        }
        try session.store.replacePatterns(stored, file: file)
        let labels = Dictionary(grouping: patterns, by: \.label).map {
          "\($0.key) \($0.value.count)"
        }.sorted()
        StandardStreams.print(
          "loaded \(patterns.count) pattern\(patterns.count == 1 ? "" : "s") from \(file): \(labels.joined(separator: ", "))"
        )
      }
    }

    /// `anno patterns list`.
    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print the stored patterns as JSONL.")
      @ParentCommand var parent: Patterns

      func run() throws {
        let session = try Session(options: parent.anno.global)
        for pattern in try session.store.patterns() { StandardStreams.print(pattern.json) }
      }
    }
  }
}
