import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// The forward proxy with real clients and servers on 127.0.0.1: curl, python3-websockets, openssl
/// s_client, and a raw mirror server (Tests/WSTapNetworkTests/Peers/mirror_server.py).
@Suite struct ForwardProxyTests {
    @Test func curlLoadsPagesOverHTTPAndInterceptedHTTPS() async throws {
        let certificates = try await TestCertificates.loaded()
        let plainServer = try PeerProcess.networkPeer("mirror_server.py", [])
        let plainPort = try await offThePool { try plainServer.port() }
        let tlsServer = try PeerProcess.networkPeer(
            "mirror_server.py", [certificates.certificateFile, certificates.keyFile])
        let tlsPort = try await offThePool { try tlsServer.port() }
        let fixture = try await ForwardProxyFixture.start()
        defer { Task { await fixture.stop() } }
        let proxy = "http://127.0.0.1:\(fixture.port)"

        let plain = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/curl", ["-sS", "--proxy", proxy, "http://127.0.0.1:\(plainPort)/page.html?a=1"])
        }
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.text == "GET /page.html?a=1 HTTP/1.1\nHost: 127.0.0.1:\(plainPort)\n")

        // curl trusts only the wstap CA: the page loads only if the proxy intercepted the TLS.
        let secure = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/curl",
                ["-sS", "--proxy", proxy, "--cacert", fixture.caFile, "https://localhost:\(tlsPort)/app.js"])
        }
        #expect(secure.status == 0, "\(secure.stderr)")
        #expect(secure.text == "GET /app.js HTTP/1.1\nHost: localhost:\(tlsPort)\n")

        // The same by IP address: the certificate names the address.
        let byAddress = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/curl", ["-sS", "--proxy", proxy, "--cacert", fixture.caFile, "https://127.0.0.1:\(tlsPort)/"])
        }
        #expect(byAddress.status == 0, "\(byAddress.stderr)")
        #expect(byAddress.text.hasPrefix("GET / HTTP/1.1\n"))
    }

    @Test func pythonWebSocketsClientThroughAnInterceptedTunnel() async throws {
        let certificates = try await TestCertificates.loaded()
        let server = try PeerProcess.networkPeer(
            "websockets_echo_server.py", [certificates.certificateFile, certificates.keyFile])
        let serverPort = try await offThePool { try server.port() }
        let fixture = try await ForwardProxyFixture.start()
        defer { Task { await fixture.stop() } }
        let client = try PeerProcess.networkPeer(
            "forward_proxy_client.py", ["websockets", "\(fixture.port)", "localhost", "\(serverPort)", fixture.caFile])
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        #expect(result.text.contains("echo str 24"))
        #expect(result.text.contains("echo bytes 100000"))
        #expect(result.text.contains("closed 4001 bye"))

        let events = await fixture.waitForEvent(\.isClose)
        guard
            case .connectionOpened(let opened)? = events.first(where: {
                if case .connectionOpened = $0 { true } else { false }
            })
        else {
            Issue.record("no connection opened: \(events)")
            return
        }
        #expect(opened.target == "wss://localhost:\(serverPort)/")
        #expect(opened.request.target == "/chat")
        #expect(opened.request.headers.first("Host") == "localhost:\(serverPort)")
        // The tap saw the decrypted frames both ways.
        let texts = { (direction: TrafficDirection) in
            fixture.frames(direction).compactMap { frame -> String? in
                guard case .rfc6455(let decoded) = frame.content, decoded.header.opcode == .text else { return nil }
                return String(buffer: decoded.payload)
            }
        }
        #expect(texts(.clientToServer) == ["hello through the tunnel", "close:4001:bye"])
        #expect(texts(.serverToClient) == ["hello through the tunnel"])
        let closes = fixture.frames(.serverToClient).filter {
            if case .rfc6455(let decoded) = $0.content { decoded.header.opcode == .close } else { false }
        }
        #expect(closes.count == 1)
    }

    @Test(arguments: ["connect-tls", "connect-plain", "absolute"])
    func everyByteRelayedUnchangedAndTapped(mode: String) async throws {
        let certificates = try await TestCertificates.loaded()
        let server = try PeerProcess.networkPeer(
            "mirror_server.py", mode == "connect-tls" ? [certificates.certificateFile, certificates.keyFile] : [])
        let serverPort = try await offThePool { try server.port() }
        let fixture = try await ForwardProxyFixture.start()
        defer { Task { await fixture.stop() } }
        let sentFile = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-sent-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: sentFile) }
        let host = mode == "connect-tls" ? "localhost" : "127.0.0.1"
        let client = try PeerProcess.networkPeer(
            "forward_proxy_client.py",
            ["raw", "\(fixture.port)", host, "\(serverPort)", mode] + (mode == "connect-tls" ? [fixture.caFile] : []),
            environment: ["WSTAP_SENT_FILE": sentFile.path])
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        // The server got the request in origin-form with its own Host.
        #expect(result.text.contains("X-Request-Line: GET /mirror?x=1 HTTP/1.1"), "\(result.text)")
        #expect(result.text.contains("X-Host: \(host):\(serverPort)"), "\(result.text)")
        #expect(result.text.contains("mirrored 70061 bytes exactly"), "\(result.text)")
        if mode == "connect-tls" {
            #expect(result.text.contains("tls issuer wstap interception CA"), "\(result.text)")
        }

        // The tap decoded the same bytes, frame by frame, both ways (the mirror sends them back as they came).
        _ = await fixture.waitForEvent(\.isClose)
        let sent = try Data(contentsOf: sentFile)
        for direction in [TrafficDirection.clientToServer, .serverToClient] {
            let frames = fixture.frames(direction)
            var wire = ByteBuffer()
            for frame in frames {
                guard case .rfc6455(let decoded) = frame.content, var bytes = decoded.wireBytes else { continue }
                wire.writeBuffer(&bytes)
            }
            #expect(frames.count == 5, "\(direction)")
            #expect(Data(wire.readableBytesView) == sent, "\(direction)")
            #expect(frames.contains { !$0.violations.isEmpty }, "the reserved opcode is reported")
        }
        guard case .rfc6455(let first)? = fixture.frames(.clientToServer).first?.content else {
            Issue.record("no frame")
            return
        }
        #expect(String(buffer: first.payload) == "Hello")
    }

    /// A hybi-00 upgrade in absolute-form: the event carries the request as sent to the server and the
    /// response as the client got it, each with the bytes that follow its head (8 key bytes, 16-byte answer).
    @Test func hybi00HandshakeBytesAreInTheOpenEvent() async throws {
        let serverSide = NIOLockedValueBox<ConnectionInfo?>(nil)
        let server = try await WebSocketServer.start(port: 0, options: ServerOptions()) { connection in
            serverSide.withLockedValue { $0 = connection.info }
            await WebSocketServer.echo(connection)
        }
        defer { Task { try? await server.stop() } }
        let fixture = try await ForwardProxyFixture.start()
        defer { Task { await fixture.stop() } }
        let keys = Hybi00Handshake.makeClientKeys()
        let (head, key3) = Hybi00Handshake.makeClientRequest(
            host: "127.0.0.1:\(server.port)", path: "ws://127.0.0.1:\(server.port)/chat", keys: keys)
        // The request, its key bytes, then a closing frame (old framing) so the server ends the connection.
        let request = head.serialized() + key3 + [0xFF, 0x00]
        let port = fixture.port
        let received = try await offThePool { try RawExchange.send(bytes: request, to: port) }
        let headLength = try #require(try HTTPHeadParser.headLength(in: received))
        try #require(received.count >= headLength + 16, "\(received)")
        let answer = Array(received[headLength..<headLength + 16])
        #expect(answer == keys.expectedAnswer)

        let events = await fixture.waitForEvent(\.isClose)
        let opened = try #require(
            events.lazy.compactMap { event -> TrafficEvent.ConnectionOpened? in
                if case .connectionOpened(let opened) = event { return opened } else { return nil }
            }.first)
        #expect(opened.variant == .hybi00)
        #expect(opened.requestBody == key3)
        #expect(opened.response.wireBytes == Array(received[..<headLength]))
        #expect(opened.responseBody == answer)
        let serverRequest = try #require(serverSide.withLockedValue { $0 })
        #expect(opened.request.wireBytes == serverRequest.request.rawBytes)
        #expect(serverRequest.requestBody == key3)
    }

    @Test func passThroughHostsKeepTheirOwnCertificate() async throws {
        let certificates = try await TestCertificates.loaded()
        let server = try PeerProcess.networkPeer(
            "mirror_server.py", [certificates.certificateFile, certificates.keyFile])
        let serverPort = try await offThePool { try server.port() }
        let fixture = try await ForwardProxyFixture.start(passThrough: ["*.example.org", "local?ost"])
        defer { Task { await fixture.stop() } }
        // Untouched: the server's own certificate, which verifies against the test CA.
        let through = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/openssl",
                [
                    "s_client", "-proxy", "127.0.0.1:\(fixture.port)", "-connect", "localhost:\(serverPort)",
                    "-servername", "localhost", "-CAfile", certificates.caFile, "-verify_return_error",
                ], input: Data())
        }
        #expect(through.text.contains("issuer=CN = wstap test CA"), "\(through.text) \(through.stderr)")
        #expect(through.text.contains("Verify return code: 0 (ok)"), "\(through.text)")
        // Not passed through: a certificate for the host from the wstap CA.
        let intercepted = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/openssl",
                [
                    "s_client", "-proxy", "127.0.0.1:\(fixture.port)", "-connect", "127.0.0.1:\(serverPort)",
                    "-CAfile", fixture.caFile, "-verify_ip", "127.0.0.1", "-verify_return_error",
                ], input: Data())
        }
        #expect(
            intercepted.text.contains("issuer=O = wstap, CN = wstap interception CA"),
            "\(intercepted.text) \(intercepted.stderr)")
        #expect(intercepted.text.contains("Verify return code: 0 (ok)"), "\(intercepted.text)")
        let events = fixture.allEvents
        #expect(
            events.contains {
                if case .note(_, let text, _) = $0 {
                    text.contains("CONNECT localhost:\(serverPort) passed through")
                } else {
                    false
                }
            })
    }

    @Test func unreachableServersAre502WithTheReason() async throws {
        let fixture = try await ForwardProxyFixture.start(passThrough: ["127.0.0.1:1"])
        defer { Task { await fixture.stop() } }
        let proxy = "http://127.0.0.1:\(fixture.port)"
        // Plain HTTP.
        let page = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/curl", ["-sS", "-i", "--proxy", proxy, "http://127.0.0.1:1/index.html"])
        }
        #expect(page.text.hasPrefix("HTTP/1.1 502 Bad Gateway"), "\(page.text) \(page.stderr)")
        #expect(page.text.contains("cannot connect to 127.0.0.1:1"), "\(page.text)")
        // A WebSocket upgrade in absolute-form.
        let upgrade = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/curl",
                [
                    "-sS", "-i", "--proxy", proxy, "-H", "Upgrade: websocket", "-H", "Connection: Upgrade",
                    "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "-H", "Sec-WebSocket-Version: 13",
                    "http://127.0.0.1:1/chat",
                ])
        }
        #expect(upgrade.text.hasPrefix("HTTP/1.1 502 Bad Gateway"), "\(upgrade.text) \(upgrade.stderr)")
        #expect(upgrade.text.contains("cannot connect to upstream"), "\(upgrade.text)")
        // CONNECT to a pass-through host that does not answer: refused before any tunnel.
        let raw = try await offThePool {
            try RawExchange.send("CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n", to: fixture.port)
        }
        #expect(raw.hasPrefix("HTTP/1.1 502 Bad Gateway"), "\(raw)")
        #expect(raw.contains("cannot connect to 127.0.0.1:1"), "\(raw)")
        #expect(fixture.allEvents.contains { $0.proxyErrorMessage?.contains("127.0.0.1:1") == true })
    }

    @Test(arguments: [
        ("hello there\r\n\r\n", "request line"),
        ("\u{16}\u{03}\u{01}\u{02}\u{00}", "this is TLS"),
        ("\u{01}\u{02}", "first byte 0x1"),
        ("GET /relative HTTP/1.1\r\nHost: x\r\n\r\n", "not an absolute URL"),
        ("GET ftp://x/ HTTP/1.1\r\n\r\n", "not an absolute URL"),
        ("CONNECT nohost HTTP/1.1\r\n\r\n", "CONNECT needs host:port"),
        ("CONNECT h:99999 HTTP/1.1\r\n\r\n", "not a number 1-65535"),
        ("GET http://h:0/ HTTP/1.1\r\n\r\n", "not a number 1-65535"),
        ("GET http://h/ HTTP/1.1\r\nBad Header\r\n\r\n", "name: value"),
    ])
    func badRequestsAre400WithTheReason(request: String, reason: String) async throws {
        let fixture = try await ForwardProxyFixture.start()
        defer { Task { await fixture.stop() } }
        let answer = try await offThePool { try RawExchange.send(request, to: fixture.port) }
        #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request"), "\(answer)")
        #expect(answer.contains(reason), "\(answer)")
    }

    @Test func aClientThatSaysNothingIsDropped() async throws {
        let fixture = try await ForwardProxyFixture.start(handshakeTimeout: .seconds(2))
        defer { Task { await fixture.stop() } }
        // No bytes at all, then a CONNECT tunnel that never starts: both are closed by the proxy.
        #expect(try await offThePool { try RawExchange.send("", to: fixture.port) } == "")
        let tunnel = try await offThePool {
            try RawExchange.send("CONNECT example.com:443 HTTP/1.1\r\n\r\n", to: fixture.port)
        }
        #expect(tunnel == "HTTP/1.1 200 Connection established\r\n\r\n")
        let events = await fixture.waitForEvent {
            $0.proxyErrorMessage?.contains("no complete request in time") == true
        }
        #expect(events.filter { $0.proxyErrorMessage?.contains("no complete request in time") == true }.count == 2)
    }
}

