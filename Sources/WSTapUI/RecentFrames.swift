import NIOCore
import WSTapCore

/// The most recent frames as captured (payloads, wire bytes, violation details), for the detail pane
/// and the repeater. Older frames are shown from their compact row and the payload ring of
/// ``FrameStore``. Bounded by a frame count and a payload byte budget; a ring of slots indexed by
/// sequence number, so adding a frame costs no hashing and no allocation.
struct RecentFrames: Sendable {
    let maxFrames: Int
    let maxPayloadBytes: Int
    private var slots: [TrafficEvent.FrameSeen?] = []
    /// The sequence numbers held are `oldest..<next`.
    private var oldest = 0
    private var next = 0
    private var payloadBytes = 0

    init(maxFrames: Int = 512, maxPayloadBytes: Int = 16 << 20) {
        self.maxFrames = max(1, maxFrames)
        self.maxPayloadBytes = maxPayloadBytes
    }

    subscript(sequence: Int) -> TrafficEvent.FrameSeen? {
        guard sequence >= oldest, sequence < next else { return nil }
        return slots[sequence % maxFrames]
    }

    mutating func add(_ frame: TrafficEvent.FrameSeen, sequence: Int) {
        if slots.isEmpty { slots = Array(repeating: nil, count: maxFrames) }
        if sequence != next {
            // Not the next number (a store that was reset): start over.
            for index in slots.indices { slots[index] = nil }
            oldest = sequence
            payloadBytes = 0
        }
        if sequence - oldest >= maxFrames { drop() }
        slots[sequence % maxFrames] = frame
        next = sequence + 1
        payloadBytes += Self.size(frame)
        while payloadBytes > maxPayloadBytes, next - oldest > 1 { drop() }
    }

    private mutating func drop() {
        let index = oldest % maxFrames
        if let old = slots[index] { payloadBytes -= Self.size(old) }
        slots[index] = nil
        oldest += 1
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
