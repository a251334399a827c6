import AnnoCore
import AnnoShell
import AnnoStore
import ArgumentParser
import Foundation

extension Terminal.ColorMode: ExpressibleByArgument {}

/// How a shell runs: where its lines come from and how strict it is.
struct ShellOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Run the commands in FILE, one per line.", valueName: "file"))
  var script: String?
  @Option(
    name: .customShort("c"),
    help: ArgumentHelp("Run these commands, separated by ';'.", valueName: "commands"))
  var commands: String?
  @Flag(help: "In scripts, stop at the first error.") var strict = false
  @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
  var color: Terminal.ColorMode = .auto
  @Flag(help: "Print long output at the terminal instead of through $PAGER (default less -R).")
  var noPager = false
}

extension Anno {
  /// `anno shell`: the annotation shell.
  struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "shell",
      abstract: "Annotate in the interactive shell (or run shell commands from a script).",
      discussion: """
        At a terminal: line editing, history ($XDG_STATE_HOME/anno/history), Tab completion, \
        Ctrl-C to cancel a line, Ctrl-D to leave; output wraps to the terminal's width, and \
        output taller than the terminal goes through $PAGER (default less -R) unless --no-pager. \
        With standard input not a terminal, commands are read line by line (anno shell < \
        session.anno, or anno < session.anno); --script FILE and -c 'cmd; cmd' do the same. \
        Errors then print 'line N: message' on standard error, and the exit status is 1 if any \
        command failed. Every change is saved when it is made. Type 'help' inside.
        """)

    @ParentCommand var anno: Anno
    @OptionGroup var options: ShellOptions

    func run() throws {
      let session = try Session(options: anno.global)
      for notice in session.notices { StandardStreams.writeError(notice + "\n") }
      try ShellRunner.run(
        session: session, options: options, databasePath: anno.global.databasePath)
    }
  }
}

