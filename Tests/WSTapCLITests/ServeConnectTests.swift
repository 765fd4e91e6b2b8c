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

    @Test func connectSendsLinesAndPrintsReplies() async throws {
        try await offThePool {
            let (server, port) = try startServer(["--subprotocol", "chat"])
            defer { server.terminate() }
            // One line: the reply arrives before end of input closes the connection.
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/path", "--subprotocol", "chat", "-H", "X-Trace: 1"],
                stdin: Data("héllo\n".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.text == "héllo\n")
        }
    }

    @Test func jsonlShowsEveryFrameIncludingTheClose() async throws {
        try await offThePool {
            let (server, port) = try startServer()
            defer { server.terminate() }
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/", "--jsonl"], stdin: Data("x\n".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.text.split(separator: "\n")
            #expect(lines.first?.hasPrefix(#"{"event":"open","connection":1,"time":"#) == true, "\(result.text)")
            let frames = lines.filter { $0.hasPrefix(#"{"event":"frame","connection":1,"#) }
            // Both ways: the client's text and close, the server's echo and close.
            let seen = frames.map { line in
                line.firstMatch(of: /"direction":"(c2s|s2c)","index":(\d+),.*"opcodeName":"(\w+)"/).map {
                    "\($0.1)#\($0.2) \($0.3)"
                } ?? "?"
            }
            // (The client's close may go out before the echo comes back: each direction in its order.)
            #expect(seen.sorted() == ["c2s#0 text", "c2s#1 close", "s2c#0 text", "s2c#1 close"], "\(result.text)")
            #expect(frames.last?.contains("\"code\":1000") == true)
            #expect(lines.last?.hasPrefix(#"{"event":"close","connection":1,"#) == true, "\(result.text)")
        }
    }

    @Test func deflateIsNegotiatedOnRequest() async throws {
        try await offThePool {
            let (server, port) = try startServer()
            defer { server.terminate() }
            let text = String(repeating: "squeeze me ", count: 200)
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/", "--deflate", "--jsonl"], stdin: Data((text + "\n").utf8))
            #expect(result.status == 0, "\(result.stderr)")
            let first = result.text.split(separator: "\n").first { $0.contains(#""event":"frame""#) } ?? ""
            #expect(first.contains("\"rsv1\":true"), "\(first)")
            let (plainServer, plainPort) = try startServer(["--no-deflate"])
            defer { plainServer.terminate() }
            let plain = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(plainPort)/", "--deflate", "--jsonl"], stdin: Data("x\n".utf8))
            #expect(
                plain.text.split(separator: "\n").first { $0.contains(#""event":"frame""#) }?.contains("\"rsv1\":false")
                    == true)
        }
    }

    /// `connect --deflate --jsonl` through `proxy --jsonl` to python3-websockets with permessage-deflate: the
    /// client and the proxy print the same JSON for every frame (time aside), the compressed ones with the
    /// text they inflate to (and no compressed bytes as `text`).
    @Test func connectAndProxyPrintTheSameJSONForCompressedFrames() async throws {
        try await offThePool {
            let server = try SignalableProcess(
                PeerProcess.python, [PeerScripts.script("websockets_deflate_server.py", of: "WSTapNetworkTests").path])
            defer { server.terminate() }
            let serverPort = try #require(Int(server.firstLine()), "\(server.standardError)")
            let proxy = try SignalableProcess(
                ToolRunner.wstapPath,
                ["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl"])
            defer { proxy.terminate() }
            let proxyPort = try #require(ToolRunner.listeningPort(proxy.firstLine()))
            // Input ends once the echo is back (a close right behind the message could overtake the echo).
            let connect = try SignalableProcess(
                ToolRunner.wstapPath, ["connect", "ws://127.0.0.1:\(proxyPort)/", "--deflate", "--jsonl"],
                keepingStandardInputOpen: true)
            connect.writeToStandardInput("a\n")
            connect.waitForOutput { $0.contains(#""direction":"s2c","index":0"#) }
            connect.closeStandardInput()
            let status = connect.waitForExit(within: 60)
            if status == nil { connect.terminate() }
            #expect(status == 0, "\(connect.standardError)")
            let clientText = connect.standardOutput
            proxy.waitForOutput { $0.contains(#""event":"close""#) }
            proxy.terminate()
            func frames(_ output: String) -> [String] {
                output.split(separator: "\n").filter { $0.contains(#""event":"frame""#) }.map {
                    String($0.replacing(/"time":[0-9.]+,/, with: ""))
                }
            }
            let fromClient = frames(clientText)
            #expect(fromClient.count == 4, "\(clientText)")
            // Each direction in its order; the two directions may interleave differently.
            #expect(
                fromClient.sorted() == frames(proxy.standardOutput).sorted(),
                "client:\n\(clientText)\nproxy:\n\(proxy.standardOutput)")
            let echo = try #require(fromClient.first { $0.contains(#""direction":"s2c","index":0"#) })
            #expect(echo.contains(#""rsv1":true"#), "\(echo)")
            #expect(echo.contains(#""text":null"#), "\(echo)")
            #expect(echo.contains(#""compressed":true,"inflatedText":"a","inflatedHex":"61""#), "\(echo)")
        }
    }

    /// `serve --jsonl`: the listening event first, then each connection's opening, frames and close; nothing
    /// but JSON events on standard output (every line is checked against the schema).
    @Test func serveJSONLines() async throws {
        try await offThePool {
            let server = try SignalableProcess(ToolRunner.wstapPath, ["serve", "--listen", "127.0.0.1:0", "--jsonl"])
            defer { server.terminate() }
            let first = server.firstLine()
            #expect(first.hasPrefix(#"{"event":"listening","time":"#), "\(first) \(server.standardError)")
            #expect(first.contains(#""mode":"server""#), "\(first)")
            let port = try #require(ToolRunner.listeningPort(first))
            let result = try ToolRunner.wstap(["connect", "ws://127.0.0.1:\(port)/"], stdin: Data("x\n".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            let log = server.waitForOutput { $0.contains(#""event":"close""#) }.output
            server.terminate()
            let kinds = log.split(separator: "\n").map {
                $0.firstMatch(of: /"event":"(\w+)"/).map { String($0.1) } ?? "?"
            }
            #expect(kinds == ["listening", "open", "frame", "frame", "frame", "frame", "close"], "\(log)")
        }
    }

    @Test func hybi00InBothFramings() async throws {
        try await offThePool {
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
    }

    @Test func lostServerMeansNonZeroExit() async throws {
        try await offThePool {
            let (server, port) = try startServer()
            // A client whose input never ends (it reads /dev/null... so use a long sleep on a pipe instead).
            let client = try SignalableProcess(
                "/bin/sh", ["-c", "sleep 5 | '\(ToolRunner.wstapPath)' connect ws://127.0.0.1:\(port)/"])
            // Connected (the server tells), then the server goes away.
            let connected = server.waitForOutput { $0.contains("\nopen ") }
            #expect(connected.met, "\(connected.output) \(client.standardError)")
            server.terminate()
            let status = client.waitForExit()
            #expect(status != 0)
            #expect(client.standardError.contains("unclean"), "\(client.standardError)")
        }
    }

    @Test func pingIntervalPrintsRoundTripTimes() async throws {
        let (server, port) = try await offThePool { try startServer() }
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
        let bad = try await ToolRunner.wstap(["connect", url, "--ping-interval", "-1"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--ping-interval"), "\(bad.stderr)")
    }

    /// The first line of a growing output that contains `text`, waiting at most 60 s for it (only a hung
    /// program takes that long) without holding a thread of the concurrency pool.
    static func waitForLine(containing text: String, in output: () -> String) async -> String? {
        func line() -> String? { output().split(separator: "\n").first { $0.contains(text) }.map(String.init) }
        await waitUntil { line() != nil }
        return line()
    }

    @Test func badURLsAndRefusedConnections() async throws {
        try await offThePool {
            let bad = try ToolRunner.wstap(["connect", "ftp://example/"])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("it must start with ws://, wss://, http:// or https://"), "\(bad.stderr)")
            let refused = try ToolRunner.wstap(["connect", "ws://127.0.0.1:1/"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("cannot connect to 127.0.0.1:1"))
            // With --jsonl standard output says it too, as an error event (as the proxy's are).
            let refusedJSON = try ToolRunner.wstap(["connect", "ws://127.0.0.1:1/", "--jsonl"])
            #expect(refusedJSON.status != 0)
            #expect(refusedJSON.text.hasPrefix(#"{"event":"error","#), "\(refusedJSON.text)")
            #expect(refusedJSON.text.contains("cannot connect to 127.0.0.1:1"), "\(refusedJSON.text)")
            let header = try ToolRunner.wstap(["connect", "ws://127.0.0.1:1/", "-H", "nocolon"])
            #expect(header.stderr.contains("'Name: value'"))
        }
    }
}
