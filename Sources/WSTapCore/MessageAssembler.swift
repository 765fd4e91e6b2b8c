public import NIOCore

/// Puts fragments back together into messages (RFC 6455 section 5.4), either whole or streamed.
///
/// In ``Mode/whole`` mode a message comes out once its last fragment arrives. In ``Mode/streaming``
/// mode every data frame comes out at once as a ``MessageChunk``, so a message is never held whole.
/// Control frames pass through between fragments. Either way a message over ``maxMessageSize`` bytes
/// fails with ``Violation/Kind/messageTooBig`` and is dropped.
public struct MessageAssembler: Sendable {
    /// How messages come out of the assembler.
    public enum Mode: Hashable, Sendable {
        case whole
        case streaming
    }

    /// What one frame produces.
    public enum Event: Sendable {
        /// A whole message (whole mode).
        case message(Message)
        /// One fragment's bytes (streaming mode).
        case chunk(MessageChunk)
        /// A control frame (close, ping, pong or reserved).
        case control(DecodedFrame)
        /// The frames do not form a valid message; what was open is dropped.
        case failure(Violation)
    }

    /// How messages come out; see ``beginStreaming()`` and ``endStreaming()`` to change it between frames.
    public private(set) var mode: Mode
    /// Messages whose fragments add up to more bytes fail with ``Violation/Kind/messageTooBig``.
    public let maxMessageSize: Int

    private var openOpcode: Opcode?
    private var openSize = 0
    private var collected = ByteBuffer()

    /// Creates an assembler with no message in progress: whole messages by default, and no size limit
    /// unless one is given.
    public init(mode: Mode = .whole, maxMessageSize: Int = Int.max) {
        self.mode = mode
        self.maxMessageSize = maxMessageSize
    }

    /// Whether a fragmented message is in progress.
    public var isMessageOpen: Bool { openOpcode != nil }

    /// The opcode of the fragmented message in progress, if any.
    public var openMessageOpcode: Opcode? { openOpcode }

    /// Switches to ``Mode/streaming``. The bytes of a fragmented message already collected in whole mode come
    /// out as that message's first chunk, so that the rest of it streams.
    public mutating func beginStreaming() -> MessageChunk? {
        guard mode == .whole else { return nil }
        mode = .streaming
        guard let opcode = openOpcode else { return nil }
        let data = collected
        collected = ByteBuffer()
        return MessageChunk(opcode: opcode, data: data, isFirst: true, isFinal: false)
    }

    /// Switches back to ``Mode/whole``: the next message comes out whole. A message still open keeps its
    /// size count and is collected from here on.
    public mutating func endStreaming() {
        mode = .whole
    }

    /// Takes the next frame. Returns `nil` when a fragment was stored and nothing is complete yet.
    public mutating func push(_ frame: DecodedFrame) -> Event? {
        let opcode = frame.header.opcode
        if opcode.isControl {
            return .control(frame)
        }
        let isFirst: Bool
        if opcode == .continuation {
            guard openOpcode != nil else {
                return .failure(Violation(.continuationWithoutMessage))
            }
            isFirst = false
        } else {
            if let open = openOpcode {
                reset()
                return .failure(Violation(.dataFrameInsideMessage, "\(open.name) message still open"))
            }
            openOpcode = opcode
            openSize = 0
            isFirst = true
        }
        let messageOpcode = openOpcode ?? opcode
        openSize += frame.payload.readableBytes
        if openSize > maxMessageSize {
            let size = openSize
            reset()
            return .failure(Violation(.messageTooBig, "\(size) bytes, limit \(maxMessageSize)"))
        }
        let isFinal = frame.header.fin
        switch mode {
        case .streaming:
            if isFinal { reset() }
            return .chunk(MessageChunk(opcode: messageOpcode, data: frame.payload, isFirst: isFirst, isFinal: isFinal))
        case .whole:
            if isFinal, isFirst {
                reset()
                return .message(Message(opcode: messageOpcode, data: frame.payload))
            }
            var payload = frame.payload
            collected.writeBuffer(&payload)
            guard isFinal else { return nil }
            let data = collected
            reset()
            return .message(Message(opcode: messageOpcode, data: data))
        }
    }

    private mutating func reset() {
        openOpcode = nil
        openSize = 0
        collected = ByteBuffer()
    }
}

/// A whole message: the opcode of its first frame and all its bytes.
public struct Message: Sendable {
    /// `.text` or `.binary` (or a reserved data opcode, which a tolerant reader may let through).
    public var opcode: Opcode
    /// The payloads of all the message's frames, joined (inflated, for a compressed message).
    public var data: ByteBuffer

    /// A message of this type with these bytes.
    public init(opcode: Opcode, data: ByteBuffer) {
        self.opcode = opcode
        self.data = data
    }

    /// The data as text when it is valid UTF-8.
    public var text: String? {
        guard UTF8Validator.isValid(data.readableBytesView) else { return nil }
        return String(buffer: data)
    }
}

/// One fragment's bytes of a message being streamed.
public struct MessageChunk: Sendable {
    /// The opcode of the message (text, binary or reserved), not of the fragment.
    public var opcode: Opcode
    /// This fragment's payload bytes (possibly empty).
    public var data: ByteBuffer
    /// Whether this is the message's first fragment (the one that carries its opcode).
    public var isFirst: Bool
    /// Whether this is the message's last fragment (FIN set): the message is complete after it.
    public var isFinal: Bool

    /// A chunk of a message of type `opcode`, with its place in the message.
    public init(opcode: Opcode, data: ByteBuffer, isFirst: Bool, isFinal: Bool) {
        self.opcode = opcode
        self.data = data
        self.isFirst = isFirst
        self.isFinal = isFinal
    }
}
