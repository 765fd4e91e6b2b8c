import NIOCore
import NIOPosix
import WSTapCore

/// A raw SwiftNIO WebSocket echo server: answers the upgrade, then sends every frame back as it
/// arrives (unmasked, same opcode and FIN), streaming, without gathering messages. A close frame is
/// echoed and the connection closed. It is not wstap's `WebSocketServer`, so the server end costs as
/// little as possible and the same on every path.
final class EchoServer: Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) { self.channel = channel }

    static func start(group: any EventLoopGroup) async throws -> EchoServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 4096)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return EchoServer(channel: channel)
    }

    func stop() async throws { try await channel.close() }
}

/// One echo connection.
final class EchoHandler: ChannelInboundHandler, FrameVisitor {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var upgraded = false
    private var pending = ByteBuffer()
    private var scanner = FrameScanner()
    /// Where this read's echo is written (one buffer per read, not per frame).
    private var output = ByteBuffer()
    private var sawClose = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if !upgraded {
            pending.writeBuffer(&buffer)
            guard let head = OpeningHandshake.takeHead(from: &pending) else { return }
            guard let key = OpeningHandshake.headerValue("Sec-WebSocket-Key", in: head) else {
                context.close(promise: nil)
                return
            }
            upgraded = true
            context.write(
                wrapOutboundOut(context.channel.allocator.buffer(string: OpeningHandshake.response(key: key))),
                promise: nil)
            buffer = pending
            pending = ByteBuffer()
        }
        output = context.channel.allocator.buffer(capacity: buffer.readableBytes + pending.readableBytes + 16)
        if pending.readableBytes > 0 {
            pending.writeBuffer(&buffer)
            scanner.scan(&pending, visitor: self)
            pending.discardReadBytes()
        } else {
            scanner.scan(&buffer, visitor: self)
            if buffer.readableBytes > 0 { pending.writeBuffer(&buffer) }
        }
        if output.readableBytes > 0 { context.write(wrapOutboundOut(output), promise: nil) }
        output = ByteBuffer()
        if sawClose {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer())).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func frameStarted(_ header: ScannedHeader) {
        writeFrameHeader(
            fin: header.fin, opcode: header.opcode, maskingKey: nil, length: Int(header.payloadLength), into: &output)
    }

    func payloadBytes(_ bytes: UnsafeRawBufferPointer, phase: Int, of header: ScannedHeader) {
        guard let source = bytes.baseAddress else { return }
        output.writeWithUnsafeMutableBytes(minimumWritableBytes: bytes.count) { target in
            guard let destination = target.baseAddress else { return 0 }
            if let key = header.maskingKey {
                Masking.apply(key: key, phase: phase, from: source, to: destination, count: bytes.count)
            } else {
                destination.copyMemory(from: source, byteCount: bytes.count)
            }
            return bytes.count
        }
    }

    func frameEnded(_ header: ScannedHeader) {
        if header.opcode == 0x8 { sawClose = true }
    }
}
