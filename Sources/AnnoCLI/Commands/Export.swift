import AnnoCore
import AnnoFormats
import AnnoPipeline
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension ExportFormat: ExpressibleByArgument {}
extension MisalignedPolicy: ExpressibleByArgument {}

/// The options of `export`, shared by argv and the shell.
struct ExportArguments: ParsableArguments {
  @Option(help: "The format: anno, spacy, spacy-json, prodigy, doccano, hf, conll, brat or csv.")
  var format: ExportFormat = .anno

  @Flag(help: "Export every annotator's labels (the default; --annotator NAME exports one).")
  var all = false

  @Flag(
    help:
      "Export the adjudicated gold version (annotator 'gold'), finished documents only by default.")
  var gold = false

  @Option(help: "Which statuses to export: done (default), or a comma-separated list.")
  var status: String = "done"

  @Flag(help: "Export unfinished documents too (any status).")
  var includeUnfinished = false

  @Option(help: "Kinds to export: entities,sentiment,stance,labels (default all).")
  var kinds: String?

  @Option(
    help: ArgumentHelp("Split by document, e.g. train=0.8,dev=0.1,test=0.1.", valueName: "parts"))
  var split: String?

  @Option(help: "The seed of the split.")
  var seed: UInt64 = 0

  @Flag(help: "Stratify the split by document sentiment.")
  var stratify = false

  @Option(help: "Spans whose edges fall inside a token (token formats): error, skip or expand.")
  var misaligned: MisalignedPolicy = .error

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Write to this file or folder (atomically); standard output otherwise.", valueName: "path"))
  var out: String?

  @Flag(
    help:
      "With --format prodigy: documents nobody has started, pre-annotated with suggestions (ner.manual input)."
  )
  var suggestions = false

  @Flag(
    help:
      "Replace an earlier export folder even if it holds files that export did not write (they are deleted)."
  )
  var force = false

  @Flag(
    help:
      "With --format csv: write cells starting with =, +, -, @, tab or CR as '... (quoted), so spreadsheets never run them as formulas."
  )
  var spreadsheetSafe = false

  func validate() throws {
    _ = try statuses()
    _ = try kindSelection()
    if spreadsheetSafe && format != .csv {
      throw ValidationError("--spreadsheet-safe applies to --format csv only")
    }
  }

  func statuses() throws -> Set<DocumentStatus>? {
    if includeUnfinished { return nil }
    return try Self.names(status, of: "status")
  }

  func kindSelection() throws -> Set<AnnotationKindSelection> {
    guard let kinds else { return Set(AnnotationKindSelection.allCases) }
    return try Self.names(kinds, of: "kind")
  }

