import NIOCore
public import WSTapCore
public import WSTapExport

/// One message to send again on a new connection opened with a recorded handshake (the repeater): the
/// handshake, the message (as recorded or edited), and how many replies the recording had, to know how long
/// to listen.
public struct RepeatRequest: Sendable {
    /// The recorded opening handshake: its request (path, headers, subprotocols, extensions offered) is sent
    /// again, with fresh keys and the new host.
    public var opened: TrafficEvent.ConnectionOpened
    /// `text`, `binary`, or a control opcode (a ping is sent as a ping).
    public var opcode: Opcode
    /// The message's data, whole (inflated when it was compressed; it is sent uncompressed).
    public var payload: [UInt8]
    /// The data messages the server sent before the client's first message in the recording (a greeting),
    /// waited for before sending.
    public var greetings: Int
    /// The data messages the server sent after this message, before the client's next one, in the recording:
    /// the replies listened for.
    public var expectedReplies: Int

    /// A message to send on a connection opened with `opened`'s request.
    public init(
        opened: TrafficEvent.ConnectionOpened, opcode: Opcode, payload: [UInt8], greetings: Int = 0,
        expectedReplies: Int = 1
    ) {
        self.opened = opened
        self.opcode = opcode
        self.payload = payload
        self.greetings = greetings
        self.expectedReplies = expectedReplies
    }

    /// The message that frame number `frame` of a recorded connection belongs to (1 is its first frame, both
    /// directions counted; a fragment stands for its whole message), with the replies that followed it.
    /// - Throws: ``ReplayError`` when the connection's opening is not recorded or there is no such frame.
    public static func select(_ transcript: ConnectionTranscript, frame number: Int) throws(ReplayError)
        -> RepeatRequest
    {
        guard let opened = transcript.opened else {
            throw ReplayError("connection \(transcript.connection): its opening handshake is not in the recording")
        }
        let reassemblers = [
            TrafficDirection.clientToServer: MessageReassembler(direction: .clientToServer, of: opened),
            .serverToClient: MessageReassembler(direction: .serverToClient, of: opened),
        ]
        var frames = 0
        var chosen: (direction: TrafficDirection, isControl: Bool)?
        var message: RecordedMessage?
        var greetings = 0
        var clientMessages = 0
        var replies = 0
        for item in transcript.items {
            guard case .frame(let seen, _) = item, let reassembler = reassemblers[seen.direction] else { continue }
            frames += 1
            if frames == number { chosen = (seen.direction, Self.isControl(seen.content)) }
            for done in reassembler.push(seen.content, at: seen.at) {
                if let wanted = chosen, message == nil, done.direction == wanted.direction,
                    done.opcode.isControl == wanted.isControl
                {
                    message = done
                    if done.direction == .clientToServer { clientMessages += 1 }
                    continue
                }
                guard done.isConversational else { continue }
                if done.direction == .clientToServer {
                    if message != nil { return request(opened, message, greetings, replies) }
                    clientMessages += 1
                } else if done.isData {
                    if clientMessages == 0 { greetings += 1 }
                    if message != nil { replies += 1 }
                }
            }
        }
        if message == nil, chosen != nil, let direction = chosen?.direction {
            message = reassemblers[direction]?.finish()
        }
        guard chosen != nil else {
            throw ReplayError(
                "connection \(transcript.connection) has \(CountWords.of(frames, "frame")): no frame \(number) "
                    + "(frames are numbered from 1, both directions counted)")
        }
        return request(opened, message, greetings, replies)
    }

    private static func request(
        _ opened: TrafficEvent.ConnectionOpened, _ message: RecordedMessage?, _ greetings: Int, _ replies: Int
    ) -> RepeatRequest {
        RepeatRequest(
            opened: opened, opcode: message?.opcode ?? .text,
            payload: message.map { Array($0.data.readableBytesView) } ?? [], greetings: greetings,
            expectedReplies: replies)
    }

    private static func isControl(_ content: TrafficEvent.FrameSeen.Content) -> Bool {
        switch content {
        case .rfc6455(let frame): return frame.header.opcode.isControl
        case .hybi00(let frame): return frame.isClose
        }
    }
}
