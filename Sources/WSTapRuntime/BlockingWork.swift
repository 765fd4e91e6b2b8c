import NIOPosix

/// Where the runtime does what blocks a thread (the terminal's key reads, reading a recording or standard
/// input): a pool of NIO's, so that none of it runs on an event loop or on Swift concurrency's few threads,
/// and no code of ours makes threads of its own. Work is handed over in steps that return, so that a caller
/// can wait between them (for the screen to take what was read, say) without holding a thread.
enum BlockingWork {
    /// Enough threads for the terminal UI's loop, which holds one as long as the UI is open, a recording read
    /// in batches, a search and a framing switch at once.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// Runs `body` on one of the pool's threads and returns what it returns.
    static func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await pool.runIfActive(body)
    }
}
