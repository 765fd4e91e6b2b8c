import Foundation

/// Runs blocking work (waiting for a child or its output, a blocking socket) on a thread of its own, so it
/// never holds one of the few threads Swift concurrency runs every test's tasks on: the endpoints under
/// test, and other tests' tasks, would stall behind it.
public func offThePool<Value: Sendable, Failure: Error>(
    _ work: @escaping @Sendable () throws(Failure) -> Value
) async throws(Failure) -> Value {
    let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: Result { () throws(Failure) -> Value in try work() }) }.start()
    }
    return try result.get()
}
