import NIOCore
import NIOPosix

/// The plain TCP relay the proxies are compared with: bytes from one socket are written to the other
/// unchanged, no parsing at all. Same shape as wstap's relay: `TCP_NODELAY`, a flush per read batch, and
/// reading one side only while the other can take writes.
enum TCPRelay {
    /// Listens on 127.0.0.1:`port` (0 picks one) and relays every connection to 127.0.0.1:`upstreamPort`.
    static func start(port: Int, upstreamPort: Int, group: any EventLoopGroup) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 4096)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { client in
                let clientSide = RelaySideHandler()
                let upstreamSide = RelaySideHandler()
                clientSide.partner = upstreamSide
                upstreamSide.partner = clientSide
                return client.pipeline.addHandler(clientSide).flatMap {
                    ClientBootstrap(group: client.eventLoop)
                        .channelOption(.socketOption(.tcp_nodelay), value: 1)
                        .channelInitializer { upstream in upstream.pipeline.addHandler(upstreamSide) }
                        .connect(host: "127.0.0.1", port: upstreamPort)
                        // Nothing is read from the client before the upstream is there to take it.
                        .flatMap { _ in client.setOption(.autoRead, value: true) }
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
    }
}

/// One side of a relayed connection; its partner is the other side (same event loop).
final class RelaySideHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The other side. A cycle on purpose, broken when either side closes.
    var partner: RelaySideHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.context?.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
    }

    func read(context: ChannelHandlerContext) {
        if partner?.context?.channel.isWritable ?? true {
            context.read()
        } else {
            pendingRead = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.resumeReading() }
        context.fireChannelWritabilityChanged()
    }

    private func resumeReading() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let other = partner?.context {
            other.writeAndFlush(wrapOutboundOut(ByteBuffer())).assumeIsolated().whenComplete { _ in
                other.close(promise: nil)
            }
        }
        partner = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
