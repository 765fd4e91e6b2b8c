import Foundation
import Testing
import WSTapTestSupport

/// The terminal UI of `wstap connect` and of the forward proxy, in a real terminal (tmux) against
/// python3-websockets peers on 127.0.0.1: keys are sent, and the window is read as a person would see it.
@Suite struct ClientUITests {
    static let peers = ForwardProxyCommandTests.peers

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wstap-cui-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func startEchoServer() throws -> (SignalableProcess, Int) {
        let server = try SignalableProcess(
            "/usr/bin/python3", [Self.peers.appendingPathComponent("websockets_echo_server.py").path])
        let port = try #require(Int(server.firstLine()), "the echo server did not start: \(server.standardError)")
        return (server, port)
    }

    static func count(_ text: String, in screen: String) -> Int {
        screen.components(separatedBy: text).count - 1
    }

    // Both wait on a terminal for seconds: they run on threads of their own, not on the few threads Swift
    // concurrency runs every test's tasks on.
    @Test func connectShowsFramesSendsWithSAndShowsTheServersClose() async throws {
        try await offThePool { try ClientUITests().connect() }
    }

    @Test func forwardProxyShowsFramesAndTheHostEachConnectionGoesTo() async throws {
        try await offThePool { try ClientUITests().forwardProxy() }
    }

    @Test func serveShowsTheFramesOfAPython3WebsocketsClient() async throws {
        try await offThePool { try ClientUITests().serve() }
    }

