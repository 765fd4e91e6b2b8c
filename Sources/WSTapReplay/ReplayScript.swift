public import NIOCore
public import WSTapCore
public import WSTapExport

/// One recorded connection laid out for replay in either role: what the client sent (frame by frame, with
/// its timing and the replies that had come before each frame), what the server sent (each piece tied to
/// the number of client messages that preceded it), and the messages each side sent.
public struct ReplayScript: Sendable {
    /// Bytes the client sent: a frame (or leftover bytes that never made one).
    public struct ClientSend: Sendable {
        /// The decoded RFC 6455 frame, when it is one (so it can be masked again with a fresh key).
        public var frame: DecodedFrame?
        /// The exact bytes as recorded.
        public var wireBytes: ByteBuffer
        /// When it was sent, in nanoseconds after the opening handshake.
        public var offsetNanoseconds: UInt64
        /// How many server messages (data messages and closes, see
        /// ``RecordedMessage/isConversational``) had arrived before it.
        public var repliesBefore: Int
    }

    /// Bytes the server sent, and after how many whole client messages (data messages and closes).
    public struct ServerSend: Sendable {
        /// The frame's exact bytes as the server sent them (or a run of bytes that made no frame).
        public var wireBytes: ByteBuffer
        /// How many whole client messages (data messages and closes) the server had received before it sent them.
        public var afterClientMessages: Int
        /// How long after the client message it follows (or, before any, after the opening handshake) the
        /// server sent it, in nanoseconds.
        public var delayNanoseconds: UInt64 = 0
    }

    /// The recorded opening handshake.
    public var opened: TrafficEvent.ConnectionOpened
    /// What the client sent, frame by frame, with its timing and the replies that preceded each.
    public var clientSends: [ClientSend]
    /// What the server sent, frame by frame, with the client messages that released each.
    public var serverSends: [ServerSend]
    /// The messages (and control frames) each side sent, in order.
    public var clientMessages: [RecordedMessage]
    /// The server's messages and control frames, in order (what a replay's replies are compared with).
    public var serverMessages: [RecordedMessage]
    /// Which side ended TCP first in the recording, if known.
    public var closedBy: EndpointRole?

    /// The connection's number in the recording.
    public var connection: UInt64 { opened.connection }
    /// The permessage-deflate parameters the recorded handshake agreed on, if any.
    public var deflate: PerMessageDeflateParameters? { MessageReassembler.deflateParameters(opened) }

    /// Lays out a transcript.
    /// - Throws: ``ReplayError`` when the opening was not recorded or a frame's bytes are incomplete.
    public init(_ transcript: ConnectionTranscript) throws(ReplayError) {
        guard let opened = transcript.opened else {
            throw ReplayError("connection \(transcript.connection): its opening handshake is not in the recording")
        }
        self.opened = opened
        closedBy = transcript.closed?.closedBy
        clientSends = []
        serverSends = []
        clientMessages = []
        serverMessages = []
        // When each whole client message (data or close) arrived, after the opening handshake.
        var clientMessageOffsets: [UInt64] = []
        func serverSend(_ bytes: ByteBuffer, at time: TrafficTimestamp, after messages: Int) -> ServerSend {
            let anchor = messages == 0 ? 0 : clientMessageOffsets[messages - 1]
            let offset = Self.offset(time, from: opened.at)
            return ServerSend(
                wireBytes: bytes, afterClientMessages: messages,
                delayNanoseconds: offset > anchor ? offset - anchor : 0)
        }
        let clientReassembler = MessageReassembler(direction: .clientToServer, of: opened)
        let serverReassembler = MessageReassembler(direction: .serverToClient, of: opened)
        for item in transcript.items {
            let bytes: ByteBuffer
            var decoded: DecodedFrame?
            switch item {
            case .frame(let frame, let wireBytes):
                guard let wireBytes else {
                    throw ReplayError(
                        "connection \(transcript.connection): a \(frame.direction.rawValue) frame's payload was "
                            + "recorded only in part, so it cannot be sent again")
                }
                bytes = wireBytes
                if case .rfc6455(let frame) = frame.content, frame.isPayloadComplete { decoded = frame }
                if frame.direction == .clientToServer {
                    clientSends.append(
                        ClientSend(
                            frame: decoded, wireBytes: bytes,
                            offsetNanoseconds: Self.offset(frame.at, from: opened.at),
                            repliesBefore: serverMessages.count(where: \.isConversational)))
                    let messages = clientReassembler.push(frame.content, at: frame.at)
                    clientMessages += messages
                    let offset = Self.offset(frame.at, from: opened.at)
                    for message in messages where message.isConversational { clientMessageOffsets.append(offset) }
                } else {
                    serverSends.append(
                        serverSend(bytes, at: frame.at, after: clientMessages.count(where: \.isConversational)))
                    serverMessages += serverReassembler.push(frame.content, at: frame.at)
                }
            case .leftover(let direction, let leftover, let at):
                if direction == .clientToServer {
                    clientSends.append(
                        ClientSend(
                            frame: nil, wireBytes: leftover, offsetNanoseconds: Self.offset(at, from: opened.at),
                            repliesBefore: serverMessages.count(where: \.isConversational)))
                } else {
                    serverSends.append(
                        serverSend(leftover, at: at, after: clientMessages.count(where: \.isConversational)))
                }
            }
        }
        if let last = clientReassembler.finish() { clientMessages.append(last) }
        if let last = serverReassembler.finish() { serverMessages.append(last) }
    }

    /// Picks connection `number` of a recording (the first one when `number` is nil).
    public static func select(
        _ transcripts: [ConnectionTranscript], connection number: UInt64?
    ) throws(ReplayError) -> ReplayScript {
        if let number {
            guard let chosen = transcripts.first(where: { $0.connection == number }) else {
                let known = transcripts.map { String($0.connection) }.joined(separator: ", ")
                throw ReplayError(
                    "no connection \(number) in the recording (it has: \(known.isEmpty ? "none" : known))")
            }
            return try ReplayScript(chosen)
        }
        guard let first = transcripts.first(where: { $0.opened != nil }) else {
            throw ReplayError("the recording holds no opened connection")
        }
        return try ReplayScript(first)
    }

    private static func offset(_ time: TrafficTimestamp, from start: TrafficTimestamp) -> UInt64 {
        time.monotonicNanoseconds >= start.monotonicNanoseconds
            ? time.monotonicNanoseconds - start.monotonicNanoseconds : 0
    }
}
