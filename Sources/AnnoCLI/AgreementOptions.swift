import AnnoCore
import AnnoReport
import ArgumentParser
import Foundation

/// The selection and report options of `anno agree`, shared by argv and the shell.
package struct AgreementOptions: ParsableArguments, Sendable {
  @Option(
    help: ArgumentHelp(
      "The annotators to compare, comma-separated (default: everyone who finished a document someone else also finished).",
      valueName: "a,b,c"))
  package var annotators: NameList?

  @Option(
    help: ArgumentHelp(
      "The sections to report, comma-separated: sentiment, stance, stance:TARGET, entities, span_sentiment, stance_anchored, stance_anchored:TARGET, or a schema field (default: all).",
      valueName: "names"))
  package var fields: NameList?

  @Option(
    help: ArgumentHelp(
      "Restrict span measures to these entity labels, comma-separated.", valueName: "labels"))
  package var labels: NameList?

  @Option(
    help: ArgumentHelp(
      "Compare annotation sets with these statuses, comma-separated (default: done).",
      valueName: "status"))
  package var status: StatusList?

  @Flag(
    help:
      "Compare every annotation set, whatever its status (unfinished, skipped and flagged ones too)."
  )
  package var includeUnfinished = false

  @Option(
    name: .customLong("docs"),
    help: ArgumentHelp(
      "Only documents whose id matches this glob (* ? [..]), e.g. 'sport/*'.", valueName: "pattern")
  )
  package var documentPattern: String?

  @Option(help: "Output format: text, markdown, json or html.")
  package var format: AgreementFormat = .text

  @Option(
    help: ArgumentHelp(
      "Bootstrap replicates over documents for 95% confidence intervals (0: none).", valueName: "n")
  )
  package var bootstrap: Int = 0

  @Option(help: ArgumentHelp("The seed of the bootstrap's random generator.", valueName: "s"))
  package var seed: UInt64 = 0

  @Option(
    help: ArgumentHelp(
      "Write the report to this file (atomically) instead of standard output.", valueName: "path"))
  package var out: String?

  /// The most bootstrap replicates `--bootstrap` takes.
  package static let maximumReplicates = 100_000

  /// Creates the default options: every section, status done, text, no bootstrap.
  package init() {}

  package func validate() throws {
    if includeUnfinished && status != nil {
      throw ValidationError("give either --status or --include-unfinished, not both")
    }
    if bootstrap < 0 {
      throw ValidationError(
        "--bootstrap must be 0 (none) or a number of replicates, not \(bootstrap)")
    }
    // Every replicate is kept (for the percentiles): a mistyped count must not exhaust memory.
    if bootstrap > Self.maximumReplicates {
      throw ValidationError(
        "--bootstrap takes at most \(Self.maximumReplicates) replicates, not \(bootstrap); 10000 already gives stable 95% intervals"
      )
    }
    if let annotators, Set(annotators.names).count < 2 {
      throw ValidationError(
        "--annotators needs at least two different names, got '\(annotators.names.joined(separator: ","))'"
      )
    }
    if let documentPattern, documentPattern.isEmpty {
      throw ValidationError("--docs needs a pattern such as 'sport/*'")
    }
  }

  /// The statuses of the annotation sets to compare; `nil` for every status.
  package var statuses: Set<DocumentStatus>? {
    if includeUnfinished { return nil }
    return Set(status?.statuses ?? [.done])
  }

  /// What the report covers.
  package var report: ReportOptions {
    ReportOptions(
      annotators: annotators?.names, fields: fields?.names, labels: labels?.names,
      statuses: statuses, documentPattern: documentPattern, bootstrap: bootstrap, seed: seed)
  }
}

extension AgreementFormat: ExpressibleByArgument {}

/// A comma-separated list of names on the command line (`a,b,c`), blanks dropped.
package struct NameList: ExpressibleByArgument, Hashable, Sendable {
  /// The names, in the order given, without duplicates.
  package var names: [String]

  /// Creates a list from names.
  package init(_ names: [String]) {
    var seen: Set<String> = []
    self.names = names.filter { !$0.isEmpty && seen.insert($0).inserted }
  }

  package init?(argument: String) {
    let names = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    self.init(names)
    if self.names.isEmpty { return nil }
  }
}

/// A comma-separated list of document statuses (`done,flagged`).
package struct StatusList: ExpressibleByArgument, Hashable, Sendable {
  /// The statuses given.
  package var statuses: [DocumentStatus]

  /// Creates a list from statuses.
  package init(_ statuses: [DocumentStatus]) { self.statuses = statuses }

  package init?(argument: String) {
    var statuses: [DocumentStatus] = []
    for word in argument.split(separator: ",") {
      guard let status = DocumentStatus(rawValue: word.trimmingCharacters(in: .whitespaces)) else {
        return nil
      }
      statuses.append(status)
    }
    if statuses.isEmpty { return nil }
    self.statuses = statuses
  }

  package static var allValueStrings: [String] { DocumentStatus.allCases.map(\.rawValue) }
}
