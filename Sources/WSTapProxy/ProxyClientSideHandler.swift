import NIOCore
import NIOPosix
import NIOSSL
import WSTapCore
import WSTapNetwork
import WSTapPipeline

/// The client's side of a proxied connection: reads the opening request, connects upstream, then
/// relays bytes both ways unchanged while the session's tap decodes them.
final class ProxyClientSideHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case request
        case connecting
        case relaying
        case done
    }

    let session: ProxySession
    private let sslContext: NIOSSLContext?
    private var phase = Phase.request
    private var received = ByteBuffer()
    private var handshakeTimer: Scheduled<Void>?
    private var backpressure = RelayBackpressure()
    /// The upstream handler, once connected (same event loop). Weak: its channel keeps it, and the two
    /// handlers pointing at each other would keep every closed connection's state alive.
    weak var upstream: ProxyUpstreamSideHandler?

    init(session: ProxySession, sslContext: NIOSSLContext?) {
        self.session = session
        self.sslContext = sslContext
    }

    func handlerAdded(context: ChannelHandlerContext) {
        session.clientContext = context
        session.clientSide = self
        handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: session.options.handshakeTimeout) {
            [weak self] in
            guard let self, self.phase != .relaying else { return }
            self.session.emit(
                .proxyError(
                    message: "\(self.session.clientAddress): no complete handshake in time; dropped",
                    at: TrafficClock.now()))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The session holds the context and the context holds this handler: let go so the closed
        // connection's state (tap, gates, buffers) is freed.
        if session.clientContext === context { session.clientContext = nil }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        switch phase {
        case .request:
            received.writeBuffer(&buffer)
            readRequest(context: context)
        case .connecting:
            received.writeBuffer(&buffer)
        case .relaying:
            session.relay(buffer, .clientToServer)
        case .done:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        session.upstreamContext?.flush()
    }

    func read(context: ChannelHandlerContext) {
        backpressure.read(context: context, partnerWritable: session.mayRead(.clientToServer))
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        upstream?.partnerWritabilityChanged(writable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    /// The upstream channel's writability changed.
    func partnerWritabilityChanged(writable: Bool) {
        resumeReadingIfAllowed()
    }

    /// Reads again if reading was paused and the upstream can take more (and not too much is held).
    func resumeReadingIfAllowed() {
        guard let context = session.clientContext else { return }
        backpressure.partnerWritabilityChanged(context: context, partnerWritable: session.mayRead(.clientToServer))
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshakeTimer?.cancel()
        phase = .done
        session.sideClosed(.client, error: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        session.recordError(error, on: .client)
        context.close(promise: nil)
    }

    /// The upstream accepted the upgrade: relay from now on.
    func startRelaying() {
        phase = .relaying
        handshakeTimer?.cancel()
    }

    /// Relays what the client sent while the upstream was still answering (frames a client wrote
    /// right behind its request): called once the session taps, so they are decoded like the rest.
    func relayEarlyBytes() {
        guard received.readableBytes > 0 else {
            received = ByteBuffer()  // the request's storage is not kept for the connection's life
            return
        }
        let early = received
        received = ByteBuffer()
        session.relay(early, .clientToServer)
        session.upstreamContext?.flush()
    }

    // MARK: - The opening request

    private func readRequest(context: ChannelHandlerContext) {
        let request: HTTPRequestHead
        let headLength: Int
        do {
            guard let length = try HTTPHeadParser.headLength(in: received.readableBytesView) else { return }
            headLength = length
            request = try HTTPHeadParser.parseRequest(received.readableBytesView)
        } catch {
            respond(status: "400 Bad WebSocket request", body: "\(error)", context: context)
            return
        }
        let variant = HandshakeVariant.detect(request)
        if variant == .notWebSocket {
            respond(
                status: "400 Bad WebSocket request", body: "this proxy relays WebSocket upgrades only",
                context: context)
            return
        }
        // hybi-00 clients send 8 key bytes after the head.
        if variant == .hybi00, received.readableBytes < headLength + 8 { return }
        phase = .connecting
        var upstreamRequest = request
        upstreamRequest.target = Self.join(prefix: session.options.upstream.path, target: request.target)
        if !session.options.keepsHost {
            rewriteHostAndOrigin(of: &upstreamRequest, context: context)
        }
        // What goes upstream is the serialized head, so that is what the event carries.
        upstreamRequest.rawBytes = nil
        received.moveReaderIndex(forwardBy: headLength)
        let requestBody = variant == .hybi00 ? Array(received.readableBytesView.prefix(8)) : []
        var outgoing = context.channel.allocator.buffer(capacity: headLength + received.readableBytes)
        outgoing.writeBytes(upstreamRequest.serialized())
        // Everything after the head (hybi-00 key bytes, early frames) goes up unchanged.
        outgoing.writeBuffer(&received)
        connectUpstream(
            request: upstreamRequest, requestBody: requestBody, variant: variant == .hybi00 ? .hybi00 : .rfc6455,
            firstBytes: outgoing, context: context)
    }

    /// `Host` names the upstream; an `Origin` that names this proxy names the upstream's origin (see
    /// ``OriginRewrite``), and the tap says so.
    private func rewriteHostAndOrigin(of request: inout HTTPRequestHead, context: ChannelHandlerContext) {
        let upstream = session.options.upstream
        let clientHost = request.headers.first("Host")
        request.headers.replaceOrAdd(name: "Host", value: upstream.hostHeader)
        guard let origin = request.headers.first("Origin") else { return }
        let local = context.channel.localAddress
        let listening = local.flatMap { address in address.ipAddress.flatMap { ip in address.port.map { (ip, $0) } } }
        guard
            let replacement = OriginRewrite.replacement(
                for: origin, clientHost: clientHost, listening: listening, upstream: upstream)
        else { return }
        request.headers.replaceOrAdd(name: "Origin", value: replacement)
        session.noteWhenOpened(
            "Origin \(origin) names this proxy: sent upstream as \(replacement) (the upstream's origin, like Host)")
    }

    private func connectUpstream(
        request: HTTPRequestHead, requestBody: [UInt8], variant: ProtocolVariant, firstBytes: ByteBuffer,
        context: ChannelHandlerContext
    ) {
        let target = session.options.upstream
        let sslContext = self.sslContext
        let clientHandler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let upstreamHandler = ProxyUpstreamSideHandler(
            session: self.session, request: request, requestBody: requestBody, variant: variant,
            firstBytes: firstBytes)
        let boundUpstream = NIOLoopBound(upstreamHandler, eventLoop: context.eventLoop)
        upstream = upstreamHandler
        upstreamHandler.client = self
        let bootstrap = session.options.reads.apply(
            to: ClientBootstrap(group: context.eventLoop)
                .connectTimeout(.seconds(10))
                .channelOption(.socketOption(.tcp_nodelay), value: 1))
        bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let (tls, check) = try ServerCertificateCheck.clientHandler(
                            context: sslContext, host: target.host)
                        try channel.pipeline.syncOperations.addHandler(tls)
                        boundUpstream.value.certificateCheck = check
                    }
                    try channel.pipeline.syncOperations.addHandler(boundUpstream.value)
                }
            }
            .connect(host: target.host, port: target.port)
            .whenFailure { error in
                // The connect future completes on this connection's event loop.
                let handler = clientHandler.value
                let session = handler.session
                guard let context = session.clientContext else { return }
                let reason = "cannot connect to upstream \(target): \(NetworkErrorText.describe(error))"
                handler.refuse(because: reason, context: context)
            }
    }

    /// The upstream cannot be reached (or did not answer the upgrade): says why in an error event and in a
    /// 502 to the client, and closes. Only the first reason counts.
    func refuse(because reason: String, context: ChannelHandlerContext) {
        guard phase == .connecting else { return }
        session.emit(.proxyError(message: "\(session.clientAddress): \(reason)", at: TrafficClock.now()))
        respond(status: "502 Bad Gateway", body: reason, context: context)
    }

    /// Answers the client with a plain HTTP status and closes.
    func respond(status: String, body: String, context: ChannelHandlerContext) {
        phase = .done
        let text = body + "\n"
        let head =
            "HTTP/1.1 \(status)\r\nContent-Type: text/plain\r\nContent-Length: \(text.utf8.count)\r\n"
            + "Connection: close\r\n\r\n"
        let buffer = context.channel.allocator.buffer(string: head + text)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// The upstream request target: the upstream URL's path as a prefix of the client's target.
    static func join(prefix: String, target: String) -> String {
        guard prefix != "/", !prefix.isEmpty else { return target }
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        return trimmed + (target.hasPrefix("/") ? target : "/" + target)
    }
}
