import NIOCore
public import WSTapCore
import WSTapExport

/// Sends one message on a new connection opened with a recorded handshake and collects what came back (the
/// repeater): the recorded request (fresh keys, the new host), the message in one frame at once (masked with a
/// fresh key, uncompressed), then what the server sends until `replies` data messages came (by default the
/// recording's greetings and replies to it), or the options' reply timeout passed, then a close with 1000.
public enum MessageRepeater {
    /// Connects, sends and returns what the server sent (greetings included). `events` sees the connection as
    /// a proxy would.
    public static func run(
        _ request: RepeatRequest, options: ClientReplayOptions, replies: Int? = nil,
        events: @escaping @Sendable (TrafficEvent) -> Void = { _ in }
    ) async throws(ReplayError) -> ClientReplayResult {
        var options = options
        options.waitsForReplies = true
        options.keepsMasks = false
        return try await ClientReplayer.run(script(request, replies: replies), options: options, events: events)
    }

    /// The replay script that does it: the message, then a close once the replies came.
    static func script(_ request: RepeatRequest, replies: Int?) -> ReplayScript {
        let waited = max(0, replies ?? request.greetings + request.expectedReplies)
        let message = frameBytes(request.opened, opcode: request.opcode, payload: request.payload)
        let close = frameBytes(request.opened, opcode: .close, payload: CloseBody(code: .normalClosure).bytes)
        let placeholder = RecordedMessage(
            direction: .serverToClient, opcode: .text, data: ByteBuffer(), at: request.opened.at)
        let closing = RecordedMessage(
            direction: .serverToClient, opcode: .close, data: ByteBuffer(), at: request.opened.at)
        return ReplayScript(
            opened: request.opened,
            clientSends: [
                .init(frame: nil, wireBytes: message, offsetNanoseconds: 0, repliesBefore: 0),
                .init(frame: nil, wireBytes: close, offsetNanoseconds: 0, repliesBefore: waited),
            ],
            // The server's close is waited for too (after ours), so that its code is seen.
            serverMessages: Array(repeating: placeholder, count: waited) + [closing])
    }

    /// One frame of the connection's variant: RFC 6455 masked with a fresh key; hybi-00 a text frame, a
    /// length-prefixed binary frame (type 0x80), or the closing frame.
    static func frameBytes(_ opened: TrafficEvent.ConnectionOpened, opcode: Opcode, payload: [UInt8]) -> ByteBuffer {
        switch opened.variant {
        case .rfc6455:
            let spec = FrameSpec(opcode: opcode, mask: .random, payload: payload)
            return ByteBuffer(bytes: (try? FrameEncoder.encode(spec)) ?? [])
        case .hybi00:
            let spec = Hybi00FrameSpec(
                framing: opened.framing, typeByte: opcode == .binary ? 0x80 : nil, isClose: opcode == .close,
                payload: opcode == .close ? [] : payload)
            return ByteBuffer(bytes: Hybi00FrameEncoder.encode(spec))
        }
    }
}

extension ReplayScript {
    /// A script made up here rather than read from a recording.
    init(opened: TrafficEvent.ConnectionOpened, clientSends: [ClientSend], serverMessages: [RecordedMessage]) {
        self.opened = opened
        self.clientSends = clientSends
        self.serverSends = []
        self.clientMessages = []
        self.serverMessages = serverMessages
        self.closedBy = nil
    }
}
