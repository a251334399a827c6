import ArgumentParser

extension Anno {
  /// `anno check` (not built yet).
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the database: integrity, foreign keys, orphans, offsets, undeclared labels (not available yet).")

    func run() throws {
      throw CLIError.message("'check' is not available yet in this version")
    }
  }
}
