import NIOCore
import WSTapCore

/// Builds traffic events the way the proxy does: crafted frame bytes go through a real TrafficTap,
/// which decodes them and finds their violations.
struct TrafficScript {
    private(set) var events: [TrafficEvent] = []
    private var taps: [UInt64: TrafficTap] = [:]
    /// 2026-11-25 14:00:00 UTC, advanced a quarter second per event.
    private var clock = 1_795_615_200.0

    private mutating func now() -> TrafficTimestamp {
        defer { clock += 0.25 }
        return TrafficTimestamp(wallSeconds: clock, monotonicNanoseconds: UInt64(clock * 1e9))
    }

    mutating func open(
        _ connection: UInt64, variant: ProtocolVariant = .rfc6455, framing: Hybi00Framing = .old,
        subprotocol: String? = nil, target: String = "ws://127.0.0.1:9001/chat", path: String = "/chat"
    ) {
        taps[connection] = TrafficTap(connection: connection, variant: variant, framing: framing)
        events.append(
            .connectionOpened(
                .init(
                    connection: connection, clientAddress: "127.0.0.1:5\(connection)000",
                    target: target, request: HTTPRequestHead(method: "GET", target: path),
                    response: HTTPResponseHead(statusCode: 101, reason: "Switching Protocols"), variant: variant,
                    framing: framing, subprotocol: subprotocol, extensions: [], at: now())))
    }

    /// A connection opened with a handshake given whole (headers, extensions, hybi-00's key bytes), at the
    /// script's clock.
    mutating func open(_ opened: TrafficEvent.ConnectionOpened) {
        var opened = opened
        opened.at = now()
        taps[opened.connection] = TrafficTap(
            connection: opened.connection, variant: opened.variant, framing: opened.framing)
        events.append(.connectionOpened(opened))
    }

    /// Bytes one way through a connection's tap; every frame they complete becomes an event.
    mutating func bytes(_ connection: UInt64, _ direction: TrafficDirection, _ bytes: [UInt8]) {
        guard var tap = taps[connection] else { return }
        let time = now()
        var produced: [TrafficEvent] = []
        tap.bytes(ByteBuffer(bytes: bytes), direction: direction, at: time) { produced.append($0) }
        taps[connection] = tap
        events.append(contentsOf: produced)
    }

    /// A crafted RFC 6455 frame; client frames are masked with a fixed key unless the spec says otherwise.
    mutating func frame(_ connection: UInt64, _ direction: TrafficDirection, _ spec: FrameSpec) {
        var spec = spec
        if direction == .clientToServer, spec.mask == .none, !unmasked {
            spec.mask = .key(MaskingKey(0x37, 0xfa, 0x21, 0x3d))
        }
        bytes(connection, direction, (try? FrameEncoder.encode(spec)) ?? [])
    }

    /// Set to send client frames without a mask.
    var unmasked = false

    mutating func text(_ connection: UInt64, _ direction: TrafficDirection, _ text: String) {
        frame(connection, direction, .text(text))
    }

    /// The closing handshake (the client's close first, unless `serverFirst`), then the connection's end
    /// (unless not `ended`: TCP still open).
    mutating func close(
        _ connection: UInt64, clientCode: CloseCode?, serverCode: CloseCode?, reason: String, serverFirst: Bool = false,
        ended: Bool = true
    ) {
        if serverFirst { frame(connection, .serverToClient, .close(code: serverCode, reason: reason)) }
        frame(connection, .clientToServer, .close(code: clientCode, reason: reason))
        if !serverFirst { frame(connection, .serverToClient, .close(code: serverCode, reason: reason)) }
        guard ended else { return }
        events.append(
            .connectionClosed(
                .init(
                    connection: connection, closedBy: .server, clientCloseCode: clientCode, serverCloseCode: serverCode,
                    closeReason: reason, wasClean: true, error: nil, at: now())))
    }

    /// Changes the disposition of the last frame event (as intercept would mark it).
    mutating func markLast(_ disposition: FrameDisposition) {
        guard case .frame(var frame) = events.last else { return }
        frame.disposition = disposition
        events[events.count - 1] = .frame(frame)
    }
}
