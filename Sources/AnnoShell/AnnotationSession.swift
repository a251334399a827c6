import AnnoCore
import AnnoStore

/// An open database with its schema and the annotator at work: what the shell, and every
/// command from argv or from the shell, runs against.
public protocol AnnotationSession: AnyObject {
  /// The store.
  var store: Store { get }
  /// The schema in force.
  var schema: LabelSchema { get }
  /// The annotator.
  var annotator: String { get }
}
