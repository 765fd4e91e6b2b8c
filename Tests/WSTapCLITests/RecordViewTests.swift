import Foundation
import Testing
import WSTapTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `--record` on connect, serve and proxy, and `wstap view` reading the recordings back.
@Suite struct RecordViewTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wstap-\(name)-\(UUID().uuidString).jsonl").path
    }

    /// Like ``start(_:)``, at the lowest CPU priority (`nice` runs the program in its own process).
    func startNiced(_ arguments: [String]) throws -> (SignalableProcess, Int) {
        let process = try SignalableProcess("/usr/bin/nice", ["-n", "19", ToolRunner.wstapPath] + arguments)
        let text = process.firstLine()
        let address = text.split(separator: " ").dropFirst(2).first ?? ""
        return (process, Int(address.split(separator: ":").last ?? "") ?? 0)
    }

    /// The JSON objects of a recording's complete lines.
    func objects(_ path: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
    }

    /// Waits (up to 60 s: only a hung program takes that long) until a recording has a close event.
    func waitForClose(_ path: String) throws {
        for _ in 0..<3000 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("\"type\":\"close\"") {
                return
            }
            usleep(20_000)
        }
        Issue.record("no close event in \(path)")
    }

    @Test func bothEndsRecordTheSameBytes() async throws {
        try await offThePool {
            let serverFile = Self.temporaryPath("serve")
            let clientFile = Self.temporaryPath("connect")
            defer {
                for path in [serverFile, clientFile] {
                    try? FileManager.default.removeItem(atPath: path)
                    try? FileManager.default.removeItem(atPath: path + ".payloads")
                }
            }
            let (server, port) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--record", serverFile])
            defer { server.terminate() }
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/chat", "--record", clientFile],
                stdin: Data("hello world\nsecond\n\(String(repeating: "long ", count: 30_000))\n".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            try waitForClose(serverFile)
            let client = try objects(clientFile)
            let server_ = try objects(serverFile)
            #expect(client.first?["mode"] as? String == "client")
            #expect(server_.first?["mode"] as? String == "server")
            // What the client sent is what the server received, byte for byte, and the other way round.
            func wire(_ objects: [[String: Any]], _ direction: String) -> [String] {
                // A frame over 64 KiB is in the side file: compared by its length there.
                objects.filter { $0["type"] as? String == "frame" && $0["dir"] as? String == direction }.map {
                    $0["wire"] as? String ?? "side file, \($0["wireLength"] as? Int ?? -1) bytes"
                }
            }
            for direction in ["c2s", "s2c"] {
                #expect(wire(client, direction).count == 4, "\(direction)")  // three messages and the close
                #expect(wire(client, direction) == wire(server_, direction), "\(direction)")
                // 150,000 bytes of payload behind a 64-bit length (and a masking key from the client).
                let large = direction == "c2s" ? 150_014 : 150_010
                #expect(wire(client, direction).contains("side file, \(large) bytes"), "\(direction)")
            }
            #expect(FileManager.default.fileExists(atPath: clientFile + ".payloads"))
            // Viewed like the headless proxy prints.
            let lines = try ToolRunner.wstap(["view", clientFile, "--no-tui"])
            #expect(lines.status == 0, "\(lines.stderr)")
            let text = lines.text.split(separator: "\n")
            #expect(text.first?.contains("#1 open") == true, "\(lines.text)")
            #expect(text.first?.contains("GET /chat") == true, "\(lines.text)")
            #expect(text.contains { $0.contains("#1 → text fin=1") && $0.contains("\"hello world\"") }, "\(lines.text)")
            #expect(text.contains { $0.contains("#1 ← text fin=1") && $0.contains("\"second\"") }, "\(lines.text)")
            #expect(text.last?.contains("#1 closed clean") == true, "\(lines.text)")
            // Filtered recording lines: the header, then only the matching frames, as recorded.
            let filtered = try ToolRunner.wstap(
                ["view", serverFile, "--recording-lines", "--dir", "s2c", "--opcode", "text", "--grep", "wor+ld|seco"])
            #expect(filtered.status == 0, "\(filtered.stderr)")
            let kept = filtered.text.split(separator: "\n")
            #expect(kept.count == 3, "\(filtered.text)")
            #expect(kept.first?.contains("\"format\":\"wstap-recording\"") == true)
            #expect(kept.dropFirst().allSatisfy { $0.contains("\"dir\":\"s2c\"") && $0.contains("\"opcode\":1") })
            let recordedLines = try String(contentsOfFile: serverFile, encoding: .utf8).split(separator: "\n")
            #expect(kept.dropFirst().allSatisfy { recordedLines.contains($0) })
            let byConnection = try ToolRunner.wstap(["view", serverFile, "--recording-lines", "--conn", "2"])
            #expect(byConnection.text.split(separator: "\n").count == 1)
            // The same filters on JSON events (docs/json-events.md, as the proxy prints them): the frames keep
            // the index they have in the whole connection.
            let events = try ToolRunner.wstap(
                ["view", serverFile, "--jsonl", "--dir", "s2c", "--opcode", "text", "--grep", "wor+ld|seco"])
            #expect(events.status == 0, "\(events.stderr)")
            let frames = events.text.split(separator: "\n")
            #expect(frames.count == 2, "\(events.text)")
            #expect(frames.allSatisfy { $0.hasPrefix(#"{"event":"frame","connection":1,"time":"#) }, "\(events.text)")
            #expect(frames.allSatisfy { $0.contains(#""direction":"s2c""#) && $0.contains(#""opcodeName":"text""#) })
            #expect(frames.first?.contains(#""index":0,"#) == true, "\(events.text)")
            #expect(frames.last?.contains(#""text":"second""#) == true, "\(events.text)")
        }
    }

    /// `view --jsonl` of a recording prints what `proxy --jsonl` printed live while recording it, line for
    /// line (compressed frames and their inflated text included).
    @Test func viewPrintsTheProxysJSONEventsAgain() async throws {
        try await offThePool {
            let file = Self.temporaryPath("proxy-json")
            defer {
                try? FileManager.default.removeItem(atPath: file)
                try? FileManager.default.removeItem(atPath: file + ".payloads")
            }
            let (server, serverPort) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui"])
            defer { server.terminate() }
            let (proxy, proxyPort) = try ToolRunner.start([
                "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl", "--record",
                file,
            ])
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(proxyPort)/", "--deflate"], stdin: Data("hello\nsecond\n".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            proxy.waitForOutput { $0.contains(#""event":"close""#) }
            proxy.terminate()
            let live = proxy.standardOutput.split(separator: "\n").dropFirst()  // after the listening event
            let viewed = try ToolRunner.wstap(["view", file, "--jsonl"])
            #expect(viewed.status == 0, "\(viewed.stderr)")
            #expect(live.count == 8, "\(proxy.standardOutput)")
            #expect(
                Array(live) == viewed.text.split(separator: "\n"),
                "live:\n\(proxy.standardOutput)\nview:\n\(viewed.text)")
            #expect(live.contains { $0.contains(#""inflatedText":"second""#) }, "\(proxy.standardOutput)")
        }
    }

    @Test func badFilesAreClearErrors() async throws {
        try await offThePool {
            let missing = try ToolRunner.wstap(["view", "/nonexistent/x.jsonl"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("/nonexistent/x.jsonl: cannot read"), "\(missing.stderr)")
            let path = Self.temporaryPath("bad")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let header = #"{"format":"wstap-recording","version":1,"wstap":"t","mode":"proxy","t":1,"mono":1}"#
            let note = #"{"type":"note","t":1.5,"mono":2,"text":"hello"}"#
            try Data("\(header)\n\(note)\n{\"type\":\"frame\",\"conn\":1}\n\(note)\n".utf8).write(
                to: URL(fileURLWithPath: path))
            let bad = try ToolRunner.wstap(["view", path, "--no-tui"])
            #expect(bad.status != 0)
            #expect(bad.text.contains("note hello"), "\(bad.text)")
            #expect(bad.stderr.contains("\(path):3: the line has no \"dir\""), "\(bad.stderr)")
            try Data("\(header)\n\(note)\n{\"type\":\"no".utf8).write(to: URL(fileURLWithPath: path))
            let torn = try ToolRunner.wstap(["view", path])
            #expect(torn.status == 0, "\(torn.stderr)")
            #expect(torn.text.contains("note hello"))
            #expect(torn.stderr.contains("line 3 is incomplete"), "\(torn.stderr)")
            let flag = try ToolRunner.wstap(["view", path, "--dir", "up"])
            #expect(flag.status != 0)
            #expect(flag.stderr.contains("--dir 'up'"))
        }
    }

    /// kill -9 of a recording proxy while a client floods it: every complete line is an event, and a
    /// line cut short is reported and skipped. The flood runs at the lowest priority (`nice -n 19`), so it
    /// takes only the CPU the timing-sensitive suites running beside it leave.
    @Test func killedProxyLeavesAReadableRecording() async throws {
        try await offThePool {
            let file = Self.temporaryPath("killed")
            defer {
                try? FileManager.default.removeItem(atPath: file)
                try? FileManager.default.removeItem(atPath: file + ".payloads")
            }
            let (echo, echoPort) = try startNiced(["serve", "--listen", "127.0.0.1:0"])
            defer { echo.terminate() }
            let (proxy, proxyPort) = try startNiced([
                "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(echoPort)", "--record", file,
            ])
            let flood = """
                import asyncio, sys, websockets
                async def main():
                    async with websockets.connect(sys.argv[1], max_size=None, compression=None) as ws:
                        print("connected", flush=True)
                        async def drain():
                            async for _ in ws:
                                pass
                        asyncio.ensure_future(drain())
                        i = 0
                        while True:
                            await ws.send(b"x" * (i % 3000) if i % 2 else "text %d" % i)
                            i += 1
                asyncio.run(main())
                """
            let client = try SignalableProcess(
                "/usr/bin/nice", ["-n", "19", "/usr/bin/python3", "-c", flood, "ws://127.0.0.1:\(proxyPort)/"])
            defer { client.terminate() }
            #expect(client.firstLine() == "connected", "\(client.standardError)")
            // Wait until a megabyte is recorded (kept short: the flood takes both cores from the tests running
            // beside it), then kill the proxy mid-flight.
            for _ in 0..<6000 {  // up to 60 s
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                if size > 1 << 20 { break }
                usleep(10_000)
            }
            kill(proxy.pid, SIGKILL)
            var status: Int32 = 0
            waitpid(proxy.pid, &status, 0)
            var data = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(data.count > 1 << 20)
            // Every complete line is valid JSON.
            let complete = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
            for line in complete {
                #expect((try? JSONSerialization.jsonObject(with: Data(line))) != nil)
            }
            let viewed = try ToolRunner.wstap(["view", file, "--recording-lines"])
            #expect(viewed.status == 0, "\(viewed.stderr)")
            #expect(viewed.text.split(separator: "\n").count == complete.count)
            #expect(data.last == UInt8(ascii: "\n") || viewed.stderr.contains("is incomplete"))
            // Cut the last line short, as a kill during its write would: reported with its number, skipped.
            data.removeLast(5)
            try data.write(to: URL(fileURLWithPath: file))
            let torn = try ToolRunner.wstap(["view", file, "--recording-lines"])
            #expect(torn.status == 0, "\(torn.stderr)")
            #expect(torn.stderr.contains("line \(complete.count) is incomplete"), "\(torn.stderr)")
            #expect(torn.text.split(separator: "\n").count == complete.count - 1)
        }
    }
}
