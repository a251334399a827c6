import Foundation

/// Runs an async hub operation from synchronous code (a command's `run()`), waiting for it.
///
/// Call it from a thread outside Swift's concurrency pool (the main thread of `anno`), never
/// from inside a task.
public func runBlocking<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T)
  throws -> T
{
  let done = DispatchSemaphore(value: 0)
  let result = LockedBox<Result<T, any Error>?>(nil)
  Task {
    do {
      let value = try await operation()
      result.withLockedValue { $0 = .success(value) }
    } catch {
      result.withLockedValue { $0 = .failure(error) }
    }
    done.signal()
  }
  done.wait()
  return try result.withLockedValue { $0! }.get()
}
