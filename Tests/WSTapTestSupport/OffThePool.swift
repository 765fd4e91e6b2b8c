import Foundation

/// Runs blocking work (waiting for a child or its output, a blocking socket, a terminal) on a thread of its
/// own, so it never holds one of the few threads Swift concurrency runs every test's tasks on (as many as
/// there are cores): the endpoints under test, and other tests' tasks, would stall behind it.
///
/// The work stays in the calling task (its thread is the task's executor while it runs), so the task's
/// local values come along: `#expect` and `Issue.record` inside it are charged to the test that called.
public func offThePool<Value: Sendable, Failure: Error>(
    _ work: @escaping @Sendable () throws(Failure) -> Value
) async throws(Failure) -> Value {
    let result: Result<Value, Failure>
    if #available(macOS 15.0, *) {
        let thread = DedicatedThreadExecutor()
        defer { thread.finish() }
        result = await withTaskExecutorPreference(thread) { await outcome(of: work) }
    } else {
        result = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { () throws(Failure) -> Value in try work() }) }.start()
        }
    }
    return try result.get()
}

/// What `work` returns or throws. A nonisolated async function: calling one switches to the task's
/// preferred executor (the closure given to `withTaskExecutorPreference` itself runs where its caller was).
private func outcome<Value: Sendable, Failure: Error>(
    of work: @Sendable () throws(Failure) -> Value
) async -> Result<Value, Failure> {
    Result { () throws(Failure) -> Value in try work() }
}

/// A task executor with one thread of its own, which runs the jobs given to it in order until finished.
@available(macOS 15.0, *)
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    /// Guarded by `condition`.
    private var finished = false

    init() {
        Thread { [self] in runJobs() }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once it has run the jobs it was given.
    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
