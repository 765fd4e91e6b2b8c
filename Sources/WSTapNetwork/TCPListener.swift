package import NIOCore
package import NIOPosix
package import NIOSSL

/// A listening TCP socket, the part the server and both proxies share: `SO_REUSEADDR` on the listening
/// socket, `TCP_NODELAY` on every accepted one, optional TLS in front, and a per-connection pipeline set up
/// by the owner. Stopping closes the listening socket only; accepted connections go on until they close.
package struct TCPListener: Sendable {
    private let channel: any Channel

    /// The address it listens on.
    package var localAddress: SocketAddress? { channel.localAddress }

    /// The port it listens on.
    package var port: Int { channel.localAddress?.port ?? 0 }

    /// Binds `host:port` (port 0 picks a free one). Each accepted connection reads as `reads` says, gets a TLS
    /// server handler first when `tls` is given, then whatever `setUpConnection` adds (on the connection's
    /// event loop).
    package static func bind(
        host: String, port: Int, group: any EventLoopGroup, tls: NIOSSLContext? = nil,
        reads: ReadSettings = .endpoint, setUpConnection: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> TCPListener {
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: reads.recvAllocator)
        if let messagesPerRead = reads.messagesPerRead {
            bootstrap = bootstrap.childChannelOption(.maxMessagesPerRead, value: messagesPerRead)
        }
        if let allocator = reads.bufferAllocator {
            bootstrap = bootstrap.childChannelOption(.allocator, value: allocator)
        }
        bootstrap = bootstrap.childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                }
                try setUpConnection(channel)
            }
        }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return TCPListener(channel: channel)
    }

    /// Waits until the socket stops listening.
    package func waitUntilStopped() async throws {
        try await channel.closeFuture.get()
    }

    /// Stops listening.
    package func stop() async throws {
        try await channel.close()
    }
}
