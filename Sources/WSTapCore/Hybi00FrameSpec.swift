/// Everything needed to craft one hybi-00 frame, valid or not.
public struct Hybi00FrameSpec: Hashable, Sendable {
    /// The framing to write in: `.old` (sentinel bytes) or `.new` (length-prefixed).
    public var framing: Hybi00Framing
    /// The frame-type byte; `nil` picks text (`0x00` old, `0xFF` new), or close when ``isClose``.
    public var typeByte: UInt8?
    /// Whether to write the framing's closing frame (the payload is then ignored in old framing).
    public var isClose: Bool
    /// The length to write for length-prefixed frames; `nil` writes the real length.
    public var declaredLength: UInt64?
    /// The payload bytes (for text, UTF-8; nothing checks it, so invalid bytes can be crafted).
    public var payload: [UInt8]

    /// A frame to craft: text with the real length unless told otherwise.
    public init(
        framing: Hybi00Framing, typeByte: UInt8? = nil, isClose: Bool = false, declaredLength: UInt64? = nil,
        payload: [UInt8] = []
    ) {
        self.framing = framing
        self.typeByte = typeByte
        self.isClose = isClose
        self.declaredLength = declaredLength
        self.payload = payload
    }
}
