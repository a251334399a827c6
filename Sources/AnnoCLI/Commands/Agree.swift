import AnnoAgreement
import AnnoCore
import AnnoPipeline
import AnnoReport
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension Anno {
  /// `agree`: inter-annotator agreement.
  struct Agree: SharedCommand {
    static let configuration = CommandConfiguration(
      commandName: "agree",
      abstract: "Report inter-annotator agreement: every coefficient, per field, label and pair.",
      discussion: """
        Document fields (sentiment, stance per target, each schema field): percent agreement, \
        Cohen's kappa per pair and their mean (Light), Scott's pi, Fleiss' kappa (Gwet's form with \
        missing data), Krippendorff's alpha at every level that applies, weighted kappa (linear, \
        quadratic) on ordinal and numeric fields, Gwet's AC1, Bennett's S, Conger's kappa. Entity \
        spans (and span sentiment, anchored stance): exact and overlap F1 per pair, Cohen's kappa \
        over IOB2 token tags, Krippendorff's alpha over token tags, unitizing alpha. Plus the \
        labels annotators confuse, the most disputed documents, each annotator against the \
        majority, and bootstrap intervals with --bootstrap N --seed S. Undefined results say why. \
        --against gold scores each annotator against the adjudicated version instead. A \
        document-level stance one annotator recorded and another, who finished the document, \
        did not counts as 'none' for the other (no position, as the guidelines record it).
        """)

    @OptionGroup var options: AgreementOptions
    @Option(
      help: ArgumentHelp(
        "Score each annotator against 'gold' (the adjudicated version).", valueName: "gold"))
    var against: String?
    @Option(
      help: ArgumentHelp(
        "Compute agreement on a CSV ratings table (unit,RATER1,RATER2,...) instead of the database.",
        valueName: "file"))
    var ratings: String?
    @Option(help: "With --ratings: the measurement level (nominal, ordinal, interval or ratio).")
    var level: String = "nominal"
    @Option(
      help: ArgumentHelp(
        "With --ratings: the categories in order, comma-separated (default: those in the file).",
        valueName: "list"))
    var categories: String?
    @OptionGroup var reading: HubReading

    func run(at given: CommandPlace) throws {
      let (place, snapshot) = try reading.place(given, command: "agree")
      defer { withExtendedLifetime(snapshot) {} }
      // A blind annotator sees no one else's labels, counted or not (a ratings table is the
      // user's own file).
      let opened = ratings == nil ? try place.session() : nil
      try opened.map { try place.access(of: $0) }?.requireSeesEverything(
        "'agree'", instead: "a reviewer or manager runs it (anno team list shows who)")
      if let ratings {
        // The database is not opened for a ratings table, but its files are no place for
        // the report either.
        let database = NSObject()
        defer { withExtendedLifetime(database) {} }
        if case .commandLine(let global) = place {
          ProtectedFiles.register(database: global.databasePath, heldBy: database)
        }
        guard let level = MeasurementLevel(rawValue: level) else {
          throw ValidationError("--level is nominal, ordinal, interval or ratio, not '\(level)'")
        }
        let report = try RatingsFile.report(
          path: ratings, level: level,
          categories: categories.map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
          })
        let text = AgreementRenderer.render(
          report, format: options.format, colors: false, width: 100)
        try AgreementJob.deliver(text, out: options.out, write: place.write)
        return
      }
      let session = try opened ?? place.session()
      let colors =
        options.out == nil
        && Terminal.ColorMode.auto.isEnabled(environment: ProcessInfo.processInfo.environment)
      let width = Terminal.isTerminal(1) ? Terminal.width() : 100
      // Unknown names are errors before any work, in both reports.
      try AgreementJob.checkSelection(
        store: session.store, schema: session.schema, options: options.report)
      if let against, against != Store.goldAnnotator {
        throw ValidationError(
          "--against takes 'gold' (the adjudicated version), not '\(against)'")
      }
      try AgreementJob.run(
        store: session.store, schema: session.schema, options: options.report,
        againstGold: against != nil, format: options.format, colors: colors, width: width,
        out: options.out, write: place.write)
    }
  }
}
