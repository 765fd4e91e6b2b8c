import Foundation
import NIOConcurrencyHelpers
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// Real peers on both ends: python3-websockets' checking client → wstap proxy → node-ws echo server
/// (both from Debian's packages; their scripts live in Tests/WSTapNetworkTests/Peers/).
@Suite struct ProxyPeerTests {
    @Test func pythonClientThroughTheProxyToNodeServer() async throws {
        let server = try PeerProcess.node(PeerScripts.script("ws_echo_server.js", of: "WSTapNetworkTests"))
        defer { server.stop() }
        let serverPort = try await server.port()
        let frames = NIOLockedValueBox(0)
        let violations = NIOLockedValueBox(0)
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("ws://127.0.0.1:\(serverPort)"),
                events: { event in
                    if case .frame(let seen) = event {
                        frames.withLockedValue { $0 += 1 }
                        if !seen.violations.isEmpty { violations.withLockedValue { $0 += 1 } }
                    }
                }))
        defer { Task { try? await proxy.stop() } }
        let client = try await PeerProcess.python(
            PeerScripts.script("websockets_client.py", of: "WSTapNetworkTests"), ["ws://127.0.0.1:\(proxy.port)/"]
        ).finished()
        let output = client.text
        #expect(client.status == 0, "\(output)")
        #expect(output.contains("subprotocol superchat"))
        #expect(output.contains("echo binary 16777216"))
        #expect(output.contains("echo fragmented"))
        #expect(output.contains("closed 4001 bye"))
        // 12 messages + 3 fragments + ping + close each way, at least.
        #expect(frames.withLockedValue { $0 } >= 30)
        #expect(violations.withLockedValue { $0 } == 0)
    }
}
