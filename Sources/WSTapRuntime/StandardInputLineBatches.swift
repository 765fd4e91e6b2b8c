#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lines of standard input, without their line ends, in batches: each batch holds the lines that one read
/// of at most ``maxBytes`` bytes ends (``LineSplitter``). A read is made only once the batch before was taken,
/// on a thread of ``BlockingWork``'s while it waits, so input runs at most one read ahead of a slow consumer,
/// and a fast one gets many lines per thread crossing (`wstap connect` sends a batch with one flush).
public struct StandardInputLineBatches: AsyncSequence, Sendable {
    /// The most bytes one read takes.
    public let maxBytes: Int

    /// Reads standard input `maxBytes` (at least 1) at most at a time.
    public init(maxBytes: Int = 65536) {
        self.maxBytes = Swift.max(1, maxBytes)
    }

    /// Reads the next batch when asked.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let maxBytes: Int
        private var splitter = LineSplitter()
        private var ended = false

        init(maxBytes: Int) {
            self.maxBytes = maxBytes
        }

        /// The next lines (at least one); `nil` at the end of input (or once it cannot be read). Bytes after
        /// the last line end are the last line.
        public mutating func next() async -> [String]? {
            while !ended {
                let maxBytes = self.maxBytes
                guard let chunk = (try? await BlockingWork.run { Self.readChunk(maxBytes) }) ?? nil else {
                    ended = true
                    break
                }
                let lines = splitter.lines(in: chunk)
                if !lines.isEmpty { return lines }
            }
            return splitter.rest().map { [$0] }
        }

        /// One read of standard input: `nil` at its end or on an error.
        private static func readChunk(_ maxBytes: Int) -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: maxBytes)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, maxBytes) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return nil }
                buffer.removeSubrange(count...)
                return buffer
            }
        }
    }

    /// An iterator over the lines still to come.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(maxBytes: maxBytes) }
}
