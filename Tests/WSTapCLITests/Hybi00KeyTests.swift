import Foundation
import Testing
import WSTapTestSupport

/// hybi-00 keys that end with a space (the Racket `rfc6455` client makes about 0.8% of its keys that way, and its
/// server counts that space): `wstap serve` in both framings, `wstap proxy` passing the head on, and the mock
/// server answer them as the Racket server does. The client is a raw-socket python3 peer that computes the
/// answers itself; half of its 40 handshakes have a key with a trailing space.
@Suite struct Hybi00KeyTests {
    static let handshakes = 40
    static let client = PeerScripts.script("hybi00_keys_client.py", of: "WSTapCLITests")

    /// Runs the python client against a port; returns what it printed.
    func runClient(port: Int, framing: String) throws -> String {
        let result = try PeerProcess.run(
            "/usr/bin/python3", [Self.client.path, String(port), String(Self.handshakes), framing])
        #expect(result.status == 0, "\(result.stderr)")
        return result.text
    }

    func expectAllCorrect(_ output: String, _ what: String) {
        #expect(
            output.hasSuffix("correct \(Self.handshakes) of \(Self.handshakes), trailing-space keys 20\n"),
            "\(what): \(output)")
    }

    @Test func serveAnswersKeysWithATrailingSpaceInBothFramings() async throws {
        try await offThePool {
            for framing in ["old", "new"] {
                let (server, port) = try ToolRunner.start([
                    "serve", "--listen", "127.0.0.1:0", "--framing", framing, "--no-tui",
                ])
                defer { server.terminate() }
                try #require(port != 0, "\(server.standardError)")
                expectAllCorrect(try runClient(port: port, framing: framing), "serve --framing \(framing)")
            }
        }
    }

    /// The reverse proxy rewrites `Host` and writes the rest of the head on as it came, the keys' trailing spaces
    /// included; the mock server, playing a recording of those connections, answers the same keys.
    @Test func proxyAndMockServerKeepTheTrailingSpace() async throws {
        try await offThePool {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wstap-hybi00-keys-\(UUID().uuidString).jsonl"
            )
            .path
            defer {
                try? FileManager.default.removeItem(atPath: file)
                try? FileManager.default.removeItem(atPath: file + ".payloads")
            }
            let (server, serverPort) = try ToolRunner.start(["serve", "--listen", "127.0.0.1:0", "--no-tui"])
            defer { server.terminate() }
            let (proxy, proxyPort) = try ToolRunner.start([
                "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--record", file,
                "--no-tui",
            ])
            try #require(serverPort != 0 && proxyPort != 0, "\(server.standardError) \(proxy.standardError)")
            expectAllCorrect(try runClient(port: proxyPort, framing: "old"), "through the proxy")
            proxy.terminate()
            _ = proxy.waitForExit()  // the recording is complete once the proxy has exited

            let (mock, mockPort) = try ToolRunner.start(["replay", file, "--serve", "127.0.0.1:0", "--match", "order"])
            defer { mock.terminate() }
            try #require(mockPort != 0, "\(mock.standardOutput) \(mock.standardError)")
            expectAllCorrect(try runClient(port: mockPort, framing: "none"), "the mock server")
        }
    }
}