  /// The values a comma-separated list names (`done,flagged`); an unknown name is a usage
  /// error naming the closest value.
  private static func names<Value: RawRepresentable & CaseIterable & Hashable>(
    _ list: String, of noun: String
  ) throws -> Set<Value> where Value.RawValue == String {
    var result: Set<Value> = []
    for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
      guard let value = Value(rawValue: name) else {
        throw ValidationError(
          AnnotationSet.unknown(noun, name, Value.allCases.map(\.rawValue)))
      }
      result.insert(value)
    }
    return result
  }

  /// Refuses an export that would show colleagues' labels, the gold version or suggestions
  /// learned from the team to a user working blind: they export their own labels only.
  ///
  /// - Parameters:
  ///   - annotator: whose labels are exported (`nil`: everyone's).
  ///   - how: how the user asks for their own labels, e.g. `export --annotator ann1`.
  func requireVisible(to access: StudyAccess, annotator: String?, how: String) throws {
    guard access.isBlind, annotator != access.name || gold || all || suggestions else { return }
    throw CommandFailure(
      "blind study: an annotator exports only their own labels ('\(how)'); "
        + "everyone's labels, the gold version and pre-annotated suggestions are exported by a reviewer or manager"
    )
  }

  /// Runs the export job these arguments select.
  func run(in session: any AnnotationSession, annotator: String?, showsProgress: Bool) throws
    -> ExportSummary
  {
    if all && annotator != nil {
      throw ValidationError("give either --all or --annotator NAME, not both")
    }
    let destination: ExportDestination = out.map { .path($0) } ?? .standardOutput
    if suggestions {
      guard format == .prodigy else {
        throw ValidationError("--suggestions writes Prodigy tasks; add --format prodigy")
      }
      return try ExportJob.suggestionTasks(
        options: try exportOptions(), destination: destination, store: session.store,
        schema: session.schema)
    }
    if gold && (all || annotator != nil) {
      throw ValidationError(
        "--gold exports the adjudicated version only; leave out --all and --annotator")
    }
    if let annotator { try session.checkAnnotator(annotator) }
    let statuses = try statuses()
    if gold { try ExportJob.checkGoldIsFinished(store: session.store, statuses: statuses) }
    // The gold version is exported by --gold (or --annotator gold), never as one more
    // annotator; nor are a team's reviewers and managers.
    let annotators =
      gold
      ? [Store.goldAnnotator]
      : try annotator.map { [$0] } ?? session.store.countedAnnotators()
    var job = ExportJob(
      options: try exportOptions(), destination: destination, annotators: annotators,
      statuses: statuses)
    job.showsProgress = showsProgress
    job.writeProgress = StandardStreams.writeError
    return try job.run(store: session.store, schema: session.schema)
  }

  /// The exporter's options: format, kinds, split and what may be replaced.
  private func exportOptions() throws -> ExportOptions {
    var options = ExportOptions(
      format: format, kinds: try kindSelection(), misaligned: misaligned, seed: seed,
      stratifyBySentiment: stratify)
    options.replacesForeignFiles = force
    options.spreadsheetSafe = spreadsheetSafe
    if let split {
      do { options.split = try SplitSpec(parsing: split) } catch {
        throw ValidationError(error.localizedDescription)
      }
    }
    return options
  }
}

extension Anno {
  /// `export`: training data for other tools.
  struct Export: SharedCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract:
        "Export labels as training data for spaCy, Hugging Face, Prodigy, doccano, brat, CoNLL or CSV.",
      discussion: """
        Exports finished documents (--status done) of every annotator (or --annotator NAME), one record \
        per document and annotator. Offsets are code points; every JSON format says so and \
        carries each span's text. Output goes to --out (written to a temporary file or folder, \
        then renamed) or to standard output. Spans whose edges fall inside a token are an error \
        in the token formats unless --misaligned skip or expand. A summary follows (on standard \
        error from the command line).
        """)

    @OptionGroup var arguments: ExportArguments
    // On the command line the global --annotator fills it (and names the session's annotator).
    @Option(help: ArgumentHelp("Export only this annotator's labels.", valueName: "name"))
    var annotator: String?
    @OptionGroup var reading: HubReading

    func run(at given: CommandPlace) throws {
      let (place, snapshot) = try reading.place(given, command: "export")
      defer { withExtendedLifetime(snapshot) {} }
      switch place {
      case .commandLine:
        // The global --annotator the user typed (a snapshot of the hub names its member).
        guard case .commandLine(let global) = given else { return }
        let session = try place.session()
        try arguments.requireVisible(
          to: try place.access(of: session), annotator: annotator ?? global.annotator,
          how: "anno --annotator \(session.annotator) export")
        let summary = try arguments.run(
          in: session, annotator: annotator ?? global.annotator, showsProgress: isatty(2) != 0)
        StandardStreams.writeError(summary.report + "\n")
      case .shell(let context):
        try arguments.requireVisible(
          to: try context.access(), annotator: annotator,
          how: "export --annotator \(context.annotator)")
        if arguments.out == nil && arguments.format.writesFolder == false && context.isInteractive {
          context.say(
            context.palette.dim("(writing to the terminal; give --out PATH to write a file)"))
        }
        // The records go straight to standard output: what the shell holds goes first.
        context.flushOutput()
        let summary = try arguments.run(
          in: context.session, annotator: annotator, showsProgress: false)
        context.say(summary.report)
      }
    }
  }
}
