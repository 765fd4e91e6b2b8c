public import NIOCore
public import WSTapCore
public import WSTapNetwork

/// How a reverse proxy listens, where it forwards, and who hears about the traffic.
public struct ProxyOptions: Sendable {
    /// Where connections go: `ws://` or `wss://` host, port and an optional path prefix.
    public var upstream: WebSocketURL
    /// Trust settings for a `wss://` upstream.
    public var upstreamTLS: ClientTLSOptions
    /// The framing hybi-00 connections start in (switchable per connection later).
    public var hybi00Framing: Hybi00Framing
    /// Payload bytes kept per frame in events; the rest are checked, forwarded and not kept.
    public var payloadCaptureLimit: Int
    /// Send the client's `Host` upstream unchanged (and its `Origin` too), instead of the upstream's
    /// `Host` (and, for an `Origin` that names the proxy, the upstream's origin).
    public var keepsHost = false
    /// A client that has not completed its handshake in this time is dropped.
    public var handshakeTimeout: TimeAmount
    /// Receives every event, on the connection's event loop: keep it fast.
    public var events: @Sendable (TrafficEvent) -> Void
    /// Receives, when set, every chunk of bytes relayed after the opening handshake, each way, on the
    /// connection's event loop and before the frames they complete reach ``events`` (so a recorder can
    /// keep every byte, beyond ``payloadCaptureLimit``). Keep it fast.
    public var relayedBytes:
        (@Sendable (_ connection: UInt64, _ direction: TrafficDirection, _ bytes: ByteBuffer) -> Void)?
    /// A consumer of the traffic that can fall behind (the recorder): while it is behind, relayed
    /// connections stop reading from both sides, until it catches up. `nil` by default.
    public var backpressure: (any TrafficBackpressure)?

    /// Options that forward to `upstream` and report to `events`: the system's trust store for `wss://`, old
    /// hybi-00 framing, 1 MiB of payload kept per frame and 10 seconds for a client's handshake, unless told
    /// otherwise.
    public init(
        upstream: WebSocketURL, upstreamTLS: ClientTLSOptions = ClientTLSOptions(),
        hybi00Framing: Hybi00Framing = .old, payloadCaptureLimit: Int = 1 << 20,
        handshakeTimeout: TimeAmount = .seconds(10), events: @escaping @Sendable (TrafficEvent) -> Void
    ) {
        self.upstream = upstream
        self.upstreamTLS = upstreamTLS
        self.hybi00Framing = hybi00Framing
        self.payloadCaptureLimit = payloadCaptureLimit
        self.handshakeTimeout = handshakeTimeout
        self.events = events
    }
}
