public import NIOCore
public import WSTapCore
public import WSTapNetwork

/// Publishes one connection of an endpoint (`wstap connect`, `wstap serve`, a library client or server)
/// as the proxy publishes what it relays: the bytes each way (the raw ones a person sends included) go
/// through a ``ConnectionTap`` (by a ``TrafficPublisher``), so every frame appears with its violations,
/// even those the endpoint itself refuses, compressed messages inflated and messages joined; the events
/// go to a ``TrafficConsumer``.
public final class EndpointTrafficFeed: ConnectionWireObserver {
    private let role: EndpointRole
    private let publisher: TrafficPublisher

    /// Starts publishing a connection that just opened (emits its `connectionOpened` event); `target` is
    /// the URL it was made to or served at, and payloads are kept up to `captureLimit` bytes.
    public init(
        connection: UInt64, role: EndpointRole, info: ConnectionInfo, target: String, consumer: any TrafficConsumer,
        captureLimit: Int = ConnectionTap.defaultCaptureLimit
    ) {
        self.role = role
        publisher = TrafficPublisher(connection: connection, consumer: consumer, captureLimit: captureLimit)
        let client = role == .client ? info.localAddress : info.remoteAddress
        publisher.opened(
            .init(
                connection: connection, clientAddress: client?.hostAndPortText ?? "?", target: target,
                request: info.request, response: info.response, variant: info.variant, framing: info.framing,
                subprotocol: info.subprotocol, extensions: info.extensions, at: TrafficClock.now(),
                requestBody: info.requestBody, responseBody: info.responseBody),
            compression: info.compression)
    }

    /// Bytes from the peer.
    public func received(_ bytes: ByteBuffer) {
        publisher.bytes(bytes, direction: role == .client ? .serverToClient : .clientToServer)
    }

    /// Bytes this end wrote.
    public func sent(_ bytes: ByteBuffer) {
        publisher.bytes(bytes, direction: role == .client ? .clientToServer : .serverToClient)
    }

    /// The connection ended: what was left inside an unfinished frame, then the close report.
    public func closed(_ outcome: CloseOutcome) {
        publisher.closed(wasClean: outcome.wasClean, error: outcome.failure)
    }

    /// Reads the connection's hybi-00 frames in another framing from the next frame boundary each way: the
    /// client sends in it from now on, and what came before stays read as it was sent.
    public func switchFraming(to framing: Hybi00Framing) {
        publisher.switchFraming(to: framing)
    }
}
