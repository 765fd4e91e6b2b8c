/// The lines of standard input, without their line ends, read one at a time as they are asked for: a line is
/// read only once the one before was taken (so input never piles up ahead of a slow consumer), on a thread of
/// ``BlockingWork``'s while it waits.
public struct StandardInputLines: AsyncSequence, Sendable {
    /// Reads the lines of standard input.
    public init() {}

    /// Reads the next line when asked.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// The next line; `nil` at the end of input (or if it cannot be read).
        public mutating func next() async -> String? {
            (try? await BlockingWork.run { readLine(strippingNewline: true) }) ?? nil
        }
    }

    /// An iterator over the lines still to come.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator() }
}
