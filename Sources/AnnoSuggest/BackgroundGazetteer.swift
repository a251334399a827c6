import AnnoCore
import AnnoStore
import Foundation

/// Builds the learned gazetteer on a background thread, with its own database connection.
///
/// NB: learning reads every entity label in the database (seconds at a few million
/// annotations), so an interactive shell starts it at once and suggests from patterns until it
/// is ready, instead of making the first `show` wait. `@unchecked Sendable`: the lock guards
/// the result, written once by the background thread.
public final class BackgroundGazetteer: @unchecked Sendable {
  private let lock = NSLock()
  private var result: Gazetteer??

  /// Starts learning from the database at `path`.
  public init(databasePath path: String) {
    DispatchQueue.global(qos: .utility).async { [self] in
      let gazetteer = try? SuggestionProvider.learnedGazetteer(store: Store(path: path))
      lock.withLock { result = .some(gazetteer ?? nil) }
    }
  }

  /// The gazetteer once learned (`.some(nil)`: nothing to learn from), or `nil` while learning.
  public var current: Gazetteer?? { lock.withLock { result } }
}
