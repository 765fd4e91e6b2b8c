import Foundation
import Testing
import WSTapTestSupport

/// `wstap connect --proxy` (curl's `-x`): through wstap's own forward proxy (CONNECT) to python3-websockets,
/// and the proxy's refusal, a proxy that is not there and a proxy URL that is not http:// as clear errors.
@Suite(.serialized) struct ConnectProxyTests {
    static func echoServer() throws -> (SignalableProcess, Int) {
        let server = try SignalableProcess(
            "/usr/bin/python3", [PeerScripts.folder(of: "WSTapReplayTests").path + "/websockets_server.py", "echo"])
        let port = Int(server.firstLine().trimmingCharacters(in: .whitespaces)) ?? 0
        try #require(port != 0, "\(server.standardError)")
        return (server, port)
    }

    @Test func throughWstapsForwardProxy() async throws {
        try await offThePool {
            let (server, serverPort) = try Self.echoServer()
            defer { server.terminate() }
            let (proxy, proxyPort) = try ToolRunner.start(["proxy", "--listen", "127.0.0.1:0", "--no-tui"])
            defer { proxy.terminate() }
            try #require(proxyPort != 0, "\(proxy.standardError)")
            let result = try ToolRunner.wstap(
                [
                    "connect", "--proxy", "http://127.0.0.1:\(proxyPort)", "ws://127.0.0.1:\(serverPort)/via-proxy",
                    "--no-tui",
                ], stdin: Data("hello through the proxy\n".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.text == "hello through the proxy\n", "the echo came back through the tunnel")
            // The proxy saw the connection inside the tunnel.
            let seen = ProxyControlTests.waitFor({ proxy.standardOutput }) {
                $0.contains("\"hello through the proxy\"")
            }
            #expect(seen.contains("GET /via-proxy"), "\(seen)")
        }
    }

    @Test func aRefusalAnAbsentProxyAndAnotherSchemeAreClearErrors() async throws {
        try await offThePool {
            let (serve, servePort) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui"])
            defer { serve.terminate() }
            try #require(servePort != 0, "\(serve.standardError)")
            // wstap serve is not a proxy: it answers CONNECT with 400.
            let refused = try ToolRunner.wstap(
                ["connect", "-x", "127.0.0.1:\(servePort)", "ws://127.0.0.1:\(servePort)/", "--no-tui"],
                stdin: Data("hi\n".utf8))
            #expect(refused.status == 1)
            #expect(
                refused.stderr.contains("the proxy http://127.0.0.1:\(servePort): it refused CONNECT 127.0.0.1:"),
                "\(refused.stderr)")
            let (closed, closedPort) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui"])
            closed.terminate()
            _ = closed.waitForExit()
            let absent = try ToolRunner.wstap(
                ["connect", "--proxy", "http://127.0.0.1:\(closedPort)", "ws://127.0.0.1:\(servePort)/", "--no-tui"],
                stdin: Data("hi\n".utf8))
            #expect(absent.status == 1)
            #expect(
                absent.stderr.contains("cannot connect to the proxy http://127.0.0.1:\(closedPort)"), "\(absent.stderr)"
            )
            let socks = try ToolRunner.wstap(
                ["connect", "--proxy", "socks5://127.0.0.1:1080", "ws://127.0.0.1:\(servePort)/", "--no-tui"])
            #expect(socks.status == 1)
            #expect(socks.stderr.contains("only http:// proxies are supported"), "\(socks.stderr)")
        }
    }
}
