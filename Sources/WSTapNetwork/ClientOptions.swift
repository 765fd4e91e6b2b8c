public import NIOCore
public import WSTapCore

/// How a client opens and runs a connection.
public struct ClientOptions: Sendable {
    /// The protocol to speak: RFC 6455 (the default) or the older hybi-00 draft (`ws-connect`'s `#:protocol`).
    public var variant: ProtocolVariant
    /// hybi-00 framing.
    public var framing: Hybi00Framing
    /// Subprotocols to ask for, in order of preference (hybi-00 sends only the first).
    public var subprotocols: [String]
    /// Headers added to the request. Subprotocols named in a `Sec-WebSocket-Protocol` header here are asked
    /// for too, after ``subprotocols``.
    public var extraHeaders: HTTPHeaderFields
    /// The `Origin` header, if any.
    public var origin: String?
    /// The `Host` header, when it should not be the URL's host (and port); `nil`: the URL's.
    public var host: String? = nil
    /// Larger messages close the connection with 1009.
    public var maxMessageSize: Int
    /// How long to wait for the TCP connection to the server before giving up (the handshake is not counted).
    public var connectTimeout: TimeAmount
    /// How long to wait, once TCP (and TLS) is up, for the server's complete answer to the opening handshake;
    /// a server that accepts the connection but never answers fails the connect with a `HandshakeFailure`
    /// that says so, instead of waiting forever.
    public var handshakeTimeout: TimeAmount
    /// How long to wait for the server's close frame, and then for it to end TCP.
    public var closeTimeout: TimeAmount
    /// A connection with no frame received for this long is closed.
    public var idleTimeout: TimeAmount?
    /// Whether the connection reports every frame received.
    public var reportsFrames: Bool
    /// An HTTP proxy to connect through (`CONNECT host:port`), if any.
    public var proxy: HTTPProxyAddress? = nil
    /// Trust settings for `wss://` URLs.
    public var tls: ClientTLSOptions
    /// Whether to offer permessage-deflate (RFC 7692) compression.
    public var offersCompression: Bool
    /// The permessage-deflate offer sent when ``offersCompression`` is on (by default
    /// `permessage-deflate; client_max_window_bits`).
    public var compressionOffer: PerMessageDeflateClientOffer
    /// Send a keepalive ping this often and measure its round trip (RFC 6455 only); `nil`: never.
    public var keepaliveInterval: TimeAmount?
    /// Payload bytes of received events waiting for the application past which the connection stops
    /// reading from the socket, until the application has taken them down to half this. Meanwhile nothing
    /// is read, pings included: an application that stays behind for long lets the peer's keepalive time out.
    public var maxBufferedBytes: Int
    /// Payloads sent from an async sequence go out in fragments of at most this many bytes (compressed bytes
    /// with permessage-deflate), and streamed receives come in chunks of at most this many bytes.
    public var streamBufferSize: Int
    /// Makes an observer of the connection's bytes once it opens (for recording); `nil` by default.
    public var wireObserver: ConnectionWireObserverFactory?
    /// A consumer of the traffic that can fall behind (the recorder): while it is behind, the connection
    /// stops reading from the socket, until it catches up. `nil` by default.
    public var backpressure: (any TrafficBackpressure)?
    /// How long a peer's close (or the failure for its violation) waits at most for the application to take
    /// the messages before it; at most ``closeTimeout``. Tests make it long, to see that nothing waits for it.
    var answerGrace: TimeAmount = .seconds(1)

    /// Options with the original library's defaults where it has them (RFC 6455, old hybi-00 framing, 300 s
    /// idle timeout, 65536-byte stream buffer) and, beyond it: 64 MiB messages, 10 s to connect, 10 s for the
    /// handshake's answer, 5 s to close, no compression offered, no keepalive pings, 1 MiB of unread events
    /// before reads pause, the system's
    /// trust store for `wss://`.
    public init(
        variant: ProtocolVariant = .rfc6455, framing: Hybi00Framing = .old, subprotocols: [String] = [],
        extraHeaders: HTTPHeaderFields = [:], origin: String? = nil, maxMessageSize: Int = 64 << 20,
        connectTimeout: TimeAmount = .seconds(10), handshakeTimeout: TimeAmount = .seconds(10),
        closeTimeout: TimeAmount = .seconds(5),
        idleTimeout: TimeAmount? = .seconds(300), reportsFrames: Bool = false,
        tls: ClientTLSOptions = ClientTLSOptions(), offersCompression: Bool = false,
        keepaliveInterval: TimeAmount? = nil, maxBufferedBytes: Int = 1 << 20, streamBufferSize: Int = 65536,
        compressionOffer: PerMessageDeflateClientOffer = PerMessageDeflateClientOffer()
    ) {
        self.compressionOffer = compressionOffer
        self.keepaliveInterval = keepaliveInterval
        self.maxBufferedBytes = maxBufferedBytes
        self.streamBufferSize = streamBufferSize
        self.tls = tls
        self.offersCompression = offersCompression
        self.variant = variant
        self.framing = framing
        self.subprotocols = subprotocols
        self.extraHeaders = extraHeaders
        self.origin = origin
        self.maxMessageSize = maxMessageSize
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
        self.closeTimeout = closeTimeout
        self.idleTimeout = idleTimeout
        self.reportsFrames = reportsFrames
    }
}
