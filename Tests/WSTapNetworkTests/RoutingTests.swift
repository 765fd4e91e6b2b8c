import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

/// Route tables (`ws-serve*`), the per-connection hook (`#:conn-headers`), and requests that are not
/// WebSocket upgrades.
@Suite struct RoutingTests {
    /// Sends its route name, and then the path it saw.
    static func named(_ name: String) -> WebSocketRoute.Handler {
        { connection in
            try? await connection.send(name)
            await connection.close()
        }
    }

    func startRoutedServer() async throws -> WebSocketServer {
        try await WebSocketServer.start(
            port: 0,
            routes: [
                WebSocketRoute(
                    path: "/chat(/[a-z]+)?",
                    handlers: [
                        ("v2.chat", Self.named("chat v2")), ("v1.chat", Self.named("chat v1")),
                        (nil, Self.named("chat plain")),
                    ]),
                WebSocketRoute(path: "/echo", handlers: [(nil, WebSocketServer.echo)]),
                WebSocketRoute(path: "/.*", handlers: [("any", Self.named("catch-all"))]),
            ])
    }

    func firstText(_ server: WebSocketServer, path: String, subprotocols: [String] = []) async throws -> (
        String?, String?
    ) {
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)\(path)"),
            options: ClientOptions(subprotocols: subprotocols))
        let text = await connection.receive()?.text
        _ = await connection.closeOutcome()
        return (text, connection.info.subprotocol)
    }

    @Test func routesByWholePathAndSubprotocolInTheClientsOrder() async throws {
        let server = try await startRoutedServer()
        defer { Task { try? await server.stop() } }
        #expect(try await firstText(server, path: "/chat") == ("chat plain", nil))
        #expect(
            try await firstText(server, path: "/chat/room?x=1", subprotocols: ["v1.chat", "v2.chat"]) == (
                "chat v1", "v1.chat"
            ))
        #expect(
            try await firstText(server, path: "/chat", subprotocols: ["nope", "v2.chat"]) == ("chat v2", "v2.chat"))
        // /chat matches its route but not the subprotocol; the catch-all serves "any".
        #expect(try await firstText(server, path: "/chat", subprotocols: ["any"]) == ("catch-all", "any"))
        // The pattern must match the whole path: /chatroom is not /chat(/...)?
        #expect(try await firstText(server, path: "/chatroom", subprotocols: ["any"]) == ("catch-all", "any"))
    }

    @Test func unroutedRequestsGet400() async throws {
        let server = try await startRoutedServer()
        defer { Task { try? await server.stop() } }
        do {
            _ = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/nothing"))
            Issue.record("an unrouted request was accepted")
        } catch {
            #expect("\(error)".contains("400"), "\(error)")
        }
        #expect(throws: WebSocketRoute.PatternError.self) { try WebSocketRoute(path: "(unclosed", handlers: []) }
    }

    @Test func plainHTTPRequestsGet400FromCurl() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let text = try await offThePool {
            try PeerProcess.run("/usr/bin/curl", ["-s", "-i", "http://127.0.0.1:\(server.port)/"]).text
        }
        #expect(text.hasPrefix("HTTP/1.1 400 Bad WebSocket request"), "\(text)")
    }

    @Test func connectionHookAddsHeadersAndState() async throws {
        let options = ServerOptions(connectionSetup: { request in
            ConnectionSetup(
                extraHeaders: ["X-Seen-Path": request.target],
                state: "user-\(request.headers.first("X-User") ?? "anonymous")")
        })
        let server = try await WebSocketServer.start(port: 0, options: options) { connection in
            try? await connection.send(connection.state as? String ?? "no state")
            await connection.close()
        }
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/who?am=i"),
            options: ClientOptions(extraHeaders: ["X-User": "ada"]))
        #expect(connection.info.response.headers.first("X-Seen-Path") == "/who?am=i")
        #expect(await connection.receive(payloadType: .auto) == .text("user-ada"))
        _ = await connection.closeOutcome()
    }

    @Test func payloadTypes() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        try await connection.send(bytes: Array("bytes".utf8))
        #expect(await connection.receive(payloadType: .auto) == .bytes(Array("bytes".utf8)))
        try await connection.send(bytes: Array("as text".utf8))
        #expect(await connection.receive(payloadType: .text) == .text("as text"))
        try await connection.send("as bytes")
        #expect(await connection.receive(payloadType: .binary) == .bytes(Array("as bytes".utf8)))
        #expect(connection.supportsFragmentation && connection.signalsStatusOnClose)
        #expect(connection.supportsPayloadType(.binary))
        await connection.close()
        #expect(await connection.receive(payloadType: .auto) == nil)
    }
}
