import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix
public import NIOSSL
public import WSTapCore

/// A listening socket that completes the RFC 6455 opening handshake by the book and then hands the
/// connection over as a ``RawPeer`` playing the server, to send our client hand-crafted frames.
public final class RawWebSocketServer: Sendable {
    private let channel: any Channel
    private let accepted: AcceptedConnections

    /// The port it listens on.
    public var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel, accepted: AcceptedConnections) {
        self.channel = channel
        self.accepted = accepted
    }

    /// Listens on `host:port` (a free port of 127.0.0.1 by default).
    public static func start(host: String = "127.0.0.1", port: Int = 0) async throws -> RawWebSocketServer {
        let accepted = AcceptedConnections()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let inbox = RawInbox()
                    try channel.pipeline.syncOperations.addHandler(RawInboxHandler(inbox: inbox))
                    accepted.push(channel, inbox)
                }
            }
            .bind(host: host, port: port).get()
        return RawWebSocketServer(channel: channel, accepted: accepted)
    }

    /// Takes the next connection and answers its opening handshake with a valid 101 response (agreeing to
    /// `extensions`), followed in the same write by `earlyFrames`.
    public func accept(earlyFrames: [FrameSpec] = [], extensions: [ExtensionOffer] = []) async throws -> RawPeer {
        guard let (child, inbox) = await accepted.next(timeout: nil) else {
            throw RawPeerError("the raw server stopped")
        }
        return try await Self.handshake(child, inbox, earlyFrames: earlyFrames, extensions: extensions).peer
    }

    /// Takes the next connection if one comes within `timeout` (`nil` otherwise), and answers its opening
    /// handshake; returns the peer and the request target the client asked for (`/runCase?case=3`). A request
    /// that is not a valid upgrade is answered with 400 and thrown.
    public func accept(
        within timeout: Duration, handshakeTimeout: Duration? = nil
    ) async throws -> (peer: RawPeer, target: String)? {
        // A wait that runs out leaves the queue as it was: a connection that comes later is taken by the next call.
        guard let (child, inbox) = await accepted.next(timeout: timeout) else { return nil }
        return try await Self.handshake(
            child, inbox, earlyFrames: [], extensions: [], timeout: handshakeTimeout ?? timeout)
    }

    private static func handshake(
        _ child: any Channel, _ inbox: RawInbox, earlyFrames: [FrameSpec], extensions: [ExtensionOffer],
        timeout: Duration = .seconds(5)
    ) async throws -> (peer: RawPeer, target: String) {
        let peer = RawPeer(role: .server, channel: child, inbox: inbox)
        let head = try await peer.readHead(timeout: timeout)
        let request = try HTTPHeadParser.parseRequest(head)
        switch RFC6455Handshake.validateClientRequest(request) {
        case .success(let upgrade):
            let response = RFC6455Handshake.makeServerResponse(for: upgrade, extensions: extensions)
            await peer.write(response.serialized() + (await peer.encode(earlyFrames)))
            await peer.setHandshake(request: request, response: response)
        case .failure(let rejection):
            await peer.write(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            await peer.closeTransport()
            throw RawPeerError("the client's handshake request was refused: \(rejection)")
        }
        return (peer, request.target)
    }

    /// Stops listening.
    public func stop() async {
        try? await channel.close()
        accepted.close()
    }
}

/// The connections a raw server accepted and no one took yet, and the callers waiting for one (with a time limit
/// that, when it runs out, takes nothing away: unlike an `AsyncStream` whose waiting task is cancelled).
final class AcceptedConnections: Sendable {
    private struct State {
        var ready: [(any Channel, RawInbox)] = []
        var waiters: [(id: UInt64, continuation: CheckedContinuation<(any Channel, RawInbox)?, Never>)] = []
        var nextWaiter: UInt64 = 0
        var expired: Set<UInt64> = []
        var closed = false
    }
    private let state = NIOLockedValueBox(State())

    /// Hands a new connection to the first caller waiting, or keeps it for the next one.
    func push(_ channel: any Channel, _ inbox: RawInbox) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<(any Channel, RawInbox)?, Never>? in
            guard !state.waiters.isEmpty else {
                state.ready.append((channel, inbox))
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        waiter?.resume(returning: (channel, inbox))
    }

    /// No more connections: every caller waiting gets nil.
    func close() {
        let waiters = state.withLockedValue { state in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// The next connection, or nil once `timeout` (if any) passed or the server stopped.
    func next(timeout: Duration?) async -> (any Channel, RawInbox)? {
        let id = state.withLockedValue { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = timeout.map { timeout in
            Task { [self] in
                try? await Task.sleep(for: timeout)
                expire(id)
            }
        }
        defer { timer?.cancel() }
        return await withCheckedContinuation { continuation in
            let now = state.withLockedValue { state -> (any Channel, RawInbox)?? in
                if !state.ready.isEmpty { return .some(state.ready.removeFirst()) }
                if state.closed || state.expired.remove(id) != nil { return .some(nil) }
                state.waiters.append((id, continuation))
                return .none
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<(any Channel, RawInbox)?, Never>? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                state.expired.insert(id)
                return nil
            }
            return state.waiters.remove(at: index).continuation
        }
        waiter?.resume(returning: nil)
    }
}

/// Connects to a WebSocket server and completes the opening handshake by the book, then hands the
/// connection over as a ``RawPeer`` playing the client, to send the server hand-crafted frames.
public enum RawWebSocketClient {
    /// Connects to `host:port`, asks for `path` (with `hostHeader` as its `Host`, `host:port` by default) and
    /// offers `extensions` (through TLS with `tls`); returns the peer and the extensions the server agreed to.
    /// Throws when TCP or TLS fails
    /// (the NIO error) or the server does not accept the upgrade (``HandshakeError`` or ``HTTPHeadError``).
    public static func connect(
        host: String = "127.0.0.1", port: Int, path: String = "/", hostHeader: String? = nil,
        extensions: [ExtensionOffer], tls: NIOSSLContext? = nil, timeout: Duration = .seconds(10)
    ) async throws -> (RawPeer, [ExtensionOffer]) {
        let inbox = RawInbox()
        let channel = try await RawTCP.connect(host: host, port: port, tls: tls, inbox: inbox)
        let peer = RawPeer(role: .client, channel: channel, inbox: inbox)
        do {
            let key = RFC6455Handshake.makeClientKey()
            let request = RFC6455Handshake.makeClientRequest(
                host: hostHeader ?? "\(host):\(port)", path: path, extensions: extensions, key: key)
            await peer.write(request.serialized())
            let response = try HTTPHeadParser.parseResponse(try await peer.readHead(timeout: timeout))
            let accepted = try RFC6455Handshake.validateServerResponse(
                response, key: key, offeredExtensions: extensions.map(\.name))
            await peer.setHandshake(request: request, response: response)
            return (peer, accepted.extensions)
        } catch {
            await peer.closeTransport()
            throw error
        }
    }

    /// Connects to `127.0.0.1:port` with no extensions offered.
    public static func connect(port: Int, path: String = "/") async throws -> RawPeer {
        try await connect(port: port, path: path, extensions: []).0
    }
}
