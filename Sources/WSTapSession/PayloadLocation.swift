import NIOCore
import WSTapCore

/// Where a frame's payload sits within its wire bytes, so a reader can take it from there.
enum PayloadLocation {
    /// The payload's byte range within the frame's wire bytes (clamped to `wireCount`).
    static func range(of content: TrafficEvent.FrameSeen.Content, wireCount: Int) -> Range<Int> {
        let start: Int
        let length: Int
        switch content {
        case .rfc6455(let frame):
            start = frame.header.size
            length = Int(clamping: frame.header.payloadLength)
        case .hybi00(let frame):
            if frame.declaredLength == nil {
                // Sentinel framing (or a frame start cut short): type byte, payload, 0xFF when complete.
                start = 1
                length = wireCount - 1 - (frame.isComplete ? 1 : 0)
            } else if frame.isComplete {
                let declared = Int(clamping: frame.declaredLength ?? 0)
                start = wireCount - declared
                length = declared
            } else {
                start = wireCount - frame.payload.readableBytes
                length = frame.payload.readableBytes
            }
        }
        let lower = min(max(start, 0), wireCount)
        let upper = max(length, 0) >= wireCount - lower ? wireCount : lower + max(length, 0)
        return lower..<upper
    }
}
