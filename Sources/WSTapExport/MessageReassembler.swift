import NIOCore
import WSTapCompression
public import WSTapCore

/// Puts one direction's frames back together into ``RecordedMessage`` values, following
/// permessage-deflate when the connection agreed on it.
///
/// Unlike ``MessageAssembler`` it never refuses: a continuation without a message starts one, a data
/// frame inside an open message ends the open one first, so every byte a peer sent is accounted for.
/// Not `Sendable`: one reassembler per direction, used from one thread at a time.
public final class MessageReassembler {
    /// Who sends the frames.
    public let direction: TrafficDirection
    private let inflater: PerMessageDeflateInspector?
    private var open: RecordedMessage?

    /// A reassembler for the frames sent `direction`, inflating under `deflate` when it is given.
    public init(direction: TrafficDirection, deflate: PerMessageDeflateParameters? = nil) {
        self.direction = direction
        inflater = deflate.flatMap {
            try? PerMessageDeflateInspector(agreed: $0, sender: direction.sender, maxMessageSize: 1 << 40)
        }
    }

    /// A reassembler for one direction of a recorded connection (deflate as its handshake agreed).
    public convenience init(direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened?) {
        self.init(direction: direction, deflate: opened.flatMap(Self.deflateParameters))
    }

    /// The permessage-deflate parameters a recorded handshake agreed on, if any.
    public static func deflateParameters(_ opened: TrafficEvent.ConnectionOpened) -> PerMessageDeflateParameters? {
        guard opened.variant == .rfc6455,
            let offer = opened.extensions.first(where: {
                $0.name.lowercased() == PerMessageDeflateParameters.extensionName
            })
        else { return nil }
        return try? PerMessageDeflateParameters(parsing: offer)
    }

    /// Takes the next frame; returns the messages it completes (a control frame is one at once).
    public func push(_ content: TrafficEvent.FrameSeen.Content, at time: TrafficTimestamp) -> [RecordedMessage] {
        switch content {
        case .rfc6455(let frame):
            return push(frame, at: time)
        case .hybi00(let frame):
            return push(frame, at: time)
        }
    }

    /// Takes the next RFC 6455 frame.
    public func push(_ frame: DecodedFrame, at time: TrafficTimestamp) -> [RecordedMessage] {
        let header = frame.header
        var payload = frame.payload
        var compressed = false
        var failure: String?
        if let inflater {
            do {
                if case .inflated(let bytes) = try inflater.inspect(frame) {
                    payload = bytes
                    compressed = true
                }
            } catch {
                failure = "\(error)"
                compressed = true
            }
        }
        if header.opcode.isControl {
            return [RecordedMessage(direction: direction, opcode: header.opcode, data: payload, at: time)]
        }
        var done: [RecordedMessage] = []
        if header.opcode != .continuation, let unfinished = open {
            done.append(unfinished)
            open = nil
        }
        var message =
            open
            ?? RecordedMessage(
                direction: direction, opcode: header.opcode == .continuation ? .binary : header.opcode,
                data: ByteBuffer(), at: time, frameCount: 0, wasCompressed: compressed)
        message.data.writeBuffer(&payload)
        message.frameCount += 1
        message.at = time
        if let failure, message.inflationError == nil { message.inflationError = failure }
        if header.fin {
            done.append(message)
            open = nil
        } else {
            open = message
        }
        return done
    }

    /// Takes the next hybi-00 frame: text frames are text messages, length-prefixed frames of other
    /// types binary ones, the closing frame a close.
    public func push(_ frame: Hybi00Frame, at time: TrafficTimestamp) -> [RecordedMessage] {
        let opcode: Opcode = frame.isText ? .text : frame.isClose ? .close : .binary
        return [RecordedMessage(direction: direction, opcode: opcode, data: frame.payload, at: time)]
    }

    /// Ends the stream: a message still missing its last fragment comes out as it is.
    public func finish() -> RecordedMessage? {
        defer { open = nil }
        return open
    }

    /// Every message one peer sent in a transcript, in order.
    public static func messages(
        _ direction: TrafficDirection, of transcript: ConnectionTranscript
    ) -> [RecordedMessage] {
        messages(of: transcript).filter { $0.direction == direction }
    }

    /// Every message both peers sent in a transcript, in the order their last frames were seen.
    public static func messages(of transcript: ConnectionTranscript) -> [RecordedMessage] {
        let reassemblers = [
            TrafficDirection.clientToServer: MessageReassembler(direction: .clientToServer, of: transcript.opened),
            .serverToClient: MessageReassembler(direction: .serverToClient, of: transcript.opened),
        ]
        var messages: [RecordedMessage] = []
        for case .frame(let frame, _) in transcript.items {
            messages += reassemblers[frame.direction]?.push(frame.content, at: frame.at) ?? []
        }
        for direction in TrafficDirection.allCases {
            if let last = reassemblers[direction]?.finish() { messages.append(last) }
        }
        return messages
    }
}
