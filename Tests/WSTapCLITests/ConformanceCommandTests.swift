import Foundation
import Testing
import WSTapConformance
import WSTapCore
import WSTapTestSupport

/// `wstap conformance` against real servers the tests start: `wstap serve`, python3-websockets and node-ws. The
/// verdicts that are not OK are listed per server, so that a change in any verdict fails the test; the JSON
/// report is read back and checked. One run at a time, each through posix_spawn (``SignalableProcess``):
/// Foundation's `Process.run` once crashed here (a bad pointer in its memmove) while four other runs went on.
@Suite(.serialized) struct ConformanceCommandTests {
    /// Runs `wstap` with `arguments` to its end (waiting off the concurrency pool).
    static func wstap(_ arguments: [String]) async throws -> (status: Int32, text: String, stderr: String) {
        let process = try SignalableProcess(ToolRunner.wstapPath, arguments)
        let status = await offThePool { process.waitForExit() }
        return (status, process.standardOutput, process.standardError)
    }

    /// Generous waits (guards against hangs on a loaded machine; no server here comes near them), 5 s for a
    /// server to fail at a broken header before the rest of the frame is sent, 8 cases at once.
    static let waits = ["--timeout", "60", "--fail-fast-wait", "5", "--jobs", "8"]

    /// One case of the JSON report.
    struct ReportedCase {
        var id: String
        var verdict: String
        var description: String
        var durationMs: Int
        var detail: String
    }

    /// Runs `wstap conformance URL` with a JSON report; returns the run and the report's cases.
    func conformance(
        _ url: String, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ((status: Int32, text: String, stderr: String), [ReportedCase]) {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-conformance-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = try await Self.wstap(["conformance", url, "--json", json.path] + Self.waits + extra)
        let data = try Data(contentsOf: json)
        let object = try #require(
            try JSONSerialization.jsonObject(with: data) as? [String: Any], sourceLocation: sourceLocation)
        #expect(object["target"] as? String == url, sourceLocation: sourceLocation)
        let cases = try #require(object["cases"] as? [[String: Any]], sourceLocation: sourceLocation)
        let reported = cases.map { item in
            ReportedCase(
                id: item["id"] as? String ?? "", verdict: item["verdict"] as? String ?? "",
                description: item["description"] as? String ?? "", durationMs: item["durationMs"] as? Int ?? -1,
                detail: item["detail"] as? String ?? "")
        }
        for item in cases {
            #expect(item["sent"] is String && item["expected"] is String && item["received"] is String)
        }
        #expect(reported.allSatisfy { !$0.id.isEmpty && !$0.description.isEmpty && $0.durationMs >= 0 })
        #expect(reported.allSatisfy { $0.verdict == "OK" || !$0.detail.isEmpty }, "a verdict without a reason")
        return (result, reported)
    }

    /// Every case of the default set ran (but `excluded`; for a client, but the cases that test servers only; with
    /// `categories`, only theirs), each got the verdict listed in `notOK` (one of them, for a case whose verdict
    /// depends on how the server's reads fall), and every other case is OK.
    func expectVerdicts(
        _ cases: [ReportedCase], notOK: [String: Set<String>], excluded: Set<String> = [], client: Bool = false,
        categories: Set<Int>? = nil, hybi00Framing: Hybi00Framing = .old,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let defaultSet = ConformanceCatalog.all.filter { testCase in
            !excluded.contains(testCase.id) && !(client && testCase.testsServersOnly)
                && testCase.hybi00.map { $0.framing == hybi00Framing } ?? true
                && categories.map { $0.contains(testCase.category) } ?? true
        }.map(\.id)
        #expect(cases.map(\.id) == defaultSet, "not every case of the default set ran", sourceLocation: sourceLocation)
        for reported in cases {
            let allowed = notOK[reported.id] ?? ["OK"]
            #expect(
                allowed.contains(reported.verdict),
                "\(reported.id) \(reported.description): \(reported.verdict), expected \(allowed.sorted()): \(reported.detail)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func wstapServePassesEveryCase() async throws {
        let (server, port) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui"])
        defer { server.terminate() }
        #expect(port > 0)
        let url = "ws://127.0.0.1:\(port)/"
        let (result, cases) = try await conformance(url)
        #expect(result.status == 0, "\(result.stderr)")
        expectVerdicts(
            cases,
            notOK: [
                "7.13.1": ["INFORMATIONAL"], "7.13.2": ["INFORMATIONAL"], "15.4.1": ["INFORMATIONAL"],
                "15.4.2": ["INFORMATIONAL"],
            ])
        let lines = result.text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("\(url): \(cases.count) cases in ") == true, "\(result.text)")
        #expect(lines.contains { $0.hasPrefix("total") && $0.hasSuffix(" 0") }, "\(result.text)")
        #expect(result.stderr.isEmpty, "no progress line when standard error is not a terminal: \(result.stderr)")
    }

