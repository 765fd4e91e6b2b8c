import Foundation
import Testing
import WSTapTestSupport

/// `wstap proxy --jsonl` tells of each connection's end exactly once, however it ends (issue 19 item 13:
/// `closed unclean tcp-first=client` was once printed twice for one connection). Raw-socket clients end
/// 200 connections through the proxy in front of a python3-websockets server: a close from the client,
/// a close from the server, a client reset, a client FIN with no close frame, and close frames from both
/// sides at the same moment (Peers/mixed_endings.py).
@Suite struct ProxyClosesOnceTests {
    static let peer = PeerScripts.script("mixed_endings.py", of: "WSTapCLITests")
    static let connections = 200

    /// The connection numbers of the proxy's `open` or `close` events, one per event (a number twice if
    /// the event came twice).
    static func connectionNumbers(of event: String, in output: String) -> [Int] {
        output.split(separator: "\n").filter { $0.hasPrefix("{\"event\":\"\(event)\",") }.compactMap { line in
            line.firstMatch(of: /"connection":(\d+)/).flatMap { Int($0.1) }
        }
    }

    @Test func everyConnectionIsClosedOnce() async throws {
        try await offThePool {
            let server = try SignalableProcess(PeerProcess.python, [Self.peer.path, "serve"])
            defer { server.terminate() }
            let serverLine = server.firstLine()
            let serverPort = try #require(
                Int(serverLine), "the server printed '\(serverLine)': \(server.standardError)")
            let proxy = try SignalableProcess(
                ToolRunner.wstapPath,
                ["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl"])
            let proxyPort = try #require(ToolRunner.listeningPort(proxy.firstLine()), "\(proxy.standardError)")

            let clients = try PeerProcess.run(
                PeerProcess.python, [Self.peer.path, "drive", "\(proxyPort)", "\(Self.connections)"])
            #expect(clients.status == 0, "\(clients.stderr)")
            #expect(clients.text == "done \(Self.connections)\n", "\(clients.text)")

            // Every connection has been told closed (60 s: a deadline for a hang only) before the proxy stops.
            let closed = proxy.waitForOutput {
                Set(Self.connectionNumbers(of: "close", in: $0)).count >= Self.connections
            }
            #expect(closed.met, "not every connection closed: \(proxy.standardError)")
            proxy.terminate()

            let output = proxy.standardOutput
            let opened = Self.connectionNumbers(of: "open", in: output)
            let closes = Self.connectionNumbers(of: "close", in: output)
            #expect(opened.count == Self.connections)
            #expect(Set(opened).count == opened.count, "a connection number opened twice")
            #expect(closes.count == Self.connections)
            let twice = Dictionary(grouping: closes) { $0 }.filter { $0.value.count > 1 }.keys.sorted()
            #expect(twice.isEmpty, "closed more than once: connections \(twice)")
            for number in twice.prefix(3) {
                let lines = output.split(separator: "\n").filter {
                    $0.firstMatch(of: /"connection":(\d+)/).flatMap { Int($0.1) } == number
                }
                Issue.record("connection \(number) closed more than once:\n\(lines.joined(separator: "\n"))")
            }
            let withoutOpen = Set(closes).subtracting(opened).sorted()
            #expect(withoutOpen.isEmpty, "closed without an open: \(withoutOpen)")
            let neverClosed = Set(opened).subtracting(closes).sorted()
            #expect(neverClosed.isEmpty, "opened, never closed: \(neverClosed)")
            // The server ended each connection as asked (its handler did not fail).
            #expect(!server.standardError.contains("Traceback"), "\(server.standardError)")
        }
    }
}
