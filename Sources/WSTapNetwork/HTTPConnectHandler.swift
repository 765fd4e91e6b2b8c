import NIOCore
import WSTapCore

/// Opens a tunnel through an HTTP proxy before the WebSocket handshake: writes `CONNECT host:port`, reads the
/// proxy's answer, and on a 2xx removes itself after `established` installed the connection's own handlers
/// (TLS, WebSocket), which then start on the tunnel; any other answer fails with what the proxy said.
final class HTTPConnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let request: [UInt8]
    private let proxy: HTTPProxyAddress
    private let target: String
    private let established: (any Channel) throws -> Void
    private let failed: (HandshakeFailure) -> Void
    private var received = ByteBuffer()
    private var done = false

    init(
        proxy: HTTPProxyAddress, host: String, port: Int, established: @escaping (any Channel) throws -> Void,
        failed: @escaping (HandshakeFailure) -> Void
    ) {
        self.proxy = proxy
        target = "\(host):\(port)"
        request = proxy.connectRequest(to: host, port: port)
        self.established = established
        self.failed = failed
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(bytes: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else {
            context.fireChannelRead(data)
            return
        }
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
        let bytes = received.readableBytesView
        guard let end = bytes.firstRange(of: [13, 10, 13, 10]) else {
            if received.readableBytes > 16_384 { fail("its answer to CONNECT has no end of head", context: context) }
            return
        }
        let headLength = end.upperBound - bytes.startIndex
        let head = String(decoding: bytes.prefix(headLength), as: UTF8.self)
        let statusLine = head.split(separator: "\r\n").first.map(String.init) ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            fail("its answer to CONNECT is not HTTP: \(statusLine.prefix(80))", context: context)
            return
        }
        guard (200..<300).contains(status) else {
            fail("it refused CONNECT \(target): \(statusLine.dropFirst(parts[0].count + 1))", context: context)
            return
        }
        done = true
        received.moveReaderIndex(forwardBy: headLength)
        let rest = received
        received = ByteBuffer()
        do {
            try established(context.channel)
        } catch {
            fail("setting up the tunnel failed: \(error)", context: context)
            return
        }
        if rest.readableBytes > 0 { context.fireChannelRead(NIOAny(rest)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done { failed(HandshakeFailure("the proxy \(proxy) closed the connection before answering CONNECT")) }
        done = true
        context.fireChannelInactive()
    }

    private func fail(_ why: String, context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        failed(HandshakeFailure("the proxy \(proxy): \(why)"))
        context.close(promise: nil)
    }
}
