public import WSTapCore
public import WSTapNetwork
import WSTapPipeline

/// How ``MockServer`` plays a recorded server.
public struct MockServerOptions: Sendable {
    /// How a client's messages are held against the recorded ones.
    public enum Matching: String, Sendable, CaseIterable {
        /// Only their number matters: after the n-th client message come the server frames that followed
        /// the n-th recorded one.
        case order
        /// Also each message must equal the recorded one (type and bytes); differences are reported.
        case exact
    }

    /// How client messages are held against the recorded ones: by count (`.order`) or also by content
    /// (`.exact`).
    public var matching: Matching
    /// Serve one connection, then stop.
    public var servesOnce: Bool
    /// How much faster than recorded the server frames follow the client message (or the handshake) that
    /// releases them: 1 keeps the recorded spacing, 2 halves it; `nil` sends them at once.
    public var speed: Double?
    /// Close a client that sent nothing for this long (with 1001 "idle timeout" once the handshake is
    /// done); `nil` never does.
    public var idleTimeout: Duration?
    /// Serve `wss://` with this certificate and key.
    public var tls: ServerTLSOptions?
    /// Receives every connection's traffic (the opening, the frames and messages each way, the close), as
    /// the proxy reports what it relays; `nil`: nobody.
    public var consumer: (any TrafficConsumer)?
    /// Payload bytes kept per frame and per message in the events (`--capture-limit`).
    public var captureLimit = ConnectionTap.defaultCaptureLimit

    /// Options that serve every connection with the recorded timing, matching by order, never closing idle
    /// clients, over plain `ws://`, unless told otherwise.
    public init(
        matching: Matching = .order, servesOnce: Bool = false, speed: Double? = 1, idleTimeout: Duration? = nil,
        tls: ServerTLSOptions? = nil
    ) {
        self.matching = matching
        self.servesOnce = servesOnce
        self.speed = speed
        self.idleTimeout = idleTimeout
        self.tls = tls
    }
}
