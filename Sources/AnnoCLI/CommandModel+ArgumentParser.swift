import AnnoShell
import ArgumentParser

extension CommandModel {
  /// The model of `command` and its subcommands.
  static func of(_ command: any ParsableCommand.Type) -> CommandModel {
    // NB: `_dumpHelp()` is the public entry point of `--experimental-dump-help`; its JSON
    // (ToolInfoV0) is versioned and stable. The shell's completion tests fail if it changes.
    CommandModel(helpDump: command._dumpHelp())
  }
}
