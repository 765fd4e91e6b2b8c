public import NIOCore
public import NIOPosix
import WSTapNetwork

/// A forward proxy (the address a browser or client is told to use as its HTTP proxy): WebSocket upgrades
/// are relayed and tapped like the reverse proxy's, whether asked in absolute-form (`GET ws://host/path`)
/// or inside `CONNECT` tunnels, whose TLS is intercepted with a certificate per host signed by the local
/// CA; other HTTP requests are relayed unchanged so pages load; pass-through hosts are tunnelled untouched.
public enum ForwardProxy {
    /// Starts listening on `host:port` (127.0.0.1 unless told otherwise; port 0 picks a free one).
    public static func start(
        host: String = "127.0.0.1", port: Int, options: ForwardProxyOptions,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ListeningProxy {
        let resources = try ForwardProxyResources(options: options)
        let listener = try await TCPListener.bind(
            host: host, port: port, group: group, reads: options.relay.reads
        ) { channel in
            try channel.pipeline.syncOperations.addHandler(
                ForwardProxyHandler(
                    resources: resources, scope: .proxy, clientAddress: channel.remoteAddress?.hostAndPortText ?? "?"))
        }
        return ListeningProxy(listener: listener, controller: resources.controller)
    }
}
