import NIOCore
public import WSTapCore

/// What the fuzzer sends on one connection after the opening handshake: frames (valid or not, masked as each
/// spec says), written at once or in pieces, and the mutations that made them.
public struct FuzzCase: Hashable, Sendable {
    /// The frames, in order; each spec's mask is written as given.
    public var frames: [FrameSpec]
    /// Writes of at most this many bytes, or the whole case in one write.
    public var chop: Int?
    /// The mutations applied to the base sequence, in order.
    public var mutations: [MutationKind]
    /// Who sends the frames: a client (whose frames must be masked) or a server (whose frames must not be).
    public var sender: EndpointRole

    /// A case of these frames, sent by `sender`.
    public init(frames: [FrameSpec], chop: Int? = nil, mutations: [MutationKind] = [], sender: EndpointRole = .client) {
        self.frames = frames
        self.sender = sender
        self.chop = chop
        self.mutations = mutations
    }

    /// The payload bytes of all frames together.
    public var payloadSize: Int { frames.reduce(0) { $0 + $1.payload.count } }

    /// The case's wire bytes, or `nil` when a frame's declared length does not fit its forced encoding.
    public var wireBytes: [UInt8]? {
        var generator = FuzzRandom(seed: 0)
        var buffer = ByteBuffer()
        for frame in frames {
            do {
                try FrameEncoder.encode(frame, into: &buffer, using: &generator)
            } catch {
                return nil
            }
        }
        return Array(buffer.readableBytesView)
    }

    /// Whether `bytes`, read as frames from a peer in `sender`'s role, end on a frame boundary: false when the last
    /// frame's header or payload is not all there (a longer declared length swallows what follows).
    public static func endsOnFrameBoundary(_ bytes: [UInt8], sender: EndpointRole) -> Bool {
        var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(sender: sender))
        decoder.append(bytes)
        while decoder.nextFrame() != nil {}
        return decoder.finish() == nil
    }

    /// "text "hi" (not final), ping 3 bytes": the frames in words (six at most).
    public var summary: String {
        var words = frames.prefix(6).map { Self.describe($0, sender: sender) }.joined(separator: ", ")
        if frames.count > 6 { words += ", and \(frames.count - 6) more" }
        if frames.isEmpty { words = "no frame" }
        if let chop { words += " (in \(chop)-byte writes)" }
        return words
    }

    /// One frame in words: `text (not final) RSV 2 "a\u{0}"`.
    public static func describe(_ frame: FrameSpec, sender: EndpointRole) -> String {
        var words = [frame.opcode.name]
        if !frame.fin { words.append("(not final)") }
        if !frame.reservedBits.isEmpty { words.append("RSV \(frame.reservedBits.number)") }
        if let encoding = frame.lengthEncoding { words.append("\(encoding.bitCount)-bit length") }
        if let declared = frame.declaredLength { words.append("declaring \(declared) bytes") }
        if (frame.mask == .none) == (sender == .client) { words.append(sender == .client ? "unmasked" : "masked") }
        words.append(PayloadWords.describe(frame.payload))
        return words.joined(separator: " ")
    }
}
