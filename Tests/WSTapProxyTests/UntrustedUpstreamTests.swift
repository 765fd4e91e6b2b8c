import Foundation
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// A server whose certificate does not verify (signed by the test CA, which the proxy was not told to
/// trust): the client gets a 502 that says why, and the proxy reports the same as an error event, in forward
/// mode (CONNECT, TLS intercepted) and reverse mode (`wss://` upstream), for WebSocket and plain HTTP; curl and
/// python3-websockets as clients.
@Suite struct UntrustedUpstreamTests {
    static func reason(_ host: String) -> String {
        "upstream certificate for \(host) not trusted: unable to get local issuer certificate; "
            + "use --upstream-ca FILE or --insecure-upstream"
    }

    static let upgradeHeaders = [
        "-H", "Upgrade: websocket", "-H", "Connection: Upgrade", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "-H", "Sec-WebSocket-Version: 13",
    ]

    @Test func forwardModeAnswers502WithTheReason() async throws {
        let certificates = try await TestCertificates.loaded()
        let server = try PeerProcess.networkPeer(
            "websockets_echo_server.py", [certificates.certificateFile, certificates.keyFile])
        let serverPort = try await server.port()
        let fixture = try await ForwardProxyFixture.start(trustsTestCA: false)
        defer { Task { await fixture.stop() } }
        let proxy = "http://127.0.0.1:\(fixture.port)"
        let expected = Self.reason("localhost")

        // A page (plain HTTP inside the intercepted tunnel).
        let page = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/curl",
                ["-sS", "-i", "--proxy", proxy, "--cacert", fixture.caFile, "https://localhost:\(serverPort)/"])
        }
        // curl -i shows the CONNECT answer first.
        #expect(page.text.contains("\r\n\r\nHTTP/1.1 502 Bad Gateway\r\n"), "\(page.text) \(page.stderr)")
        #expect(page.text.contains(expected), "\(page.text)")

        // A WebSocket upgrade, from curl and from python3-websockets.
        let upgrade = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/curl",
                ["-sS", "-i", "--proxy", proxy, "--cacert", fixture.caFile] + Self.upgradeHeaders
                    + ["https://localhost:\(serverPort)/chat"])
        }
        #expect(upgrade.text.contains("\r\n\r\nHTTP/1.1 502 Bad Gateway\r\n"), "\(upgrade.text) \(upgrade.stderr)")
        #expect(upgrade.text.contains(expected), "\(upgrade.text)")
        let client = try PeerProcess.networkPeer(
            "forward_proxy_client.py",
            ["websockets-refused-tunnel", "\(fixture.port)", "localhost", "\(serverPort)", fixture.caFile])
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        #expect(result.text.contains("refused 502"), "\(result.text)")

        // Each refusal is an error event that says the same; none of them blames the client's trust.
        let events = await fixture.waitForEvent { _ in
            fixture.allEvents.filter { $0.proxyErrorMessage?.contains(expected) == true }.count >= 3
        }
        let errors = events.compactMap(\.proxyErrorMessage)
        #expect(errors.filter { $0.contains(expected) }.count == 3, "\(errors)")
        #expect(!errors.contains { $0.contains("does it trust the wstap CA") }, "\(errors)")
    }

    @Test func reverseModeAnswers502WithTheReason() async throws {
        let certificates = try await TestCertificates.loaded()
        let server = try PeerProcess.networkPeer(
            "websockets_echo_server.py", [certificates.certificateFile, certificates.keyFile])
        let serverPort = try await server.port()
        let log = ReverseProxyTests.EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("wss://localhost:\(serverPort)/"), events: { log.append($0) }))
        defer { Task { try? await proxy.stop() } }
        let expected = Self.reason("localhost")

        let client = try PeerProcess.networkPeer(
            "forward_proxy_client.py", ["websockets-refused", "ws://127.0.0.1:\(proxy.port)/chat"])
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        #expect(result.text.contains("refused 502"), "\(result.text)")
        let upgrade = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/curl", ["-sS", "-i"] + Self.upgradeHeaders + ["http://127.0.0.1:\(proxy.port)/chat"])
        }
        #expect(upgrade.text.hasPrefix("HTTP/1.1 502 Bad Gateway"), "\(upgrade.text) \(upgrade.stderr)")
        #expect(upgrade.text.contains(expected), "\(upgrade.text)")

        await waitUntil { log.all.compactMap(\.proxyErrorMessage).filter { $0.contains(expected) }.count >= 2 }
        #expect(log.all.compactMap(\.proxyErrorMessage).filter { $0.contains(expected) }.count == 2)
    }

    /// The reverse proxy in front of a server that is not there, or does not speak TLS: the 502 says so in
    /// plain words.
    @Test(arguments: [("refused", "connection refused"), ("plain", "the server does not speak TLS")])
    func reverseModeSaysWhyItCannotConnect(kind: String, expected: String) async throws {
        var port = 1
        var server: PeerProcess?
        if kind == "plain" {
            let plain = try PeerProcess.plainHTTPRefuser()
            port = try await plain.port()
            server = plain
        }
        defer { server?.stop() }
        let log = ReverseProxyTests.EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("wss://127.0.0.1:\(port)/"), events: { log.append($0) }))
        defer { Task { try? await proxy.stop() } }
        let upgrade = try await offThePool {
            try PeerProcess.run(
                "/usr/bin/curl", ["-sS", "-i"] + Self.upgradeHeaders + ["http://127.0.0.1:\(proxy.port)/chat"])
        }
        #expect(upgrade.text.hasPrefix("HTTP/1.1 502 Bad Gateway"), "\(upgrade.text) \(upgrade.stderr)")
        #expect(
            upgrade.text.contains("cannot connect to upstream wss://127.0.0.1:\(port)/: \(expected)"), "\(upgrade.text)"
        )
        #expect(!upgrade.text.contains("errno"), "\(upgrade.text)")
    }

    /// After the proxy's own answer inside an intercepted tunnel (a 502), a client that drops the connection
    /// without TLS's close_notify is not reported as a client that does not trust the wstap CA.
    @Test func aClientDroppingTLSAfterA502IsNotBlamedForTrust() async throws {
        let fixture = try await ForwardProxyFixture.start()
        defer { Task { await fixture.stop() } }
        let client = try PeerProcess.networkPeer(
            "forward_proxy_client.py", ["https-get-then-drop", "\(fixture.port)", "localhost", "1", fixture.caFile])
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        #expect(result.text.contains("HTTP/1.1 502 Bad Gateway"), "\(result.text)")
        _ = await fixture.waitForEvent { $0.proxyErrorMessage?.contains("connection refused") == true }
        // The proxy learns of the dropped connection right after the client exits; the old wording came
        // within milliseconds, so a few seconds without it is an answer.
        let blamed = await waitUntil(within: 3) {
            fixture.allEvents.contains { $0.proxyErrorMessage?.contains("does it trust the wstap CA") == true }
        }
        #expect(!blamed, "\(fixture.allEvents.compactMap(\.proxyErrorMessage))")
        #expect(
            fixture.allEvents.contains {
                $0.proxyErrorMessage?.contains("cannot connect to localhost:1: connection refused") == true
            }, "\(fixture.allEvents.compactMap(\.proxyErrorMessage))")
    }
}
