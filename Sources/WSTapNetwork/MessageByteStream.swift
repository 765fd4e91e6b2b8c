public import NIOCore
public import WSTapCore

/// The bytes of one received message as they arrive (see ``WebSocketConnection/receiveStream()``): an
/// async sequence of chunks, one per frame or part of a frame received, none larger than the connection's
/// ``WebSocketConnection/streamBufferSize`` (a message that arrived whole before it was asked for comes in
/// chunks of that size). Fragment boundaries are not kept, and a chunk of text may end inside a character.
/// Iterate it once; the connection's other events meanwhile are skipped.
public struct MessageByteStream: AsyncSequence, Sendable {
    /// A piece of the message's bytes: a frame's payload or part of one (never empty).
    public typealias Element = ByteBuffer

    /// The message's type: `.text` or `.binary`.
    public let opcode: Opcode
    private let first: ByteBuffer
    private let isComplete: Bool
    private let inbox: ConnectionInbox
    private let chunkSize: Int

    init(opcode: Opcode, first: ByteBuffer, isComplete: Bool, inbox: ConnectionInbox, chunkSize: Int) {
        self.opcode = opcode
        self.first = first
        self.isComplete = isComplete
        self.inbox = inbox
        self.chunkSize = Swift.max(1, chunkSize)
    }

    /// The iterator over the message's chunks; make one, once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pending: first, finished: isComplete, inbox: inbox, chunkSize: chunkSize)
    }

    /// Takes the message's chunks from the connection's events as they arrive.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// Bytes received and not handed out yet.
        var pending: ByteBuffer
        var finished: Bool
        let inbox: ConnectionInbox
        let chunkSize: Int

        /// The next chunk; `nil` at the end of the message.
        /// - Throws: ``MessageStreamInterrupted`` when the connection closes before the message ends.
        public mutating func next() async throws -> ByteBuffer? {
            if pending.readableBytes > 0 {
                return pending.readSlice(length: Swift.min(chunkSize, pending.readableBytes))
            }
            while !finished {
                guard let event = await inbox.next() else {
                    finished = true
                    throw MessageStreamInterrupted(outcome: nil)
                }
                switch event {
                case .messageChunk(var chunk):
                    finished = chunk.isFinal
                    if chunk.data.readableBytes > 0 {
                        let piece = chunk.data.readSlice(length: Swift.min(chunkSize, chunk.data.readableBytes))
                        pending = chunk.data
                        return piece
                    }
                case .closed(let outcome):
                    finished = true
                    throw MessageStreamInterrupted(outcome: outcome)
                default:
                    continue
                }
            }
            return nil
        }
    }
}

/// The connection closed before the message being streamed ended.
public struct MessageStreamInterrupted: Error, Sendable, CustomStringConvertible {
    /// How the connection ended, when known.
    public let outcome: CloseOutcome?

    /// Says that the message was cut short, and why: the peer's close code or the failure.
    public var description: String {
        guard let outcome else { return "the connection closed in the middle of the message" }
        let why = outcome.failure ?? outcome.receivedCode.map { "the peer closed with \($0)" } ?? "it closed"
        return "the connection closed in the middle of the message: \(why)"
    }
}
