public import NIOCore
public import NIOPosix
import WSTapNetwork

/// A forward proxy (the address a browser or client is told to use as its HTTP proxy): WebSocket upgrades
/// are relayed and tapped like the reverse proxy's, whether asked in absolute-form (`GET ws://host/path`)
/// or inside `CONNECT` tunnels, whose TLS is intercepted with a certificate per host signed by the local
/// CA; other HTTP requests are relayed unchanged so pages load; pass-through hosts are tunnelled untouched.
public final class ForwardProxy: Sendable {
    private let listener: TCPListener
    /// Intercept, inject, close and framing controls for the WebSocket connections it relays.
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
        host: String = "127.0.0.1", port: Int, options: ForwardProxyOptions,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ForwardProxy {
        let resources = try ForwardProxyResources(options: options)
        let listener = try await TCPListener.bind(host: host, port: port, group: group) { channel in
            try channel.pipeline.syncOperations.addHandler(
                ForwardProxyHandler(
                    resources: resources, scope: .proxy, clientAddress: channel.remoteAddress?.hostAndPortText ?? "?"))
        }
        return ForwardProxy(listener: listener, controller: resources.controller)
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
