import NIOCore
import NIOPosix
import NIOSSL
import WSTapCore
import WSTapNetwork
import WSTapPipeline

/// The first handler on a connection to the forward proxy, and again inside each CONNECT tunnel: it reads
/// one request head and turns the connection into what the request asks for, then leaves the pipeline:
///
/// - a WebSocket upgrade (absolute-form `GET ws://host/path`, or any upgrade inside a tunnel) becomes a
///   tapped relay, handed to ``ProxyClientSideHandler`` with the request in origin-form;
/// - another request (`GET http://host/path`) is relayed byte for byte with `Connection: close`;
/// - `CONNECT host:port` to a pass-through host becomes a byte tunnel;
/// - any other `CONNECT` is answered `200`, and the tunnel's first byte tells TLS (0x16, a ClientHello:
///   terminated here with a certificate for the host signed by the local CA) from plain bytes; a new
///   handler of this kind then reads the requests inside.
final class ForwardProxyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Where the requests on this connection go.
    enum Scope {
        /// Straight from the client: each request names its server (absolute-form or CONNECT).
        case proxy
        /// Inside a CONNECT tunnel to this server, TLS-terminated here when `secure`.
        case tunnel(host: String, port: Int, secure: Bool)
    }

    private enum Phase {
        case request
        /// CONNECT was answered; the tunnel's first byte decides TLS or plain.
        case tunnelOpened(host: String, port: Int)
        /// Connecting to the server: what the client sends meanwhile waits in `received`.
        case connecting
        case done
    }

    /// The first byte of a TLS record carrying a handshake message (a ClientHello here).
    private static let tlsHandshakeRecord: UInt8 = 0x16

    private let resources: ForwardProxyResources
    private let scope: Scope
    private let clientAddress: String
    private var phase = Phase.request
    private var received = ByteBuffer()
    private var timer: Scheduled<Void>?

    init(resources: ForwardProxyResources, scope: Scope, clientAddress: String) {
        self.resources = resources
        self.scope = scope
        self.clientAddress = clientAddress
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let timeout = resources.options.relay.handshakeTimeout
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, self.isWaitingForClient else { return }
            self.phase = .done
            self.resources.emit(
                .proxyError(
                    message: "\(self.clientAddress)\(self.scopeText): no complete request in time; dropped",
                    at: TrafficClock.now()))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        switch phase {
        case .request:
            received.writeBuffer(&buffer)
            readRequest(context: context)
        case .tunnelOpened(let host, let port):
            received.writeBuffer(&buffer)
            openTunnel(host: host, port: port, context: context)
        case .connecting:
            received.writeBuffer(&buffer)
        case .done:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        phase = .done
        timer?.cancel()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let tlsError = error as? NIOSSLError
        if case .done = phase, tlsError == .uncleanShutdown {
            // The answer (a 502, a 400) went out with `Connection: close`: a client that then drops the
            // connection without TLS's close_notify has done nothing wrong.
            context.close(promise: nil)
            return
        }
        var message = "\(clientAddress)\(scopeText): \(NetworkErrorText.describe(error))"
        if case .tunnel(_, _, true) = scope, case .handshakeFailed? = tlsError {
            // Only the handshake is where a client refuses the certificate made for it.
            message += " (TLS with the client failed: does it trust the wstap CA? see wstap ca export)"
        }
        resources.emit(.proxyError(message: message, at: TrafficClock.now()))
        phase = .done
        context.close(promise: nil)
    }

    private var isWaitingForClient: Bool {
        switch phase {
        case .request, .tunnelOpened: return true
        case .connecting, .done: return false
        }
    }

    private var scopeText: String {
        switch scope {
        case .proxy: return ""
        case .tunnel(let host, let port, let secure):
            return " in \(secure ? "TLS " : "")tunnel to "
                + ForwardDestination(
                    host: host, port: port, isSecure: secure, originForm: "/"
                ).authority
        }
    }

    // MARK: - The request

    private func readRequest(context: ChannelHandlerContext) {
        if let first = received.readableBytesView.first, !Self.canStartRequest(first) {
            let hint =
                first == Self.tlsHandshakeRecord
                ? "this is TLS: the proxy itself speaks plain HTTP (use http://host:port as the proxy address)"
                : "a request starts with a method such as GET or CONNECT"
            reject(reason: "not an HTTP request (first byte 0x\(String(first, radix: 16))): \(hint)", context: context)
            return
        }
        let head: HTTPRequestHead
        do {
            guard let length = try HTTPHeadParser.headLength(in: received.readableBytesView) else { return }
            head = try HTTPHeadParser.parseRequest(received.readableBytesView)
            received.moveReaderIndex(forwardBy: length)
        } catch {
            reject(reason: error.description, context: context)
            return
        }
        do {
            if head.method.uppercased() == "CONNECT" {
                try openConnect(head, context: context)
            } else {
                try forward(head, context: context)
            }
        } catch {
            reject(reason: error.description, context: context)
        }
    }

    /// A request line starts with a method: a token of letters (in practice, upper case).
    private static func canStartRequest(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private func openConnect(_ head: HTTPRequestHead, context: ChannelHandlerContext) throws(ForwardRequestError) {
        guard case .proxy = scope else {
            throw ForwardRequestError("CONNECT inside a CONNECT tunnel is not supported")
        }
        let (host, port) = try ForwardDestination.parseConnectTarget(head.target)
        if resources.passesThrough(host: host, port: port) {
            resources.emit(
                .note(
                    connection: nil, text: "\(clientAddress) CONNECT \(head.target) passed through untouched",
                    at: TrafficClock.now()))
            connectRelay(
                to: ForwardDestination(host: host, port: port, isSecure: false, originForm: "/"),
                reply: "HTTP/1.1 200 Connection established\r\n\r\n", context: context)
            return
        }
        phase = .tunnelOpened(host: host, port: port)
        context.writeAndFlush(
            wrapOutboundOut(context.channel.allocator.buffer(string: "HTTP/1.1 200 Connection established\r\n\r\n")),
            promise: nil)
        if received.readableBytes > 0 {
            openTunnel(host: host, port: port, context: context)
        }
    }

    /// The tunnel's first bytes arrived: terminate TLS here (with a certificate for `host`) or read plain
    /// requests, in a new handler of this kind.
    private func openTunnel(host: String, port: Int, context: ChannelHandlerContext) {
        guard let first = received.readableBytesView.first else { return }
        let secure = first == Self.tlsHandshakeRecord
        let inner = ForwardProxyHandler(
            resources: resources, scope: .tunnel(host: host, port: port, secure: secure), clientAddress: clientAddress)
        do {
            let pipeline = context.pipeline.syncOperations
            if secure {
                let tls = NIOSSLServerHandler(context: try resources.interception.context(for: host))
                try pipeline.addHandler(tls, position: .after(self))
                try pipeline.addHandler(inner, position: .after(tls))
            } else {
                try pipeline.addHandler(inner, position: .after(self))
            }
        } catch {
            phase = .done
            resources.emit(
                .proxyError(
                    message: "\(clientAddress): cannot intercept the tunnel to \(host):\(port): \(error)",
                    at: TrafficClock.now()))
            context.close(promise: nil)
            return
        }
        handOff(context: context)
    }

    /// A request that is not CONNECT: a WebSocket upgrade or plain HTTP, sent on in origin-form.
    private func forward(_ head: HTTPRequestHead, context: ChannelHandlerContext) throws(ForwardRequestError) {
        var destination: ForwardDestination
        switch scope {
        case .proxy:
            destination = try ForwardDestination.parseAbsoluteForm(head.target)
        case .tunnel(let host, let port, let secure):
            destination = ForwardDestination(host: host, port: port, isSecure: secure, originForm: head.target)
            if !head.target.hasPrefix("/") {
                // Some clients write absolute-form inside a tunnel too: the tunnel decides where it goes.
                guard head.target.contains("://") else {
                    throw ForwardRequestError("request target '\(head.target)' is neither /path nor an absolute URL")
                }
                destination.originForm = try ForwardDestination.parseAbsoluteForm(head.target).originForm
            }
        }
        var request = head
        request.target = destination.originForm
        request.rawBytes = nil
        for hopByHop in ["Proxy-Connection", "Proxy-Authorization", "Keep-Alive"] {
            request.headers.remove(name: hopByHop)
        }
        if HandshakeVariant.detect(head) == .notWebSocket {
            relayHTTP(request, to: destination, context: context)
        } else {
            try relayWebSocket(request, to: destination, context: context)
        }
    }

    /// Hands the upgrade to the tapped WebSocket relay, which sets `Host` for the server and connects.
    private func relayWebSocket(
        _ request: HTTPRequestHead, to destination: ForwardDestination, context: ChannelHandlerContext
    ) throws(ForwardRequestError) {
        var options = resources.options.relay
        do {
            options.upstream = try WebSocketURL(destination.webSocketURLText)
        } catch {
            throw ForwardRequestError(error.description)
        }
        let session = ProxySession(
            id: resources.nextConnectionID(), options: options, controller: resources.controller,
            clientAddress: clientAddress)
        let handler = ProxyClientSideHandler(
            session: session, sslContext: destination.isSecure ? resources.upstreamTLS : nil)
        do {
            try context.pipeline.syncOperations.addHandler(handler, position: .after(self))
        } catch {
            throw ForwardRequestError("cannot start the WebSocket relay: \(error)")
        }
        var bytes = context.channel.allocator.buffer(capacity: 1024 + received.readableBytes)
        bytes.writeBytes(request.serialized())
        bytes.writeBuffer(&received)
        received = bytes
        handOff(context: context)
    }

    /// Relays a plain HTTP request and its response byte for byte; `Connection: close` ends the exchange.
    private func relayHTTP(
        _ request: HTTPRequestHead, to destination: ForwardDestination, context: ChannelHandlerContext
    ) {
        var request = request
        request.headers.replaceOrAdd(name: "Host", value: destination.hostHeader)
        request.headers.replaceOrAdd(name: "Connection", value: "close")
        let scheme = destination.isSecure ? "https://" : "http://"
        resources.emit(
            .note(
                connection: nil,
                text: "\(clientAddress) \(request.method) \(scheme)\(destination.hostHeader)\(destination.originForm)",
                at: TrafficClock.now()))
        var bytes = context.channel.allocator.buffer(capacity: 1024 + received.readableBytes)
        bytes.writeBytes(request.serialized())
        bytes.writeBuffer(&received)
        received = bytes
        connectRelay(to: destination, reply: nil, context: context)
    }

    // MARK: - Relays

    /// Connects to the server (with TLS when the destination is secure), sends `reply` to the client and what
    /// is in `received` to the server, then relays bytes both ways until either side ends.
    private func connectRelay(to destination: ForwardDestination, reply: String?, context: ChannelHandlerContext) {
        phase = .connecting
        let (clientEnd, serverEnd) = ByteRelayHandler.makePair()
        let boundClientEnd = NIOLoopBound(clientEnd, eventLoop: context.eventLoop)
        let boundServerEnd = NIOLoopBound(serverEnd, eventLoop: context.eventLoop)
        let boundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let sslContext = destination.isSecure ? resources.upstreamTLS : nil
        let host = destination.host
        // With TLS, the relay starts once the server's certificate is accepted (so a refusal gets a 502).
        let check = NIOLoopBoundBox<ServerCertificateCheck?>(nil, eventLoop: context.eventLoop)
        let bootstrap = resources.options.relay.reads.apply(
            to: ClientBootstrap(group: context.eventLoop)
                .connectTimeout(.seconds(10))
                .channelOption(.socketOption(.tcp_nodelay), value: 1))
        bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        let (tls, watcher) = try ServerCertificateCheck.clientHandler(context: sslContext, host: host)
                        try pipeline.addHandler(tls)
                        let waiter = TLSHandshakeWaiter(eventLoop: channel.eventLoop, certificate: watcher)
                        do {
                            try pipeline.addHandler(waiter)
                        } catch {
                            waiter.abandon(error)
                            throw error
                        }
                    }
                    try pipeline.addHandler(boundServerEnd.value)
                }
            }
            .connect(host: destination.host, port: destination.port)
            .flatMap { channel -> EventLoopFuture<any Channel> in
                // On the connection's event loop; no waiter: plain, or the handshake is already done.
                guard let waiter = try? channel.pipeline.syncOperations.handler(type: TLSHandshakeWaiter.self) else {
                    return channel.eventLoop.makeSucceededFuture(channel)
                }
                check.value = waiter.certificate
                return waiter.handshakeDone.map { channel }.flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw error
                }
            }
            .whenComplete { result in
                // The connect future completes on this connection's event loop.
                boundSelf.value.connected(
                    result, to: destination, clientEnd: boundClientEnd.value, serverEnd: boundServerEnd.value,
                    reply: reply, certificate: check.value, context: boundContext.value)
            }
    }

    private func connected(
        _ result: Result<any Channel, any Error>, to destination: ForwardDestination, clientEnd: ByteRelayHandler,
        serverEnd: ByteRelayHandler, reply: String?, certificate: ServerCertificateCheck?,
        context: ChannelHandlerContext
    ) {
        switch result {
        case .failure(let error):
            guard case .connecting = phase else { return }
            let text = NetworkErrorText.describe(error, certificate: certificate)
            let reason =
                certificate?.refusal != nil
                ? "upstream \(text); use --upstream-ca FILE or --insecure-upstream"
                : "cannot connect to \(destination.authority): \(text)"
            resources.emit(.proxyError(message: "\(clientAddress): \(reason)", at: TrafficClock.now()))
            respond(status: "502 Bad Gateway", body: reason, context: context)
        case .success(let channel):
            guard case .connecting = phase else {
                // The client left while the proxy was connecting.
                channel.close(promise: nil)
                return
            }
            do {
                try context.pipeline.syncOperations.addHandler(clientEnd, position: .after(self))
            } catch {
                channel.close(promise: nil)
                context.close(promise: nil)
                return
            }
            if let reply {
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: reply)), promise: nil)
            }
            if received.readableBytes > 0 {
                serverEnd.sendAndFlush(received)
            }
            received = ByteBuffer()
            phase = .done
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    /// Leaves the pipeline, passing what arrived after the head to the handlers that take over.
    private func handOff(context: ChannelHandlerContext) {
        phase = .done
        timer?.cancel()
        let bytes = received
        received = ByteBuffer()
        if bytes.readableBytes > 0 {
            context.fireChannelRead(wrapInboundOut(bytes))
            context.fireChannelReadComplete()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    // MARK: - Refusals

    private func reject(reason: String, context: ChannelHandlerContext) {
        resources.emit(
            .proxyError(message: "\(clientAddress)\(scopeText): bad request: \(reason)", at: TrafficClock.now()))
        respond(status: "400 Bad Request", body: reason, context: context)
    }

    /// Answers with a plain-text status and closes.
    private func respond(status: String, body: String, context: ChannelHandlerContext) {
        phase = .done
        timer?.cancel()
        let response = PlainHTTPResponse.make(status: status, body: body, allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(response)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
