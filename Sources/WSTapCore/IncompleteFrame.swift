public import NIOCore

/// What was left when a stream ended inside a frame: reported, not dropped.
public struct IncompleteFrame: Sendable {
    /// The header, when all its bytes arrived.
    public var header: FrameHeader?
    /// The payload bytes received (unmasked), when the header arrived.
    public var receivedPayload: ByteBuffer
    /// Bytes that did not make up a whole header.
    public var unparsedBytes: ByteBuffer
    /// The offset in the stream where the frame began.
    public var streamOffset: Int
    /// Violations known about the frame, ending with ``Violation/Kind/incompleteFrame`` when a header
    /// was read.
    public var violations: [Violation]

    /// The bytes as they were on the wire: the header followed by the payload received, masked again when
    /// the header has a masking key; or the bytes that did not make up a header.
    public var wireBytes: ByteBuffer {
        guard let header else { return unparsedBytes }
        var wire = ByteBuffer(bytes: header.bytes)
        var payload = receivedPayload
        if let key = header.maskingKey {
            payload.withUnsafeMutableReadableBytes { _ = Masking.apply(key: key, phase: 0, inPlace: $0) }
        }
        wire.writeBuffer(&payload)
        return wire
    }

    /// Describes what was left of a frame; `violations` should end with ``Violation/Kind/incompleteFrame`` when
    /// a header was read.
    public init(
        header: FrameHeader?, receivedPayload: ByteBuffer, unparsedBytes: ByteBuffer, streamOffset: Int,
        violations: [Violation] = []
    ) {
        self.header = header
        self.receivedPayload = receivedPayload
        self.unparsedBytes = unparsedBytes
        self.streamOffset = streamOffset
        self.violations = violations
    }
}
