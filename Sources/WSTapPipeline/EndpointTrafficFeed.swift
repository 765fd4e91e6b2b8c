import NIOConcurrencyHelpers
public import NIOCore
public import WSTapCore
public import WSTapNetwork

/// Publishes one connection of an endpoint (`wstap connect`, `wstap serve`, a library client or server)
/// as the proxy publishes what it relays: the bytes each way (the raw ones a person sends included) go
/// through a ``ConnectionTap``, so every frame appears with its violations, even those the endpoint
/// itself refuses, compressed messages inflated and messages joined; the events go to a
/// ``TrafficConsumer``.
public final class EndpointTrafficFeed: ConnectionWireObserver {
    private let connection: UInt64
    private let role: EndpointRole
    private let consumer: any TrafficConsumer
    private let tap: NIOLockedValueBox<LockedTap>

    /// The tap, used only under the lock.
    private struct LockedTap: @unchecked Sendable {
        var tap: ConnectionTap
    }

    /// Starts publishing a connection that just opened (emits its `connectionOpened` event); `target` is
    /// the URL it was made to or served at, and payloads are kept up to `captureLimit` bytes.
    public init(
        connection: UInt64, role: EndpointRole, info: ConnectionInfo, target: String, consumer: any TrafficConsumer,
        captureLimit: Int = ConnectionTap.defaultCaptureLimit
    ) {
        self.connection = connection
        self.role = role
        self.consumer = consumer
        tap = NIOLockedValueBox(
            LockedTap(
                tap: ConnectionTap(
                    connection: connection, variant: info.variant, framing: info.framing,
                    compression: info.compression, captureLimit: captureLimit)))
        let client = role == .client ? info.localAddress : info.remoteAddress
        consumer.consume(
            .connectionOpened(
                .init(
                    connection: connection, clientAddress: client?.hostAndPortText ?? "?", target: target,
                    request: info.request, response: info.response, variant: info.variant, framing: info.framing,
                    subprotocol: info.subprotocol, extensions: info.extensions, at: TrafficClock.now(),
                    requestBody: info.requestBody, responseBody: info.responseBody)))
    }

    /// Bytes from the peer.
    public func received(_ bytes: ByteBuffer) {
        pass(bytes, role == .client ? .serverToClient : .clientToServer)
    }

    /// Bytes this end wrote.
    public func sent(_ bytes: ByteBuffer) {
        pass(bytes, role == .client ? .clientToServer : .serverToClient)
    }

    /// The connection ended: what was left inside an unfinished frame, then the close report.
    public func closed(_ outcome: CloseOutcome) {
        let time = TrafficClock.now()
        let consumer = self.consumer
        tap.withLockedValue { locked in
            locked.tap.finish(at: time) { consumer.consume($0) }
            let tap = locked.tap
            consumer.consume(
                .connectionClosed(
                    .init(
                        connection: connection, closedBy: nil, clientCloseCode: tap.clientCloseCode,
                        serverCloseCode: tap.serverCloseCode, closeReason: tap.closeReason,
                        wasClean: outcome.wasClean, error: outcome.failure, at: time)))
        }
    }

    /// Reads the connection's hybi-00 frames in another framing from the next frame boundary each way: the
    /// client sends in it from now on, and what came before stays read as it was sent.
    public func switchFraming(to framing: Hybi00Framing) {
        let time = TrafficClock.now()
        let consumer = self.consumer
        tap.withLockedValue { locked in
            locked.tap.framing = framing
            consumer.consume(
                .framingChanged(.init(connection: connection, framing: framing, redecoded: false, at: time)))
        }
    }

    private func pass(_ bytes: ByteBuffer, _ direction: TrafficDirection) {
        consumer.consumeStreamBytes(bytes, connection: connection, direction: direction)
        let time = TrafficClock.now()
        let consumer = self.consumer
        tap.withLockedValue { locked in
            locked.tap.bytes(bytes, direction: direction, at: time) { consumer.consume($0) }
        }
    }
}
