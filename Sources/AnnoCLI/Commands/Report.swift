import AnnoCore
import AnnoPipeline
import AnnoReport
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension StudyFormat: ExpressibleByArgument {}

/// A length of time on the command line: `120`, `120s`, `2m` or `1h`.
struct Seconds: ExpressibleByArgument, Sendable {
  var value: Double

  init(_ value: Double) { self.value = value }

  init?(argument: String) {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (suffix, factor) in units where argument.hasSuffix(suffix) {
      if let number = Double(argument.dropLast(suffix.count)), number >= 0, number.isFinite {
        self.value = number * factor
        return
      }
      if suffix != "s" { continue }
      return nil
    }
    guard let number = Double(argument), number >= 0, number.isFinite else { return nil }
    value = number
  }
}

extension Anno {
  /// `anno report`: the reports of a study.
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: "Reports of a study: annotator quality on gold questions, effort, and progress.",
      subcommands: [Study.self, Quality.self, Effort.self])

    @ParentCommand var anno: Anno

    /// `anno report quality`.
    struct Quality: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract:
          "Each annotator's precision, recall and F1 per label and Cohen's κ per field on gold questions.",
        discussion: """
          Only gold questions the annotator finished (done) count. Spans match exactly (same \
          start, end and label). An annotator whose overall span F1 or any field's κ is below \
          --threshold is flagged.
          """)
      @ParentCommand var parent: Report

      @Option(help: "Flag annotators whose F1 or κ is below this.") var threshold = 0.7
      @Option(help: "Output format: text, markdown or json.") var format: StudyFormat = .text

      func validate() throws {
        if format == .csv || format == .html {
          throw ValidationError(
            "report quality writes text, markdown or json, not \(format.rawValue)")
        }
        if !(threshold >= -1 && threshold <= 1) {
          throw ValidationError("--threshold is a value between -1 and 1, not \(threshold)")
        }
      }

      func run() throws {
        let session = try Session(options: parent.anno.global)
        // Scores against gold answers: the answers of questions an annotator has yet to do.
        try session.requireSeesEverything("'anno report quality'")
        guard try session.store.goldItemCount() > 0 else {
          throw CommandFailure(
            "no gold questions yet; 'anno gold-items add --from FILE' or '--docs PATTERN' adds them"
          )
        }
        let report = try QualityReport.build(store: session.store, threshold: threshold)
        StandardStreams.print(report.render(format), terminator: "")
      }
    }

    /// `anno report effort`.
    struct Effort: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "effort",
        abstract:
          "Active time per annotator from the event log: documents per hour, spans per minute, seconds per document and label.",
        discussion: """
          The time between two consecutive actions of an annotator (a label, a status, an undo) \
          counts for the document of the second, unless it is longer than --idle. Nothing extra \
          is asked of annotators.
          """)
      @ParentCommand var parent: Report

      @Option(
        help: ArgumentHelp(
          "The longest pause that still counts (120, 120s, 2m).", valueName: "time"))
      var idle = Seconds(120)
      @Option(help: "Output format: text, markdown, json or csv.") var format: StudyFormat = .text

      func validate() throws {
        if format == .html {
          throw ValidationError("report effort writes text, markdown, json or csv, not html")
        }
      }

      func run() throws {
        let session = try Session(options: parent.anno.global)
        // Per-label spans and seconds of every annotator: what colleagues label, in sum.
        try session.requireSeesEverything("'anno report effort'")
        let report = try EffortReport.build(store: session.store, idleSeconds: idle.value)
        StandardStreams.print(report.render(format), terminator: "")
      }
    }

    /// `anno report study`.
    struct Study: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "study",
        abstract:
          "Progress per annotator and assignment, agreement on the overlap set with bootstrap intervals, and when to stop double-coding.",
        discussion: """
          Agreement is computed on the overlap documents at least two annotators finished, \
          with 95% percentile bootstrap intervals over documents. For each field, the documents \
          needed for an interval under --target-width are n·(w/t)² for the width w on n \
          documents now (the width shrinks with 1/√n).
          """)
      @ParentCommand var parent: Report

      @Option(help: "The 95% interval width to reach.") var targetWidth = 0.1
      @Option(help: "Bootstrap replicates over documents.") var bootstrap = 1000
      @Option(help: "The seed of the bootstrap (default: the study's seed).") var seed: UInt64?
      @Option(help: "Output format: text, markdown, json or html.") var format: StudyFormat = .text
      @OptionGroup var reading: HubReading

      func validate() throws {
        if format == .csv {
          throw ValidationError("report study writes text, markdown, json or html, not csv")
        }
        if !(targetWidth > 0 && targetWidth <= 2) {
          throw ValidationError(
            "--target-width is a width above 0 (such as 0.1), not \(targetWidth)")
        }
        if bootstrap < 1 || bootstrap > 100_000 {
          throw ValidationError("--bootstrap takes 1 to 100000 replicates, not \(bootstrap)")
        }
      }

      func run() throws {
        let (place, snapshot) = try reading.place(
          .commandLine(parent.anno.global), command: "report study")
        defer { withExtendedLifetime(snapshot) {} }
        guard case .commandLine(let global) = place else { return }
        let session = try Session(options: global)
        try session.requireSeesEverything("'anno report study'")
        let rule = try session.store.assignmentRule()
        let schema = session.schema
        let report = try StudyReport.build(
          store: session.store, targetWidth: targetWidth, replicates: bootstrap,
          seed: seed ?? rule?.seed ?? 0
        ) { options in
          try AgreementJob.report(store: session.store, schema: schema, options: options)
        }
        StandardStreams.print(report.render(format), terminator: "")
      }
    }
  }
}