/// Starts a shell on a session: readline at a terminal, plain lines otherwise.
enum ShellRunner {
  /// Runs the shell until its input ends or `quit`.
  ///
  /// - Parameters:
  ///   - standardInput: standard input's lines when the caller has already looked at them.
  static func run(
    session: Session, options: ShellOptions, databasePath: String,
    standardInput: ScriptLines? = nil
  ) throws {
    if session.annotator == AnnotatorName.gold { throw CommandFailure(AnnotatorName.goldRefusal) }
    let environment = ProcessInfo.processInfo.environment
    let palette = Palette(isEnabled: options.color.isEnabled(environment: environment))
    let scripted = options.script != nil || options.commands != nil || !Terminal.isTerminal(0)
    let onTerminal = Terminal.isTerminal(1)
    // At a terminal, a command's output is held until it ends, then wrapped and written (or
    // paged); scripts write as they go.
    let output = TerminalOutput(
      pager: Pager.command(environment: environment, enabled: !scripted && !options.noPager),
      size: Terminal.size, write: { StandardStreams.write($0) })
    let holdsOutput = !scripted && onTerminal
    let context = try ShellContext(
      session: session, palette: palette, isInteractive: !scripted,
      measureWidth: onTerminal
        ? { Terminal.size().columns } : { Terminal.columnsVariable() ?? 100 },
      measureHeight: onTerminal ? { Terminal.size().rows } : { nil },
      write: holdsOutput ? output.append : { StandardStreams.write($0) })
    if holdsOutput {
      context.flushOutput = output.flush
      context.belowOutput = output.appendBelow
    }
    let store = session.store
    let completion = ShellCompletion(context: context) { prefix in
      (try? store.documentIDs(withPrefix: prefix, limit: 200).map(\.rawValue)) ?? []
    }
    var loop = ShellLoop()
    // At a terminal an error wraps like the rest, its continuation lines under its text.
    let wrapsErrors = !scripted && Terminal.isTerminal(2)
    let reportError: (String) -> Void = { message in
      let text =
        wrapsErrors
        ? message.split(separator: "\n", omittingEmptySubsequences: false).map { line in
          let line = String(line)
          let indent =
            line.hasPrefix("error: ") ? "       " : TextWrap.hangingIndent(of: line)
          return TextWrap.wrap(line, width: Terminal.size().columns, indent: indent)
            .joined(separator: "\n")
        }.joined(separator: "\n") : message
      StandardStreams.writeError((palette.isEnabled ? palette.error(text) : text) + "\n")
    }
    // ANNO_TIMINGS=PATH appends one line per command: the command word, its total time and
    // the time of its durable save (if it saved), in microseconds; for the benchmark suite.
    var timings: UnsafeMutablePointer<FILE>?
    if let path = environment["ANNO_TIMINGS"] {
      if let refusal = ProtectedFiles.refusal(toWrite: path) {
        throw CommandFailure("ANNO_TIMINGS: \(refusal)")
      }
      timings = fopen(path, "a")
    }
    defer { if let timings { fclose(timings) } }
    let evaluate: (String) -> LineOutcome = { line in
      let started = DispatchTime.now().uptimeNanoseconds
      context.lastSaveMicroseconds = nil
      context.hintAfterPaging = nil
      BackgroundSync.shared.reportFinished(in: context)
      var outcome = ShellCommands.evaluate(line, in: context)
      // Output that could not be written fails the line (and the shell's exit status).
      if let failure = StandardStreams.takeUnreportedFailure() {
        if case .failure(let earlier) = outcome {
          outcome = .failure(earlier.adding(failure))
        } else {
          outcome = .failure(CommandFailure(failure))
        }
      }
      if let timings {
        let total = Double(DispatchTime.now().uptimeNanoseconds - started) / 1000
        let word = line.split(separator: " ").first.map(String.init) ?? ""
        let save = context.lastSaveMicroseconds.map { String(format: "%.1f", $0) } ?? "-"
        fputs("\(word)\t\(String(format: "%.1f", total))\t\(save)\n", timings)
        fflush(timings)
      }
      if holdsOutput && output.finish(), let hint = context.hintAfterPaging {
        context.say(context.palette.dim("(\(hint))"))
        output.flush()
      }
      BackgroundSync.shared.startIfAutomatic(in: context, annotator: session.annotator)
      if let document = context.document {
        completion.documentOpened(
          id: document.document.externalID.rawValue, text: context.text,
          tokens: context.locator.tokens)
      }
      return outcome
    }
    switch try store.nextInQueue(after: nil, by: session.annotator) {
    case .noStudy:
      if let next = try store.nextUnfinished(after: nil, by: session.annotator) {
        context.open(next)
      }
    case .document(let next): context.open(next)
    case .finished, .notAssigned: break
    }
    // Every label is its own durable transaction: keep WAL checkpoints out of them.
    try store.checkpointInBackground()
    defer { store.finishBackgroundCheckpoints() }
    // A sync still running finishes before the shell leaves (and says what it did).
    defer {
      BackgroundSync.shared.wait()
      for message in BackgroundSync.shared.takeFinished() { StandardStreams.write(message) }
    }
    if let commands = options.commands {
      var editor = ScriptLines(lines: WordSplitter.commands(in: commands))
      loop.run(
        editor: &editor, prompt: context.prompt, strict: options.strict, reportError: reportError,
        evaluate: evaluate)
    } else if let script = options.script {
      guard let handle = FileHandle(forReadingAtPath: script) else {
        throw CommandFailure.cannotRead(path: script)
      }
      ProtectedFiles.register(script, as: "the script being run", heldBy: handle)
      var editor = ScriptLines(handle: handle)
      loop.run(
        editor: &editor, prompt: context.prompt, strict: options.strict, reportError: reportError,
        evaluate: evaluate)
    } else if scripted {
      var editor = standardInput ?? ScriptLines(handle: FileHandle.standardInput)
      loop.run(
        editor: &editor, prompt: context.prompt, strict: options.strict, reportError: reportError,
        evaluate: evaluate)
    } else {
      context.startLearningInBackground()
      var editor = ReadlineEditor(
        historyPath: ReadlineEditor.defaultHistoryPath(environment: environment),
        completer: completion)
      let access = try context.access()
      let banner =
        "anno — \(session.annotator) on \(databasePath) (\(context.documentCount) document\(context.documentCount == 1 ? "" : "s"))\n"
        + (access.hasTeam ? access.modeDescription + "\n" : "")
      let hint =
        context.palette.dim("Type 'help' for the commands; Tab completes; Ctrl-D leaves.") + "\n"
      context.write(banner)
      if let document = context.document {
        completion.documentOpened(
          id: document.document.externalID.rawValue, text: context.text,
          tokens: context.locator.tokens)
        let columns = context.width
        context.write(
          try DocumentView.preview(
            context,
            reserving: TerminalOutput.height(of: banner + hint, columns: columns) + 1))
      }
      // The hint stays right above the first prompt, whatever the document's length.
      context.write(hint)
      output.finish()
      loop.run(
        editor: &editor, prompt: context.prompt, strict: false, reportError: reportError,
        evaluate: evaluate)
      context.say("")
      output.finish()
    }
    if loop.failures > 0 && scripted { throw ExitCode.failure }
  }
}
