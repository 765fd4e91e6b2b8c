import Foundation
import NIOConcurrencyHelpers
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy

/// Real peers on both ends: python3-websockets' checking client → wstap proxy → node-ws echo server
/// (both from Debian's packages; their scripts live in Tests/WSTapNetworkTests/Peers/).
@Suite struct ProxyPeerTests {
    static let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("WSTapNetworkTests/Peers")

    /// Runs a program, returning its process and standard output pipe.
    func launch(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (
        Process, Pipe
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    @Test func pythonClientThroughTheProxyToNodeServer() async throws {
        let (server, serverOutput) = try launch(
            "/usr/bin/node", [Self.peers.appendingPathComponent("ws_echo_server.js").path],
            environment: ["NODE_PATH": "/usr/share/nodejs"])
        defer { server.terminate() }
        var portLine: [UInt8] = []
        while let byte = try serverOutput.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
            portLine.append(byte)
        }
        let serverPort = try #require(Int(String(decoding: portLine, as: UTF8.self)), "node-ws did not start")
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
        let (client, clientOutput) = try launch(
            "/usr/bin/python3",
            [Self.peers.appendingPathComponent("websockets_client.py").path, "ws://127.0.0.1:\(proxy.port)/"])
        let output = String(decoding: clientOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        client.waitUntilExit()
        #expect(client.terminationStatus == 0, "\(output)")
        #expect(output.contains("subprotocol superchat"))
        #expect(output.contains("echo binary 16777216"))
        #expect(output.contains("echo fragmented"))
        #expect(output.contains("closed 4001 bye"))
        // 12 messages + 3 fragments + ping + close each way, at least.
        #expect(frames.withLockedValue { $0 } >= 30)
        #expect(violations.withLockedValue { $0 } == 0)
    }
}
