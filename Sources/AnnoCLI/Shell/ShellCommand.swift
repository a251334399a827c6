import AnnoCore
import AnnoShell
import ArgumentParser
import Foundation

/// A command the shell runs against its context.
protocol ShellCommand: ParsableCommand {
  /// Runs the command.
  func run(in context: ShellContext) throws
}

/// Signals `quit`.
struct QuitShell: Error {}

/// The shell's command tree, parsed with ArgumentParser like argv.
struct ShellCommands: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "",
    abstract: "Anno shell commands.",
    subcommands: [
      ShowCommand.self, NextCommand.self, PrevCommand.self, OpenCommand.self, ListCommand.self,
      FindCommand.self,
      TagCommand.self, UntagCommand.self, RelabelCommand.self, ExtendCommand.self,
      SentimentCommand.self, StanceCommand.self, LabelCommand.self, NoteCommand.self,
      NotesCommand.self, FlagCommand.self,
      DoneCommand.self, SkipCommand.self, UndoCommand.self, RedoCommand.self, HistoryCommand.self,
      CompareCommand.self, GuideCommand.self, HelpCommand.self, Anno.Stats.self,
      Anno.Agree.self, Anno.Export.self,
      Anno.Import.self, ReviewCommand.self, AcceptCommand.self, RejectCommand.self,
      SuggestCommand.self, StatusCommand.self, Anno.Sync.self, ClearCommand.self, QuitCommand.self,
    ])

  /// The command names, for completion and did-you-mean.
  static var names: [String] {
    configuration.subcommands.compactMap { $0.configuration.commandName } + ["exit"]
  }

  /// Evaluates one line against the context.
  static func evaluate(_ line: String, in context: ShellContext) -> LineOutcome {
    let shellWords: [ShellWord]
    do {
      shellWords = try WordSplitter.shellWords(in: line)
    } catch {
      return .failure(CommandFailure(error.description))
    }
    let words = shellWords.map(\.text)
    guard var name = words.first else { return .success }
    if name == "exit" || name == "q" { name = "quit" }
    if name == "?" { name = "help" }
    guard names.contains(name) else {
      return .failure(
        .unknownCommand(
          typed: name, word: name, names: names, listHint: "type 'help' for the list"))
    }
    // Whether the words parsed: a command's own failure (a full disk, a read-only database)
    // is not a usage error, unless it is a validation of its arguments.
    var parsed = false
    do {
      let command = try ShellCommands.parseAsRoot([name] + words.dropFirst())
      parsed = true
      guard let command = command as? any ShellCommand else {
        return .failure(CommandFailure("'\(name)' cannot run inside the shell"))
      }
      context.lineWords = shellWords
      defer { context.lineWords = [] }
      try command.run(in: context)
      return .success
    } catch is QuitShell {
      return .quit
    } catch let error as ShellError {
      return .failure(CommandFailure(error, in: ShellCommands.self))
    } catch {
      if ShellCommands.exitCode(for: error) == .success {  // --help
        context.write(ShellCommands.fullMessage(for: error) + "\n")
        return .success
      }
      let usage = parsed && !(error is ValidationError) ? nil : helpUsage(for: name)
      return .failure(CommandFailure(error, in: ShellCommands.self, usage: usage))
    }
  }

  /// The one-line usage of a command.
  static func helpUsage(for name: String) -> String {
    guard
      let command = configuration.subcommands.first(where: { $0.configuration.commandName == name })
    else {
      return ""
    }
    let help = ShellCommands.helpMessage(for: command, columns: 200)
    guard let line = help.split(separator: "\n").first(where: { $0.hasPrefix("USAGE:") }) else {
      return ""
    }
    return line.dropFirst("USAGE:".count).trimmingCharacters(in: .whitespaces).replacingOccurrences(
      of: "  ", with: " ")
  }
}

extension ShellCommand {
  /// Required by ParsableCommand; shell commands only run with a context.
  func run() throws {
    throw ShellError("this command runs inside 'anno shell'")
  }
}

extension ShellCommands {
  /// The shell's commands as ArgumentParser describes them, for completion.
  static let model = CommandModel.of(ShellCommands.self)
}

extension ShellCompletion {
  /// Completion for the shell's own commands on `context`.
  convenience init(context: ShellContext, documentIDs: @escaping (String) -> [String]) {
    self.init(context: context, commands: ShellCommands.model, documentIDs: documentIDs)
  }
}
