import NIOConcurrencyHelpers
public import NIOCore
public import WSTapCore

/// Publishes one connection's traffic to a consumer through a ``ConnectionTap``, from any thread: the
/// opening, the bytes each way (exactly as they passed, then the frames and messages they complete), a
/// framing switch, the close. The endpoints and the mock server publish through it; the proxy drives its
/// tap on its event loop itself, to gate frames as they complete.
public final class TrafficPublisher: Sendable {
    /// The connection's number in the events.
    public let connection: UInt64
    private let consumer: any TrafficConsumer
    private let captureLimit: Int
    private let state: NIOLockedValueBox<LockedTap>

    /// The tap, used only under the lock (nil until the connection opened).
    private struct LockedTap: @unchecked Sendable {
        var tap: ConnectionTap?
        var closed = false
    }

    /// A publisher for connection `connection`, keeping up to `captureLimit` payload bytes per frame and
    /// per message.
    public init(
        connection: UInt64, consumer: any TrafficConsumer, captureLimit: Int = ConnectionTap.defaultCaptureLimit
    ) {
        self.connection = connection
        self.consumer = consumer
        self.captureLimit = captureLimit
        state = NIOLockedValueBox(LockedTap())
    }

    /// The handshake completed: reports the connection and starts decoding its frames (with permessage-deflate
    /// when `compression` is given).
    public func opened(_ opened: TrafficEvent.ConnectionOpened, compression: PerMessageDeflateParameters?) {
        let consumer = self.consumer
        let captureLimit = self.captureLimit
        state.withLockedValue { locked in
            locked.tap = ConnectionTap(
                connection: connection, variant: opened.variant, framing: opened.framing, compression: compression,
                captureLimit: captureLimit, joinsMessages: consumer.wantsMessages)
            consumer.consume(.connectionOpened(opened))
        }
    }

    /// Bytes that passed one way after the handshake (ignored before it and after the close).
    public func bytes(_ buffer: ByteBuffer, direction: TrafficDirection) {
        guard buffer.readableBytes > 0 else { return }
        let consumer = self.consumer
        let connection = self.connection
        state.withLockedValue { locked in
            guard locked.tap != nil, !locked.closed else { return }
            consumer.consumeStreamBytes(buffer, connection: connection, direction: direction)
            locked.tap?.bytes(buffer, direction: direction, at: TrafficClock.now()) { consumer.consume($0) }
        }
    }

    /// Reads the connection's hybi-00 frames in another framing from the next frame boundary each way.
    public func switchFraming(to framing: Hybi00Framing) {
        let consumer = self.consumer
        let connection = self.connection
        state.withLockedValue { locked in
            guard locked.tap != nil else { return }
            locked.tap?.framing = framing
            consumer.consume(
                .framingChanged(
                    .init(connection: connection, framing: framing, redecoded: false, at: TrafficClock.now())))
        }
    }

    /// The connection ended: what was left inside an unfinished frame, then the close report (once; nothing
    /// when it never opened). `wasClean` defaults to whether a close frame passed each way.
    public func closed(closedBy: EndpointRole? = nil, wasClean: Bool? = nil, error: String? = nil) {
        let consumer = self.consumer
        let connection = self.connection
        state.withLockedValue { locked in
            guard var tap = locked.tap, !locked.closed else { return }
            locked.closed = true
            let time = TrafficClock.now()
            tap.finish(at: time) { consumer.consume($0) }
            locked.tap = tap
            consumer.consume(
                .connectionClosed(
                    .init(
                        connection: connection, closedBy: closedBy, clientCloseCode: tap.clientCloseCode,
                        serverCloseCode: tap.serverCloseCode, closeReason: tap.closeReason,
                        wasClean: wasClean ?? tap.sawBothCloses, error: error, at: time)))
        }
    }
}
