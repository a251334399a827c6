import Foundation

/// A command's options, arguments and subcommands as ArgumentParser describes them: its JSON
/// help dump (decoded by `CommandModel.of` in AnnoCLI), the model its own shell completion
/// scripts and manual pages are generated from.
///
/// The shell completes option names and their values from it, and `anno` uses it to tell an
/// unknown subcommand from an option's value, so neither keeps a second list of options.
package struct CommandModel: Decodable, Sendable {
  /// One option, flag or positional argument.
  package struct Argument: Decodable, Sendable {
    package struct Name: Decodable, Sendable {
      package var kind: String
      package var name: String
    }

    /// `option` (takes a value), `flag` or `positional`.
    package var kind: String
    package var names: [Name]?
    /// The values the argument's type lists (`CaseIterable` enums), if any.
    package var allValues: [String]?
    /// What the help calls the value (`path`, `name`).
    package var valueName: String?
    /// The kinds of completion declared (`file`, `list`, ...).
    package var completionKinds: [String]

    /// The spellings on the command line: `--format`, `-c`.
    package var spellings: [String] {
      (names ?? []).map { ($0.kind == "short" ? "-" : $0.kind == "long" ? "--" : "-") + $0.name }
    }

    package var takesValue: Bool { kind == "option" }

    /// Whether the value is a file or folder name (`--out path`, `--script file`).
    package var takesFileName: Bool {
      takesValue
        && (completionKinds.contains("file") || completionKinds.contains("directory")
          || ["path", "file", "folder"].contains(valueName ?? ""))
    }

    package enum CodingKeys: String, CodingKey {
      case kind, names, allValues, valueName, completionKind
    }

    package init(from decoder: any Decoder) throws {
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
  package struct KeyNames: Decodable {
    package var names: [String]

    package struct Key: CodingKey {
      package var stringValue: String
      package var intValue: Int? { nil }
      package init(stringValue: String) { self.stringValue = stringValue }
      package init?(intValue: Int) { nil }
    }

    package init(from decoder: any Decoder) throws {
      names = try decoder.container(keyedBy: Key.self).allKeys.map(\.stringValue)
    }
  }

  package var commandName: String
  package var defaultSubcommand: String?
  package var subcommands: [CommandModel]?
  package var arguments: [Argument]?

  /// Whether the command takes positional arguments.
  package var hasPositionalArguments: Bool {
    (arguments ?? []).contains { $0.kind == "positional" }
  }

  private struct Dump: Decodable {
    package var command: CommandModel
  }

  /// The model a JSON help dump describes (ArgumentParser's ToolInfoV0); an empty model when
  /// the dump cannot be read.
  package init(helpDump json: String) {
    do {
      self = try JSONDecoder().decode(Dump.self, from: Data(json.utf8)).command
    } catch {
      commandName = ""
      defaultSubcommand = nil
      subcommands = nil
      arguments = nil
    }
  }

  /// The subcommand with this name.
  package func subcommand(_ name: String) -> CommandModel? {
    subcommands?.first { $0.commandName == name }
  }

  /// The options and flags, `--help` and `--version` left out.
  package var options: [Argument] {
    (arguments ?? []).filter {
      $0.kind != "positional" && !$0.spellings.contains("--help")
        && !$0.spellings.contains("--version")
    }
  }

  /// The option spelled `spelling`, if this command has it.
  package func option(_ spelling: String) -> Argument? {
    options.first { $0.spellings.contains(spelling) }
  }
}
