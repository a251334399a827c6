import AnnoCore
import AnnoShell
import AnnoStore
import Foundation

/// An open database with its schema and the annotator at work: what every command runs
/// against, from argv or from the shell.
public final class Session: AnnotationSession {
  /// The store.
  public let store: Store
  /// The schema in force.
  public private(set) var schema: LabelSchema
  /// The annotator.
  public let annotator: String
  /// What opening the session did (created the database, loaded a schema), for the user.
  public private(set) var notices: [String] = []

  /// Opens the database, creating it and loading a schema if it is new.
  ///
  /// - Parameters:
  ///   - options: the global options.
  public init(options: GlobalOptions) throws {
    let path = options.databasePath
    annotator = options.annotatorName
    if let message = AnnotatorName.validationMessage(annotator) {
      throw CommandFailure(message + "; pass --annotator NAME or set ANNO_ANNOTATOR")
    }
    let isNew = !FileManager.default.fileExists(atPath: path)
    // A new database's schema is read and checked before the file is created, so a refused
    // schema leaves no empty database behind.
    var checkedSource: SchemaSource?
    if isNew {
      let source = try SchemaSource.resolve(explicitPath: options.schema)
      do {
        _ = try LabelSchema(yaml: source.yaml, file: source.fileName)
        _ = try WorkedDecision.all(in: source.guidelines)
      } catch {
        throw StoreError.invalid(error.description)
      }
      checkedSource = source
    }
    store = try Store(path: path)
    if let stored = try store.schema() {
      schema = stored
      if let requested = options.schema, !isNew {
        notices.append(
          "note: --schema \(requested) is ignored: the database already has a schema; use 'anno schema load'"
        )
      }
    } else {
      let source = try checkedSource ?? SchemaSource.resolve(explicitPath: options.schema)
      schema = try store.loadSchema(
        yaml: source.yaml, file: source.fileName, sourcePath: source.path,
        guidelines: source.guidelines)
      notices.append(
        (isNew ? "created \(path) with" : "loaded")
          + " schema '\(schema.name)' v\(schema.version) from \(source.description)")
    }
  }

  /// Replaces the schema in force (after `anno schema load`).
  func reloadSchema() throws {
    if let stored = try store.schema() { schema = stored }
  }
}

/// Where a new database's schema comes from.
struct SchemaSource {
  var yaml: String
  var fileName: String
  var path: String?
  var guidelines: [String: String]
  var description: String

  /// `--schema PATH`, else `Guidelines/schema.yaml` in the working directory, else the
  /// bundled default compiled into the binary.
  static func resolve(explicitPath: String?) throws -> SchemaSource {
    if let explicitPath {
      return try load(path: explicitPath)
    }
    let local = "Guidelines/schema.yaml"
    if FileManager.default.fileExists(atPath: local) {
      return try load(path: local)
    }
    // The compiled-in copy drops each file's final newline; it is restored so a database
    // stores the same bytes, and the same guideline digest, as from Guidelines/.
    return SchemaSource(
      yaml: BundledGuidelines.schemaYAML + "\n", fileName: "schema.yaml", path: nil,
      guidelines: BundledGuidelines.files.mapValues { $0 + "\n" },
      description: "the bundled default")
  }

  static func load(path: String) throws -> SchemaSource {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.cannotRead(path: path)
    }
    guard let yaml = String(data: data, encoding: .utf8) else {
      throw CommandFailure("\(path): the schema is not UTF-8 text")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    var guidelines: [String: String] = [:]
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names where name.hasSuffix(".md") {
      if let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) {
        guidelines[name] = text
      }
    }
    return SchemaSource(
      yaml: yaml, fileName: (path as NSString).lastPathComponent, path: path,
      guidelines: guidelines,
      description: path)
  }
}
