import AnnoCore
import AnnoShell
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoCLI

/// The commands `anno` and the shell both have are declared once: the same options in both
/// helps and in Tab completion, the same output, the same errors (`Error: …` on the command
/// line, `line N: …` in a script).
@Suite struct CommandTreeTests {
  /// The commands both trees list.
  static let shared = ["stats", "agree", "export", "import"]

  @Test func bothTreesShowTheSameOptionsAndHelpForEachSharedCommand() throws {
    let argv = CommandModel.of(Anno.self)
    // The help from OPTIONS (or ARGUMENTS) down; the usage line above names the tree, and
    // ArgumentParser lists `anno`'s own --version under each of its subcommands.
    func body(_ help: String) -> String {
      help.split(separator: "\n", omittingEmptySubsequences: false)
        .drop { !$0.hasPrefix("ARGUMENTS:") && !$0.hasPrefix("OPTIONS:") }
        .filter { !$0.hasPrefix("  --version ") }
        .joined(separator: "\n")
    }
    for name in Self.shared {
      let fromArgv = try #require(argv.subcommand(name))
      let fromShell = try #require(ShellCommands.model.subcommand(name))
      #expect(!fromArgv.options.isEmpty)
      #expect(
        fromArgv.options.map(\.spellings) == fromShell.options.map(\.spellings), "\(name)")
      #expect(fromArgv.hasPositionalArguments == fromShell.hasPositionalArguments, "\(name)")
      let argvType = try #require(
        Anno.configuration.subcommands.first { $0.configuration.commandName == name })
      let shellType = try #require(
        ShellCommands.configuration.subcommands.first { $0.configuration.commandName == name })
      let argvHelp = body(Anno.helpMessage(for: argvType, columns: 100))
      #expect(argvHelp.contains("--help"))
      #expect(argvHelp == body(ShellCommands.helpMessage(for: shellType, columns: 100)), "\(name)")
    }
  }

  @Test func anOptionOfOneDeclarationIsInBothHelpsAndInCompletion() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    // --doccano-offsets and --ratings are declared once, on the command.
    let argvImport = try AnnoBinary.run(["--db", db, "import", "--help"])
    #expect(argvImport.status == 0)
    #expect(argvImport.stdout.contains("--doccano-offsets <unit>"))
    let shellHelp = try AnnoBinary.run(["--db", db, "shell", "-c", "help import; help agree"])
    #expect(shellHelp.status == 0, "\(shellHelp.stderr)")
    #expect(shellHelp.stdout.contains("--doccano-offsets <unit>"))
    #expect(shellHelp.stdout.contains("--ratings <file>"))
    let argvAgree = try AnnoBinary.run(["--db", db, "agree", "--help"])
    #expect(argvAgree.stdout.contains("--ratings <file>"))

    let session = try Session(options: try GlobalOptions.parse(["--db", db, "--annotator", "a"]))
    let context = try ShellContext(
      session: session, palette: Palette(isEnabled: false), isInteractive: false, width: 80,
      write: { _ in })
    let completion = ShellCompletion(context: context) { _ in [] }
    #expect(
      completion.completions(linePrefix: "import ", word: "--doccano-o") == ["--doccano-offsets"])
    #expect(completion.completions(linePrefix: "agree ", word: "--rat") == ["--ratings"])
    #expect(
      completion.completions(linePrefix: "import x --doccano-offsets ", word: "code")
        == ["codepoint"])
  }

  @Test func aSharedCommandWritesTheSameFromArgvAndFromTheShell() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let ratings = try folder.write("r.csv", "unit,a,b\n1,x,x\n2,x,y\n3,y,y\n4,y,y\n")
    let argv = try AnnoBinary.run(["--db", db, "agree", "--ratings", ratings, "--format", "json"])
    #expect(argv.status == 0, "\(argv.stderr)")
    #expect(argv.stdout.contains("\"alpha"))
    let shell = try AnnoBinary.run([
      "--db", db, "--annotator", "a", "shell", "-c", "agree --ratings \(ratings) --format json",
    ])
    #expect(shell.status == 0, "\(shell.stderr)")
    #expect(shell.stdout == argv.stdout)

    let stats = try AnnoBinary.run(["--db", db, "stats", "--format", "json"])
    let statsInShell = try AnnoBinary.run([
      "--db", db, "--annotator", "a", "shell", "-c", "stats --format json",
    ])
    #expect(stats.status == 0 && statsInShell.status == 0)
    #expect(statsInShell.stdout == stats.stdout)
  }

  @Test func aRefusalReadsTheSameFromArgvAndFromAScriptLine() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("a.sqlite")
    let input = try folder.write(
      "bad.jsonl", #"{"id": "a", "text": "A."}"# + "\n" + #"{"id": "b"}"# + "\n")
    let refusal =
      "import refused: nothing was written (fix the records above, or use --skip-invalid to import the valid ones)"
    let argv = try AnnoBinary.run(["--db", db, "--annotator", "a", "import", input])
    #expect(argv.status == 1)
    #expect(argv.stderr == "\(input):2: missing key 'text'\n\(refusal)\n")
    let script = try folder.write("s.anno", "stats\nimport \(input)\n")
    let shell = try AnnoBinary.run(["--db", db, "--annotator", "a", "shell", "--script", script])
    #expect(shell.status == 1)
    #expect(shell.stderr == "\(input):2: missing key 'text'\nline 2: \(refusal)\n")

    // A domain error: the same message, `Error: ` on the command line, `line N: ` in a script.
    let unknown = try AnnoBinary.run(["--db", db, "export", "--annotator", "nobody"])
    let unknownInShell = try AnnoBinary.run([
      "--db", db, "--annotator", "a", "shell", "-c", "stats; export --annotator nobody",
    ])
    #expect(unknown.status == 1 && unknownInShell.status == 1)
    let message = try #require(unknown.stderr.split(separator: "\n").first)
    #expect(message.hasPrefix("Error: "))
    #expect(unknownInShell.stderr == "line 2: " + message.dropFirst("Error: ".count) + "\n")

    // A usage error: the same message; argv adds its usage and help hint, the shell its usage.
    let usage = try AnnoBinary.run(["--db", db, "stats", "--format", "xml"])
    let usageInShell = try AnnoBinary.run([
      "--db", db, "--annotator", "a", "shell", "-c", "stats --format xml",
    ])
    #expect(usage.status == 64)
    #expect(usageInShell.status == 1)
    let argvLines = usage.stderr.split(separator: "\n")
    let shellLines = usageInShell.stderr.split(separator: "\n")
    #expect(
      argvLines.first.map { "line 1: " + $0.dropFirst("Error: ".count) }
        == shellLines.first.map(String.init))
    #expect(argvLines.contains("Usage: anno stats [--format <format>]"))
    #expect(shellLines.last == "  usage: stats [--format <format>]")
  }
}
