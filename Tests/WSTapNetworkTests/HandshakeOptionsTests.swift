import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

/// The client's opening handshake as the original library's users drive it (`ws-connect #:headers`), against
/// python3-websockets.
@Suite(.serialized) struct HandshakeOptionsTests {
    /// A subprotocol asked for through a header (the Racket way) counts as asked for; the request carries
    /// the header once, merged with ``ClientOptions/subprotocols``.
    @Test func aSubprotocolHeaderInExtraHeadersIsAskedFor() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) = try await InteropPeer.pythonWebsockets.startServer()
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"),
            options: ClientOptions(extraHeaders: ["Sec-WebSocket-Protocol": "superchat", "X-Test": "headers"]))
        #expect(connection.info.subprotocol == "superchat")
        #expect(connection.info.request.headers.values("Sec-WebSocket-Protocol") == ["superchat"])
        #expect(connection.info.request.headers.first("X-Test") == "headers")
        await connection.close()

        let both = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"),
            options: ClientOptions(subprotocols: ["unknown"], extraHeaders: ["sec-websocket-protocol": "chat, x"]))
        #expect(both.info.subprotocol == "chat")
        #expect(both.info.request.headers.values("Sec-WebSocket-Protocol") == ["unknown, chat, x"])
        await both.close()
    }

    /// A header value that names no subprotocols is refused before connecting, saying which header.
    @Test func aBadSubprotocolHeaderIsRefusedUpFront() async throws {
        do {
            _ = try await WebSocketClient.connect(
                to: try WebSocketURL("ws://127.0.0.1:1/"),
                options: ClientOptions(extraHeaders: ["Sec-WebSocket-Protocol": "two words"]))
            Issue.record("connected with a bad Sec-WebSocket-Protocol header")
        } catch {
            #expect("\(error)".contains("Sec-WebSocket-Protocol header in extraHeaders"), "\(error)")
        }
    }

    /// A refused upgrade: the error quotes the start of the server's explanation.
    @Test func aRefusedHandshakeSaysWhatTheServerSaid() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let peer = try PeerProcess.python(
            PeerScripts.script("websockets_refusing_server.py", of: "WSTapNetworkTests"))
        defer { peer.process.terminate() }
        let port = await peer.firstLine()
        do {
            _ = try await WebSocketClient.connect(
                to: try WebSocketURL("ws://127.0.0.1:\(port)/"),
                options: ClientOptions(origin: "http://denied.example"))
            Issue.record("the server accepted an origin it refuses")
        } catch {
            #expect(
                "\(error)"
                    == "the server answered 403 Forbidden instead of 101 Switching Protocols: Failed to open a "
                    + "WebSocket connection: invalid Origin header: http://denied.example.",
                "\(error)")
        }
        let allowed = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"), options: ClientOptions(origin: "http://allowed.example"))
        #expect(await allowed.receive()?.text == "allowed")
    }

    /// Our own server's refusal (no route for the path) reaches our client too.
    @Test func aRefusalFromOurServerSaysWhy() async throws {
        let server = try await WebSocketServer.start(
            port: 0, routes: [try WebSocketRoute(path: "/chat", handlers: [(nil, { await $0.close() })])])
        defer { Task { try? await server.stop() } }
        do {
            _ = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/nope"))
            Issue.record("connected to a path no route serves")
        } catch {
            #expect(
                "\(error)".hasSuffix(
                    "instead of 101 Switching Protocols: no route serves path /nope with no subprotocol"), "\(error)")
        }
    }
}
