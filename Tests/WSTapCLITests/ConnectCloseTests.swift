import Foundation
import Testing
import WSTapTestSupport

/// How `wstap connect` ends, against a python3-websockets server that tells which close frame it got:
/// a close from the server ends the line mode at once (code and reason on stderr, the exit status says
/// whether it was 1000), and Ctrl-C closes with 1001 (going away) in line mode and in the UI.
@Suite struct ConnectCloseTests {
    static let server = PeerScripts.script("closing_server.py", of: "WSTapCLITests")

    /// Starts the server; returns it and its port.
    static func startServer() throws -> (SignalableProcess, Int) {
        let server = try SignalableProcess(PeerProcess.python, [Self.server.path])
        let line = server.firstLine()
        guard let port = Int(line) else {
            throw PeerProcess.Failure(description: "the server printed '\(line)': \(server.standardError)")
        }
        return (server, port)
    }

    /// `wstap connect URL ARGUMENTS` with its standard input left open (as `(echo ...; sleep 8) | wstap
    /// connect` has it), after it echoed one message (so the connection is open).
    static func connectedClient(_ port: Int, _ arguments: [String]) throws -> SignalableProcess {
        let client = try SignalableProcess(
            ToolRunner.wstapPath, ["connect", "ws://127.0.0.1:\(port)/"] + arguments, keepingStandardInputOpen: true)
        client.writeToStandardInput("ready\n")
        let echoed = client.waitForOutput { $0.contains("ready") }
        #expect(echoed.met, "\(echoed.output) \(client.standardError)")
        return client
    }

    @Test func aCloseFromTheServerEndsTheLineModeAtOnce() async throws {
        try await offThePool {
            let (server, port) = try Self.startServer()
            defer { server.terminate() }
            for (code, status) in [(4001, Int32(3)), (1000, Int32(0))] {
                let client = try Self.connectedClient(port, ["--no-tui"])
                let reason = code == 1000 ? "done" : "asked to close"
                client.writeToStandardInput("close:\(code):\(reason)\n")
                // Input stays open: only the server's close can end it (60 s: a deadline for a hung client).
                let exited = client.waitForExit(within: 60)
                #expect(exited == status, "\(code): \(client.standardError)")
                let name = code == 1000 ? "normal-closure" : "private"
                #expect(
                    client.standardError.contains("closed by the server: \(code) (\(name)) \"\(reason)\""),
                    "\(client.standardError)")
                let answered = server.waitForOutput { $0.contains("closed code=\(code) ") }
                #expect(answered.met, "the client answered the close with its code: \(answered.output)")
                if exited == nil { client.terminate() }
            }
        }
    }

    @Test func theServersCloseInJSONLines() async throws {
        try await offThePool {
            let (server, port) = try Self.startServer()
            defer { server.terminate() }
            let client = try Self.connectedClient(port, ["--jsonl"])
            client.writeToStandardInput("close:4001:asked to close\n")
            let exited = client.waitForExit(within: 60)
            #expect(exited == 3, "\(client.standardError)")
            let lines = client.standardOutput.split(separator: "\n")
            #expect(lines.first?.hasPrefix(#"{"event":"open","connection":1,"#) == true, "\(client.standardOutput)")
            let close = lines.last ?? ""
            #expect(close.hasPrefix(#"{"event":"close","connection":1,"#), "\(close)")
            #expect(close.contains(#""clean":true"#) && close.contains(#""serverCode":4001"#), "\(close)")
            #expect(close.contains(#""reason":"asked to close""#), "\(close)")
            if exited == nil { client.terminate() }
        }
    }

    @Test func ctrlCInLineModeClosesWithGoingAway() async throws {
        try await offThePool {
            let (server, port) = try Self.startServer()
            defer { server.terminate() }
            let client = try Self.connectedClient(port, ["--no-tui"])
            let status = client.interrupt()
            #expect(status == 130, "\(client.standardError)")
            let closed = server.waitForOutput { $0.contains("closed code=") }
            #expect(closed.output.contains("closed code=1001"), "\(closed.output)")
            #expect(
                client.standardError.contains("interrupted: closed by the client with 1001 (going-away)"),
                "\(client.standardError)")
        }
    }

    @Test func ctrlCInTheUIClosesWithGoingAway() async throws {
        try await offThePool {
            let (server, port) = try Self.startServer()
            defer { server.terminate() }
            let session = try TmuxSession(columns: 120, rows: 40)
            session.typeLine("'\(ToolRunner.wstapPath)' connect ws://127.0.0.1:\(port)/; echo EXIT=$?")
            let opened = session.waitFor { $0.contains("wstap client ws://127.0.0.1:\(port)/") }
            #expect(opened.met, "\(opened.screen)")
            session.press("s")
            session.typeLine("ready")
            let echoed = session.waitFor { $0.contains("← text") && $0.contains("\"ready\"") }
            #expect(echoed.met, "\(echoed.screen)")
            session.press("C-c")
            let closed = server.waitForOutput { $0.contains("closed code=") }
            #expect(closed.output.contains("closed code=1001"), "\(closed.output)")
            let exited = session.waitFor(TerminalUITests.hasExitLine)
            #expect(TerminalUITests.hasLine("EXIT=130", exited.screen), "\(exited.screen)")
        }
    }
}
