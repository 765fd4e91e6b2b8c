public import NIOCore
public import NIOPosix
import NIOSSL
public import WSTapCore

/// Opens client connections (the original library's `ws-connect`).
public enum WebSocketClient {
    /// Connects to a `ws://` URL and runs the opening handshake.
    /// - Throws: ``HandshakeFailure`` saying what went wrong (connection refused, status, accept value...).
    public static func connect(
        to url: WebSocketURL, options: ClientOptions = ClientOptions(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> WebSocketConnection {
        let options = try mergingSubprotocolHeader(options)
        let sslContext: NIOSSLContext?
        do {
            sslContext = url.isSecure ? try options.tls.makeContext() : nil
        } catch {
            throw HandshakeFailure("TLS set-up failed: \(error)")
        }
        let plan = makePlan(url: url, options: options)
        let inbox = ConnectionInbox(limit: options.maxBufferedBytes)
        let roundTrips = RoundTripLog()
        let eventLoop = group.next()
        let established = eventLoop.makePromise(of: ConnectionInfo.self)
        let closed = eventLoop.makePromise(of: CloseOutcome.self)
        let installed = eventLoop.makePromise(of: NIOLoopBound<WebSocketChannelHandler>.self)
        let settings = WebSocketChannelHandler.Settings(options)
        // TLS (wss://) and the endpoint's handler: on the socket, or in the tunnel once a proxy opened it.
        let installEndpoint: @Sendable (any Channel) throws -> Void = { channel in
            var check: ServerCertificateCheck?
            if let sslContext {
                let (tls, watcher) = try ServerCertificateCheck.clientHandler(context: sslContext, host: url.host)
                try channel.pipeline.syncOperations.addHandler(tls)
                check = watcher
            }
            let handler = WebSocketChannelHandler(
                plan: .client(plan), settings: settings, inbox: inbox, roundTrips: roundTrips,
                established: established, closed: closed)
            handler.certificateCheck = check
            try channel.pipeline.syncOperations.addHandler(handler)
            installed.succeed(NIOLoopBound(handler, eventLoop: channel.eventLoop))
        }
        let proxy = options.proxy
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(options.connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelOption(.recvAllocator, value: ReadBufferAllocation.adaptive)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        guard let proxy else { return try installEndpoint(channel) }
                        let tunnel = HTTPConnectHandler(
                            proxy: proxy, host: url.host, port: url.port, established: installEndpoint,
                            failed: { failure in
                                established.fail(failure)
                                closed.fail(failure)
                                installed.fail(failure)
                            })
                        try channel.pipeline.syncOperations.addHandler(tunnel)
                    }
                }
                .connect(host: proxy?.host ?? url.host, port: proxy?.port ?? url.port).get()
        } catch {
            established.fail(error)
            closed.fail(error)
            installed.fail(error)
            if let proxy {
                throw HandshakeFailure("cannot connect to the proxy \(proxy): \(NetworkErrorText.describe(error))")
            }
            throw HandshakeFailure("cannot connect to \(url.host):\(url.port): \(NetworkErrorText.describe(error))")
        }
        // A server that accepts TCP but never answers the handshake would otherwise be waited for forever.
        let seconds = Double(options.handshakeTimeout.nanoseconds) / 1e9
        let silence = eventLoop.scheduleTask(in: options.handshakeTimeout) {
            established.fail(
                HandshakeFailure(
                    "no answer to the opening handshake from \(url.host):\(url.port) within \(seconds) s "
                        + "(is it a WebSocket server?)"))
            channel.close(promise: nil)
        }
        established.futureResult.whenComplete { _ in silence.cancel() }
        let info = try await established.futureResult.get()
        let handler = try await installed.futureResult.get()
        return WebSocketConnection(
            info: info, channel: channel, handler: handler, closed: closed.futureResult, inbox: inbox,
            roundTrips: roundTrips, streamBufferSize: options.streamBufferSize)
    }

    /// Subprotocols asked for through a `Sec-WebSocket-Protocol` header in ``ClientOptions/extraHeaders`` (the
    /// original library's way) join ``ClientOptions/subprotocols``, after them; the header itself is then
    /// written once, from the merged list.
    static func mergingSubprotocolHeader(_ options: ClientOptions) throws -> ClientOptions {
        guard options.extraHeaders.contains(SubprotocolList.headerName) else { return options }
        var merged = options
        do {
            for name in try SubprotocolList.parse(options.extraHeaders) where !merged.subprotocols.contains(name) {
                merged.subprotocols.append(name)
            }
        } catch {
            throw HandshakeFailure(
                "the \(SubprotocolList.headerName) header in extraHeaders is not a list of names: \(error)")
        }
        merged.extraHeaders.remove(name: SubprotocolList.headerName)
        return merged
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    static func makePlan(url: WebSocketURL, options: ClientOptions) -> HandshakePlan.ClientPlan {
        switch options.variant {
        case .rfc6455:
            let key = RFC6455Handshake.makeClientKey()
            let offer = options.offersCompression ? options.compressionOffer : nil
            let request = RFC6455Handshake.makeClientRequest(
                host: options.host ?? url.hostHeader, path: url.resource, origin: options.origin,
                subprotocols: options.subprotocols,
                extensions: offer.map { [$0.extensionOffer] } ?? [], extraHeaders: options.extraHeaders, key: key)
            return HandshakePlan.ClientPlan(
                variant: .rfc6455, framing: options.framing, request: request, body: [], key: key,
                subprotocols: options.subprotocols, expectedAnswer: [], compressionOffer: offer)
        case .hybi00:
            let keys = Hybi00Handshake.makeClientKeys()
            let (request, body) = Hybi00Handshake.makeClientRequest(
                host: options.host ?? url.hostHeader, path: url.resource,
                origin: options.origin ?? "http://\(url.hostHeader)",
                subprotocol: options.subprotocols.first, extraHeaders: options.extraHeaders, keys: keys)
            return HandshakePlan.ClientPlan(
                variant: .hybi00, framing: options.framing, request: request, body: body, key: "",
                subprotocols: Array(options.subprotocols.prefix(1)), expectedAnswer: keys.expectedAnswer)
        }
    }
}
