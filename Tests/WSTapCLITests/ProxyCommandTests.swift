import Foundation
import Testing
import WSTapTestSupport

/// `wstap proxy` between `wstap connect` and `wstap serve`, headless.
@Suite struct ProxyCommandTests {

    @Test func headlessLinesAndJSONLines() async throws {
        try await offThePool {
            let (server, serverPort) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0"])
            defer { server.terminate() }
            for json in [false, true] {
                let (proxy, proxyPort) = try ToolRunner.start(
                    ["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)"]
                        + (json ? ["--jsonl"] : ["--no-tui"]))
                let result = try ToolRunner.wstap(
                    ["connect", "ws://127.0.0.1:\(proxyPort)/chat"], stdin: Data("ping me\n".utf8))
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.text == "ping me\n")
                // The proxy has told of the close before it is stopped.
                proxy.waitForOutput { $0.contains(json ? "\"event\":\"close\"" : "closed ") }
                proxy.terminate()
                // The first line is "listening on ..." (a JSON event with --jsonl: stdout is JSON lines only,
                // each checked against the schema); events follow.
                let log = proxy.standardOutput
                let lines = log.split(separator: "\n").dropFirst()
                if json {
                    let first = log.prefix { $0 != "\n" }
                    #expect(first.hasPrefix(#"{"event":"listening","time":"#), "\(first)")
                    #expect(first.contains(#""mode":"reverse-proxy","address":"127.0.0.1:\#(proxyPort)""#))
                    #expect(first.contains(#""upstream":"ws://127.0.0.1:\#(serverPort)/""#), "\(first)")
                    #expect(lines.first?.contains("\"event\":\"open\"") == true, "\(log)")
                    let indexes = lines.filter { $0.contains("\"event\":\"frame\"") }.map {
                        ($0.firstMatch(of: /"direction":"(c2s|s2c)","index":(\d+)/).map { "\($0.1)#\($0.2)" } ?? "?")
                    }
                    #expect(indexes.sorted() == ["c2s#0", "c2s#1", "s2c#0", "s2c#1"], "numbered per direction: \(log)")
                    #expect(indexes.filter { $0.hasPrefix("c2s") } == ["c2s#0", "c2s#1"], "in order: \(log)")
                    #expect(lines.filter { $0.contains("\"event\":\"frame\"") }.count == 4, "\(log)")
                    #expect(lines.last?.contains("\"event\":\"close\"") == true, "\(log)")
                } else {
                    #expect(lines.first?.contains("open 127.0.0.1:") == true, "\(log)")
                    #expect(lines.contains { $0.contains("→ text fin=1") && $0.contains("\"ping me\"") }, "\(log)")
                    #expect(lines.contains { $0.contains("← text fin=1 rsv=000 mask=-") }, "\(log)")
                    #expect(lines.last?.contains("closed clean") == true, "\(log)")
                }
            }
        }
    }

    @Test func badUpstreamIsAClearError() async throws {
        try await offThePool {
            let result = try ToolRunner.wstap(["proxy", "--upstream", "http://x"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("--upstream"))
        }
    }
}