    func serve() throws {
        let session = try TmuxSession(columns: 120, rows: 40)
        session.typeLine("'\(ToolRunner.wstapPath)' serve --listen 127.0.0.1:0; echo EXIT=$?")
        let started = session.waitFor { $0.contains("wstap server 127.0.0.1:") && $0.contains("no frames yet") }
        #expect(started.met, "\(started.screen)")
        let statusLine = started.screen.split(separator: "\n").first { $0.contains("wstap server 127.0.0.1:") } ?? ""
        let address = statusLine.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") } ?? ""
        let port = try #require(Int(address.split(separator: ":").last ?? ""), "\(statusLine)")

        // The python3-websockets client's checks pass (echo), and its frames show: the fragments, the
        // ping and pong, its close with 4001 "bye".
        let client = try PeerProcess.run(
            "/usr/bin/python3",
            [Self.peers.appendingPathComponent("websockets_client.py").path, "ws://127.0.0.1:\(port)/"])
        #expect(client.status == 0, "\(client.text) \(client.stderr)")
        #expect(client.text.contains("echo fragmented\npong\nclosed 4001"), "\(client.text)")
        let frames = session.waitFor {
            $0.contains("\"frag\"") && $0.contains("\"are you there\"") && $0.contains("4001 private \"bye\"")
                && $0.contains("conns 0/1")
        }
        #expect(frames.met, "\(frames.screen)")
        #expect(frames.screen.contains(" continuation "))
        #expect(frames.screen.contains(" pong "))

        session.press("i")
        #expect(session.waitFor { $0.contains("intercept is not available in server mode") }.met)
        session.press("q")
        let exited = session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }
        #expect(exited.met, "\(exited.screen)")
    }

    @Test func framingToggleSwitchesAHybi00ClientToTheServersFraming() async throws {
        try await offThePool { try ClientUITests().hybi00FramingToggle() }
    }

    @Test func compressedMessagesShowInflated() async throws {
        try await offThePool { try ClientUITests().deflate() }
    }

    /// `--deflate` against python3-websockets with permessage-deflate: the server's compressed echo (RSV1
    /// set) shows as the text it inflates to.
    func deflate() throws {
        let server = try SignalableProcess(
            "/usr/bin/python3", [Self.peers.appendingPathComponent("websockets_deflate_server.py").path])
        defer { server.terminate() }
        let port = try #require(Int(server.firstLine()), "the server did not start: \(server.standardError)")
        let session = try TmuxSession(columns: 120, rows: 40)
        session.typeLine("'\(ToolRunner.wstapPath)' connect ws://127.0.0.1:\(port)/ --deflate; echo EXIT=$?")
        #expect(session.waitFor { $0.contains("wstap client ws://127.0.0.1:\(port)/") }.met)
        session.press("s")
        session.typeLine("squeeze squeeze squeeze squeeze")
        let echoed = session.waitFor {
            $0.split(separator: "\n").contains {
                $0.contains("← text         1 100") && $0.contains("\"squeeze squeeze")
            }
        }
        #expect(echoed.met, "\(echoed.screen)")
        session.press("q")
        #expect(session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }.met)
    }

    /// wstap's server speaks hybi-00 in new framing; the client starts in old, and `o` switches it.
    func hybi00FramingToggle() throws {
        let server = try SignalableProcess(
            ToolRunner.wstapPath, ["serve", "--listen", "127.0.0.1:0", "--framing", "new", "--no-tui"])
        defer { server.terminate() }
        let banner = server.firstLine()
        let port = try #require(Int(banner.split(separator: ":").last ?? ""), "\(banner) \(server.standardError)")
        let session = try TmuxSession(columns: 120, rows: 40)
        session.typeLine(
            "'\(ToolRunner.wstapPath)' connect ws://127.0.0.1:\(port)/ --variant hybi00 --framing old; echo EXIT=$?")
        #expect(session.waitFor { $0.contains("wstap client ws://127.0.0.1:\(port)/") }.met)
        session.press("o")
        let announced = "hybi-00 framing new: the client sends and reads in it from the next frame"
        let switched = session.waitFor { $0.contains(announced) && $0.contains("│ hybi00 new │") }
        #expect(switched.met, "\(switched.screen)")
        session.press("s")
        session.typeLine("framed anew")
        // Out and back in new framing: the server understood it, and so did the tap.
        let echoed = session.waitFor {
            $0.split(separator: "\n").filter {
                $0.contains("h00 text     - new 0xff") && $0.contains("\"framed anew\"")
            }
            .count == 2
        }
        #expect(echoed.met, "\(echoed.screen)")
        #expect(!echoed.screen.contains("!!"), "no violations")
        session.press("q")
        let exited = session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }
        #expect(exited.met, "\(exited.screen)")
        // The client's close went out in new framing: the server saw a clean close.
        let closed = server.waitForOutput { $0.contains("close ") }.output
        #expect(closed.contains("close 127.0.0.1:") && closed.contains(" clean"), "\(closed)")
    }

    func connect() throws {
        let (server, port) = try startEchoServer()
        defer { server.terminate() }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = folder.appendingPathComponent("before").path
        let after = folder.appendingPathComponent("after").path
        let session = try TmuxSession(columns: 120, rows: 40)
        session.typeLine(
            "stty -g > \(before); '\(ToolRunner.wstapPath)' connect ws://127.0.0.1:\(port)/chat --ping-interval 2; "
                + "echo EXIT=$?; stty -g > \(after); cmp -s \(before) \(after) && echo TTY-SAME")
        let opened = session.waitFor { $0.contains("wstap client ws://127.0.0.1:\(port)/chat") && $0.contains("rtt ") }
        #expect(opened.met, "\(opened.screen)")

        // r records from now on, to the file typed.
        let recording = folder.appendingPathComponent("client.jsonl").path
        session.press("r")
        session.press("C-u")
        session.typeLine(recording)
        #expect(session.waitFor { $0.contains("● REC \(recording)") }.met)

        // s, a line, Enter: the message goes out and its echo comes back, both in the list.
        session.press("s")
        #expect(session.waitFor { $0.contains("send text:") }.met)
        session.typeLine("typed in the terminal")
        let echoed = session.waitFor { Self.count("typed in the terminal", in: $0) >= 2 }
        #expect(echoed.met, "\(echoed.screen)")
        #expect(echoed.screen.contains(" text "))

        // The server closes with 4001 when asked: its close frame, its code in the status bar.
        session.press("s")
        session.typeLine("close:4001:bye")
        let closed = session.waitFor { $0.contains("CLOSED 4001") && $0.contains("4001 private \"bye\"") }
        #expect(closed.met, "\(closed.screen)")
        #expect(closed.screen.contains("connection closed: clean"), "the UI says so and stays open")

        // r again writes the recording: a client recording with both frames of the message.
        session.press("r")
        let written = session.waitFor { $0.contains("recording written: \(recording)") }
        #expect(written.met, "\(written.screen)")
        let lines = (try? String(contentsOfFile: recording, encoding: .utf8))?.split(separator: "\n") ?? []
        #expect(lines.first?.contains("\"mode\":\"client\"") == true, "\(lines.first ?? "")")
        #expect(lines.filter { $0.contains("typed in the terminal") }.count == 2, "\(lines)")

        // The connections list; then q, and the shell's terminal is as it was.
        session.press("c")
        let listed = session.waitFor { $0.contains("ws://127.0.0.1:\(port)/chat") && $0.contains("closed") }
        #expect(listed.met, "\(listed.screen)")
        session.press("q")
        let exited = session.waitFor {
            TerminalUITests.hasLine("EXIT=0", $0) && TerminalUITests.hasLine("TTY-SAME", $0)
        }
        #expect(exited.met, "\(exited.screen)")
        #expect(!exited.screen.contains("wstap client ws://"), "the alternate screen is gone")
    }

    func forwardProxy() throws {
        let (server, port) = try startEchoServer()
        defer { server.terminate() }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let caDirectory = folder.appendingPathComponent("ca").path
        let session = try TmuxSession(columns: 120, rows: 40)
        session.typeLine(
            "'\(ToolRunner.wstapPath)' proxy --listen 127.0.0.1:0 --ca-dir \(caDirectory); echo EXIT=$?")
        let started = session.waitFor { $0.contains("wstap forward 127.0.0.1:") && $0.contains("CA \(caDirectory)") }
        #expect(started.met, "\(started.screen)")
        let statusLine = started.screen.split(separator: "\n").first { $0.contains("wstap forward 127.0.0.1:") } ?? ""
        let address = statusLine.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") } ?? ""
        let proxyPort = try #require(Int(address.split(separator: ":").last ?? ""), "\(statusLine)")

        // A python3-websockets client through the proxy (CONNECT) to the python3-websockets echo server.
        let client = try PeerProcess.run(
            "/usr/bin/python3",
            [
                Self.peers.appendingPathComponent("forward_proxy_client.py").path, "websockets-plain",
                "\(proxyPort)", "127.0.0.1", "\(port)",
            ])
        #expect(client.status == 0, "\(client.text) \(client.stderr)")
        #expect(client.text.contains("closed 4001 bye"), "\(client.text)")
        let frames = session.waitFor {
            Self.count("hello through the forward proxy", in: $0) >= 2 && $0.contains("4001 private \"bye\"")
        }
        #expect(frames.met, "\(frames.screen)")

        // The connections list shows where the connection went (the server the CONNECT named, and the path
        // the client asked for in the tunnel) and its close.
        session.press("c")
        let listed = session.waitFor {
            $0.contains("ws://127.0.0.1:\(port)/chat ") && $0.contains("4001/4001 \"bye\"")
        }
        #expect(listed.met, "\(listed.screen)")
        session.press("q")
        let exited = session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }
        #expect(exited.met, "\(exited.screen)")
    }
}
