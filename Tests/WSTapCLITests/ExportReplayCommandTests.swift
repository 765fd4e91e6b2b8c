import Foundation
import Testing
import WSTapCore
import WSTapTestSupport

/// `wstap export` and `wstap replay` on a recording made by `wstap proxy --record` between a
/// python3-websockets client and `wstap serve`: tshark reads the capture, the HAR parses, the replay's check passes against an echo
/// server and fails against python3-websockets answering in upper case, and the mock server plays the
/// recorded server to a client.
@Suite(.serialized) struct ExportReplayCommandTests {
    static let lines = ["hello", "second message", String(repeating: "long ", count: 20_000)]

    /// A recording of one connection through the proxy; the echo server keeps running for replays.
    func recordSession() throws -> (file: String, server: SignalableProcess, serverPort: Int) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wstap-replay-\(UUID().uuidString).jsonl"
        )
        .path
        let (server, serverPort) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0"])
        let (proxy, proxyPort) = try ToolRunner.start([
            "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--record", file,
        ])
        try #require(serverPort != 0 && proxyPort != 0, "\(server.standardError) \(proxy.standardError)")
        // A python3-websockets client that waits for each reply, so the recorded conversation is in step.
        let client = """
            import asyncio, sys, websockets
            async def main():
                async with websockets.connect(sys.argv[1], max_size=None, compression=None) as ws:
                    for text in sys.argv[2:]:
                        await ws.send(text)
                        await ws.recv()
            asyncio.run(main())
            """
        let result = try PeerProcess.run(
            "/usr/bin/python3", ["-c", client, "ws://127.0.0.1:\(proxyPort)/chat?room=1"] + Self.lines)
        #expect(result.status == 0, "\(result.stderr)")
        for _ in 0..<3000 {  // up to 60 s: a deadline for a hung proxy only
            if let text = try? String(contentsOfFile: file, encoding: .utf8), text.contains("\"type\":\"close\"") {
                break
            }
            usleep(20_000)
        }
        proxy.terminate()
        return (file, server, serverPort)
    }

    func remove(_ paths: String...) {
        for path in paths {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: path + ".payloads")
        }
    }

    @Test func exportWritesACaptureTsharkReadsAndAHAR() async throws {
        try await offThePool {
            let (file, server, _) = try recordSession()
            server.terminate()
            let capture = file + ".pcapng"
            let archive = file + ".har"
            defer { remove(file, capture, archive) }
            let result = try ToolRunner.wstap(["export", file, "--pcapng", capture, "--har", archive])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(
                result.text.contains("pcapng: 1 connection, 8 frames"),
                "one connection, not 1 connections: \(result.text)")

            let tshark = try #require(PeerProcess.which("tshark"), "tshark is not installed: run scripts/test.sh")
            let dissected = try PeerProcess.run(
                tshark,
                ["-r", capture, "-Y", "websocket", "-T", "fields", "-e", "websocket.opcode", "-e", "websocket.mask"])
            #expect(dissected.status == 0, "\(dissected.stderr)")
            let rows = dissected.text.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            // Three text messages and a close each way.
            #expect(
                rows.map { $0.first ?? "" }.sorted() == ["1", "1", "1", "1", "1", "1", "8", "8"], "\(dissected.text)")
            #expect(rows.filter { $0.last == "1" || $0.last == "True" }.count == 4)

            let data = try Data(contentsOf: URL(fileURLWithPath: archive))
            let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let log = try #require(root["log"] as? [String: Any])
            let entries = try #require(log["entries"] as? [[String: Any]])
            let messages = try #require(entries.first?["_webSocketMessages"] as? [[String: Any]])
            for type in ["send", "receive"] {
                let data = messages.filter { $0["type"] as? String == type }.compactMap { $0["data"] as? String }
                #expect(data == Self.lines, "\(type)")
            }
        }
    }

    @Test func replayCheckPassesAgainstTheSameServerAndFailsAgainstAnother() async throws {
        try await offThePool {
            let (file, server, serverPort) = try recordSession()
            defer {
                server.terminate()
                remove(file)
            }
            let replayed = file + ".replayed.jsonl"
            defer { remove(replayed) }
            let same = try ToolRunner.wstap([
                "replay", file, "--to", "ws://127.0.0.1:\(serverPort)", "--speed", "max", "--wait-replies", "--check",
                "--record", replayed, "--timeout", "30",
            ])
            #expect(same.status == 0, "\(same.text) \(same.stderr)")
            #expect(same.text.contains("check: the replies match the recording"), "\(same.text)")
            // The replay's own recording reads back: the opening, four frames each way, the close.
            let view = try ToolRunner.wstap(["view", replayed, "--recording-lines"])
            #expect(view.status == 0, "\(view.stderr)")
            let kinds = view.text.split(separator: "\n").dropFirst().compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["type"] as? String
            }
            #expect(kinds.first == "open" && kinds.last == "close", "\(kinds)")
            #expect(kinds.filter { $0 == "frame" }.count == 8, "\(kinds)")

            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("WSTapReplayTests/Peers/websockets_server.py").path
            let upper = try SignalableProcess("/usr/bin/python3", [script, "upper"])
            defer { upper.terminate() }
            let port = upper.firstLine()
            try #require(Int(port) != nil, "\(upper.standardError)")
            let different = try ToolRunner.wstap([
                "replay", file, "--to", "ws://127.0.0.1:\(port)", "--speed", "2", "--check", "--timeout", "30",
            ])
            #expect(different.status == 1, "\(different.text) \(different.stderr)")
            #expect(different.text.contains("check: 3 differences from the recording:"), "\(different.text)")
            #expect(
                different.text.contains(#"message #1: expected text "hello", got text "HELLO""#), "\(different.text)")
        }
    }

    @Test func mockServerPlaysTheRecordedServer() async throws {
        try await offThePool {
            let (file, server, _) = try recordSession()
            server.terminate()
            defer { remove(file) }
            let (mock, port) = try ToolRunner.start([
                "replay", file, "--serve", "127.0.0.1:0", "--once", "--match", "exact",
            ])
            try #require(port != 0, "\(mock.standardOutput) \(mock.standardError)")
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/chat?room=1"],
                stdin: Data((Self.lines.joined(separator: "\n") + "\n").utf8))
            #expect(result.status == 0, "\(result.stderr)")
            for line in Self.lines { #expect(result.text.contains(String(line.prefix(40))), "\(result.text)") }
            #expect(mock.waitForExit() == 0, "\(mock.standardOutput)")
            #expect(mock.standardOutput.contains("accepted"), "\(mock.standardOutput)")
            #expect(!mock.standardOutput.contains("mismatch"), "\(mock.standardOutput)")
        }
    }

    /// `replay --serve --record`: the mock server publishes what it serves through the same pipeline as the
    /// proxy, so its recording holds the client's frames and the played server frames, readable by `view`.
    @Test func mockServerRecordsWhatItServes() async throws {
        try await offThePool {
            let (file, server, _) = try recordSession()
            server.terminate()
            let served = file + ".served.jsonl"
            defer { remove(file, served) }
            let (mock, port) = try ToolRunner.start([
                "replay", file, "--serve", "127.0.0.1:0", "--once", "--speed", "max", "--record", served,
                "--capture-limit", "1K",
            ])
            try #require(port != 0, "\(mock.standardOutput) \(mock.standardError)")
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/chat?room=1"],
                stdin: Data((Self.lines.joined(separator: "\n") + "\n").utf8))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(mock.waitForExit() == 0, "\(mock.standardOutput) \(mock.standardError)")
            let viewed = try ToolRunner.wstap(["view", served, "--jsonl"])
            #expect(viewed.status == 0, "\(viewed.stderr)")
            let events = viewed.text.split(separator: "\n")
            #expect(events.first?.contains(#""event":"open""#) == true, "\(viewed.text.prefix(600))")
            #expect(events.last?.contains(#""event":"close""#) == true, "\(viewed.text.suffix(600))")
            // Both ways: every line the client sent, and every reply the mock played back, in full (the
            // recording keeps every byte whatever the capture limit).
            for direction in ["c2s", "s2c"] {
                let texts = events.filter {
                    $0.contains(#""direction":"\#(direction)""#) && $0.contains(#""opcodeName":"text""#)
                }
                #expect(texts.count == Self.lines.count, "\(direction): \(viewed.text.prefix(2000))")
                #expect(texts.last?.contains(#""payloadLength":\#(Self.lines[2].utf8.count)"#) == true)
                #expect(texts.last?.contains(#""payloadComplete":true"#) == true)
            }
        }
    }

    /// `--capture-limit` keeps the first bytes of each payload in the events (the frames still pass whole), and
    /// a size that is not one is refused before anything starts.
    @Test func captureLimitCutsWhatTheEventsKeep() async throws {
        try await offThePool {
            let (server, port) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui"])
            defer { server.terminate() }
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/", "--jsonl", "--capture-limit", "4"],
                stdin: Data("hello world\n".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            let texts = result.text.split(separator: "\n").filter { $0.contains(#""opcodeName":"text""#) }
            #expect(texts.count == 2, "\(result.text)")
            for line in texts {
                #expect(line.contains(#""payloadLength":11"#) && line.contains(#""payloadComplete":false"#), "\(line)")
                #expect(line.contains(#""payloadHex":"68656c6c""#), "\(line)")
            }
            for command in [["proxy", "--upstream", "ws://127.0.0.1:1"], ["connect", "ws://127.0.0.1:1"]] {
                let refused = try ToolRunner.wstap(command + ["--capture-limit", "12x"])
                #expect(refused.status != 0)
                #expect(refused.stderr.contains("--capture-limit '12x' is not a size"), "\(refused.stderr)")
            }
        }
    }

    /// `--tls-cert/--tls-key` serve wss:// to a python3-websockets client trusting the certificate.
    @Test func mockServerServesWSS() async throws {
        try await offThePool {
            let (file, server, _) = try recordSession()
            server.terminate()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-tls-\(UUID().uuidString)")
                .path
            defer {
                remove(file)
                try? FileManager.default.removeItem(atPath: folder)
            }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let certificate = folder + "/cert.pem"
            let key = folder + "/key.pem"
            let made = try PeerProcess.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                ])
            try #require(made.status == 0, "\(made.stderr)")
            let (mock, port) = try ToolRunner.start([
                "replay", file, "--serve", "127.0.0.1:0", "--once", "--match", "exact", "--speed", "max",
                "--tls-cert", certificate, "--tls-key", key,
            ])
            try #require(port != 0, "\(mock.standardOutput) \(mock.standardError)")
            let client = """
                import asyncio, ssl, sys, websockets
                async def main():
                    context = ssl.create_default_context(cafile=sys.argv[2])
                    async with websockets.connect(sys.argv[1], ssl=context, max_size=None, compression=None) as ws:
                        for text in sys.argv[3:]:
                            await ws.send(text)
                            print((await ws.recv())[:40])
                asyncio.run(main())
                """
            let result = try PeerProcess.run(
                "/usr/bin/python3", ["-c", client, "wss://127.0.0.1:\(port)/chat?room=1", certificate] + Self.lines)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.text.split(separator: "\n").map(String.init) == Self.lines.map { String($0.prefix(40)) })
            #expect(mock.waitForExit() == 0, "\(mock.standardOutput)")
            #expect(mock.standardOutput.contains("(wss://)"), "\(mock.standardOutput)")
            #expect(!mock.standardOutput.contains("mismatch"), "\(mock.standardOutput)")
        }
    }

    @Test func mockServerErrorsAreOneLine() async throws {
        try await offThePool {
            let (file, server, serverPort) = try recordSession()
            defer {
                server.terminate()
                remove(file)
            }
            func expectOneLineError(_ arguments: [String], saying text: String) throws {
                let result = try ToolRunner.wstap(arguments)
                #expect(result.status != 0, "\(arguments)")
                let lines = result.stderr.split(separator: "\n")
                #expect(lines.count == 1, "\(result.stderr)")
                #expect(result.stderr.contains(text), "\(result.stderr)")
            }
            // The echo server holds its port.
            try expectOneLineError(
                ["replay", file, "--serve", "127.0.0.1:\(serverPort)"],
                saying: "cannot listen on 127.0.0.1:\(serverPort)")
            try expectOneLineError(
                ["replay", file, "--serve", "127.0.0.1:0", "--conn", "7"], saying: "no connection 7")
            let empty = file + ".empty.jsonl"
            defer { remove(empty) }
            let header = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").first ?? ""
            try (header + "\n").write(toFile: empty, atomically: true, encoding: .utf8)
            try expectOneLineError(["replay", empty, "--serve", "127.0.0.1:0"], saying: "no opened connection")
            try expectOneLineError(
                [
                    "replay", file, "--serve", "127.0.0.1:0", "--tls-cert", "/nonexistent/cert.pem", "--tls-key",
                    "/nonexistent/key.pem",
                ],
                saying: "/nonexistent/cert.pem")
        }
    }

    /// `wstap serve --record` keeps a hybi-00 client's key bytes and the answer; `view` shows them, and
    /// `export` puts them in the HAR.
    @Test func hybi00HandshakeBytesAreRecordedShownAndExported() async throws {
        try await offThePool {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wstap-hybi00-\(UUID().uuidString).jsonl"
            )
            .path
            let archive = file + ".har"
            defer { remove(file, archive) }
            let (server, port) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--record", file])
            defer { server.terminate() }
            try #require(port != 0, "\(server.standardError)")
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/room", "--variant", "hybi00"], stdin: Data("hi\n".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            for _ in 0..<3000 {  // up to 60 s: a deadline for a hung proxy only
                if let text = try? String(contentsOfFile: file, encoding: .utf8), text.contains("\"type\":\"close\"") {
                    break
                }
                usleep(20_000)
            }

            let lines = try ToolRunner.wstap(["view", file, "--recording-lines"])
            #expect(lines.status == 0, "\(lines.stderr)")
            let opened = try #require(
                lines.text.split(separator: "\n").compactMap {
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }.first { $0["type"] as? String == "open" })
            let key3 = try #require(Base64.decode(opened["requestBody"] as? String ?? ""), "\(opened)")
            let answer = try #require(Base64.decode(opened["responseBody"] as? String ?? ""), "\(opened)")
            let request = try HTTPHeadParser.parseRequest(Array((opened["request"] as? String ?? "").utf8))
            let keys = try Hybi00ClientKeys(
                key1: try #require(request.headers.first("Sec-WebSocket-Key1")),
                key2: try #require(request.headers.first("Sec-WebSocket-Key2")), key3: key3)
            #expect(keys.expectedAnswer == answer)

            let hex = { (bytes: [UInt8]) in bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
            let printed = try ToolRunner.wstap(["view", file, "--no-tui"])
            #expect(printed.status == 0, "\(printed.stderr)")
            let openLine = printed.text.split(separator: "\n").first { $0.contains(" open ") } ?? ""
            #expect(openLine.contains("request-body=\(hex(key3)) response-body=\(hex(answer))"), "\(printed.text)")

            let exported = try ToolRunner.wstap(["export", file, "--har", archive])
            #expect(exported.status == 0, "\(exported.stderr)")
            let har = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: archive)))
                    as? [String: Any])
            let entry = try #require(((har["log"] as? [String: Any])?["entries"] as? [[String: Any]])?.first)
            let harRequest = try #require(entry["request"] as? [String: Any])
            let harResponse = try #require(entry["response"] as? [String: Any])
            #expect(harRequest["bodySize"] as? Int == 8)
            #expect((harRequest["postData"] as? [String: Any])?["text"] as? String == Base64.encode(key3))
            #expect(harResponse["bodySize"] as? Int == 16)
            let content = try #require(harResponse["content"] as? [String: Any])
            #expect(content["text"] as? String == Base64.encode(answer))
            #expect(content["encoding"] as? String == "base64")
        }
    }

    @Test func badInputIsAOneLineError() async throws {
        try await offThePool {
            let missing = try ToolRunner.wstap(["export", "/nonexistent/recording.jsonl", "--har", "/tmp/x.har"])
            #expect(missing.status != 0)
            #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
            let noTarget = try ToolRunner.wstap(["replay", "/nonexistent/recording.jsonl"])
            #expect(noTarget.status != 0)
        }
    }
}
