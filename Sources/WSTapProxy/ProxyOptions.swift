public import NIOCore
public import WSTapCore
public import WSTapNetwork
public import WSTapPipeline

/// How a reverse proxy listens, where it forwards, and who hears about the traffic.
public struct ProxyOptions: Sendable {
    /// Where connections go: `ws://` or `wss://` host, port and an optional path prefix.
    public var upstream: WebSocketURL
    /// Trust settings for a `wss://` upstream.
    public var upstreamTLS: ClientTLSOptions
    /// The framing hybi-00 connections start in (switchable per connection later).
    public var hybi00Framing: Hybi00Framing
    /// Payload bytes kept per frame and per message in events (`--capture-limit`); the rest are checked,
    /// forwarded and not kept.
    public var payloadCaptureLimit: Int
    /// Send the client's `Host` upstream unchanged (and its `Origin` too), instead of the upstream's
    /// `Host` (and, for an `Origin` that names the proxy, the upstream's origin).
    public var keepsHost = false
    /// A client that has not completed its handshake in this time is dropped.
    public var handshakeTimeout: TimeAmount
    /// Receives every event and, before the frames they complete, every chunk of bytes relayed after the
    /// opening handshake each way (so a recorder can keep every byte, beyond ``payloadCaptureLimit``); on
    /// the connection's event loop: keep it fast.
    public var consumer: any TrafficConsumer
    /// A consumer of the traffic that can fall behind (the recorder): while it is behind, relayed
    /// connections stop reading from both sides, until it catches up. `nil` by default.
    public var backpressure: (any TrafficBackpressure)?
    /// What may change the messages between the two sides (rewrite rules): `nil` by default, and the
    /// directions it does not act on keep the fast path.
    public var stage: (any TrafficStage)?
    /// How the proxy's two sides read: a fresh buffer per read, so a connection keeps nothing of a burst once
    /// it is written on. Tests give an allocator that counts what the proxy holds.
    package var reads = ReadSettings.relay

    /// Options that forward to `upstream` and report to `consumer`: the system's trust store for `wss://`,
    /// old hybi-00 framing, 1 MiB of payload kept per frame and 10 seconds for a client's handshake, unless
    /// told otherwise.
    public init(
        upstream: WebSocketURL, upstreamTLS: ClientTLSOptions = ClientTLSOptions(),
        hybi00Framing: Hybi00Framing = .old, payloadCaptureLimit: Int = ConnectionTap.defaultCaptureLimit,
        handshakeTimeout: TimeAmount = .seconds(10), consumer: any TrafficConsumer
    ) {
        self.upstream = upstream
        self.upstreamTLS = upstreamTLS
        self.hybi00Framing = hybi00Framing
        self.payloadCaptureLimit = payloadCaptureLimit
        self.handshakeTimeout = handshakeTimeout
        self.consumer = consumer
    }

    /// Options that report every event to `events` (and no bytes).
    public init(
        upstream: WebSocketURL, upstreamTLS: ClientTLSOptions = ClientTLSOptions(),
        hybi00Framing: Hybi00Framing = .old, payloadCaptureLimit: Int = ConnectionTap.defaultCaptureLimit,
        handshakeTimeout: TimeAmount = .seconds(10), events: @escaping @Sendable (TrafficEvent) -> Void
    ) {
        self.init(
            upstream: upstream, upstreamTLS: upstreamTLS, hybi00Framing: hybi00Framing,
            payloadCaptureLimit: payloadCaptureLimit, handshakeTimeout: handshakeTimeout,
            consumer: TrafficEventHandler(events: events))
    }
}
