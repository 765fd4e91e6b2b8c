import Foundation
import Testing
import WSTapTestSupport

/// `wstap proxy --script` between python3-websockets clients and servers (permessage-deflate with context
/// takeover, websockets' default): scripts in Python and in shell with jq change what the far side gets; a
/// script that hangs and one that crashes never stop the traffic, and the crashed one is started again.
@Suite struct ProxyScriptTests {
    static let rewritePeer = PeerScripts.script("rewrite_peer.py", of: "WSTapCLITests")
    static let client = PeerScripts.script("script_client.py", of: "WSTapCLITests")
    /// The sample scripts of docs/scripts.md.
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/scripts")

    /// A python3-websockets echo server and a proxy to it with `arguments`; returns both and the proxy's port.
    static func proxy(_ arguments: [String]) throws -> (server: SignalableProcess, proxy: SignalableProcess, port: Int)
    {
        let server = try SignalableProcess(PeerProcess.python, [rewritePeer.path, "serve"])
        let serverPort = try #require(Int(server.firstLine()), "\(server.standardError)")
        let (proxy, proxyPort) = try ToolRunner.start(
            ["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl"]
                + arguments)
        return (server, proxy, proxyPort)
    }

    static func lines(_ text: String, _ prefix: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// The sample Python script promotes `"role":"user"` to admin on the way up; the server gets exactly that,
    /// compressed messages after the changed ones still inflate.
    @Test func pythonScriptRewritesOnTheWayUp() async throws {
        try await offThePool {
            let script = "\(PeerProcess.python) \(Self.examples.appendingPathComponent("promote_role.py").path)"
            let (server, proxy, port) = try Self.proxy(["--script", script, "--script-timeout", "60000"])
            defer {
                proxy.terminate()
                server.terminate()
            }
            let messages = [
                #"{"user":"alice","role":"user","seq":1}"#, #"{"user":"bob","role":"guest","seq":2}"#,
                #"{"user":"carol","role":"user","seq":3}"#, "not json",
            ]
            let promoted = messages.map { $0.replacingOccurrences(of: #""role":"user""#, with: #""role":"admin""#) }
            let client = try PeerProcess.run(PeerProcess.python, [Self.rewritePeer.path, "send", "\(port)"] + messages)
            #expect(client.status == 0, "\(client.text) \(client.stderr) \(proxy.standardError)")
            #expect(client.text.contains("permessage-deflate"), "compression was agreed: \(client.text)")
            #expect(Self.lines(client.text, "echo: ") == promoted, "\(client.text)")
            let received = server.waitForOutput { Self.lines($0, "got: ").count >= messages.count }
            #expect(Self.lines(received.output, "got: ") == promoted, "\(server.standardError)")

            _ = proxy.waitForOutput { $0.contains("\"event\":\"close\"") }
            proxy.terminate()
            let output = proxy.standardOutput
            #expect(output.components(separatedBy: #""disposition":"replaced""#).count == 3, "\(output)")
            #expect(output.contains("script #1: replaced a 38-byte text message with 39 bytes (c2s)"), "\(output)")
            #expect(output.contains("script #1 started (pid "), "\(output)")
            #expect(!output.contains("went on unchanged"), "\(output)")
        }
    }

    /// The sample jq script upper-cases what the server sends.
    @Test func jqScriptRewritesOnTheWayDown() async throws {
        try await offThePool {
            let script = "sh \(Self.examples.appendingPathComponent("shout.sh").path)"
            let (server, proxy, port) = try Self.proxy(["--script", script, "--script-timeout", "60000"])
            defer {
                proxy.terminate()
                server.terminate()
            }
            let client = try PeerProcess.run(
                PeerProcess.python, [Self.rewritePeer.path, "send", "\(port)", "hello", "quiet please"])
            #expect(client.status == 0, "\(client.text) \(client.stderr) \(proxy.standardError)")
            #expect(Self.lines(client.text, "echo: ") == ["HELLO", "QUIET PLEASE"], "\(client.text)")
            let received = server.waitForOutput { Self.lines($0, "got: ").count >= 2 }
            #expect(Self.lines(received.output, "got: ") == ["hello", "quiet please"])
        }
    }

    /// Drop, an answer from the script, injected messages (text and binary), a binary replacement and a close:
    /// the server gets exactly what the script said, the client too.
    @Test func everyAnswerOfAScript() async throws {
        try await offThePool {
            let script = "\(PeerProcess.python) \(PeerScripts.script("script_actions.py", of: "WSTapCLITests").path)"
            let (server, proxy, port) = try Self.proxy(["--script", script, "--script-timeout", "60000"])
            defer {
                proxy.terminate()
                server.terminate()
            }
            let client = try PeerProcess.run(
                PeerProcess.python, [Self.client.path, "\(port)", "plain", "drop me", "ask", "inject", "swap"])
            #expect(client.status == 0, "\(client.text) \(client.stderr) \(proxy.standardError)")
            let expectedAtServer = ["plain", "inject", "extra 1", "b'\\x00\\x01'", "b'\\xca\\xfe'", "end"]
            let received = server.waitForOutput { Self.lines($0, "got: ").count >= expectedAtServer.count }
            #expect(Self.lines(received.output, "got: ") == expectedAtServer, "\(server.standardError)")
            #expect(
                Self.lines(client.text, "recv: ").sorted()
                    == ["answered by the script", "end", "extra 1", "hex:0001", "hex:cafe", "inject", "plain"],
                "\(client.text)")
            #expect(client.text.hasSuffix("done\n"), "\(client.text)")

            let closing = try PeerProcess.run(PeerProcess.python, [Self.client.path, "\(port)", "first", "bye"])
            #expect(closing.text.contains("closed 4000 bye from the script"), "\(closing.text) \(closing.stderr)")

            _ = proxy.waitForOutput { $0.components(separatedBy: "\"event\":\"close\"").count > 2 }
            proxy.terminate()
            let output = proxy.standardOutput
            #expect(output.contains("script #1: dropped a 7-byte text message (c2s)"), "\(output)")
            #expect(output.contains("script #1: answered with 22 bytes (s2c)"), "\(output)")
            #expect(output.contains("script #1: sent 7 bytes (c2s)"), "\(output)")
            #expect(output.contains("script #1: closing the connection"), "\(output)")
            #expect(output.contains(#""disposition":"injected""#), "\(output)")
        }
    }

    /// A script that never answers: each message waits for the timeout and goes on unchanged; the failure is
    /// reported and counted.
    @Test func aScriptThatHangsTimesOutAndTrafficGoesOn() async throws {
        try await offThePool {
            let script = "\(PeerProcess.python) \(PeerScripts.script("script_hangs.py", of: "WSTapCLITests").path)"
            let (server, proxy, port) = try Self.proxy(["--script", script, "--script-timeout", "300"])
            defer {
                proxy.terminate()
                server.terminate()
            }
            let client = try PeerProcess.run(
                PeerProcess.python, [Self.rewritePeer.path, "send", "\(port)", "one", "two"])
            #expect(client.status == 0, "\(client.text) \(client.stderr) \(proxy.standardError)")
            #expect(Self.lines(client.text, "echo: ") == ["one", "two"], "\(client.text)")
            let output = proxy.waitForOutput { $0.contains("did not answer within 300 ms") }.output
            #expect(output.contains("script #1 did not answer within 300 ms (failure 1)"), "\(output)")
            #expect(output.contains("script #1 did not answer within 300 ms: a 3-byte text message went on unchanged"))
        }
    }

    /// A script that exits in the middle: the message it held goes on unchanged, it is started again, and the
    /// next connection's messages are changed by it again. `--script-filter` keeps the echoes away from it.
    @Test func aScriptThatCrashesIsStartedAgain() async throws {
        try await offThePool {
            let script = "\(PeerProcess.python) \(PeerScripts.script("script_crashes.py", of: "WSTapCLITests").path)"
            let (server, proxy, port) = try Self.proxy([
                "--script", script, "--script-timeout", "60000", "--script-filter", "~dir c2s",
            ])
            defer {
                proxy.terminate()
                server.terminate()
            }
            let first = try PeerProcess.run(
                PeerProcess.python, [Self.rewritePeer.path, "send", "\(port)", "hello", "crash"])
            #expect(first.status == 0, "\(first.text) \(first.stderr) \(proxy.standardError)")
            #expect(Self.lines(first.text, "echo: ") == ["HELLO", "crash"], "\(first.text)")
            let restarted = proxy.waitForOutput { $0.components(separatedBy: "script #1 started (pid").count > 2 }
            #expect(restarted.met, "\(restarted.output)")
            #expect(restarted.output.contains("script #1 exited with status 3"), "\(restarted.output)")
            #expect(restarted.output.contains("(failure 1): messages pass unchanged"), "\(restarted.output)")

            let second = try PeerProcess.run(PeerProcess.python, [Self.rewritePeer.path, "send", "\(port)", "again"])
            #expect(Self.lines(second.text, "echo: ") == ["AGAIN"], "\(second.text) \(proxy.standardOutput)")
        }
    }

    @Test(arguments: [
        (["--script-filter", "~dir c2s"], "--script-filter is for --script"),
        (["--script", "cat", "--script-filter", "~dir sideways"], "--script-filter: column 6"),
        (["--script", "cat", "--script-timeout", "0"], "--script-timeout takes milliseconds"),
        (["--script", "  "], "--script: the command is empty"),
    ])
    func badScriptOptionsAreAClearError(arguments: [String], words: String) throws {
        let result = try ToolRunner.wstap(["proxy", "--upstream", "ws://127.0.0.1:1", "--no-tui"] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(words), "\(result.stderr)")
    }
}
