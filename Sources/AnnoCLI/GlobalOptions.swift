import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The options every command shares.
public struct GlobalOptions: ParsableArguments, Sendable {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The database file (default: $ANNO_DB, else ./anno.sqlite).", valueName: "path"))
  var db: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Who is annotating (default: $ANNO_ANNOTATOR, else the login name).", valueName: "name"))
  var annotator: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The label schema for a new database (default: Guidelines/schema.yaml here, else the bundled one).",
      valueName: "path"))
  var schema: String?

  /// Creates default options.
  public init() {}

  /// The database path in force.
  var databasePath: String {
    db ?? ProcessInfo.processInfo.environment["ANNO_DB"].flatMap { $0.isEmpty ? nil : $0 }
      ?? "anno.sqlite"
  }

  /// The annotator name in force (``Session`` checks it with ``AnnotatorName``).
  var annotatorName: String {
    if let annotator { return annotator }
    if let name = ProcessInfo.processInfo.environment["ANNO_ANNOTATOR"], !name.isEmpty {
      return name
    }
    if let login = getlogin() { return String(cString: login) }
    if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
    return "annotator"
  }
}
