public import NIOCore
public import WSTapCore

/// The exact bytes a recorded frame took on the wire, rebuilt from its decoded form.
///
/// An RFC 6455 header is kept wire-exact by the decoder, so masking the payload again with the frame's
/// own key gives back the original bytes. A hybi-00 frame is rebuilt from its type byte, declared length
/// and payload in the framing it was read in.
public enum RecordedFrameBytes {
    /// The frame's wire bytes, or `nil` when its payload was recorded only in part.
    public static func of(_ frame: TrafficEvent.FrameSeen) -> ByteBuffer? {
        switch frame.content {
        case .rfc6455(let decoded):
            return decoded.wireBytes
        case .hybi00(let hybi00):
            return of(hybi00)
        }
    }

    /// A hybi-00 frame's wire bytes, or `nil` when its payload was recorded only in part.
    public static func of(_ frame: Hybi00Frame) -> ByteBuffer? {
        var buffer = ByteBufferAllocator().buffer(capacity: frame.payload.readableBytes + 10)
        switch (frame.framing, frame.declaredLength) {
        case (.old, nil):
            // Sentinel framing: type, payload, 0xFF (absent when the stream ended inside the frame).
            buffer.writeInteger(frame.typeByte)
            var payload = frame.payload
            buffer.writeBuffer(&payload)
            if frame.isComplete { buffer.writeInteger(UInt8(0xFF)) }
        case (.old, .some(let length)):
            guard UInt64(frame.payload.readableBytes) == length || !frame.isComplete else { return nil }
            Hybi00FrameEncoder.encode(
                Hybi00FrameSpec(
                    framing: .old, typeByte: frame.typeByte, declaredLength: length,
                    payload: Array(frame.payload.readableBytesView)),
                into: &buffer)
        case (.new, let length):
            guard let length else {
                // A new-framing head cut short: only its type byte and what followed were kept.
                buffer.writeInteger(frame.typeByte)
                var payload = frame.payload
                buffer.writeBuffer(&payload)
                return buffer
            }
            guard UInt64(frame.payload.readableBytes) == length || !frame.isComplete else { return nil }
            buffer.writeInteger(frame.typeByte)
            buffer.writeInteger(length, endianness: .big)
            var payload = frame.payload
            buffer.writeBuffer(&payload)
        }
        if frame.wireLength > 0, buffer.readableBytes != frame.wireLength, frame.isComplete {
            return nil
        }
        return buffer
    }
}
