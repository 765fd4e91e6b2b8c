/// Standard input's lines for `wstap connect`, kept across reconnections, in batches (one read of standard
/// input each, ``StandardInputLineBatches``): a batch is read only when one is asked for, so input never runs
/// far ahead of a slow connection, and lines taken by a connection that ended before it could send them are
/// given back, to go first on the next connection.
actor OutgoingLines {
    private var pending: [String] = []
    private var ended = false
    private var reader: Task<[String]?, Never>?
    private let source: @Sendable () async -> [String]?

    /// Batches of lines read by `source` (`nil` at the end of input); one read at a time.
    init(source: @escaping @Sendable () async -> [String]?) {
        self.source = source
    }

    /// The lines of standard input.
    static func standardInput() -> OutgoingLines {
        let reader = StandardInputReader()
        return OutgoingLines { await reader.next() }
    }

    /// Whether the input ended and every line was taken.
    var isFinished: Bool { ended && pending.isEmpty }

    /// The next lines (at least one); `nil` at the end of input, or when the calling task was cancelled (lines
    /// read for it then stay for the next caller).
    func next() async -> [String]? {
        while true {
            if Task.isCancelled { return nil }
            if !pending.isEmpty {
                defer { pending = [] }
                return pending
            }
            if ended { return nil }
            let read = reader ?? Task { await source() }
            reader = read
            let lines = await read.value
            // Several callers may wait for one read: the first to resume after it takes the lines.
            guard reader == read else { continue }
            reader = nil
            guard let lines else {
                ended = true
                return nil
            }
            if Task.isCancelled {
                pending = lines
                return nil
            }
            return lines
        }
    }

    /// Gives back lines taken but not sent: they are the next lines taken.
    func giveBack(_ lines: [String]) {
        pending.insert(contentsOf: lines, at: 0)
    }
}

/// Standard input's batches of lines, read by one task at a time (``OutgoingLines`` makes sure).
private final class StandardInputReader: @unchecked Sendable {  // One read at a time: see OutgoingLines.reader.
    private var batches = StandardInputLineBatches().makeAsyncIterator()

    func next() async -> [String]? {
        await batches.next()
    }
}
