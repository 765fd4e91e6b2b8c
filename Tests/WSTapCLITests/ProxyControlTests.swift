import Foundation
import Testing
import WSTapTestSupport

/// `wstap proxy --control` driven by `wstap ctl`, between a python3-websockets client and a node-ws
/// echo server: a frame is held, edited, a frame is injected, and the client's side is closed.
@Suite struct ProxyControlTests {
    static let peers = PeerScripts.folder(of: "WSTapNetworkTests").path

    /// Waits (up to 60 s: only a hung proxy takes that long) until `condition` holds for the text `read` returns; returns that text.
    @discardableResult
    static func waitFor(_ read: () throws -> String, _ condition: (String) -> Bool) rethrows -> String {
        var text = try read()
        for _ in 0..<3000 where !condition(text) {
            usleep(20_000)
            text = try read()
        }
        return text
    }

    static func ctl(_ socket: String, _ words: [String]) throws -> ProgramResult {
        try ToolRunner.wstap(["ctl", "--socket", socket] + words)
    }

    static func crafted(_ arguments: [String]) throws -> [String] {
        try ToolRunner.wstap(["craft"] + arguments).text.split(separator: " ").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func holdEditInjectAndCloseThroughTheControlSocket() async throws {
        try await offThePool {
            // Debian's own node and python3 (scripts/test.sh installs them with node-ws and websockets).
            let node = "/usr/bin/node"
            let python = "/usr/bin/python3"
            setenv("NODE_PATH", "/usr/share/nodejs", 1)
            let server = try SignalableProcess(node, [Self.peers + "/ws_echo_server.js"])
            defer { server.terminate() }
            let serverPort = server.firstLine().trimmingCharacters(in: .whitespacesAndNewlines)
            let socket = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wstap-\(UUID().uuidString).sock"
            )
            .path
            let proxy = try SignalableProcess(
                ToolRunner.wstapPath,
                [
                    "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--jsonl",
                    "--control", socket,
                ])
            defer { proxy.terminate() }
            let listening = proxy.firstLine()
            let proxyPort = ToolRunner.listeningPort(listening) ?? 0
            // With --jsonl the listening event names the control socket, which is ready by then.
            #expect(listening.contains(#""control":"\#(socket)""#), "\(listening)")
            let attributes = try FileManager.default.attributesOfItem(atPath: socket)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)

            // Bad requests are clear errors.
            let unknown = try Self.ctl(socket, ["explode"])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("unknown command explode"))
            #expect(try Self.ctl(socket, ["forward", "77"]).stderr.contains("no held frame with id 77"))

            let on = try Self.ctl(socket, ["intercept", "c2s", "contains=secret"])
            #expect(on.status == 0, "\(on.stderr)")
            let client = try SignalableProcess(
                python,
                [Self.peers + "/websockets_listening_client.py", "ws://127.0.0.1:\(proxyPort)/", "secret-1", "after"])
            defer { client.terminate() }

            let held = try Self.waitFor({ try Self.ctl(socket, ["held"]).text }) { $0.contains("secret-1") }
            let line = try #require(held.split(separator: "\n").first { $0.contains("secret-1") })
            #expect(line.contains("#1 c2s text 14 \"secret-1\""), "\(held)")
            let holdID = String(line.split(separator: " ")[0])
            // "after" waits behind the held frame: its echo cannot have come back.
            #expect(!client.standardOutput.contains("got after"))

            let edit = try Self.ctl(
                socket, ["edit", holdID] + Self.crafted(["--text", "edited-1", "--mask", "random"]))
            #expect(edit.status == 0, "\(edit.stderr)")
            let echoed = Self.waitFor({ client.standardOutput }) { $0.contains("got after") }
            #expect(echoed.contains("got edited-1\ngot after\n"), "\(echoed)")
            #expect(!echoed.contains("secret-1"))

            let inject = try Self.ctl(socket, ["inject", "1", "s2c"] + Self.crafted(["--text", "from wstap"]))
            #expect(inject.status == 0, "\(inject.stderr)")
            Self.waitFor({ client.standardOutput }) { $0.contains("got from wstap") }

            let close = try Self.ctl(socket, ["close", "1", "client", "4000", "going", "away"])
            #expect(close.status == 0, "\(close.stderr)")
            let ended = Self.waitFor({ client.standardOutput }) { $0.contains("closed") }
            #expect(ended.contains("closed 4000 going away"), "\(ended)")

            let events = Self.waitFor({ proxy.standardOutput }) { $0.contains("\"event\":\"close\"") }
            #expect(events.contains("\"disposition\":\"held\""), "\(events)")
            #expect(events.contains("\"disposition\":\"edited\""), "\(events)")
            #expect(events.contains("\"disposition\":\"injected\""), "\(events)")
            let none = try Self.ctl(socket, ["connections"])
            #expect(none.text.isEmpty, "standard output stays a list of ids for scripts")
            #expect(none.stderr == "no connections\n", "and the person is told: \(none.stderr)")
        }
    }
}
