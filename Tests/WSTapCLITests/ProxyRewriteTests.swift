import Foundation
import Testing
import WSTapTestSupport

/// `wstap proxy --rewrite` between a python3-websockets client and server that agree on permessage-deflate with
/// context takeover (websockets' default): every changed message reaches the server rewritten, and every later
/// message still inflates there, although the client's compressor refers back to text the server never got.
@Suite struct ProxyRewriteTests {
    static let peer = PeerScripts.script("rewrite_peer.py", of: "WSTapCLITests")

    /// Messages that repeat one another, so that each compresses against the ones before.
    static let messages = [
        #"{"user":"alice","role":"user","seq":1}"#,
        #"{"user":"alice","role":"user","seq":2}"#,
        #"{"user":"bob","role":"user","seq":3,"text":"hello hello"}"#,
        #"{"user":"alice","role":"guest","seq":4,"text":"hello hello"}"#,
        #"{"user":"alice","role":"user","seq":5,"text":"hello hello"}"#,
        #"{"user":"alice","role":"guest","seq":6,"text":"hello again"}"#,
    ]

    static func rewritten(_ message: String) -> String {
        message.replacingOccurrences(of: #""role":"user""#, with: #""role":"admin""#)
    }

    @Test func compressedMessagesAreRewrittenAndTheRestStillInflate() async throws {
        try await offThePool {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-rewrite-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let recording = folder.appendingPathComponent("rewrite.jsonl").path

            let server = try SignalableProcess(PeerProcess.python, [Self.peer.path, "serve"])
            defer { server.terminate() }
            let serverPort = try #require(Int(server.firstLine()), "\(server.standardError)")
            let (proxy, proxyPort) = try ToolRunner.start([
                "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl",
                "--rewrite", #"/"role":"user"/"role":"admin"/"#, "--record", recording,
            ])
            defer { proxy.terminate() }

            let client = try PeerProcess.run(
                PeerProcess.python, [Self.peer.path, "send", "\(proxyPort)"] + Self.messages)
            #expect(client.status == 0, "\(client.text) \(client.stderr) \(proxy.standardError)")
            let lines = client.text.split(separator: "\n").map(String.init)
            #expect(lines.first?.contains("permessage-deflate") == true, "compression was agreed: \(client.text)")
            #expect(lines.filter { $0.hasPrefix("echo: ") } == Self.messages.map { "echo: " + Self.rewritten($0) })
            #expect(lines.last == "done")
            let received = server.waitForOutput { $0.components(separatedBy: "got: ").count > Self.messages.count }
            #expect(
                received.output.split(separator: "\n").filter { $0.hasPrefix("got: ") }.map(String.init)
                    == Self.messages.map { "got: " + Self.rewritten($0) }, "\(server.standardError)")

            // The events: each changed message's frame as it came (replaced), a note naming the rule, and the frame
            // sent (rewritten, compressed, with the new text inflated).
            _ = proxy.waitForOutput { $0.contains("\"event\":\"close\"") }
            proxy.terminate()
            let events = proxy.standardOutput.split(separator: "\n").map(String.init)
            let changed = Self.messages.filter { $0.contains(#""role":"user""#) }.count
            let replaced = events.filter { $0.contains(#""disposition":"replaced""#) }
            let sent = events.filter { $0.contains(#""disposition":"rewritten""#) }
            #expect(replaced.count == changed, "\(proxy.standardOutput)")
            #expect(sent.count == changed)
            #expect(sent.allSatisfy { $0.contains(#""rsv1":true"#) && $0.contains(#"\"role\":\"admin\""#) })
            #expect(replaced.allSatisfy { $0.contains(#"\"role\":\"user\""#) })
            #expect(events.filter { $0.contains("rewrite #1 ") && $0.contains("\"event\":\"note\"") }.count == changed)
            #expect(!events.contains { $0.contains("went on unchanged") }, "\(proxy.standardOutput)")

            // The recording keeps both, and reads back.
            let viewed = try ToolRunner.wstap(["view", recording, "--jsonl"])
            #expect(viewed.status == 0, "\(viewed.stderr)")
            #expect(viewed.text.components(separatedBy: #""disposition":"rewritten""#).count == changed + 1)
            #expect(viewed.text.components(separatedBy: #""disposition":"replaced""#).count == changed + 1)
        }
    }

    /// `--drop FILTER` and a rewrite rule with a filter, between `wstap connect` and `wstap serve`.
    @Test func dropAndFilteredRewrite() async throws {
        try await offThePool {
            let (server, serverPort) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui"])
            defer { server.terminate() }
            let (proxy, proxyPort) = try ToolRunner.start([
                "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl",
                "--drop", "~dir c2s & ~b secret", "--rewrite", "|~dir s2c|hello|HELLO|",
            ])
            defer { proxy.terminate() }
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(proxyPort)/"], stdin: Data("first\nmy secret\nhello there\n".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            // The secret never reached the server (no echo); "hello" went up as it was and came back changed.
            #expect(result.text == "first\nHELLO there\n", "\(result.text)")
            _ = proxy.waitForOutput { $0.contains("\"event\":\"close\"") }
            proxy.terminate()
            let events = proxy.standardOutput
            #expect(events.contains(#""disposition":"removed""#), "\(events)")
            #expect(events.contains("drop #1 ~dir c2s & ~b secret: dropped a 9-byte text message (c2s)"), "\(events)")
            #expect(events.contains("rewrite #2 |~dir s2c|hello|HELLO|: replaced a 11-byte text message"), "\(events)")
        }
    }

    /// `--respond` answers a message from the proxy and `--delay` holds one, between python3-websockets peers
    /// with permessage-deflate (the answered message never reaches the server, so the client's later messages
    /// are compressed again for it).
    @Test func respondAndDelay() async throws {
        try await offThePool {
            let server = try SignalableProcess(PeerProcess.python, [Self.peer.path, "serve"])
            defer { server.terminate() }
            let serverPort = try #require(Int(server.firstLine()), "\(server.standardError)")
            let (proxy, proxyPort) = try ToolRunner.start([
                "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl",
                "--respond", #"~b "get_balance"={"balance":0}"#, "--delay", "~dir c2s & ~b slow=400",
            ])
            defer { proxy.terminate() }
            let messages = [#"{"op":"slow","n":1}"#, #"{"op":"get_balance"}"#, #"{"op":"fast","n":2}"#]
            let client = try PeerProcess.run(PeerProcess.python, [Self.peer.path, "send", "\(proxyPort)"] + messages)
            #expect(client.status == 0, "\(client.text) \(client.stderr) \(proxy.standardError)")
            let lines = client.text.split(separator: "\n").map(String.init)
            #expect(lines.first?.contains("permessage-deflate") == true, "compression was agreed: \(client.text)")
            #expect(
                lines.filter { $0.hasPrefix("echo: ") }
                    == [messages[0], #"{"balance":0}"#, messages[2]].map { "echo: " + $0 }, "\(client.text)")
            let received = server.waitForOutput { $0.components(separatedBy: "got: ").count > 2 }
            #expect(
                received.output.split(separator: "\n").filter { $0.hasPrefix("got: ") }.map(String.init)
                    == ["got: " + messages[0], "got: " + messages[2]], "\(server.standardError)")

            _ = proxy.waitForOutput { $0.contains("\"event\":\"close\"") }
            proxy.terminate()
            let events = proxy.standardOutput.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
            func frameTime(_ direction: String, containing text: String) -> Double? {
                events.first { event in
                    event["event"] as? String == "frame" && event["direction"] as? String == direction
                        && ((event["inflatedText"] as? String) ?? (event["text"] as? String) ?? "").contains(text)
                }?["time"] as? Double
            }
            // The slow message's echo cannot leave the server before the proxy let the message go, 400 ms after it
            // arrived.
            let sent = try #require(frameTime("c2s", containing: "slow"), "\(proxy.standardOutput)")
            let echoed = try #require(frameTime("s2c", containing: "slow"), "\(proxy.standardOutput)")
            #expect(echoed - sent >= 0.4, "sent at \(sent), echoed at \(echoed)")
            let output = proxy.standardOutput
            #expect(output.contains(#""disposition":"removed""#), "\(output)")
            #expect(output.contains(#""disposition":"injected""#), "\(output)")
            #expect(output.contains(#"respond #1 ~b \"get_balance\"={\"balance\":0}: answered with 13 bytes (s2c)"#))
            #expect(output.contains("delay #2 ~dir c2s & ~b slow=400: a 19-byte text message went on unchanged (c2s)"))
        }
    }

    @Test(arguments: [
        ("~dir c2s=later", "--delay", #"--delay takes FILTER=MS, and "later" is not a duration"#),
        ("~b x=hex:zz", "--respond", "--respond: the PAYLOAD after hex:"),
    ])
    func badDelayAndRespondRulesAreAClearError(rule: String, flag: String, words: String) throws {
        let result = try ToolRunner.wstap(["proxy", "--upstream", "ws://127.0.0.1:1", "--no-tui", flag, rule])
        #expect(result.status != 0)
        #expect(result.stderr.contains(words), "\(result.stderr)")
    }

    @Test(arguments: [
        ("", "empty"),
        ("abc", "starts with its separator"),
        ("/a/b/c/d/e", "not 5 parts"),
        ("/only", "not one part"),
        ("//x/", "FIND part"),
        ("/(/x/", "not a regular expression"),
        (#"/a/\q/"#, #"\q"#),
        ("/~dir sideways/a/b/", "the FILTER part of rewrite rule /~dir sideways/a/b/: column 6: ~dir takes c2s or s2c"),
    ])
    func badRulesAreAClearError(rule: String, words: String) throws {
        let result = try ToolRunner.wstap(["proxy", "--upstream", "ws://127.0.0.1:1", "--no-tui", "--rewrite", rule])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--rewrite: ") && result.stderr.contains(words), "\(result.stderr)")
    }

    @Test func aBadDropFilterPointsAtTheColumn() throws {
        let result = try ToolRunner.wstap(
            ["proxy", "--upstream", "ws://127.0.0.1:1", "--no-tui", "--drop", "~dir c2s & ~nope"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--drop: column 12: no test is called ~nope"), "\(result.stderr)")
        #expect(result.stderr.contains("~dir c2s & ~nope\n           ^ no test"), "\(result.stderr)")
    }
}
