import Foundation
import Testing
import WSTapTestSupport

/// `wstap connect --reconnect --preamble FILE` against a python3-websockets server that the test stops and
/// starts again on the same port: the client says why and when it connects again, sends the preamble on
/// every connection (waiting for the `wait:` answer), and then the lines typed while it was away.
@Suite struct ReconnectTests {
    static let server = PeerScripts.script("restartable_server.py", of: "WSTapCLITests")

    static func startServer(port: Int = 0) throws -> (SignalableProcess, Int) {
        let server = try SignalableProcess(PeerProcess.python, [Self.server.path, String(port)])
        let line = server.firstLine()
        guard let port = Int(line) else {
            throw PeerProcess.Failure(description: "the server printed '\(line)': \(server.standardError)")
        }
        return (server, port)
    }

    static func preambleFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-preamble-\(UUID()).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aRestartedServerGetsThePreambleAgainThenTheLinesTypedMeanwhile() async throws {
        try await offThePool {
            var (server, port) = try Self.startServer()
            let preamble = try Self.preambleFile("login alice\nwait:^welcome$\nsubscribe news\n")
            let client = try SignalableProcess(
                ToolRunner.wstapPath,
                [
                    "connect", "ws://127.0.0.1:\(port)/", "--no-tui", "--reconnect", "--reconnect-max", "1",
                    "--preamble", preamble,
                ], keepingStandardInputOpen: true)
            defer { client.terminate() }
            let first = server.waitForOutput { $0.contains("got subscribe news") }
            #expect(first.output.contains("got login alice\ngot subscribe news (after welcome)\n"), "\(first.output)")
            client.writeToStandardInput("one\n")
            #expect(client.waitForOutput { $0.contains("welcome\none\n") }.met, "\(client.standardError)")

            server.terminate()
            let away = waitForError(client) { $0.contains("connecting again in") }
            #expect(away.contains("connection closed:"), "\(away)")
            client.writeToStandardInput("two\n")
            (server, port) = try Self.startServer(port: port)
            defer { server.terminate() }
            let second = server.waitForOutput { $0.contains("got two") }
            #expect(
                second.output.contains("open\ngot login alice\ngot subscribe news (after welcome)\ngot two\n"),
                "\(second.output) \(client.standardError)")
            #expect(client.standardError.contains("connected again (connection 2)"), "\(client.standardError)")
            #expect(client.waitForOutput { $0.hasSuffix("welcome\ntwo\n") }.met, "\(client.standardOutput)")
            client.closeStandardInput()
            #expect(client.waitForExit(within: 60) == 0, "\(client.standardError)")
        }
    }

    @Test func withoutWaitTheNextLineGoesBeforeTheAnswer() async throws {
        // The peer tells a subscribe sent before its welcome apart: this is what wait: prevents.
        try await offThePool {
            let (server, port) = try Self.startServer()
            defer { server.terminate() }
            let preamble = try Self.preambleFile("login bob\nsubscribe news\n")
            let client = try SignalableProcess(
                ToolRunner.wstapPath, ["connect", "ws://127.0.0.1:\(port)/", "--no-tui", "--preamble", preamble],
                keepingStandardInputOpen: true)
            defer { client.terminate() }
            let seen = server.waitForOutput { $0.contains("got subscribe news") }
            #expect(seen.output.contains("got subscribe news (before welcome)"), "\(seen.output)")
        }
    }

    @Test func aServerThatIsNotThereIsTriedAgainWithLongerWaits() async throws {
        try await offThePool {
            // A port nothing listens on: the server stopped at once.
            let (server, port) = try Self.startServer()
            server.terminate()
            let client = try SignalableProcess(
                ToolRunner.wstapPath,
                ["connect", "ws://127.0.0.1:\(port)/", "--no-tui", "--reconnect", "--reconnect-max", "2"],
                keepingStandardInputOpen: true)
            let tried = waitForError(client) { $0.contains("(attempt 3)") }
            #expect(tried.contains("cannot connect to 127.0.0.1:\(port)"), "\(tried)")
            let waits = tried.matches(of: /connecting again in (\d+\.\d) s \(attempt (\d)\)/).map {
                (Double($0.1) ?? -1, Int($0.2) ?? -1)
            }
            #expect(waits.map(\.1) == [1, 2, 3], "\(tried)")
            // 1 s, 2 s, then 2 s (the maximum), each between half and all of it.
            for ((wait, _), base) in zip(waits, [1.0, 2.0, 2.0]) {
                #expect(wait >= base / 2 - 0.1 && wait <= base, "\(tried)")
            }
            #expect(client.interrupt() == 130, "\(client.standardError)")
            #expect(client.standardError.contains("interrupted while waiting to connect again"))
        }
    }

    /// Waits (60 s at most: a guard against a hang) until standard error satisfies `condition`; returns it.
    func waitForError(_ process: SignalableProcess, _ condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(60)
        var text = process.standardError
        while !condition(text), Date() < deadline {
            usleep(20_000)
            text = process.standardError
        }
        return text
    }
}
