import NIOConcurrencyHelpers
import NIOCore
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// Traffic recorded for real: our client talks through the reverse proxy to a server, and every event the
/// proxy reports is kept.
enum RecordedSession {
    final class EventLog: Sendable {
        let events = NIOLockedValueBox<[TrafficEvent]>([])
        func append(_ event: TrafficEvent) { events.withLockedValue { $0.append(event) } }
        var all: [TrafficEvent] { events.withLockedValue { $0 } }
        var hasClose: Bool {
            all.contains { if case .connectionClosed = $0 { return true } else { return false } }
        }
    }

    /// Runs `scenario` on a client connected through a proxy to `upstream` and returns what the proxy saw,
    /// once the connection has ended.
    static func record(
        upstream: String, variant: ProtocolVariant = .rfc6455, framing: Hybi00Framing = .old,
        path: String = "/replay?x=1", subprotocols: [String] = [], compression: Bool = false,
        scenario: (WebSocketConnection) async throws -> Void
    ) async throws -> [TrafficEvent] {
        let log = EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL(upstream), hybi00Framing: framing, events: { log.append($0) }))
        defer { Task { try? await proxy.stop() } }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)\(path)"),
            options: ClientOptions(
                variant: variant, framing: framing, subprotocols: subprotocols, offersCompression: compression))
        try await scenario(connection)
        await waitUntil { log.hasClose }
        return log.all
    }

    /// The usual conversation: text, binary, a fragmented message, a ping, a close with a code.
    static func conversation(_ connection: WebSocketConnection) async throws {
        try await connection.send("Hello")
        _ = await connection.receive()
        try await connection.send(bytes: [0, 1, 2, 0xFE, 0xFF])
        _ = await connection.receive()
        try await connection.send(ByteBuffer(string: "frag"), opcode: .text, finalFragment: false)
        try await connection.send(ByteBuffer(string: "mented"), opcode: .continuation, finalFragment: true)
        _ = await connection.receive()
        try await connection.ping(ByteBuffer(string: "ping?"))
        try await connection.send(String(repeating: "long ", count: 30_000))
        _ = await connection.receive()
        try await connection.close(code: .normalClosure, reason: "bye")
    }
}
