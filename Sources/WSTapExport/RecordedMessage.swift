public import NIOCore
public import WSTapCore

/// A whole message one peer sent, put back together from its frames: a data message (all its fragments,
/// inflated when it was compressed) or a control frame.
public struct RecordedMessage: Sendable {
    /// Who sent it.
    public var direction: TrafficDirection
    /// `text` or `binary` for data messages (the first fragment's opcode); the frame's own opcode for
    /// control frames (close, ping, pong or reserved).
    public var opcode: Opcode
    /// The application data: all fragments joined, inflated when the message was compressed.
    public var data: ByteBuffer
    /// When its last frame was seen.
    public var at: TrafficTimestamp
    /// How many frames it took.
    public var frameCount: Int
    /// Whether it was sent compressed (permessage-deflate).
    public var wasCompressed: Bool
    /// Why inflating it failed, if it did (``data`` then holds the compressed bytes).
    public var inflationError: String?

    /// A message as one frame, sent uncompressed, unless told otherwise.
    public init(
        direction: TrafficDirection, opcode: Opcode, data: ByteBuffer, at: TrafficTimestamp, frameCount: Int = 1,
        wasCompressed: Bool = false, inflationError: String? = nil
    ) {
        self.direction = direction
        self.opcode = opcode
        self.data = data
        self.at = at
        self.frameCount = frameCount
        self.wasCompressed = wasCompressed
        self.inflationError = inflationError
    }

    /// Whether this is a text or binary message.
    public var isData: Bool { opcode == .text || opcode == .binary }

    /// Whether it is part of the conversation a replay follows: a data message or a close. Pings and pongs
    /// are not: peers send them on their own (keepalives), so a replay neither waits for nor counts them.
    public var isConversational: Bool { isData || opcode == .close }

    /// The close body, for a close frame.
    public var closeBody: CloseBody? {
        guard opcode == .close else { return nil }
        return CloseBody.parse(data.readableBytesView).body
    }

    /// The data as text when it is valid UTF-8.
    public var text: String? {
        String(validating: data.readableBytesView, as: UTF8.self)
    }
}
