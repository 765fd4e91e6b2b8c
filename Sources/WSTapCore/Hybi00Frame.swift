public import NIOCore

/// A hybi-00 frame as the tolerant decoder saw it.
public struct Hybi00Frame: Sendable {
    /// The framing it was read in.
    public var framing: Hybi00Framing
    /// The frame-type byte.
    public var typeByte: UInt8
    /// The length written on the wire; `nil` for a sentinel-terminated frame.
    public var declaredLength: UInt64?
    /// The payload (capped by the decoder's capture limit).
    public var payload: ByteBuffer
    /// Every rule the frame breaks.
    public var violations: [Violation]
    /// Where the frame began in the stream.
    public var streamOffset: Int
    /// How many bytes the frame took on the wire.
    public var wireLength: Int
    /// False for what was left when the stream ended inside a frame.
    public var isComplete: Bool

    /// Describes a frame as read: its framing, type byte, declared length (`nil` for sentinel frames) and
    /// payload; a complete, valid frame at offset 0 unless told otherwise.
    public init(
        framing: Hybi00Framing, typeByte: UInt8, declaredLength: UInt64?, payload: ByteBuffer,
        violations: [Violation] = [], streamOffset: Int = 0, wireLength: Int = 0, isComplete: Bool = true
    ) {
        self.isComplete = isComplete
        self.framing = framing
        self.typeByte = typeByte
        self.declaredLength = declaredLength
        self.payload = payload
        self.violations = violations
        self.streamOffset = streamOffset
        self.wireLength = wireLength
    }

    /// Whether this is the closing frame of its framing (`0xFF 0x00` old, type `0x00` new).
    public var isClose: Bool {
        switch framing {
        case .old: return typeByte == 0xFF && declaredLength == 0
        case .new: return typeByte == 0x00
        }
    }

    /// Whether this is a text data frame (`0x00 ... 0xFF` old, type `0xFF` new).
    public var isText: Bool {
        switch framing {
        case .old: return typeByte == 0x00 && declaredLength == nil
        case .new: return typeByte == 0xFF
        }
    }

    /// A short name: `text`, `close`, `binary` (a length-prefixed frame of another type) or `unknown`.
    public var kindName: String {
        if isText { return "text" }
        if isClose { return "close" }
        if framing == .old, typeByte & 0x80 != 0 { return "binary" }
        return "unknown"
    }
}