    /// python3-websockets (ping_interval=None, no size limit): it drops the messages that came in the same read
    /// as a violation instead of echoing them first (non-strict), fails at the end of a frame rather than at a
    /// broken header or the first bad UTF-8 byte of a frame, takes non-minimal lengths, and does not echo a
    /// message that came with the close frame (7.1.1, FAILED).
    @Test func pythonWebsocketsVerdicts() async throws {
        let server = try PeerProcess.python(
            PeerScripts.script("conformance_websockets_server.py", of: "WSTapCLITests"))
        defer { server.stop() }
        let port = try await server.port()
        // 1.w1 (a length with the top bit set) waits for its payload: the case would last a whole --timeout.
        let (result, cases) = try await conformance("ws://127.0.0.1:\(port)/", ["--exclude", "1.w1"])
        #expect(result.status == 1, "7.1.1 fails: \(result.stderr)")
        var notOK = Self.pythonNotOK.merging(Self.serverNotOK) { $1 }
        notOK["15.3.12"] = ["NON-STRICT"]  // A request without Host taken.
        expectVerdicts(cases, notOK: notOK, excluded: ["1.w1"])
    }

    /// What the python3-websockets and node-ws servers of these tests share in the categories that test servers
    /// only: no compression (they run without it), no hybi-00, a reserved version refused without naming 13,
    /// origins taken.
    static let serverNotOK: [String: Set<String>] = {
        var notOK: [String: Set<String>] = [
            "15.3.6": ["NON-STRICT"], "15.4.1": ["INFORMATIONAL"], "15.4.2": ["INFORMATIONAL"],
        ]
        for testCase in ConformanceCatalog.deflatePayloads + ConformanceCatalog.deflateParameters
            + ConformanceCatalog.hybi00
        {
            notOK[testCase.id] = ["UNIMPLEMENTED"]
        }
        return notOK
    }()

    /// hybi-00 in the new framing: `wstap serve --framing new` against the cases 14.2 (14.1 against the old framing
    /// is in the default set).
    @Test func hybi00NewFraming() async throws {
        let (server, port) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui", "--framing", "new"])
        defer { server.terminate() }
        let (result, cases) = try await conformance(
            "ws://127.0.0.1:\(port)/", ["--cases", "14.*", "--hybi00-framing", "new"])
        #expect(result.status == 0, "\(result.stderr)")
        expectVerdicts(cases, notOK: [:], categories: [14], hybi00Framing: .new)
        #expect(cases.map(\.id).allSatisfy { $0.hasPrefix("14.2.") })
    }

    /// permessage-deflate (Autobahn 12.x, 13.x) and negotiation (16.x) against python3-websockets and node-ws with
    /// compression on. python3-websockets agrees to server_max_window_bits=8 and then cannot compress with it
    /// (Python's zlib refuses a window of 8 bits): 500 for 13.3.x, close 1011 for 13.5.x and 13.7.x. node-ws refuses
    /// the connection (400) for an offer that breaks RFC 7692 instead of declining the offer.
    @Test func deflateVerdicts() async throws {
        let python = try PeerProcess.python(
            PeerScripts.script("conformance_websockets_server.py", of: "WSTapCLITests"), ["--deflate"])
        defer { python.stop() }
        let pythonPort = try await python.port()
        let (pythonRun, pythonCases) = try await conformance(
            "ws://127.0.0.1:\(pythonPort)/", ["--cases", "12.*,13.*,16.*"])
        #expect(pythonRun.status == 1, "\(pythonRun.stderr)")
        var pythonNotOK: [String: Set<String>] = [:]
        for testCase in ConformanceCatalog.deflateParameters
        where ["13.3.", "13.5.", "13.7."].contains(where: testCase.id.hasPrefix) {
            pythonNotOK[testCase.id] = ["FAILED"]
        }
        expectVerdicts(pythonCases, notOK: pythonNotOK, categories: [12, 13, 16])

        let node = try PeerProcess.node(
            PeerScripts.script("conformance_ws_server.js", of: "WSTapCLITests"), ["--deflate"])
        defer { node.stop() }
        let nodePort = try await node.port()
        let (nodeRun, nodeCases) = try await conformance("ws://127.0.0.1:\(nodePort)/", ["--cases", "12.*,13.*,16.*"])
        #expect(nodeRun.status == 0, "\(nodeRun.stderr)")
        let refused = ["16.2.2", "16.2.3", "16.2.4", "16.2.5", "16.2.6"]
        expectVerdicts(
            nodeCases, notOK: Dictionary(uniqueKeysWithValues: refused.map { ($0, ["NON-STRICT"]) }),
            categories: [12, 13, 16])
    }

