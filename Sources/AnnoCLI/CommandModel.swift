import ArgumentParser
import Foundation

/// A command's options, arguments and subcommands as ArgumentParser describes them: its JSON
/// help dump, the model its own shell completion scripts and manual pages are generated from.
///
/// The shell completes option names and their values from it, and `anno` uses it to tell an
/// unknown subcommand from an option's value, so neither keeps a second list of options.
struct CommandModel: Decodable, Sendable {
  /// One option, flag or positional argument.
  struct Argument: Decodable, Sendable {
    struct Name: Decodable, Sendable {
      var kind: String
      var name: String
    }

    /// `option` (takes a value), `flag` or `positional`.
    var kind: String
    var names: [Name]?
    /// The values the argument's type lists (`CaseIterable` enums), if any.
    var allValues: [String]?
    /// What the help calls the value (`path`, `name`).
    var valueName: String?
    /// The kinds of completion declared (`file`, `list`, ...).
    var completionKinds: [String]

    /// The spellings on the command line: `--format`, `-c`.
    var spellings: [String] {
      (names ?? []).map { ($0.kind == "short" ? "-" : $0.kind == "long" ? "--" : "-") + $0.name }
    }

    var takesValue: Bool { kind == "option" }

    /// Whether the value is a file or folder name (`--out path`, `--script file`).
    var takesFileName: Bool {
      takesValue
        && (completionKinds.contains("file") || completionKinds.contains("directory")
          || ["path", "file", "folder"].contains(valueName ?? ""))
    }

    enum CodingKeys: String, CodingKey {
      case kind, names, allValues, valueName, completionKind
    }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      kind = try container.decode(String.self, forKey: .kind)
      names = try container.decodeIfPresent([Name].self, forKey: .names)
      allValues = try container.decodeIfPresent([String].self, forKey: .allValues)
      valueName = try container.decodeIfPresent(String.self, forKey: .valueName)
      completionKinds =
        try container.decodeIfPresent(KeyNames.self, forKey: .completionKind)?.names ?? []
    }
  }

  /// The keys of a JSON object, whatever their values (how the dump encodes an enum case).
  struct KeyNames: Decodable {
    var names: [String]

    struct Key: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
      names = try decoder.container(keyedBy: Key.self).allKeys.map(\.stringValue)
    }
  }

  var commandName: String
  var defaultSubcommand: String?
  var subcommands: [CommandModel]?
  var arguments: [Argument]?

  /// Whether the command takes positional arguments.
  var hasPositionalArguments: Bool { (arguments ?? []).contains { $0.kind == "positional" } }

  private struct Dump: Decodable {
    var command: CommandModel
  }

  /// The model of `command` and its subcommands.
  static func of(_ command: any ParsableCommand.Type) -> CommandModel {
    // NB: `_dumpHelp()` is the public entry point of `--experimental-dump-help`; its JSON
    // (ToolInfoV0) is versioned and stable. The shell's completion tests fail if it changes.
    let json = command._dumpHelp()
    do {
      return try JSONDecoder().decode(Dump.self, from: Data(json.utf8)).command
    } catch {
      return CommandModel(
        commandName: "", defaultSubcommand: nil, subcommands: nil, arguments: nil)
    }
  }

  /// The subcommand with this name.
  func subcommand(_ name: String) -> CommandModel? {
    subcommands?.first { $0.commandName == name }
  }

  /// The options and flags, `--help` and `--version` left out.
  var options: [Argument] {
    (arguments ?? []).filter {
      $0.kind != "positional" && !$0.spellings.contains("--help")
        && !$0.spellings.contains("--version")
    }
  }

  /// The option spelled `spelling`, if this command has it.
  func option(_ spelling: String) -> Argument? {
    options.first { $0.spellings.contains(spelling) }
  }
}
