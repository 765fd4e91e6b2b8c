import Foundation
import Testing
import WSTapTestSupport

/// `wstap serve` and `wstap connect` run as processes against each other on loopback.
@Suite struct ServeConnectTests {
    /// Starts `wstap serve` on a free port; returns the process and the port.
    func startServer(_ extra: [String] = []) throws -> (SignalableProcess, Int) {
        let process = try SignalableProcess(ToolRunner.wstapPath, ["serve", "--listen", "127.0.0.1:0"] + extra)
        let text = process.firstLine()
        #expect(text.hasPrefix("listening on 127.0.0.1:"), "\(text)")
        return (process, Int(text.split(separator: ":").last ?? "") ?? 0)
    }

    @Test func connectSendsLinesAndPrintsReplies() throws {
        let (server, port) = try startServer(["--subprotocol", "chat"])
        defer { server.terminate() }
        // One line: the reply arrives before end of input closes the connection.
        let result = try ToolRunner.wstap(
            ["connect", "ws://127.0.0.1:\(port)/path", "--subprotocol", "chat", "-H", "X-Trace: 1"],
            stdin: Data("héllo\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.text == "héllo\n")
    }

    @Test func jsonlShowsEveryFrameIncludingTheClose() throws {
        let (server, port) = try startServer()
        defer { server.terminate() }
        let result = try ToolRunner.wstap(["connect", "ws://127.0.0.1:\(port)/", "--jsonl"], stdin: Data("x\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.text.split(separator: "\n")
        #expect(lines.last?.contains("\"opcodeName\":\"close\"") == true)
        #expect(lines.last?.contains("\"code\":1000") == true)
    }

    @Test func deflateIsNegotiatedOnRequest() throws {
        let (server, port) = try startServer()
        defer { server.terminate() }
        let text = String(repeating: "squeeze me ", count: 200)
        let result = try ToolRunner.wstap(
            ["connect", "ws://127.0.0.1:\(port)/", "--deflate", "--jsonl"], stdin: Data((text + "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let first = result.text.split(separator: "\n").first ?? ""
        #expect(first.contains("\"rsv1\":true"), "\(first)")
        let (plainServer, plainPort) = try startServer(["--no-deflate"])
        defer { plainServer.terminate() }
        let plain = try ToolRunner.wstap(
            ["connect", "ws://127.0.0.1:\(plainPort)/", "--deflate", "--jsonl"], stdin: Data("x\n".utf8))
        #expect(plain.text.split(separator: "\n").first?.contains("\"rsv1\":false") == true)
    }

    @Test func hybi00InBothFramings() throws {
        for framing in ["old", "new"] {
            let (server, port) = try startServer(["--framing", framing])
            defer { server.terminate() }
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/", "--variant", "hybi00", "--framing", framing],
                stdin: Data("old times\n".utf8))
            #expect(result.status == 0, "\(framing): \(result.stderr)")
            #expect(result.text == "old times\n", "\(framing)")
        }
    }

    @Test func lostServerMeansNonZeroExit() throws {
        let (server, port) = try startServer()
        // A client whose input never ends (it reads /dev/null... so use a long sleep on a pipe instead).
        let client = try SignalableProcess(
            "/bin/sh", ["-c", "sleep 5 | '\(ToolRunner.wstapPath)' connect ws://127.0.0.1:\(port)/"])
        usleep(500_000)
        server.terminate()
        let status = client.waitForExit()
        #expect(status != 0)
        #expect(client.standardError.contains("unclean"), "\(client.standardError)")
    }

    @Test func pingIntervalPrintsRoundTripTimes() async throws {
        let (server, port) = try startServer()
        defer { server.terminate() }
        // --echo ignores standard input, so the connection stays open until the client is stopped.
        let url = "ws://127.0.0.1:\(port)/"
        let jsonl = try SignalableProcess(
            ToolRunner.wstapPath, ["connect", url, "--echo", "--jsonl", "--ping-interval", "0.02"])
        let rttLine = await Self.waitForLine(containing: "\"event\":\"rtt\"") { jsonl.standardOutput }
        jsonl.terminate()
        #expect(rttLine?.contains("\"microseconds\":") == true, "\(jsonl.standardOutput)")
        #expect(jsonl.standardOutput.contains("\"opcodeName\":\"pong\""))
        let text = try SignalableProcess(ToolRunner.wstapPath, ["connect", url, "--echo", "--ping-interval", "0.02"])
        let line = await Self.waitForLine(containing: "rtt ") { text.standardError }
        text.terminate()
        #expect(line?.wholeMatch(of: /rtt \d+\.\d{3} ms/) != nil, "\(text.standardError)")
        #expect(text.standardOutput.isEmpty)
        let bad = try ToolRunner.wstap(["connect", url, "--ping-interval", "-1"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--ping-interval"), "\(bad.stderr)")
    }

    /// The first line of a growing output that contains `text`, waiting at most 20 s for it (without
    /// holding a thread of the concurrency pool).
    static func waitForLine(containing text: String, in output: () -> String) async -> String? {
        for _ in 0..<2000 {
            if let line = output().split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    @Test func badURLsAndRefusedConnections() throws {
        let bad = try ToolRunner.wstap(["connect", "http://example/"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("ws:// or wss://"))
        let refused = try ToolRunner.wstap(["connect", "ws://127.0.0.1:1/"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("cannot connect to 127.0.0.1:1"))
        let header = try ToolRunner.wstap(["connect", "ws://127.0.0.1:1/", "-H", "nocolon"])
        #expect(header.stderr.contains("'Name: value'"))
    }
}
