import NIOCore
import NIOPosix
import WSTapCore
import WSTapProxy

/// A hand-written upstream on loopback (one handler per connection) with a proxy in front of it, for
/// tests that need a server no library would be: one that resets, or writes invalid frames.
struct RawUpstream {
    let server: any Channel
    let proxy: ListeningProxy
    let log = ReverseProxyTests.EventLog()

    init(handler: @escaping @Sendable () -> any ChannelHandler & Sendable) async throws {
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let log = self.log
        proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("ws://127.0.0.1:\(server.localAddress?.port ?? 0)/"),
                events: { log.append($0) }))
    }

    func stop() async {
        try? await proxy.stop()
        try? await server.close()
    }
}
