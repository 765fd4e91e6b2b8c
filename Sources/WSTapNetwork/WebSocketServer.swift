public import NIOCore
public import NIOPosix
import WSTapCore

/// A listening WebSocket server (the original library's `ws-serve`). RFC 6455 and hybi-00 clients are
/// both accepted on the same port; each connection is handed to the handler in its own task (on the
/// connection's event loop with ``ServerOptions/runsHandlersOnEventLoop``).
public final class WebSocketServer: Sendable {
    private let listener: TCPListener

    /// The address it listens on.
    public var localAddress: SocketAddress? { listener.localAddress }

    /// The port it listens on.
    public var port: Int { listener.port }

    private init(listener: TCPListener) {
        self.listener = listener
    }

    /// Starts listening on `host:port` (127.0.0.1 unless told otherwise; port 0 picks a free one). Every
    /// connection goes to `handler`; the subprotocol is the first the client asks for (in its order) that
    /// ``ServerOptions/subprotocols`` lists. An error the handler throws is logged
    /// (``ServerOptions/handlerFailureLogger``) and closes the connection with 1011 (internal error). When a
    /// client's close is answered: see ``WebSocketRoute/Handler``.
    public static func start(
        host: String = "127.0.0.1", port: Int, options: ServerOptions = ServerOptions(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        handler: @escaping WebSocketRoute.Handler
    ) async throws -> WebSocketServer {
        let dispatch = ServerDispatch { _, requested, request in
            let setup = options.connectionSetup?(request)
            var headers = options.extraHeaders
            headers.add(contentsOf: setup?.extraHeaders ?? [:])
            return AcceptDecision(
                subprotocol: requested.first { options.subprotocols.contains($0) }, extraHeaders: headers,
                handler: handler, state: setup?.state)
        }
        return try await listen(host: host, port: port, options: options, group: group, dispatch: dispatch)
    }

    /// Starts listening with a route table (the original library's `ws-serve*`): the first route whose
    /// pattern matches the whole path (query excluded) and serves one of the client's subprotocols (tried
    /// in the client's order; `nil` when it asked for none) takes the connection. Anything else gets
    /// `400 Bad WebSocket request`.
    public static func start(
        host: String = "127.0.0.1", port: Int, options: ServerOptions = ServerOptions(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, routes: [WebSocketRoute]
    ) async throws -> WebSocketServer {
        let dispatch = ServerDispatch { path, requested, request in
            for route in routes where route.matches(path: path) {
                guard let choice = route.choose(for: requested) else { continue }
                let setup = options.connectionSetup?(request)
                var headers = options.extraHeaders
                headers.add(contentsOf: setup?.extraHeaders ?? [:])
                return AcceptDecision(
                    subprotocol: choice.subprotocol, extraHeaders: headers, handler: choice.handler,
                    state: setup?.state)
            }
            return nil
        }
        return try await listen(host: host, port: port, options: options, group: group, dispatch: dispatch)
    }

    private static func listen(
        host: String, port: Int, options: ServerOptions, group: any EventLoopGroup, dispatch: ServerDispatch
    ) async throws -> WebSocketServer {
        let settings = WebSocketChannelHandler.Settings(options)
        let listener = try await TCPListener.bind(
            host: host, port: port, group: group, tls: try options.tls?.makeContext()
        ) { channel in
            let inbox = ConnectionInbox(limit: options.maxBufferedBytes)
            let roundTrips = RoundTripLog()
            let established = channel.eventLoop.makePromise(of: ConnectionInfo.self)
            let closed = channel.eventLoop.makePromise(of: CloseOutcome.self)
            let wsHandler = WebSocketChannelHandler(
                plan: .server(options, dispatch), settings: settings, inbox: inbox, roundTrips: roundTrips,
                established: established, closed: closed)
            try channel.pipeline.syncOperations.addHandler(wsHandler)
            let connectionHandler = NIOLoopBound(wsHandler, eventLoop: channel.eventLoop)
            established.futureResult.whenSuccess { info in
                let connection = WebSocketConnection(
                    info: info, channel: channel, handler: connectionHandler, closed: closed.futureResult,
                    inbox: inbox, roundTrips: roundTrips, streamBufferSize: options.streamBufferSize)
                guard let handler = info.acceptance?.handler else { return }
                let logger = options.handlerFailureLogger
                if #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, *), options.runsHandlersOnEventLoop {
                    Task(executorPreference: EventLoopTaskExecutor(channel.eventLoop)) {
                        await run(handler, on: connection, logger: logger)
                    }
                } else {
                    Task { await run(handler, on: connection, logger: logger) }
                }
            }
        }
        return WebSocketServer(listener: listener)
    }

    /// Runs a connection's handler; if it throws, logs the error and closes the connection with 1011.
    private static func run(
        _ handler: WebSocketRoute.Handler, on connection: WebSocketConnection,
        logger: @escaping @Sendable (any Error, ConnectionInfo) -> Void
    ) async {
        do {
            try await handler(connection)
        } catch {
            logger(error, connection.info)
            _ = try? await connection.close(code: .internalError, reason: "internal error")
        }
    }

    /// Waits until the server stops listening.
    public func waitUntilStopped() async throws {
        try await listener.waitUntilStopped()
    }

    /// Stops listening (open connections go on until they close).
    public func stop() async throws {
        try await listener.stop()
    }

    /// A handler that echoes every message back with its type, until the peer closes. Echoes of messages
    /// that arrived together go out together: a send is flushed only when no other message waits.
    public static let echo: @Sendable (WebSocketConnection) async -> Void = { connection in
        while let message = await connection.receive() {
            do {
                try await connection.send(message.data, opcode: message.opcode, flush: !connection.holdsMessage)
            } catch {
                break
            }
        }
    }
}
