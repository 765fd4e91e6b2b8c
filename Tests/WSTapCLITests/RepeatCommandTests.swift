import Foundation
import Testing
import WSTapTestSupport

/// `wstap repeat`: a message of a recording made by `wstap connect --record` against python3-websockets sent
/// again, edited, on a new connection with the recorded handshake (the server reports the handshake it got),
/// and against node-ws.
@Suite(.serialized) struct RepeatCommandTests {
    /// A python3-websockets server that greets each connection with the handshake it got, then echoes.
    static func reportServer() throws -> (SignalableProcess, Int) {
        let server = try SignalableProcess(
            "/usr/bin/python3", [PeerScripts.folder(of: "WSTapCLITests").path + "/handshake_report_server.py"])
        let port = Int(server.firstLine().split(separator: " ").first ?? "") ?? 0
        try #require(port != 0, "\(server.standardError)")
        return (server, port)
    }

    /// A recording of `wstap connect` sending `hello` and `second` with a header and a subprotocol.
    static func record(port: Int, lines: String = "hello\nsecond\n") throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wstap-repeat-\(UUID().uuidString).jsonl"
        ).path
        let result = try ToolRunner.wstap(
            [
                "connect", "ws://127.0.0.1:\(port)/room?x=1", "--no-tui", "--record", file, "-H", "X-Token: abc",
                "--subprotocol", "graphql-transport-ws",
            ], stdin: Data(lines.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        return file
    }

    /// The number `wstap repeat --frame` takes for the client frame whose text is `text` (1: the connection's
    /// first frame, both directions counted).
    static func frameNumber(of text: String, in file: String) throws -> Int {
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        var number = 0
        for line in lines {
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                event["type"] as? String == "frame"
            else { continue }
            number += 1
            if event["dir"] as? String == "c2s", event["text"] as? String == text { return number }
        }
        Issue.record("no client frame \(text) in \(file)")
        return 0
    }

    func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".payloads")
    }

    @Test func sendsAnEditedMessageWithTheRecordedHandshake() async throws {
        try await offThePool {
            let (server, port) = try Self.reportServer()
            defer { server.terminate() }
            let file = try Self.record(port: port)
            defer { remove(file) }
            let frame = try Self.frameNumber(of: "second", in: file)
            let result = try ToolRunner.wstap([
                "repeat", file, "--conn", "1", "--frame", "\(frame)", "--edit-payload", "edited once",
                "--to", "ws://127.0.0.1:\(port)", "--replies", "2", "--timeout", "60",
            ])
            #expect(result.status == 0, "\(result.text) \(result.stderr)")
            let lines = result.text.split(separator: "\n").map(String.init)
            #expect(lines.first == "HTTP/1.1 101 Switching Protocols from ws://127.0.0.1:\(port)/", "\(lines)")
            #expect(lines.contains("→ text edited once"), "\(lines)")
            #expect(lines.contains("← text edited once"), "the server's echo: \(lines)")
            // The server's greeting tells the handshake it got: the recorded path, header and subprotocol.
            let greeting = try #require(lines.first { $0.hasPrefix("← text {") }, "\(lines)")
            #expect(greeting.contains("\"path\": \"/room?x=1\""), "\(greeting)")
            #expect(greeting.contains("[\"X-Token\", \"abc\"]"), "\(greeting)")
            #expect(greeting.contains("\"subprotocol\": \"graphql-transport-ws\""), "\(greeting)")
            #expect(lines.last == "2 messages back (2 expected)", "\(lines)")
        }
    }

    @Test func sendsBinaryFromHexToNodeWs() async throws {
        try await offThePool {
            let (server, port) = try Self.reportServer()
            let file = try Self.record(port: port)
            server.terminate()
            defer { remove(file) }
            setenv("NODE_PATH", "/usr/share/nodejs", 1)
            let node = try SignalableProcess(
                "/usr/bin/node", [PeerScripts.folder(of: "WSTapNetworkTests").path + "/ws_echo_server.js"])
            defer { node.terminate() }
            let nodePort = node.firstLine().trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(Int(nodePort) != nil, "\(node.standardError)")
            let frame = try Self.frameNumber(of: "hello", in: file)
            let result = try ToolRunner.wstap([
                "repeat", file, "--frame", "\(frame)", "--edit-payload", "hex:00 ff 10", "--to",
                "ws://127.0.0.1:\(nodePort)/echo", "--replies", "1", "--timeout", "60",
            ])
            #expect(result.status == 0, "\(result.text) \(result.stderr)")
            #expect(result.text.contains("→ binary 3 bytes hex:00ff10\n"), "\(result.text)")
            #expect(result.text.contains("← binary 3 bytes hex:00ff10\n"), "node-ws echoes it: \(result.text)")
            #expect(result.text.contains("← close 1000"), "\(result.text)")
        }
    }

    @Test func aFrameOrConnectionNotInTheRecordingIsAClearError() async throws {
        try await offThePool {
            let (server, port) = try Self.reportServer()
            defer { server.terminate() }
            let file = try Self.record(port: port)
            defer { remove(file) }
            let noFrame = try ToolRunner.wstap(["repeat", file, "--frame", "999"])
            #expect(noFrame.status == 1)
            #expect(noFrame.stderr.contains("no frame 999 (frames are numbered from 1"), "\(noFrame.stderr)")
            let noConnection = try ToolRunner.wstap(["repeat", file, "--conn", "7", "--frame", "1"])
            #expect(noConnection.status == 1)
            #expect(
                noConnection.stderr.contains("no connection 7 in the recording (it has: 1)"), "\(noConnection.stderr)")
            let zero = try ToolRunner.wstap(["repeat", file, "--frame", "0"])
            #expect(zero.status != 0)
            #expect(zero.stderr.contains("frames are numbered from 1"), "\(zero.stderr)")
        }
    }
}
