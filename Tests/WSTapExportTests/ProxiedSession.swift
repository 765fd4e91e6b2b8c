import NIOConcurrencyHelpers
import NIOCore
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// Traffic recorded for real: our client talks through the reverse proxy to our echo server, and every
/// event the proxy reports is kept.
enum ProxiedSession {
    final class EventLog: Sendable {
        let events = NIOLockedValueBox<[TrafficEvent]>([])
        func append(_ event: TrafficEvent) { events.withLockedValue { $0.append(event) } }
        var all: [TrafficEvent] { events.withLockedValue { $0 } }
        var hasClose: Bool {
            all.contains { if case .connectionClosed = $0 { return true } else { return false } }
        }
    }

    /// Runs `scenario` on a client connected through a proxy and returns what the proxy saw, once the
    /// connection has ended.
    static func record(
        variant: ProtocolVariant = .rfc6455, framing: Hybi00Framing = .old, path: String = "/chat?room=1",
        compression: Bool = false, subprotocols: [String] = [],
        scenario: (WebSocketConnection) async throws -> Void
    ) async throws -> [TrafficEvent] {
        let server = try await WebSocketServer.start(
            port: 0,
            options: ServerOptions(subprotocols: subprotocols, hybi00Framing: framing),
            handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let log = EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), hybi00Framing: framing,
                events: { log.append($0) }))
        defer { Task { try? await proxy.stop() } }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)\(path)"),
            options: ClientOptions(
                variant: variant, framing: framing, subprotocols: subprotocols, offersCompression: compression))
        try await scenario(connection)
        await waitUntil { log.hasClose }
        return log.all
    }
}
