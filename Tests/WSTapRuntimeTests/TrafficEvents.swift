import NIOCore
import WSTapCore

/// Traffic events for the runtime's tests, made as the proxy makes them: crafted frames through a real
/// ``TrafficTap``.
enum TrafficEvents {
    static let at = TrafficTimestamp(wallSeconds: 1_795_615_200, monotonicNanoseconds: 0)

    /// The opening of connection `connection`.
    static func opened(_ connection: UInt64) -> TrafficEvent {
        .connectionOpened(
            .init(
                connection: connection, clientAddress: "127.0.0.1:50000", target: "ws://127.0.0.1:9001/",
                request: HTTPRequestHead(method: "GET", target: "/"),
                response: HTTPResponseHead(statusCode: 101, reason: "Switching Protocols"), variant: .rfc6455,
                framing: .old, subprotocol: nil, extensions: [], at: at))
    }

    /// Text frames from the server of connection `connection`, one per text.
    static func texts(_ texts: [String], connection: UInt64 = 1) -> [TrafficEvent] {
        var tap = TrafficTap(connection: connection, variant: .rfc6455, framing: .old)
        var events: [TrafficEvent] = []
        for text in texts {
            let bytes = (try? FrameEncoder.encode(.text(text))) ?? []
            tap.bytes(ByteBuffer(bytes: bytes), direction: .serverToClient, at: at) { events.append($0) }
        }
        return events
    }

    /// The payload text of a frame event (`nil` for other events).
    static func text(of event: TrafficEvent) -> String? {
        guard case .frame(let frame) = event, case .rfc6455(let decoded) = frame.content else { return nil }
        return String(decoding: decoded.payload.readableBytesView, as: UTF8.self)
    }
}
