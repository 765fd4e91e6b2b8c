import Foundation
public import NIOCore
public import WSTapCore

/// How a server answers opening handshakes and runs its connections.
public struct ServerOptions: Sendable {
    /// Subprotocols the server speaks; the first one the client asks for (in the client's order) is chosen.
    public var subprotocols: [String]
    /// Headers added to every 101 response.
    public var extraHeaders: HTTPHeaderFields
    /// The framing hybi-00 connections use.
    public var hybi00Framing: Hybi00Framing
    /// Whether hybi-00 clients are accepted.
    public var acceptsHybi00: Bool
    /// Larger messages close the connection with 1009.
    public var maxMessageSize: Int
    /// How long to wait for the peer's close frame, and for the end of TCP.
    public var closeTimeout: TimeAmount
    /// A connection with no frame received for this long is closed (the original library's 300 s).
    public var idleTimeout: TimeAmount?
    /// Whether connections report every frame received.
    public var reportsFrames: Bool
    /// Send a keepalive ping this often on every connection and measure its round trip (RFC 6455 only);
    /// `nil`: never.
    public var keepaliveInterval: TimeAmount?
    /// Payload bytes of received events waiting for the handler past which a connection stops reading from
    /// its socket, until the handler has taken them down to half this. Meanwhile nothing is read, pings
    /// included: a handler that stays behind for long lets the peer's keepalive time out.
    public var maxBufferedBytes: Int
    /// Payloads sent from an async sequence go out in fragments of at most this many bytes (compressed bytes
    /// with permessage-deflate), and streamed receives come in chunks of at most this many bytes.
    public var streamBufferSize: Int
    /// How to answer permessage-deflate offers; `nil` declines compression.
    public var compression: PerMessageDeflateServerPolicy?
    /// Serve `wss://` with this certificate and key; `nil` serves plain `ws://`.
    public var tls: ServerTLSOptions?
    /// Called for every request about to be accepted, with its head (request line and headers); returns
    /// extra response headers and a state value for the connection.
    public var connectionSetup: (@Sendable (HTTPRequestHead) -> ConnectionSetup)?
    /// Makes an observer of each connection's bytes once it opens (for recording); `nil` by default.
    public var wireObserver: ConnectionWireObserverFactory?
    /// A consumer of the traffic that can fall behind (the recorder): while it is behind, connections stop
    /// reading from their sockets, until it catches up. `nil` by default.
    public var backpressure: (any TrafficBackpressure)?
    /// Told of every error a connection handler throws, with that connection's details, before the
    /// connection is closed with 1011 (internal error). By default one line on standard error
    /// (``logToStandardError(_:_:)``); `{ _, _ in }` keeps quiet.
    public var handlerFailureLogger: @Sendable (_ error: any Error, _ connection: ConnectionInfo) -> Void =
        ServerOptions.logToStandardError
    /// Whether each connection's handler runs on the connection's event loop (the thread that reads and
    /// writes its socket) rather than on the shared pool of Swift tasks (the default). On the event loop a
    /// message reaches the handler, and its answer the socket, without crossing threads: several times more
    /// small messages per second (`wstap serve` does it). But the event loops are few and shared by every
    /// connection: a handler that blocks or computes for long (large compression, blocking file or terminal
    /// I/O) then holds up all the connections of its event loop, their timers included. Set it only for
    /// handlers that never do (`WebSocketServer.echo` is one). (Before macOS 15 handlers always run on the
    /// pool.)
    public var runsHandlersOnEventLoop = false
    /// How long a peer's close (or the failure for its violation) waits at most for the application to take
    /// the messages before it; at most ``closeTimeout``. Tests make it long, to see that nothing waits for it.
    var answerGrace: TimeAmount = .seconds(1)

    /// Options with the original library's defaults where it has them (300 s idle timeout, 65536-byte stream
    /// buffer, old hybi-00 framing, hybi-00 accepted) and, beyond it: no subprotocols, 64 MiB messages, 5 s to
    /// close, permessage-deflate agreed when offered, no keepalive pings, 1 MiB of unread events before reads
    /// pause, plain `ws://`, handler errors logged to standard error.
    public init(
        subprotocols: [String] = [], extraHeaders: HTTPHeaderFields = [:], hybi00Framing: Hybi00Framing = .old,
        acceptsHybi00: Bool = true, maxMessageSize: Int = 64 << 20, closeTimeout: TimeAmount = .seconds(5),
        idleTimeout: TimeAmount? = .seconds(300), reportsFrames: Bool = false, tls: ServerTLSOptions? = nil,
        connectionSetup: (@Sendable (HTTPRequestHead) -> ConnectionSetup)? = nil,
        compression: PerMessageDeflateServerPolicy? = PerMessageDeflateServerPolicy(),
        keepaliveInterval: TimeAmount? = nil, maxBufferedBytes: Int = 1 << 20, streamBufferSize: Int = 65536,
        handlerFailureLogger: @escaping @Sendable (_ error: any Error, _ connection: ConnectionInfo) -> Void =
            ServerOptions.logToStandardError
    ) {
        self.handlerFailureLogger = handlerFailureLogger
        self.keepaliveInterval = keepaliveInterval
        self.maxBufferedBytes = maxBufferedBytes
        self.streamBufferSize = streamBufferSize
        self.compression = compression
        self.connectionSetup = connectionSetup
        self.tls = tls
        self.subprotocols = subprotocols
        self.extraHeaders = extraHeaders
        self.hybi00Framing = hybi00Framing
        self.acceptsHybi00 = acceptsHybi00
        self.maxMessageSize = maxMessageSize
        self.closeTimeout = closeTimeout
        self.idleTimeout = idleTimeout
        self.reportsFrames = reportsFrames
    }
}

extension ServerOptions {
    /// The default ``handlerFailureLogger``: one line on standard error saying which connection's handler
    /// failed and why, such as `wstap: the handler of /chat from 127.0.0.1:50312 threw: timed out; closing
    /// with 1011`.
    public static func logToStandardError(_ error: any Error, _ connection: ConnectionInfo) {
        let peer = connection.remoteAddress.map { " from \($0.hostAndPortText)" } ?? ""
        let line = "wstap: the handler of \(connection.request.target)\(peer) threw: \(error); closing with 1011\n"
        try? FileHandle.standardError.write(contentsOf: Data(line.utf8))
    }
}
