import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
import NIOSSL
import WSTapCore
import WSTapNetwork

/// A reverse WebSocket proxy: clients connect to it as if it were the server; it forwards every byte to
/// the upstream and back unchanged, and reports every connection and frame as a ``TrafficEvent``.
public final class ReverseProxy: Sendable {
    private let listener: TCPListener
    /// Intercept, inject, close and framing controls for the connections it relays.
    public let controller: ProxyController

    /// The address it listens on.
    public var localAddress: SocketAddress? { listener.localAddress }
    /// The port it listens on.
    public var port: Int { listener.port }

    private init(listener: TCPListener, controller: ProxyController) {
        self.listener = listener
        self.controller = controller
    }

    /// Starts listening on `host:port` (127.0.0.1 unless told otherwise; port 0 picks a free one).
    public static func start(
        host: String = "127.0.0.1", port: Int, options: ProxyOptions,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ReverseProxy {
        let upstreamSSLContext = options.upstream.isSecure ? try options.upstreamTLS.makeContext() : nil
        let counter = NIOLockedValueBox<UInt64>(0)
        let controller = ProxyController(events: { [consumer = options.consumer] in consumer.consume($0) })
        let listener = try await TCPListener.bind(host: host, port: port, group: group) { channel in
            let id = counter.withLockedValue { value -> UInt64 in
                value += 1
                return value
            }
            let session = ProxySession(
                id: id, options: options, controller: controller,
                clientAddress: channel.remoteAddress?.hostAndPortText ?? "?")
            try channel.pipeline.syncOperations.addHandler(
                ProxyClientSideHandler(session: session, sslContext: upstreamSSLContext))
        }
        return ReverseProxy(listener: listener, controller: controller)
    }

    /// Waits until the proxy stops listening.
    public func waitUntilStopped() async throws {
        try await listener.waitUntilStopped()
    }

    /// Stops listening (connections in progress go on).
    public func stop() async throws {
        try await listener.stop()
    }
}
