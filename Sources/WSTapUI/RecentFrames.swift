import NIOCore
import WSTapCore

/// The most recent frames in full (payloads as captured), for the detail pane. Older frames are shown
/// from their compact row and preview. Bounded by a frame count and a payload byte budget.
struct RecentFrames: Sendable {
    let maxFrames: Int
    let maxPayloadBytes: Int
    private var frames: [Int: TrafficEvent.FrameSeen] = [:]
    private var oldest = 0
    private var next = 0
    private var payloadBytes = 0

    init(maxFrames: Int = 512, maxPayloadBytes: Int = 16 << 20) {
        self.maxFrames = max(1, maxFrames)
        self.maxPayloadBytes = maxPayloadBytes
    }

    subscript(sequence: Int) -> TrafficEvent.FrameSeen? { frames[sequence] }

    mutating func add(_ frame: TrafficEvent.FrameSeen, sequence: Int) {
        if frames.isEmpty { oldest = sequence }
        frames[sequence] = frame
        next = sequence + 1
        payloadBytes += Self.size(frame)
        while frames.count > maxFrames || (payloadBytes > maxPayloadBytes && frames.count > 1), oldest < next {
            if let old = frames.removeValue(forKey: oldest) { payloadBytes -= Self.size(old) }
            oldest += 1
        }
    }

    private static func size(_ frame: TrafficEvent.FrameSeen) -> Int {
        let payload: Int
        switch frame.content {
        case .rfc6455(let decoded): payload = decoded.payload.readableBytes
        case .hybi00(let decoded): payload = decoded.payload.readableBytes
        }
        return payload + (frame.inflatedPayload?.readableBytes ?? 0)
    }
}
