import Foundation
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// python-socketio's server behind the reverse proxy, and its client in front: the server accepts a
/// WebSocket only from its own origin, and the client (websocket-client) sends `Origin` naming the address
/// it connected to, the proxy's. The proxy sends the upstream's origin instead and says so; an `Origin`
/// naming anything else passes untouched; `keepsHost` sends the client's `Host` (and `Origin`) as they are.
@Suite struct SocketIOThroughProxyTests {
    /// The venv peer script (Tests/WSTapNetworkTests/Peers/socketio_peer.py).
    static func peer(_ arguments: [String]) throws -> PeerProcess {
        let script = PeerScripts.script("socketio_peer.py", of: "WSTapNetworkTests")
        guard FileManager.default.isExecutableFile(atPath: PeerProcess.venvPython) else {
            throw PeerProcess.Failure(
                description: "\(PeerProcess.venvPython) is missing: scripts/test.sh makes it (the PyPI test peers)")
        }
        return try PeerProcess(PeerProcess.venvPython, [script.path] + arguments)
    }

    @Test func anOriginNamingTheProxyBecomesTheUpstreamsOrigin() async throws {
        let server = try Self.peer(["server"])
        let serverPort = try await server.port()
        let log = ReverseProxyTests.EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("ws://127.0.0.1:\(serverPort)"), events: { log.append($0) }))
        defer { Task { try? await proxy.stop() } }

        let client = try Self.peer(["client", "http://127.0.0.1:\(proxy.port)"])
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        #expect(result.text.contains("ack hello through wstap"), "\(result.text)")

        let opened = log.all.compactMap { event -> TrafficEvent.ConnectionOpened? in
            if case .connectionOpened(let opened) = event { return opened } else { return nil }
        }
        // The head as sent upstream, and a note that says what changed.
        #expect(opened.first?.request.headers.first("Origin") == "http://127.0.0.1:\(serverPort)")
        #expect(opened.first?.request.headers.first("Host") == "127.0.0.1:\(serverPort)")
        let notes = log.all.compactMap { event -> String? in
            if case .note(_, let text, _) = event { return text } else { return nil }
        }
        #expect(
            notes.contains {
                $0.contains("Origin http://127.0.0.1:\(proxy.port) names this proxy")
                    && $0.contains("http://127.0.0.1:\(serverPort)")
            }, "\(notes)")
    }

    @Test func anyOtherOriginPassesUntouched() async throws {
        let server = try Self.peer(["server"])
        let serverPort = try await server.port()
        let log = ReverseProxyTests.EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("ws://127.0.0.1:\(serverPort)"), events: { log.append($0) }))
        defer { Task { try? await proxy.stop() } }
        let request =
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:\(proxy.port)\r\n"
            + "Origin: http://elsewhere.example\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let answer = try await offThePool { try RawExchange.send(request, to: proxy.port) }
        // The server's own origin check refuses it, as it would without the proxy.
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer)")
        let seen = await offThePool { server.firstLine() }
        #expect(seen == "seen Host=127.0.0.1:\(serverPort) Origin=http://elsewhere.example")
        #expect(!log.all.contains { if case .note = $0 { true } else { false } })
    }

    @Test func keepsHostSendsTheClientsHostAndOrigin() async throws {
        let server = try Self.peer(["server"])
        let serverPort = try await server.port()
        let log = ReverseProxyTests.EventLog()
        var options = ProxyOptions(
            upstream: try WebSocketURL("ws://127.0.0.1:\(serverPort)"), events: { log.append($0) })
        options.keepsHost = true
        let proxy = try await ReverseProxy.start(port: 0, options: options)
        defer { Task { try? await proxy.stop() } }

        let client = try Self.peer(["client", "http://127.0.0.1:\(proxy.port)"])
        let result = await client.finished()
        // Host and Origin both name the proxy: the same origin to the server.
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        let seen = await offThePool { server.firstLine() }
        #expect(seen == "seen Host=127.0.0.1:\(proxy.port) Origin=http://127.0.0.1:\(proxy.port)")
        #expect(!log.all.contains { if case .note = $0 { true } else { false } })
    }
}
