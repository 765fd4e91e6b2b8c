import NIOCore

/// Runs Swift tasks on one NIO event loop (a task executor preference). A connection's handler runs on the
/// event loop that reads and writes its socket, so a message reaches the handler, and its answer the socket,
/// without crossing threads: no wake-up of another thread per message, and a send made on the loop writes
/// at once.
@available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, *)
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
