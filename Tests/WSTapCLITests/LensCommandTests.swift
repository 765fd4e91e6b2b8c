import Foundation
import Testing
import WSTapTestSupport

/// Lenses in `--jsonl` and `--no-tui`, with real peers started by the tests: python-socketio's server and
/// client through `wstap proxy` (events, acks with their latency, a namespace, a binary event), amqtt's
/// broker and paho-mqtt's client through `wstap proxy` (CONNECT/CONNACK, SUBSCRIBE/SUBACK, PUBLISH/PUBACK),
/// and `connect`/`serve` with `--lens`. Every JSON line is checked against the schema.
@Suite struct LensCommandTests {
    /// A venv peer script of Tests/WSTapCLITests/Peers.
    static func peer(_ script: String, _ arguments: [String]) throws -> PeerProcess {
        guard FileManager.default.isExecutableFile(atPath: PeerProcess.venvPython) else {
            throw PeerProcess.Failure(
                description: "\(PeerProcess.venvPython) is missing: scripts/test.sh makes it (the PyPI test peers)")
        }
        return try PeerProcess(
            PeerProcess.venvPython, [PeerScripts.script(script, of: "WSTapCLITests").path] + arguments)
    }

    /// The `lens` objects of the message events in `output`, in order, each with its message's direction
    /// added as `direction`.
    static func lensObjects(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["event"] as? String == "message", var lens = object["lens"] as? [String: Any]
            else { return nil }
            lens["direction"] = object["direction"]
            return lens
        }
    }

    static func correlation(_ lens: [String: Any]) -> [String: Any]? {
        lens["correlation"] as? [String: Any]
    }

    /// The lens object whose summary is `summary`, or nil.
    static func lens(_ lenses: [[String: Any]], summary: String) -> [String: Any]? {
        lenses.first { $0["summary"] as? String == summary }
    }

    @Test func socketIOEventsAcksNamespacesAndBinaryThroughTheProxy() async throws {
        let server = try Self.peer("socketio_lens_peer.py", ["server"])
        let serverPort = try await server.port()
        try await offThePool {
            let recording = RecordViewTests.temporaryPath("lens")
            defer {
                try? FileManager.default.removeItem(atPath: recording)
                try? FileManager.default.removeItem(atPath: recording + ".payloads")
            }
            let (proxy, proxyPort) = try ToolRunner.start(
                [
                    "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl",
                    "--record", recording,
                ])
            try #require(proxyPort != 0, "\(proxy.standardOutput)")
            let client = try Self.peer("socketio_lens_peer.py", ["client", "http://127.0.0.1:\(proxyPort)"])
            let result = client.finish()
            #expect(result.status == 0, "\(result.text) \(result.stderr)")
            #expect(result.text.contains("add 3") && result.text.contains("upload 4"), "\(result.text)")
            proxy.waitForOutput { $0.contains("\"event\":\"close\"") }
            proxy.terminate()
            let lenses = Self.lensObjects(proxy.standardOutput)
            #expect(lenses.allSatisfy { $0["name"] as? String == "socketio" }, "\(proxy.standardOutput)")
            #expect((lenses.first?["summary"] as? String)?.hasPrefix("open sid=") == true, "\(lenses)")

            // An event without an ack id has no exchange; one with an ack id is answered with its latency.
            let chat = try #require(Self.lens(lenses, summary: #"EVENT chat [{"m":"hi"}]"#), "\(lenses)")
            #expect(Self.correlation(chat) == nil)
            let add = try #require(Self.lens(lenses, summary: "EVENT add [1,2] ack=1"), "\(lenses)")
            #expect(Self.correlation(add)?["role"] as? String == "request")
            let sum = try #require(Self.lens(lenses, summary: "ACK 1 [3]"), "\(lenses)")
            #expect(Self.correlation(sum)?["id"] as? String == "/#1")
            #expect((Self.correlation(sum)?["latencyMs"] as? Double ?? -1) >= 0, "\(sum)")

            // The namespace /chat: its connect is answered, its ack pairs within the namespace.
            let connect = try #require(
                lenses.first { ($0["summary"] as? String)?.hasPrefix("CONNECT /chat sid=") == true })
            #expect(Self.correlation(connect)?["latencyMs"] is Double, "\(connect)")
            let joined = try #require(Self.lens(lenses, summary: #"ACK /chat 1 ["joined room1"]"#), "\(lenses)")
            #expect(Self.correlation(joined)?["id"] as? String == "/chat#1")
            #expect(Self.correlation(joined)?["latencyMs"] is Double)

            // The binary event: its placeholder joined with the attachment that followed as a binary frame.
            let upload = try #require(
                lenses.first { ($0["summary"] as? String)?.hasPrefix("BINARY_EVENT upload") == true })
            let fields = try #require(upload["fields"] as? [String: Any])
            #expect(fields["attachments"] as? Int == 1)
            let arguments = try #require(fields["args"] as? [[String: Any]])
            #expect((arguments.first?["bytes"] as? [String: Any])?["hex"] as? String == "000102ff", "\(fields)")
            let uploaded = try #require(Self.lens(lenses, summary: "ACK 2 [4]"), "\(lenses)")
            #expect(Self.correlation(uploaded)?["latencyMs"] is Double)

            // `wstap view` reads the recording with the same lenses: the same message events, latencies included
            // (the recording keeps the monotonic times); `--no-tui` shows the summaries; `--lens none` none.
            let messageLines = { (output: String) in
                output.split(separator: "\n").filter { $0.contains(#""event":"message""#) }
            }
            let viewed = try ToolRunner.wstap(["view", recording, "--jsonl"])
            #expect(viewed.status == 0, "\(viewed.stderr)")
            #expect(messageLines(viewed.text) == messageLines(proxy.standardOutput), "\(viewed.text)")
            let lines = try ToolRunner.wstap(["view", recording, "--no-tui"])
            #expect(lines.text.contains("← socketio ACK /chat 1 [\"joined room1\"] ("), "\(lines.text)")
            let none = try ToolRunner.wstap(["view", recording, "--jsonl", "--lens", "none"])
            #expect(messageLines(none.text).isEmpty && none.text.contains(#""event":"frame""#), "\(none.text)")

            // `wstap stats`: the calls with their answers and latencies, per method.
            let stats = try ToolRunner.wstap(["stats", recording, "--json"])
            #expect(stats.status == 0, "\(stats.stderr)")
            let numbers = try #require(
                try JSONSerialization.jsonObject(with: Data(stats.text.utf8)) as? [String: Any], "\(stats.text)")
            let methods = try #require(numbers["methods"] as? [[String: Any]])
            for name in ["add", "/chat join", "upload", "CONNECT /chat"] {
                let row = try #require(methods.first { $0["method"] as? String == name }, "\(name): \(stats.text)")
                #expect(row["count"] as? Int == 1 && row["answers"] as? Int == 1, "\(row)")
                #expect(row["p50Ms"] is Double && row["maxMs"] is Double, "\(row)")
            }
            let connections = try #require(numbers["connections"] as? [[String: Any]])
            #expect(connections.first?["lens"] as? String == "socketio", "\(connections)")
            let table = try ToolRunner.wstap(["stats", recording])
            #expect(table.text.hasPrefix("connections\n#  lens"), "\(table.text)")
            #expect(table.text.contains("socketio  add "), "\(table.text)")
        }
        server.stop()
    }

    /// `--filter` with lens tests (docs/filters.md): the proxy prints only the messages whose decoded fields
    /// match (frames never: lenses read messages), and `view --filter` picks the same from the recording.
    @Test func filterOnLensFieldsThroughTheProxyAndView() async throws {
        let server = try Self.peer("socketio_lens_peer.py", ["server"])
        let serverPort = try await server.port()
        try await offThePool {
            let recording = RecordViewTests.temporaryPath("lens-filter")
            defer {
                try? FileManager.default.removeItem(atPath: recording)
                try? FileManager.default.removeItem(atPath: recording + ".payloads")
            }
            let filter = "~lens socketio & (~field event == add | ~field type = ACK & ~field namespace = /chat)"
            let (proxy, proxyPort) = try ToolRunner.start(
                [
                    "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl",
                    "--record", recording, "--filter", filter,
                ])
            try #require(proxyPort != 0, "\(proxy.standardOutput)")
            let client = try Self.peer("socketio_lens_peer.py", ["client", "http://127.0.0.1:\(proxyPort)"])
            let result = client.finish()
            #expect(result.status == 0, "\(result.text) \(result.stderr)")
            proxy.waitForOutput { $0.contains("\"event\":\"close\"") }
            proxy.terminate()
            let summaries = Self.lensObjects(proxy.standardOutput).map { $0["summary"] as? String ?? "?" }
            #expect(
                summaries == ["EVENT add [1,2] ack=1", #"ACK /chat 1 ["joined room1"]"#], "\(proxy.standardOutput)")
            #expect(!proxy.standardOutput.contains(#""event":"frame""#), "lens tests match no frame")
            #expect(proxy.standardOutput.contains(#""event":"open""#), "openings and closes still print")

            let viewed = try ToolRunner.wstap(["view", recording, "--jsonl", "--filter", filter])
            #expect(viewed.status == 0, "\(viewed.stderr)")
            #expect(
                Self.lensObjects(viewed.text).map { $0["summary"] as? String ?? "?" } == summaries, "\(viewed.text)")
            // Without lens tests, frames are picked as well: the client's text frames with "add" in them.
            let frames = try ToolRunner.wstap([
                "view", recording, "--jsonl", "--lens", "none", "--filter", "~dir c2s & ~b add",
            ])
            let lines = frames.text.split(separator: "\n")
            #expect(
                lines.contains { $0.contains(#""event":"frame""#) && $0.contains(#"add\",1,2]"#) }, "\(frames.text)")
            #expect(!lines.contains { $0.contains(#""direction":"s2c""#) }, "\(frames.text)")

            // A filter that does not parse is refused with its column; lens tests need the lenses on.
            let bad = try ToolRunner.wstap(["view", recording, "--jsonl", "--filter", "~field event =="])
            #expect(bad.status != 0 && bad.stderr.contains("column 16"), "\(bad.stderr)")
            let off = try ToolRunner.wstap(["view", recording, "--jsonl", "--lens", "none", "--filter", "~lens"])
            #expect(off.status != 0 && off.stderr.contains("--lens none"), "\(off.stderr)")
        }
        server.stop()
    }

    @Test func mqttPacketsAndTheirAnswersThroughTheProxy() async throws {
        let broker = try Self.peer("mqtt_lens_peer.py", ["broker"])
        let brokerPort = try await broker.port()
        try await offThePool {
            let (proxy, proxyPort) = try ToolRunner.start(
                ["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(brokerPort)", "--jsonl"])
            try #require(proxyPort != 0, "\(proxy.standardOutput)")
            let client = try Self.peer("mqtt_lens_peer.py", ["client", "\(proxyPort)"])
            let result = client.finish()
            #expect(result.status == 0, "\(result.text) \(result.stderr)")
            #expect(result.text.contains(#"got {"t": 21.5}"#), "\(result.text)")
            proxy.waitForOutput { $0.contains("\"event\":\"close\"") }
            proxy.terminate()
            let lenses = Self.lensObjects(proxy.standardOutput)
            #expect(lenses.allSatisfy { $0["name"] as? String == "mqtt" }, "\(proxy.standardOutput)")
            let summaries = lenses.compactMap { $0["summary"] as? String }
            for (request, response) in [
                ("CONNECT 3.1.1 client=lens-test keepalive=60 clean", "CONNACK accepted"),
                ("SUBSCRIBE id=1 sensors/# q1", "SUBACK id=1 q1"),
                (#"PUBLISH q1 sensors/t1 id=2 (11 B) {"t":21.5}"#, "PUBACK id=2"),
            ] {
                let asked = try #require(Self.lens(lenses, summary: request), "\(summaries)")
                let answered = try #require(Self.lens(lenses, summary: response), "\(summaries)")
                #expect(Self.correlation(asked)?["role"] as? String == "request")
                #expect(Self.correlation(answered)?["id"] as? String == Self.correlation(asked)?["id"] as? String)
                #expect(Self.correlation(answered)?["latencyMs"] is Double, "\(answered)")
            }
            // The broker's PUBLISH of the message back, answered by the client's PUBACK.
            let back = try #require(
                lenses.first {
                    ($0["summary"] as? String)?.hasPrefix("PUBLISH q1 sensors/t1 id=") == true
                        && $0["direction"] as? String == "s2c"
                }, "\(summaries)")
            let payload = (back["fields"] as? [String: Any])?["payload"] as? [String: Any]
            #expect(payload?["t"] as? Double == 21.5, "\(back)")
            #expect(summaries.contains("UNSUBACK id=3"), "\(summaries)")
            #expect(summaries.last == "DISCONNECT", "\(summaries)")
        }
        broker.stop()
    }

    @Test func connectAndServePrintMessagesALensReadsAndNoneWithLensNone() async throws {
        try await offThePool {
            let call = #"{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":7}"#
            let (server, serverPort) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--jsonl"])
            for lens in ["auto", "none"] {
                let result = try ToolRunner.wstap(
                    ["connect", "ws://127.0.0.1:\(serverPort)/rpc", "--jsonl", "--lens", lens],
                    stdin: Data((call + "\n").utf8))
                #expect(result.status == 0, "\(result.stderr)")
                let lenses = Self.lensObjects(result.text)
                if lens == "none" {
                    #expect(lenses.isEmpty, "\(result.text)")
                    #expect(!result.text.contains("\"event\":\"message\""))
                } else {
                    // The call and its echo, each read by the JSON-RPC lens.
                    #expect(
                        lenses.compactMap { $0["summary"] as? String } == [
                            "call sum [1,2] id=7", "call sum [1,2] id=7",
                        ], "\(result.text)")
                    #expect(lenses.allSatisfy { $0["name"] as? String == "jsonrpc" })
                }
            }
            server.waitForOutput { $0.components(separatedBy: "\"event\":\"close\"").count > 2 }
            server.terminate()
            // The server's own lenses read both connections, whatever the client chose.
            #expect(Self.lensObjects(server.standardOutput).count == 4, "\(server.standardOutput)")
            // A forced lens reads what no lens would claim.
            let (forcedServer, forcedPort) = try ToolRunner.start(
                ["serve", "--listen", "127.0.0.1:0", "--jsonl", "--lens", "json"])
            _ = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(forcedPort)/", "--jsonl"], stdin: Data("plain\n".utf8))
            forcedServer.waitForOutput { $0.contains("\"event\":\"close\"") }
            forcedServer.terminate()
            let forced = Self.lensObjects(forcedServer.standardOutput)
            #expect(forced.count == 2, "\(forcedServer.standardOutput)")
            #expect((forced.first?["problem"] as? String)?.hasPrefix("not JSON") == true, "\(forced)")
        }
    }

    @Test func theLinePrinterShowsTheSummaryWithTheLatency() async throws {
        try await offThePool {
            let (server, serverPort) = try ToolRunner.start(
                ["serve", "--listen", "127.0.0.1:0", "--no-tui", "--subprotocol", "graphql-transport-ws"])
            defer { server.terminate() }
            let (proxy, proxyPort) = try ToolRunner.start(
                ["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--no-tui"])
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(proxyPort)/", "--subprotocol", "graphql-transport-ws"],
                stdin: Data((#"{"type":"ping"}"# + "\n").utf8))
            #expect(result.status == 0, "\(result.stderr)")
            proxy.waitForOutput { $0.contains("closed ") }
            proxy.terminate()
            let lines = proxy.standardOutput.split(separator: "\n")
            #expect(lines.contains { $0.hasSuffix("→ graphql ping") }, "\(proxy.standardOutput)")
            // The echo server sends the ping back: a second request, not an answer.
            #expect(lines.filter { $0.contains("graphql ping") }.count == 2, "\(proxy.standardOutput)")
        }
    }

    @Test func anUnknownLensIsAClearError() async throws {
        try await offThePool {
            let result = try ToolRunner.wstap(["proxy", "--upstream", "ws://127.0.0.1:9", "--lens", "nope"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("--lens nope: no such lens"), "\(result.stderr)")
            #expect(result.stderr.contains("socketio"), "\(result.stderr)")
        }
    }

    /// Protobuf messages made by python-protobuf (Debian's python3-protobuf) sent through python websockets
    /// to `wstap serve`: read without a schema (`--lens protobuf`), with the descriptor set python made
    /// (`--proto chat.desc`), and with the .proto file compiled by protoc at run time.
    @Test func protobufMessagesWithAndWithoutASchema() async throws {
        let directory = RecordViewTests.temporaryPath("proto")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = PeerScripts.script("protobuf_peer.py", of: "WSTapCLITests")
        let made = try PeerProcess.python(script, ["schema", directory]).finish()
        #expect(made.status == 0, "\(made.stderr)")
        var runs: [(options: [String], key: String, value: String)] = [
            (["--lens", "protobuf"], "1 text", "hi"),
            (["--proto", directory + "/chat.desc", "--proto-message", "Message"], "text", "hi"),
        ]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/protoc") {
            runs.append((["--proto", directory + "/chat.proto", "--proto-message", "chat.Message"], "kind", "IMAGE"))
        }
        for run in runs {
            try await offThePool {
                let (server, port) = try ToolRunner.start(
                    ["serve", "--listen", "127.0.0.1:0", "--jsonl"] + run.options)
                try #require(port != 0, "\(server.standardOutput) \(server.standardError)")
                let client = try PeerProcess.python(script, ["client", "ws://127.0.0.1:\(port)/"]).finish()
                #expect(client.text.contains("echoed 2"), "\(client.text) \(client.stderr)")
                server.waitForOutput { $0.contains("\"event\":\"close\"") }
                server.terminate()
                let lenses = Self.lensObjects(server.standardOutput)
                // Two messages each way, every one read.
                #expect(lenses.count == 4, "\(run.options): \(server.standardOutput)")
                #expect(lenses.allSatisfy { $0["name"] as? String == "protobuf" && $0["problem"] == nil })
                let fields = try #require(lenses.first?["fields"] as? [String: Any], "\(lenses)")
                #expect(fields[run.key] as? String == run.value, "\(run.options): \(fields)")
                if run.key == "text" {
                    #expect(fields["deltas"] as? [Int] == [-1, 2, -3], "\(fields)")
                    #expect((fields["author"] as? [String: Any])?["uid"] as? Int == 1 << 40, "\(fields)")
                }
            }
        }
    }

    @Test func aProtoFileWithoutProtocOrABadSchemaIsAClearError() async throws {
        try await offThePool {
            let missing = try ToolRunner.wstap([
                "serve", "--listen", "127.0.0.1:0", "--jsonl", "--proto", "/nonexistent.desc",
            ])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("--proto /nonexistent.desc: cannot read the file"), "\(missing.stderr)")
            let conflict = try ToolRunner.wstap(
                ["serve", "--listen", "127.0.0.1:0", "--jsonl", "--lens", "mqtt", "--proto", "/nonexistent.desc"])
            #expect(conflict.stderr.contains("--proto goes with --lens protobuf"), "\(conflict.stderr)")
            // A .proto file with no protoc on PATH says what to install.
            let directory = RecordViewTests.temporaryPath("noprotoc")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            FileManager.default.createFile(atPath: directory + "/x.proto", contents: Data("syntax = \"proto3\";".utf8))
            let noProtoc = try PeerProcess.run(
                ToolRunner.wstapPath,
                ["serve", "--listen", "127.0.0.1:0", "--jsonl", "--proto", directory + "/x.proto"],
                environment: ["PATH": directory])
            #expect(noProtoc.stderr.contains("protoc is not installed"), "\(noProtoc.stderr)")
        }
    }

    /// `--lens NAME:FILTER`: a lens (or none) for the connections whose opening passes the filter, the
    /// others as a plain `--lens` (or auto) says.
    @Test func aLensForTheConnectionsAFilterPicks() async throws {
        try await offThePool {
            let call = #"{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":7}"#
            let (server, port) = try ToolRunner.start(
                [
                    "serve", "--listen", "127.0.0.1:0", "--jsonl", "--lens", "json:~path /forced*", "--lens",
                    "none:~path /quiet* | ~proto silent",
                ])
            try #require(port != 0, "\(server.standardOutput) \(server.standardError)")
            for (path, line) in [("/forced", "plain"), ("/quiet", call), ("/rpc", call), ("/other", "plain")] {
                let result = try ToolRunner.wstap(
                    ["connect", "ws://127.0.0.1:\(port)\(path)", "--jsonl", "--lens", "none"],
                    stdin: Data((line + "\n").utf8))
                #expect(result.status == 0, "\(result.stderr)")
            }
            server.waitForOutput { $0.components(separatedBy: "\"event\":\"close\"").count > 4 }
            server.terminate()
            let lenses = Self.lensObjects(server.standardOutput)
            // /forced: the JSON lens reads what it would not claim (and says it does not parse); /quiet: none;
            // /rpc: JSON-RPC claims it (auto); /other: nothing claims plain text.
            #expect(lenses.map { $0["name"] as? String } == ["json", "json", "jsonrpc", "jsonrpc"], "\(lenses)")
            #expect((lenses.first?["summary"] as? String)?.hasPrefix("does not parse") == true, "\(lenses)")
            let bad = try ToolRunner.wstap(["serve", "--listen", "127.0.0.1:0", "--jsonl", "--lens", "json:~nope"])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("--lens json: column 1: no test is called ~nope"), "\(bad.stderr)")
            let twice = try ToolRunner.wstap(["serve", "--listen", "127.0.0.1:0", "--lens", "json", "--lens", "mqtt"])
            #expect(twice.stderr.contains("a lens for every connection was given already"), "\(twice.stderr)")
        }
    }

    /// A request with no answer on a connection that then stays silent is told when its time runs out (a
    /// timer), not only at the connection's next event or close.
    @Test func anUnansweredRequestIsToldWhileTheConnectionIsSilent() async throws {
        try await offThePool {
            let (server, port) = try ToolRunner.start(
                ["serve", "--listen", "127.0.0.1:0", "--jsonl", "--answer-timeout", "0.5"])
            defer { server.terminate() }
            try #require(port != 0, "\(server.standardOutput) \(server.standardError)")
            // The echo server sends the call back: a request the other way, never an answer.
            let call = #"{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":7}"#
            let client = try PeerProcess.python(
                PeerScripts.script("silent_request_client.py", of: "WSTapCLITests"),
                ["ws://127.0.0.1:\(port)/", call, "120"])
            defer { client.stop() }
            let (told, output) = server.waitForOutput { $0.contains("no answer to jsonrpc") }
            #expect(told, "\(output)")
            // Told while the connection was still open: no close yet.
            let before = output.components(separatedBy: "no answer to jsonrpc")[0]
            #expect(!before.contains("\"event\":\"close\""), "\(output)")
            #expect(!output.contains("\"event\":\"close\""), "\(output)")
        }
    }

    /// strawberry-graphql's server and gql's client through `wstap proxy`, over graphql-transport-ws and
    /// the legacy graphql-ws: operations with their ids, items answering their subscription with a latency,
    /// completion, and a query that fails.
    @Test func graphQLOverBothSubprotocolsThroughTheProxy() async throws {
        let server = try Self.peer("graphql_lens_peer.py", ["server"])
        let serverPort = try await server.port()
        defer { server.stop() }
        for (subprotocol, item) in [("graphql-transport-ws", "next"), ("graphql-ws", "data")] {
            try await offThePool {
                let (proxy, proxyPort) = try ToolRunner.start(
                    ["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl"])
                defer { proxy.terminate() }
                try #require(proxyPort != 0, "\(proxy.standardOutput)")
                let client = try Self.peer(
                    "graphql_lens_peer.py", ["client", "ws://127.0.0.1:\(proxyPort)/graphql", subprotocol]
                ).finish()
                #expect(client.status == 0 && client.text.contains("count 2"), "\(client.text) \(client.stderr)")
                proxy.waitForOutput { $0.contains("\"event\":\"close\"") }
                let lenses = Self.lensObjects(proxy.standardOutput)
                #expect(!lenses.isEmpty && lenses.allSatisfy { $0["name"] as? String == "graphql" }, "\(lenses)")
                let summaries = lenses.compactMap { $0["summary"] as? String }
                let subscribe = try #require(
                    lenses.first { ($0["summary"] as? String)?.contains("subscription Count") == true }, "\(summaries)")
                let id = try #require(Self.correlation(subscribe)?["id"] as? String, "\(subscribe)")
                #expect(Self.correlation(subscribe)?["role"] as? String == "request")
                // Its two items answer it (with latencies), then it completes.
                let items = lenses.filter {
                    ($0["summary"] as? String)?.hasPrefix("\(item) \(id) ") == true
                        && Self.correlation($0)?["latencyMs"] is Double
                }
                #expect(items.count == 2, "\(summaries)")
                #expect(summaries.contains { $0.hasPrefix("complete \(id)") }, "\(summaries)")
                #expect(summaries.first?.hasPrefix("connection_init") == true, "\(summaries)")
                if subprotocol == "graphql-transport-ws" {
                    #expect(client.text.contains("hello world") && client.text.contains("boom error"), "\(client.text)")
                    #expect(summaries.contains { $0.contains("query Boom") }, "\(summaries)")
                    // The failing query's result carries its error.
                    #expect(summaries.contains { $0.hasSuffix("errors=1") }, "\(summaries)")
                }
            }
        }
    }

}