/// The forward proxy's controller drives its connections like the reverse proxy's.
@Suite struct ForwardProxyControlTests {
    @Test func injectIntoAnInterceptedConnection() async throws {
        let certificates = try await TestCertificates.loaded()
        let server = try PeerProcess.networkPeer(
            "websockets_echo_server.py", [certificates.certificateFile, certificates.keyFile])
        let serverPort = try await offThePool { try server.port() }
        let fixture = try await ForwardProxyFixture.start()
        defer { Task { await fixture.stop() } }
        let client = try PeerProcess.networkPeer(
            "forward_proxy_client.py",
            ["websockets-receive", "\(fixture.port)", "localhost", "\(serverPort)", fixture.caFile])
        // Once the echo of "ready" went by, the client waits for a message only the proxy can send.
        _ = await fixture.waitForEvent { event in
            guard case .frame(let frame) = event, frame.direction == .serverToClient,
                case .rfc6455(let decoded) = frame.content
            else { return false }
            return String(buffer: decoded.payload) == "ready"
        }
        guard
            case .connectionOpened(let opened)? = fixture.allEvents.first(where: {
                if case .connectionOpened = $0 { true } else { false }
            })
        else {
            Issue.record("no connection opened")
            return
        }
        let text = Array("from wstap".utf8)
        try fixture.proxy.controller.inject(
            ByteBuffer(bytes: [0x81, UInt8(text.count)] + text), connection: opened.connection,
            direction: .serverToClient)
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        #expect(result.text.contains("echo ready"))
        #expect(result.text.contains("received from wstap"), "\(result.text)")
    }
}
