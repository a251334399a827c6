import AnnoCore
import Foundation

/// Why an agreement report cannot be built, in words for the user.
public enum AgreementError: Error, Equatable, Sendable, LocalizedError {
  /// `--fields` names something that is neither a layer nor a schema field.
  case unknownSection(String, known: [String])
  /// `--labels` names a label the schema does not declare.
  case unknownLabel(String, known: [String])
  /// `--annotators` names someone the database does not know.
  case unknownAnnotator(String, known: [String])
  /// `--fields stance:TARGET` names a target neither the schema nor the data has.
  case unknownTarget(String, known: [String])
  /// `--docs` matches no document id.
  case noDocumentMatches(String, closest: String?)
  /// Fewer than two annotators share a document.
  case tooFewAnnotators(found: [String])
  /// A ratings table (`--ratings`) that cannot be read as one; the message says where.
  case invalidRatings(String)
  /// The report's destination is a file Anno must not overwrite; the message says which.
  case refusedDestination(String)

  public var errorDescription: String? {
    switch self {
    case .unknownSection(let name, let known):
      "no field or layer '\(name)'\(Self.hint(name, known)) (use one of: \(known.joined(separator: ", ")))"
    case .unknownLabel(let name, let known):
      "no entity label '\(name)' in the schema\(Self.hint(name, known)) (use one of: \(known.joined(separator: ", ")))"
    case .unknownAnnotator(let name, let known):
      "no annotator '\(name)' in the database\(Self.hint(name, known))"
        + (known.isEmpty ? "" : " (known annotators: \(known.joined(separator: ", ")))")
    case .unknownTarget(let name, let known):
      "no stance target '\(name)' in the schema or the annotations\(Self.hint(name, known))"
        + (known.isEmpty ? "" : " (known targets: \(known.joined(separator: ", ")))")
    case .noDocumentMatches(let pattern, let closest):
      "no document id matches '\(pattern)'" + (closest.map { "; did you mean '\($0)'?" } ?? "")
    case .tooFewAnnotators(let found):
      found.isEmpty
        ? "no document was finished by two annotators; choose --annotators, or use --include-unfinished"
        : "only \(found.joined(separator: ", ")) finished documents; agreement needs two annotators on the same documents (try --include-unfinished)"
    case .invalidRatings(let message), .refusedDestination(let message): message
    }
  }

  private static func hint(_ name: String, _ known: [String]) -> String {
    Suggestion.closest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""
  }
}
