public import NIOCore

/// A frame as the tolerant decoder saw it: its header, its unmasked payload and what is wrong with it.
public struct DecodedFrame: Sendable {
    /// The header exactly as on the wire.
    public var header: FrameHeader
    /// The unmasked payload, or only its first bytes when the frame was larger than the decoder's
    /// capture limit (see ``isPayloadComplete``).
    public var payload: ByteBuffer
    /// Every rule the frame breaks, in the order found.
    public var violations: [Violation]
    /// The offset of the frame's first byte in the decoded stream.
    public var streamOffset: Int

    /// A frame as decoded: its header, unmasked payload and violations, at `streamOffset` in the stream.
    public init(header: FrameHeader, payload: ByteBuffer, violations: [Violation] = [], streamOffset: Int = 0) {
        self.header = header
        self.payload = payload
        self.violations = violations
        self.streamOffset = streamOffset
    }

    /// Whether ``payload`` holds the whole payload.
    public var isPayloadComplete: Bool { UInt64(payload.readableBytes) == header.payloadLength }

    /// The number of bytes the frame takes on the wire.
    public var wireLength: UInt64 { UInt64(header.size) &+ header.payloadLength }

    /// The parsed close body when this is a close frame.
    public var closeBody: CloseBody? {
        guard header.opcode == .close else { return nil }
        return CloseBody.parse(payload.readableBytesView).body
    }

    /// The frame's exact wire bytes, masked again with its own key (only when the payload is complete).
    public var wireBytes: ByteBuffer? {
        guard isPayloadComplete else { return nil }
        var buffer = ByteBufferAllocator().buffer(capacity: Int(wireLength))
        FrameEncoder.write(header: header, payload: payload.readableBytesView, into: &buffer)
        return buffer
    }
}
