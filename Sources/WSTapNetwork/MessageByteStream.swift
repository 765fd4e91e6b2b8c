public import NIOCore
public import WSTapCore

/// The bytes of one received message as they arrive (see ``WebSocketConnection/receiveStream()``): an
/// async sequence of chunks, one per frame or part of a frame received. Fragment boundaries are not kept,
/// and a chunk of text may end inside a character. Iterate it once; the connection's other events
/// meanwhile are skipped.
public struct MessageByteStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    /// The message's type: `.text` or `.binary`.
    public let opcode: Opcode
    private let first: ByteBuffer
    private let isComplete: Bool
    private let inbox: ConnectionInbox

    init(opcode: Opcode, first: ByteBuffer, isComplete: Bool, inbox: ConnectionInbox) {
        self.opcode = opcode
        self.first = first
        self.isComplete = isComplete
        self.inbox = inbox
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pendingFirst: first, finished: isComplete, inbox: inbox)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var pendingFirst: ByteBuffer?
        var finished: Bool
        let inbox: ConnectionInbox

        /// The next chunk; `nil` at the end of the message.
        /// - Throws: ``MessageStreamInterrupted`` when the connection closes before the message ends.
        public mutating func next() async throws -> ByteBuffer? {
            if let first = pendingFirst {
                pendingFirst = nil
                if first.readableBytes > 0 { return first }
            }
            while !finished {
                guard let event = await inbox.next() else {
                    finished = true
                    throw MessageStreamInterrupted(outcome: nil)
                }
                switch event {
                case .messageChunk(let chunk):
                    finished = chunk.isFinal
                    if chunk.data.readableBytes > 0 { return chunk.data }
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

    public var description: String {
        guard let outcome else { return "the connection closed in the middle of the message" }
        let why = outcome.failure ?? outcome.receivedCode.map { "the peer closed with \($0)" } ?? "it closed"
        return "the connection closed in the middle of the message: \(why)"
    }
}
