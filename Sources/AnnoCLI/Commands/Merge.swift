import ArgumentParser

extension Anno {
  /// `anno merge` (not built yet).
  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Merge other Anno databases into this one (not available yet).")

    func run() throws {
      throw CLIError.message("'merge' is not available yet in this version")
    }
  }
}
