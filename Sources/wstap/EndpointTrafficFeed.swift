import NIOConcurrencyHelpers
import NIOCore
import WSTapCompression
import WSTapCore
import WSTapNetwork
import WSTapRuntime
import WSTapSession

/// Where the traffic of an endpoint's connection goes: its events (to the terminal UI, a printer, a
/// recorder) and the bytes each way as they passed (for a lossless recording).
struct TrafficSink: Sendable {
    var event: @Sendable (TrafficEvent) -> Void
    var streamBytes: @Sendable (_ bytes: ByteBuffer, _ connection: UInt64, _ direction: TrafficDirection) -> Void

    init(
        event: @escaping @Sendable (TrafficEvent) -> Void,
        streamBytes: @escaping @Sendable (ByteBuffer, UInt64, TrafficDirection) -> Void = { _, _, _ in }
    ) {
        self.event = event
        self.streamBytes = streamBytes
    }

    /// Everything to a recorder.
    static func recording(to recorder: SessionRecorder) -> TrafficSink {
        TrafficSink(
            event: { recorder.record($0) },
            streamBytes: { recorder.recordStreamBytes($0, connection: $1, direction: $2) })
    }

    /// Every event to both sinks; the bytes too.
    func and(_ other: TrafficSink?) -> TrafficSink {
        guard let other else { return self }
        return TrafficSink(
            event: { event in
                self.event(event)
                other.event(event)
            },
            streamBytes: { bytes, connection, direction in
                self.streamBytes(bytes, connection, direction)
                other.streamBytes(bytes, connection, direction)
            })
    }
}

/// Decodes one connection of `wstap connect` or `wstap serve` as the proxy decodes what it relays: the
/// bytes each way (the raw ones the UI sends included) go through a ``TrafficTap``, so every frame appears
/// with its violations, even those the endpoint itself refuses, and compressed messages inflated; the
/// events go to a ``TrafficSink``.
final class EndpointTrafficFeed: ConnectionWireObserver {
    private let connection: UInt64
    private let role: EndpointRole
    private let sink: TrafficSink
    private let tap: NIOLockedValueBox<Decoding>

    /// The tap, and with permessage-deflate an inspector per direction that inflates compressed messages
    /// for display (as the proxy does).
    private struct Decoding: @unchecked Sendable {  // The inspectors are used only under the lock.
        var tap: TrafficTap
        var inflaters: [TrafficDirection: PerMessageDeflateInspector] = [:]
    }

    /// Starts showing a connection that just opened (emits its `connectionOpened` event).
    init(connection: UInt64, role: EndpointRole, info: ConnectionInfo, target: String, sink: TrafficSink) {
        self.connection = connection
        self.role = role
        self.sink = sink
        var decoding = Decoding(
            tap: TrafficTap(
                connection: connection, variant: info.variant, framing: info.framing,
                allowedReservedBits: info.compression != nil ? .rsv1 : [], payloadCaptureLimit: 1 << 20))
        if let agreed = info.compression {
            for direction in TrafficDirection.allCases {
                decoding.inflaters[direction] = try? PerMessageDeflateInspector(
                    agreed: agreed, sender: direction == .clientToServer ? .client : .server, maxMessageSize: 1 << 20)
            }
        }
        tap = NIOLockedValueBox(decoding)
        let client = role == .client ? info.localAddress : info.remoteAddress
        emit(
            .connectionOpened(
                .init(
                    connection: connection, clientAddress: client?.hostAndPortText ?? "?", target: target,
                    request: info.request, response: info.response, variant: info.variant, framing: info.framing,
                    subprotocol: info.subprotocol, extensions: info.extensions, at: SessionClock.now(),
                    requestBody: info.requestBody, responseBody: info.responseBody)))
    }

    func received(_ bytes: ByteBuffer) {
        pass(bytes, role == .client ? .serverToClient : .clientToServer)
    }

    func sent(_ bytes: ByteBuffer) {
        pass(bytes, role == .client ? .clientToServer : .serverToClient)
    }

    func closed(_ outcome: CloseOutcome) {
        let time = SessionClock.now()
        tap.withLockedValue { decoding in
            decoding.tap.finish(at: time) { emit($0) }
            let tap = decoding.tap
            emit(
                .connectionClosed(
                    .init(
                        connection: connection, closedBy: nil, clientCloseCode: tap.clientCloseCode,
                        serverCloseCode: tap.serverCloseCode, closeReason: tap.closeReason,
                        wasClean: outcome.wasClean, error: outcome.failure, at: time)))
        }
    }

    /// Reads the connection's hybi-00 frames in another framing from the next frame boundary each way: the
    /// client sends in it from now on, and what came before stays read as it was sent.
    func switchFraming(to framing: Hybi00Framing) {
        let time = SessionClock.now()
        tap.withLockedValue { decoding in
            decoding.tap.framing = framing
            emit(.framingChanged(.init(connection: connection, framing: framing, redecoded: false, at: time)))
        }
    }

    private func pass(_ bytes: ByteBuffer, _ direction: TrafficDirection) {
        sink.streamBytes(bytes, connection, direction)
        let time = SessionClock.now()
        tap.withLockedValue { decoding in
            let inflater = decoding.inflaters[direction]
            decoding.tap.bytes(bytes, direction: direction, at: time) { event in
                guard let inflater, case .frame(var seen) = event else {
                    emit(event)
                    return
                }
                inflater.inflate(&seen)
                emit(.frame(seen))
            }
        }
    }

    private func emit(_ event: TrafficEvent) {
        sink.event(event)
    }
}
