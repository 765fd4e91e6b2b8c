import Foundation
import Testing
import WSTapTestSupport

/// The composer in a real terminal: tmux runs `wstap proxy` with its UI between a node-ws echo server
/// and a python3-websockets client; a frame typed in the composer reaches the client.
@Suite struct ComposerTerminalTests {
    // They wait on a terminal for seconds: on threads of their own, not on Swift concurrency's few threads.
    @Test func aTextFrameComposedInTheUIReachesTheClient() async throws {
        try await offThePool { try ComposerTerminalTests().injectIntoTheClient() }
    }

    @Test func aHeldFrameEditedInTheComposerReachesTheServerInsteadOfTheOriginal() async throws {
        try await offThePool { try ComposerTerminalTests().editAHeldFrame() }
    }

    @Test func theComposerSendsOnTheConnectionOfWstapConnect() async throws {
        try await offThePool { try ComposerTerminalTests().sendAsTheClient() }
    }

    func injectIntoTheClient() throws {
        setenv("NODE_PATH", "/usr/share/nodejs", 1)
        let server = try SignalableProcess("/usr/bin/node", [ProxyControlTests.peers + "/ws_echo_server.js"])
        defer { server.terminate() }
        let serverPort = server.firstLine().trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!serverPort.isEmpty, "\(server.standardError)")

        let session = try TmuxSession(columns: 120, rows: 40)
        session.typeLine(
            "'\(ToolRunner.wstapPath)' proxy --listen 127.0.0.1:0 --upstream ws://127.0.0.1:\(serverPort); echo EXIT=$?"
        )
        let started = session.waitFor { $0.contains("wstap proxy 127.0.0.1:") }
        #expect(started.met, "\(started.screen)")
        let proxyPort = try #require(
            started.screen.split(separator: "\n").first { $0.contains("wstap proxy 127.0.0.1:") }?
                .split(separator: " ").first { $0.hasPrefix("127.0.0.1:") }?.split(separator: ":").last
                .map(String.init))

        let client = try SignalableProcess(
            "/usr/bin/python3",
            [ProxyControlTests.peers + "/websockets_listening_client.py", "ws://127.0.0.1:\(proxyPort)/", "hello"])
        defer { client.terminate() }
        ProxyControlTests.waitFor({ client.standardOutput }) { $0.contains("got hello") }
        #expect(client.standardOutput.contains("got hello"), "\(client.standardOutput) \(client.standardError)")
        // Both frames are listed; the cursor follows the newest, the server's echo.
        let listed = session.waitFor { $0.components(separatedBy: "\"hello\"").count > 2 }
        #expect(listed.met, "\(listed.screen)")

        // x opens the composer on that frame's connection and direction, the cursor on the payload.
        session.press("x")
        let open = session.waitFor { $0.contains("composer · inject into connection 1 s2c") }
        #expect(open.met, "\(open.screen)")
        session.typeLine("composed in the UI")  // the text, then Enter sends it
        let sent = session.waitFor { $0.contains("sent 20 bytes: inject into connection 1 s2c") }
        #expect(sent.met, "\(sent.screen)")

        let received = ProxyControlTests.waitFor({ client.standardOutput }) { $0.contains("got composed") }
        #expect(received.contains("got hello\ngot composed in the UI\n"), "\(received)")

        // The injected frame shows in the list once the composer is closed.
        session.press("Escape")
        let listedInjected = session.waitFor { $0.contains("\"composed in the UI\"") }
        #expect(listedInjected.met, "\(listedInjected.screen)")
        session.press("q")
        #expect(session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }.met)
    }

    func editAHeldFrame() throws {
        setenv("NODE_PATH", "/usr/share/nodejs", 1)
        let server = try SignalableProcess("/usr/bin/node", [ProxyControlTests.peers + "/ws_echo_server.js"])
        defer { server.terminate() }
        let serverPort = server.firstLine().trimmingCharacters(in: .whitespacesAndNewlines)
        let session = try TmuxSession(columns: 120, rows: 40)
        session.typeLine(
            "'\(ToolRunner.wstapPath)' proxy --listen 127.0.0.1:0 --upstream ws://127.0.0.1:\(serverPort); echo EXIT=$?"
        )
        let started = session.waitFor { $0.contains("wstap proxy 127.0.0.1:") }
        let proxyPort = try #require(
            started.screen.split(separator: "\n").first { $0.contains("wstap proxy 127.0.0.1:") }?
                .split(separator: " ").first { $0.hasPrefix("127.0.0.1:") }?.split(separator: ":").last
                .map(String.init))
        session.press("i")
        #expect(session.waitFor { $0.contains("INTERCEPT") }.met)

        let client = try SignalableProcess(
            "/usr/bin/python3",
            [ProxyControlTests.peers + "/websockets_listening_client.py", "ws://127.0.0.1:\(proxyPort)/", "secret-1"])
        defer { client.terminate() }
        // The client's frame is held; the queue's e opens it in the composer, filled in.
        session.press("I")
        let queue = session.waitFor { $0.contains("\"secret-1\"") }
        #expect(queue.met, "\(queue.screen)")
        session.press("e")
        let editing = session.waitFor { $0.contains("composer · replace held frame") && $0.contains("secret-1") }
        #expect(editing.met, "\(editing.screen)")
        session.press("C-u")
        session.typeLine("edited-1")
        let replaced = session.waitFor { $0.contains("sent 14 bytes: replace held frame") }
        #expect(replaced.met, "\(replaced.screen)")
        // Intercept off lets the echo through.
        session.press("i")
        let received = ProxyControlTests.waitFor({ client.standardOutput }) { $0.contains("got ") }
        #expect(received.contains("got edited-1\n"), "\(received)")
        #expect(!received.contains("secret-1"))
        session.press("Escape")
        session.press("q")
        #expect(session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }.met)
    }

    func sendAsTheClient() throws {
        let server = try SignalableProcess(
            "/usr/bin/python3", [ClientUITests.peers.appendingPathComponent("websockets_echo_server.py").path])
        defer { server.terminate() }
        let port = try #require(Int(server.firstLine()), "the echo server did not start: \(server.standardError)")
        let session = try TmuxSession(columns: 120, rows: 40)
        session.typeLine("'\(ToolRunner.wstapPath)' connect ws://127.0.0.1:\(port)/; echo EXIT=$?")
        #expect(session.waitFor { $0.contains("wstap client ws://127.0.0.1:\(port)/") }.met)
        session.press("x")
        let open = session.waitFor { $0.contains("composer · send on the client connection") }
        #expect(open.met, "\(open.screen)")
        // A binary frame: Tab back to the opcode (payload, as, fragments, declared, length, mask, RSV, FIN).
        for _ in 0..<8 { session.press("BTab") }
        session.press("Right")
        let binary = session.waitFor { $0.contains("binary (2)") }
        #expect(binary.met, "\(binary.screen)")
        for _ in 0..<8 { session.press("Tab") }
        session.typeLine("crafted by the client")
        #expect(session.waitFor { $0.contains("sent 27 bytes: send on the client connection") }.met)
        session.press("Escape")
        // The frame out and the server's echo of it back, both binary (shown as hex: "crafted " is 63 72 ...).
        let echoed = session.waitFor { ClientUITests.count("hex:6372616674656420", in: $0) >= 2 }
        #expect(echoed.met, "\(echoed.screen)")
        #expect(ClientUITests.count(" binary ", in: echoed.screen) >= 2, "\(echoed.screen)")
        session.press("q")
        #expect(session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }.met)
    }
}
