import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser

/// Text or JSON output.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

extension Anno {
  /// `stats`: what the database holds.
  struct Stats: SharedCommand {
    static let configuration = CommandConfiguration(
      commandName: "stats",
      abstract:
        "Show documents, annotators, reviewers, annotations by kind and label, and progress per annotator."
    )

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    func run(at place: CommandPlace) throws {
      let session = try place.session()
      // An annotator working blind gets counts of their own labels only.
      let access = try place.access(of: session)
      place.write(
        Self.render(
          try session.store.statistics(labelsOf: access.isBlind ? access.name : nil),
          format: format))
    }

    /// Renders statistics as aligned text or as one JSON object with sorted keys.
    static func render(_ stats: StoreStatistics, format: ReportFormat) -> String {
      switch format {
      case .json:
        var progress: [String: JSONValue] = [:]
        for (name, counts) in stats.progress {
          var byStatus: [String: JSONValue] = [:]
          for status in DocumentStatus.allCases {
            byStatus[status.rawValue] = .int(Int64(counts[status] ?? 0))
          }
          progress[name] = .object(byStatus)
        }
        var object: [String: JSONValue] = [
          "documents": .int(Int64(stats.documents)),
          "annotators": .array(stats.annotators.map { .string($0) }),
          "annotations_by_kind": .object(stats.annotationsByKind.mapValues { .int(Int64($0)) }),
          "entities_by_label": .object(stats.entitiesByLabel.mapValues { .int(Int64($0)) }),
          "progress": .object(progress),
          "reviewers": .array(stats.reviewers.map { .string($0) }),
          "stance_targets": .object(stats.stanceTargets.mapValues { .int(Int64($0)) }),
        ]
        if let owner = stats.labelsOf { object["labels_of"] = .string(owner) }
        if let schema = stats.schema {
          object["schema"] = .object([
            "name": .string(schema.name), "version": .int(Int64(schema.version)),
            "guidelines_sha256": schema.guidelines.map(JSONValue.string) ?? .null,
          ])
        }
        return JSONWriter.string(for: .object(object)) + "\n"
      case .text:
        var out = ""
        if let schema = stats.schema {
          out +=
            "schema       \(schema.name) v\(schema.version)"
            + (schema.guidelines.map { " (guidelines \($0))" } ?? "") + "\n"
        }
        out += "documents    \(stats.documents)\n"
        out +=
          "annotators   \(stats.annotators.isEmpty ? "none yet" : stats.annotators.joined(separator: ", "))\n"
        if !stats.reviewers.isEmpty {
          out += "reviewers    \(stats.reviewers.joined(separator: ", "))\n"
        }
        let total = stats.annotationsByKind.values.reduce(0, +)
        out +=
          "annotations  \(total)"
          + (stats.labelsOf.map { " (\($0)'s only: a blind study shows no one else's)" } ?? "")
          + "\n"
        for (kind, count) in stats.annotationsByKind.sorted(by: { $0.key < $1.key }) {
          out += "  \(kind.padding(toLength: 16, withPad: " ", startingAt: 0))\(count)\n"
        }
        if !stats.entitiesByLabel.isEmpty {
          out += "entities by label\n"
          for (label, count) in stats.entitiesByLabel.sorted(by: { $0.key < $1.key }) {
            out += "  \(label.padding(toLength: 16, withPad: " ", startingAt: 0))\(count)\n"
          }
        }
        if !stats.stanceTargets.isEmpty {
          out += "stance targets\n"
          for (target, count) in stats.stanceTargets.sorted(by: { $0.key < $1.key }) {
            out +=
              "  \(DisplayText.sanitized(target).padding(toLength: 16, withPad: " ", startingAt: 0))\(count)\n"
          }
        }
        if !stats.progress.isEmpty {
          out += "progress\n"
          // The gold version's progress follows the annotators', when it has any.
          let owners =
            stats.annotators
            + (stats.progress[Store.goldAnnotator] == nil ? [] : [Store.goldAnnotator])
          for name in owners {
            let counts = stats.progress[name] ?? [:]
            let parts = DocumentStatus.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }
            out +=
              "  \(name.padding(toLength: 16, withPad: " ", startingAt: 0))\(parts.joined(separator: ", "))\n"
          }
        }
        return out
      }
    }
  }
}
