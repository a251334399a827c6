import ArgumentParser

extension Anno {
  /// `anno backup` (not built yet).
  struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Copy the database safely while annotators work (not available yet).")

    func run() throws {
      throw CLIError.message("'backup' is not available yet in this version")
    }
  }
}