    /// The python3-websockets client (the same library as its server, the same verdicts), through `wstap
    /// conformance --listen`: four clients that connect again and again, each connection running the next case.
    @Test func pythonWebsocketsClientVerdicts() async throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-conformance-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let listener = try SignalableProcess(
            ToolRunner.wstapPath,
            ["conformance", "--listen", "127.0.0.1:0", "--exclude", "1.w1", "--json", json.path] + Self.waits)
        defer { listener.terminate() }
        let first = await offThePool { listener.firstLine() }
        let port = try #require(ToolRunner.listeningPort(first), "\(first) \(listener.standardError)")
        let clients = try (0..<4).map { _ in
            try PeerProcess.python(
                PeerScripts.script("conformance_websockets_client.py", of: "WSTapCLITests"), ["ws://127.0.0.1:\(port)/"]
            )
        }
        defer { for client in clients { client.stop() } }
        let status = await offThePool { listener.waitForExit() }
        #expect(status == 1, "7.1.1 fails: \(listener.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect(object["target"] as? String == "client at ws://127.0.0.1:\(port)/")
        let cases = (object["cases"] as? [[String: Any]] ?? []).map { item in
            ReportedCase(
                id: item["id"] as? String ?? "", verdict: item["verdict"] as? String ?? "",
                description: item["description"] as? String ?? "", durationMs: item["durationMs"] as? Int ?? -1,
                detail: item["detail"] as? String ?? "")
        }
        expectVerdicts(cases, notOK: Self.pythonNotOK, excluded: ["1.w1"], client: true)
    }

    /// The verdicts of python3-websockets that are not OK (its server and its client share the protocol code).
    static let pythonNotOK: [String: Set<String>] = {
        var notOK: [String: Set<String>] = [
            "7.1.1": ["FAILED"], "7.13.1": ["INFORMATIONAL"], "7.13.2": ["INFORMATIONAL"],
        ]
        let nonStrict = [
            // Non-minimal lengths taken; broken headers failed only once the payload came.
            "1.w2", "1.w3", "2.w1", "2.w3", "3.w1", "5.w1",
            // A message before the violation, in the same write, not echoed.
            "3.w2", "3.2", "3.w3", "3.w4", "3.w5", "3.w6", "3.w7", "3.w8", "3.w9", "3.w10", "3.w11", "3.5",
            "3.w12", "3.w13", "3.w14", "3.w15", "3.w16", "3.w17", "3.w18", "3.6", "3.w19", "3.w20", "3.w21",
            "3.w22", "3.w23", "3.w24", "3.w25", "3.7", "3.w33", "4.1.w2", "4.1.2", "4.1.3", "4.1.4", "4.1.w11",
            "4.2.w1", "4.2.2", "4.2.3", "4.2.4", "4.2.w10", "4.1.w12", "4.2.w11", "5.10", "5.15", "5.w8", "6.w1",
            // Invalid UTF-8 found at the end of the frame, not at the first bad byte; and Python's decoder takes
            // ED A0 (a surrogate's start) and F4 90 until the next byte.
            "6.4.1", "6.4.3", "6.4.4", "6.3.1.split13", "6.20.1.split2", "6.20.4.split2", "6.20.5.split2",
            "6.20.7.split2", "6.21.1.split2",
        ]
        for id in nonStrict { notOK[id] = ["NON-STRICT"] }
        // A message, then a reserved opcode, in 1-byte writes: whether the message is echoed before the failure
        // depends on whether the server read the violation in the same read.
        for id in ["4.1.w3", "4.1.w5", "4.1.w7", "4.1.w9", "4.1.5", "4.2.w2", "4.2.w4", "4.2.w6", "4.2.w8", "4.2.5"] {
            notOK[id] = ["OK", "NON-STRICT"]
        }
        return notOK
    }()

    /// node-ws: it fails a length with the top bit set with 1009, takes non-minimal lengths, and checks the
    /// UTF-8 of a fragmented message at its end (the fail-fast cases between fragments and 6.4.x are
    /// non-strict).
    @Test func nodeWSVerdicts() async throws {
        let server = try PeerProcess.node(PeerScripts.script("conformance_ws_server.js", of: "WSTapCLITests"))
        defer { server.stop() }
        let port = try await server.port()
        let (result, cases) = try await conformance("ws://127.0.0.1:\(port)/")
        #expect(result.status == 0, "\(result.stderr)")
        var notOK: [String: Set<String>] = ["7.13.1": ["INFORMATIONAL"], "7.13.2": ["INFORMATIONAL"]]
        notOK.merge(Self.serverNotOK) { $1 }
        // 15.3.11 and 15.3.12: a request in HTTP/1.0, one without Host, taken.
        for id in ["1.w1", "1.w2", "1.w3", "6.4.1", "6.4.3", "6.4.4", "15.3.11", "15.3.12"] {
            notOK[id] = ["NON-STRICT"]
        }
        // Every split of invalid text whose first fragment alone proves it invalid.
        let failFastSplits = ConformanceCatalog.utf8Splits.filter { $0.cut != nil }
        #expect(failFastSplits.count == 100)
        for split in failFastSplits { notOK[split.id] = ["NON-STRICT"] }
        expectVerdicts(cases, notOK: notOK)
    }

    /// `--html DIR`: a page python3's html.parser reads without an unbalanced tag, a filter per verdict, every case
    /// of the run linked from the list to its section, each with its transcript's recording beside it.
    @Test func htmlReportLinksEveryCase() async throws {
        let (server, port) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui"])
        defer { server.terminate() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-html-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (result, cases) = try await conformance(
            "ws://127.0.0.1:\(port)/", ["--cases", "1.1.*,2.*,7.13.*", "--html", folder])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(cases.count > 20)
        let check = try await PeerProcess.run(
            PeerProcess.python, [PeerScripts.script("check_html.py", of: "WSTapCLITests").path, folder + "/index.html"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(check.text.utf8)) as? [String: Any], "\(check.text)")
        #expect((object["errors"] as? [String]) == [], "\(object["errors"] ?? "")")
        let ids = Set(object["ids"] as? [String] ?? [])
        let links = object["links"] as? [String] ?? []
        #expect(
            Set(object["filters"] as? [String] ?? []) == [
                "OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED",
            ])
        for reported in cases {
            #expect(ids.contains("case-\(reported.id)"), "no section for \(reported.id)")
            #expect(links.contains("#case-\(reported.id)"), "no link to \(reported.id)")
            let transcript = "transcripts/\(reported.id).jsonl"
            #expect(links.contains(transcript), "no transcript link for \(reported.id)")
            #expect(FileManager.default.fileExists(atPath: folder + "/" + transcript))
        }
        let page = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        #expect(page.contains("INFORMATIONAL"))
        #expect(page.contains("ping fin=1"), "the transcripts' frames in words")
    }

    /// `wss://`: the cases through TLS, the server's certificate checked against `--ca` (a certificate that does
    /// not verify is a one-line usage error).
    @Test func wssServerWithTheCAGiven() async throws {
        let certificates = try await TestCertificates.loaded()
        let (server, port) = try ToolRunner.start([
            "serve", "--listen", "127.0.0.1:0", "--tls-cert", certificates.certificateFile, "--tls-key",
            certificates.keyFile, "--no-tui",
        ])
        defer { server.terminate() }
        let url = "wss://127.0.0.1:\(port)/"
        let (result, cases) = try await conformance(url, ["--cases", "1.*,2.*,7.*", "--ca", certificates.caFile])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(cases.count == ConformanceCatalog.all.count { ["1", "2", "7"].contains($0.id.prefix { $0 != "." }) })
        #expect(
            cases.allSatisfy { $0.verdict == "OK" || ["7.13.1", "7.13.2"].contains($0.id) },
            "\(cases.filter { $0.verdict != "OK" }.map { "\($0.id) \($0.verdict) \($0.detail)" })")
        let untrusted = try await Self.wstap(["conformance", url, "--cases", "2.1"])
        #expect(untrusted.status == 2)
        #expect(untrusted.stderr.hasPrefix("Error: cannot test \(url): "), "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("not trusted"), "\(untrusted.stderr)")
    }

    /// `--transcripts DIR`: each case's connection as a recording `wstap view` reads, the broken frames exactly as
    /// sent and the server's answers.
    @Test func transcriptsAreRecordingsViewOpens() async throws {
        let (server, port) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui"])
        defer { server.terminate() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-transcripts-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await Self.wstap(
            ["conformance", "ws://127.0.0.1:\(port)/", "--cases", "2.1,1.w4", "--transcripts", folder.path] + Self.waits
        )
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["1.w4.jsonl", "2.1.jsonl"])
        let ping = try await Self.wstap(["view", folder.appendingPathComponent("2.1.jsonl").path, "--no-tui"])
        #expect(ping.status == 0, "\(ping.stderr)")
        let lines = ping.text.split(separator: "\n").map { String($0.drop { $0 != "#" }) }
        #expect(lines.first == "#1 open  → ws://127.0.0.1:\(port)/ GET / rfc6455", "\(ping.text)")
        #expect(
            lines.contains { $0.hasPrefix("#1 → ping fin=1 rsv=000 mask=") && $0.hasSuffix(#"len=0 (7-bit) """#) },
            "\(ping.text)")
        #expect(lines.contains(#"#1 ← pong fin=1 rsv=000 mask=- len=0 (7-bit) """#), "\(ping.text)")
        #expect(lines.last?.hasPrefix("#1 closed clean client-code=1000 server-code=1000") == true, "\(ping.text)")
        // The unmasked frame wstap sent on purpose, flagged; the server's 1002.
        let unmasked = try await Self.wstap(["view", folder.appendingPathComponent("1.w4.jsonl").path, "--no-tui"])
        #expect(unmasked.text.contains(#"→ text fin=1 rsv=000 mask=- len=5 (7-bit) "hello"  !! client-frame-unmasked"#))
        #expect(unmasked.text.contains("← close fin=1 rsv=000 mask=- len=63 (7-bit) code=1002"), "\(unmasked.text)")
    }

    @Test func badUsageExitsWith2AndSaysWhy() async throws {
        let cases: [([String], String)] = [
            (["conformance", "http://127.0.0.1:9/"], "Error: 'http://127.0.0.1:9/' is not a WebSocket URL"),
            (["conformance", "ws://127.0.0.1:1/"], "Error: cannot test ws://127.0.0.1:1/: connection refused"),
            (["conformance", "ws://127.0.0.1:1/", "--cases", "8.*"], "Error: --cases: no case matches '8.*'"),
            (["conformance", "ws://127.0.0.1:1/", "--cases", "1.1.1;2"], "Error: --cases: '1.1.1;2' is not a case"),
            (["conformance", "ws://127.0.0.1:1/", "--jobs", "0"], "Error: --jobs must be 1 or more"),
            (["conformance"], "Error: give the server's URL"),
            (
                ["conformance", "ws://127.0.0.1:1/", "--listen", "127.0.0.1:0"],
                "Error: give either a server's URL or --listen"
            ),
            (
                ["conformance", "--listen", "127.0.0.1:0", "--cases", "15.*"],
                "Error: the selected cases test servers only (categories 12 to 16)"
            ),
        ]
        for (arguments, message) in cases {
            let result = try await Self.wstap(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
            #expect(result.text.isEmpty)
        }
    }

    @Test func listShowsTheSelectedCases() async throws {
        let all = try await Self.wstap(["conformance", "--list"])
        #expect(all.status == 0)
        #expect(
            all.text.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
                == ConformanceCatalog.all.filter { $0.hybi00?.framing != .new }.map(\.id),
            "every case but those of hybi-00's new framing (--hybi00-framing new)")
        let some = try await Self.wstap(["conformance", "--list", "--cases", "2.*,7.7", "--exclude", "2.w*"])
        #expect(
            some.text == """
                2.1 ping with no payload
                2.2 ping with a text payload
                2.3 ping with a binary payload
                2.4 ping of 125 bytes
                2.5 ping of 126 bytes
                2.6 ping of 125 bytes in 1-byte writes
                2.7 unsolicited pong with no payload
                2.8 unsolicited pong with a payload
                2.9 unsolicited pong, then a ping
                2.10 10 pings in a row
                2.11 10 pings in a row, in 1-byte writes
                7.7.1 close with code 1000
                7.7.2 close with code 1001
                7.7.3 close with code 1002
                7.7.4 close with code 1003
                7.7.5 close with code 1007
                7.7.6 close with code 1008
                7.7.7 close with code 1009
                7.7.8 close with code 1010
                7.7.9 close with code 1011
                7.7.10 close with code 3000
                7.7.11 close with code 3999
                7.7.12 close with code 4000
                7.7.13 close with code 4999
                7.7.w1 close with code 1012
                7.7.w2 close with code 1013
                7.7.w3 close with code 1014

                """, "\(some.text)")
        let limits = try await Self.wstap([
            "conformance", "--list", "--cases", "9.0.*", "--max-message-size", "100",
        ])
        #expect(limits.text.split(separator: "\n").count == 6, "\(limits.text)")
    }
}
