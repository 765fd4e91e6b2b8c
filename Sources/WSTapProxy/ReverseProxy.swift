import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
import NIOSSL
import WSTapCore
import WSTapNetwork

/// A reverse WebSocket proxy: clients connect to it as if it were the server; it forwards every byte to
/// the upstream and back unchanged, and reports every connection and frame as a ``TrafficEvent``.
public enum ReverseProxy {
    /// Starts listening on `host:port` (127.0.0.1 unless told otherwise; port 0 picks a free one).
    public static func start(
        host: String = "127.0.0.1", port: Int, options: ProxyOptions,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ListeningProxy {
        let upstreamSSLContext = options.upstream.isSecure ? try options.upstreamTLS.makeContext() : nil
        let counter = NIOLockedValueBox<UInt64>(0)
        let controller = ProxyController(events: { [consumer = options.consumer] in consumer.consume($0) })
        let listener = try await TCPListener.bind(host: host, port: port, group: group, reads: options.reads) {
            channel in
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
        return ListeningProxy(listener: listener, controller: controller)
    }
}
