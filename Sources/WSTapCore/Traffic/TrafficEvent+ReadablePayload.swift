public import NIOCore

extension TrafficEvent.FrameSeen {
    /// The payload as a person or a filter reads it: what it inflates to when the frame belongs to a
    /// permessage-deflate message, otherwise the (unmasked) payload as it was sent.
    public var readablePayload: ByteBuffer {
        if let inflatedPayload { return inflatedPayload }
        switch content {
        case .rfc6455(let frame): return frame.payload
        case .hybi00(let frame): return frame.payload
        }
    }
}
