import Foundation
import Testing
import WSTapTestSupport

/// `wstap mcp` driven by a real MCP client (the `mcp` package from PyPI, in the test venv) over stdio, against a
/// running `wstap proxy --control` between a python websockets client and echo server: initialize, the tool list,
/// and a session that intercepts a frame, edits it, injects messages both ways and closes the connection.
@Suite struct MCPCommandTests {
    @Test func anAgentInterceptsEditsAndInjects() async throws {
        try await offThePool {
            guard FileManager.default.isExecutableFile(atPath: PeerProcess.venvPython) else {
                Issue.record("\(PeerProcess.venvPython) is missing: scripts/test.sh makes it (the PyPI test peers)")
                return
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-mcp-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let socket = folder.appendingPathComponent("control.sock").path

            let server = try SignalableProcess(
                PeerProcess.python, [PeerScripts.script("rewrite_peer.py", of: "WSTapCLITests").path, "serve"])
            defer { server.terminate() }
            let serverPort = try #require(Int(server.firstLine()), "\(server.standardError)")
            let (proxy, proxyPort) = try ToolRunner.start([
                "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl",
                "--control", socket,
            ])
            defer { proxy.terminate() }

            let session = try PeerProcess.run(
                PeerProcess.venvPython,
                [
                    PeerScripts.script("mcp_session.py", of: "WSTapCLITests").path, ToolRunner.wstapPath, socket,
                    "\(proxyPort)",
                ])
            #expect(session.status == 0, "\(session.text) \(session.stderr)")
            let lines = session.text.split(separator: "\n").map(String.init)
            #expect(lines.first == "server: wstap", "\(session.text)")
            #expect(
                lines.contains(
                    "tools: close_connection,drop_held,edit_held,forward_held,inject_message,list_connections,"
                        + "list_held,set_intercept"), "\(session.text)")
            #expect(lines.contains { $0.hasPrefix("list_held: ") && $0.contains("c2s text") && $0.contains("secret") })
            #expect(
                lines.filter { $0.hasPrefix("client got: ") }
                    == [
                        "client got: edited by the agent", "client got: injected by the agent",
                        "client got: b'\\xca\\xfe'",
                    ], "\(session.text)")
            #expect(lines.contains("forward_held (error): no held frame with id 99999"), "\(session.text)")
            #expect(lines.contains("client closed: 4001 agent"), "\(session.text)")
            #expect(lines.last == "done", "\(session.text)")
            // The server got the edited message, never the secret, and the binary message injected toward it.
            let received = server.waitForOutput { $0.contains("got: b'\\xca\\xfe'") }
            #expect(received.output.contains("got: edited by the agent"), "\(received.output)")
            #expect(!received.output.contains("my secret"), "\(received.output)")
        }
    }
}
