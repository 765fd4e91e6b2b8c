import Foundation
import Testing
import WSTapTestSupport

/// `wstap ctl` without a proxy, on a stale socket file, and the proxy's own care of its socket file: it
/// replaces a stale one, refuses to take over a live one, and removes its own when stopped.
@Suite struct ControlSocketTests {
    static func temporarySocketPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wstap-\(UUID().uuidString.prefix(8)).sock").path
    }

    /// Leaves a socket file at `path` that nothing listens on (as a proxy killed with SIGKILL does).
    static func makeStaleSocket(at path: String) throws {
        let made = try PeerProcess.run(
            PeerProcess.python, ["-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path])
        #expect(made.status == 0, "\(made.stderr)")
    }

    @Test func ctlWithoutAProxySaysWhyInOneLine() async throws {
        let path = Self.temporarySocketPath()
        let missing = try await ToolRunner.wstap(["ctl", "--socket", path, "held"])
        #expect(missing.status == 1)
        #expect(
            missing.stderr == "Error: cannot reach the control socket \(path): no such file "
                + "(is a proxy running with --control?)\n", "\(missing.stderr)")

        try Self.makeStaleSocket(at: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let stale = try await ToolRunner.wstap(["ctl", "--socket", path, "held"])
        #expect(stale.status == 1)
        #expect(stale.stderr.hasPrefix("Error: cannot reach the control socket \(path): connection refused"))
        #expect(stale.stderr.split(separator: "\n").count == 1, "\(stale.stderr)")
    }

    @Test func theProxyReplacesAStaleSocketKeepsALiveOneAndRemovesItsOwn() async throws {
        try await offThePool {
            let path = Self.temporarySocketPath()
            try Self.makeStaleSocket(at: path)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let arguments = ["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:1", "--no-tui"]
            let proxy = try SignalableProcess(ToolRunner.wstapPath, arguments + ["--control", path])
            let ready = proxy.waitForOutput { $0.contains("control socket") }
            #expect(ready.met, "\(ready.output) \(proxy.standardError)")
            let answer = try ToolRunner.wstap(["ctl", "--socket", path, "held"])
            #expect(answer.status == 0, "\(answer.stderr)")

            // A second proxy on the same path refuses to start (60 s: a deadline for one that took it over).
            let second = try SignalableProcess(ToolRunner.wstapPath, arguments + ["--control", path])
            let status = second.waitForExit(within: 60)
            if status == nil { second.terminate() }
            #expect(status == 1)
            #expect(
                second.standardError.contains("--control: cannot listen on \(path): another process listens on it"),
                "\(second.standardError)")
            #expect(try ToolRunner.wstap(["ctl", "--socket", path, "held"]).status == 0, "the first proxy kept it")

            proxy.terminate()
            #expect(!FileManager.default.fileExists(atPath: path), "the proxy removes its socket file when stopped")
        }
    }

    /// In the terminal UI Ctrl-C quits as q does: the socket file goes too.
    @Test func ctrlCInTheProxyUIRemovesTheSocket() async throws {
        try await offThePool {
            let path = Self.temporarySocketPath()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let session = try TmuxSession(columns: 120, rows: 40)
            session.typeLine(
                "'\(ToolRunner.wstapPath)' proxy --listen 127.0.0.1:0 --upstream ws://127.0.0.1:1 --control \(path)"
                    + "; echo EXIT=$?")
            let opened = session.waitFor { $0.contains("no frames yet") }
            #expect(opened.met, "\(opened.screen)")
            #expect(try ToolRunner.wstap(["ctl", "--socket", path, "held"]).status == 0)
            session.press("C-c")
            let exited = session.waitFor(TerminalUITests.hasExitLine)
            #expect(TerminalUITests.hasLine("EXIT=130", exited.screen), "\(exited.screen)")
            #expect(!FileManager.default.fileExists(atPath: path), "the socket file is removed")
        }
    }
}
