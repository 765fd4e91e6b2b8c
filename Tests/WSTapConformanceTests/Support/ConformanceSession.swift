import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapConformance
import WSTapCore

@testable import WSTapNetwork

/// How long our endpoint waits at most for its user to take the messages before a peer's close or violation:
/// longer than the library's second, so that an echo loop slowed down by a loaded machine still answers
/// first (the tests that check nothing waits for it use the library's own grace, or a long one too).
let answerGrace = TimeAmount.seconds(10)

/// Which of our endpoints a case runs against.
enum Side: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `WebSocketServer`, driven by a raw client.
    case server
    /// `WebSocketClient`, driven by a raw server.
    case client

    var testDescription: String { "our \(rawValue)" }

    /// The role of the raw peer that drives this endpoint.
    var peerRole: EndpointRole { self == .server ? .client : .server }

    /// The role of our endpoint.
    var endpointRole: EndpointRole { self == .server ? .server : .client }
}

/// One open connection between a raw peer and one of our endpoints, which echoes every message it
/// receives (like `WebSocketServer.echo`) and records every event it is handed.
struct ConformanceSession: Sendable {
    let side: Side
    let peer: RawPeer
    /// Our endpoint's side of the connection.
    let connection: WebSocketConnection
    /// The permessage-deflate parameters the opening handshake settled, if any.
    let compression: PerMessageDeflateParameters?
    /// Every event our endpoint handed to its user, in order, once the connection has closed.
    private let events: Task<[ConnectionEvent], Never>
    /// How the connection ended for our endpoint.
    private let outcome: Task<CloseOutcome, Never>
    private let stop: @Sendable () async -> Void

    /// Opens a connection to our endpoint on `side`. A raw server sends `earlyFrames` in the same write
    /// as its 101 response (a raw client may not send anything before the response). With `echoes` false
    /// the session neither echoes nor records events: the test reads the connection itself.
    ///
    /// With `deflate`, permessage-deflate is negotiated: our server answers the raw client's offer
    /// `deflate.offer` with its default policy; our client offers `deflate.offer` and the raw server answers
    /// `deflate.response`.
    static func open(
        _ side: Side, maxMessageSize: Int = 64 << 20, earlyFrames: [FrameSpec] = [], echoes: Bool = true,
        deflate: DeflateNegotiation? = nil
    ) async throws -> ConformanceSession {
        switch side {
        case .server:
            let (connections, continuation) = AsyncStream.makeStream(of: WebSocketConnection.self)
            var options = ServerOptions(
                maxMessageSize: maxMessageSize, compression: deflate == nil ? nil : PerMessageDeflateServerPolicy())
            options.answerGrace = answerGrace
            let server = try await WebSocketServer.start(port: 0, options: options) { connection in
                // The session runs the echo loop; the connection lives on after the handler returns.
                continuation.yield(connection)
                continuation.finish()
            }
            let (peer, agreed) = try await RawWebSocketClient.connect(
                port: server.port, extensions: deflate.map { [$0.offer.extensionOffer] } ?? [])
            var iterator = connections.makeAsyncIterator()
            guard let connection = await iterator.next() else { throw RawPeerError("the server took no connection") }
            return ConformanceSession(
                side: side, peer: peer, connection: connection,
                compression: try agreed.first.map { try PerMessageDeflateParameters(parsing: $0) }, echoes: echoes,
                stop: { try? await server.stop() })
        case .client:
            let rawServer = try await RawWebSocketServer.start()
            let url = try WebSocketURL("ws://127.0.0.1:\(rawServer.port)/")
            var options = ClientOptions(
                maxMessageSize: maxMessageSize, offersCompression: deflate != nil,
                compressionOffer: PerMessageDeflateClientOffer(
                    parameters: deflate?.offer ?? PerMessageDeflateParameters()))
            options.answerGrace = answerGrace
            async let connecting = WebSocketClient.connect(to: url, options: options)
            let peer = try await rawServer.accept(
                earlyFrames: earlyFrames, extensions: deflate.map { [$0.response.extensionOffer] } ?? [])
            let connection = try await connecting
            return ConformanceSession(
                side: side, peer: peer, connection: connection, compression: connection.info.compression,
                echoes: echoes,
                stop: { await rawServer.stop() })
        }
    }

    private init(
        side: Side, peer: RawPeer, connection: WebSocketConnection, compression: PerMessageDeflateParameters? = nil,
        echoes: Bool, stop: @escaping @Sendable () async -> Void
    ) {
        self.compression = compression
        self.side = side
        self.peer = peer
        self.connection = connection
        self.stop = stop
        outcome = Task { await connection.closeOutcome() }
        events = echoes ? Task { await echoRecording(connection) } : Task { [] }
    }

    /// The events our endpoint handed to its user (waits for the connection to close, at most
    /// `timeout`; a connection still open then is an issue, and yields no events).
    func deliveredEvents(
        timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation
    ) async -> [ConnectionEvent] {
        let events = await valueOf(self.events, within: timeout)
        #expect(events != nil, "our \(side.rawValue) did not close its connection", sourceLocation: sourceLocation)
        return events ?? []
    }

    /// The whole messages our endpoint received (waits for the connection to close).
    func deliveredMessages() async -> [Reply] {
        await deliveredEvents().compactMap { event in
            guard case .message(let message) = event else { return nil }
            return .message(message.opcode, Array(message.data.readableBytesView))
        }
    }

    /// How the connection ended for our endpoint (waits for it to close, at most `timeout`; a
    /// connection still open then is an issue).
    func endpointOutcome(
        timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation
    ) async -> CloseOutcome {
        let outcome = await valueOf(self.outcome, within: timeout)
        #expect(outcome != nil, "our \(side.rawValue) did not close its connection", sourceLocation: sourceLocation)
        return outcome ?? CloseOutcome(failure: "still open")
    }

    /// Starts the closing handshake from our endpoint and waits for its end.
    func close(code: CloseCode, reason: String) async throws -> CloseOutcome {
        try await connection.close(code: code, reason: reason)
    }

    /// Stops the listening side (our server or the raw one) and drops the raw connection.
    func finish() async {
        await peer.closeTransport()
        await stop()
    }
}

/// What a conformance session negotiates for permessage-deflate: the client's offer, and the answer a raw
/// server gives (our server answers by its own policy).
struct DeflateNegotiation: Sendable {
    var offer: PerMessageDeflateParameters
    var response: PerMessageDeflateParameters
}

/// Echoes every message back with its type and returns every event received, until the connection
/// closes.
@discardableResult
func echoRecording(_ connection: WebSocketConnection) async -> [ConnectionEvent] {
    var events: [ConnectionEvent] = []
    while let event = await connection.nextEvent() {
        events.append(event)
        if case .message(let message) = event {
            try? await connection.send(message.data, opcode: message.opcode)
        }
    }
    return events
}

/// The task's value if it finishes within `timeout`, else `nil` (the task goes on; ``ConformanceSession/finish()``
/// ends the connections it waits for).
func valueOf<Value: Sendable>(_ task: Task<Value, Never>, within timeout: Duration) async -> Value? {
    let resumed = NIOLockedValueBox(false)
    return await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
        let resume: @Sendable (Value?) -> Void = { value in
            let first = resumed.withLockedValue { done in
                defer { done = true }
                return !done
            }
            if first { continuation.resume(returning: value) }
        }
        Task { resume(await task.value) }
        Task {
            try? await Task.sleep(for: timeout)
            resume(nil)
        }
    }
}
