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
