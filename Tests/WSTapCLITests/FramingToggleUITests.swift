import Foundation
import Testing
import WSTapTestSupport

/// The hybi-00 framing toggle in a real terminal: `wstap proxy` (in tmux) reads a hybi-00 stream in the
/// wrong framing, and `o` makes it decode the connection again in the right one.
@Suite struct FramingToggleUITests {
    @Test func toggleDecodesAHybi00StreamAgainInTheOtherFraming() async throws {
        try await offThePool {
            // The server and the client speak hybi-00 'new' framing; the proxy starts in 'old'.
            let server = try SignalableProcess(
                ToolRunner.wstapPath, ["serve", "--listen", "127.0.0.1:0", "--framing", "new"])
            defer { server.terminate() }
            let banner = server.firstLine()
            let serverAddress = try #require(
                banner.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") }, "serve printed: \(banner)")

            let session = try TmuxSession(columns: 120, rows: 30)
            session.typeLine(
                "'\(ToolRunner.wstapPath)' proxy --listen 127.0.0.1:0 --upstream ws://\(serverAddress) --framing old; "
                    + "echo EXIT=$?")
            let started = session.waitFor {
                $0.range(of: #"wstap proxy 127\.0\.0\.1:[0-9]+ "#, options: .regularExpression) != nil
            }
            #expect(started.met, "\(started.screen)")
            let proxyPort = try #require(
                started.screen.firstMatch(of: #/wstap proxy 127\.0\.0\.1:([0-9]+) /#).map { String($0.1) })

            // The client keeps its standard input open, so the connection stays up while the test looks.
            let client = Process()
            client.executableURL = URL(fileURLWithPath: ToolRunner.wstapPath)
            client.arguments = ["connect", "ws://127.0.0.1:\(proxyPort)/", "--variant", "hybi00", "--framing", "new"]
            let input = Pipe()
            client.standardInput = input
            client.standardOutput = FileHandle.nullDevice
            client.standardError = FileHandle.nullDevice
            try PeerProcess.launch(client)
            defer { if client.isRunning { client.terminate() } }
            input.fileHandleForWriting.write(Data("hello one\nsecond message\n".utf8))

            // Read as 'old' framing, the length-prefixed frames are nonsense: a closing frame, then violations.
            let misread = session.waitFor { $0.contains("h00 close") && $0.contains("frame-after-close") }
            #expect(misread.met, "\(misread.screen)")
            #expect(!misread.screen.contains("\"second message\""))

            // Select a frame of the connection and switch its framing: the stream is decoded again.
            session.press("g")
            session.press("o")
            let redecoded = session.waitFor {
                $0.contains("new 0xff            9 \"hello one\"") && $0.contains("\"second message\"")
                    && $0.contains("hybi00 #1 new")
            }
            #expect(redecoded.met, "\(redecoded.screen)")
            // The rows read in the wrong framing stay, dimmed and marked as superseded.
            #expect(redecoded.screen.split(separator: "\n").contains { $0.hasPrefix("~ ") && $0.contains("h00 close") })
            // Both directions: the echo comes back in the new framing too.
            #expect(redecoded.screen.contains("← h00 text     - new"), "\(redecoded.screen)")

            try input.fileHandleForWriting.close()
            client.waitUntilExit()
            session.press("q")
            #expect(session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }.met)
        }
    }

    @Test func toggleInTheViewerDecodesTheRecordedConnectionAgain() async throws {
        try await offThePool {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-tui-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("hybi00.jsonl").path

            // Record a hybi-00 'new' framing conversation through a proxy that reads it as 'old'.
            let server = try SignalableProcess(
                ToolRunner.wstapPath, ["serve", "--listen", "127.0.0.1:0", "--framing", "new"])
            defer { server.terminate() }
            let serverAddress = try #require(
                server.firstLine().split(separator: " ").first { $0.hasPrefix("127.0.0.1:") })
            let proxy = try SignalableProcess(
                ToolRunner.wstapPath,
                [
                    "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://\(serverAddress)", "--record", file,
                    "--no-tui",
                ])
            defer { proxy.terminate() }
            let proxyAddress = try #require(
                proxy.firstLine().split(separator: " ").first { $0.hasPrefix("127.0.0.1:") })
            let client = try ToolRunner.wstap(
                ["connect", "ws://\(proxyAddress)/", "--variant", "hybi00", "--framing", "new"],
                stdin: Data("hello one\nsecond message\n".utf8))
            #expect(client.text == "hello one\nsecond message\n", "\(client.stderr)")
            proxy.terminate()

            let session = try TmuxSession(columns: 120, rows: 30)
            session.typeLine("'\(ToolRunner.wstapPath)' view '\(file)'; echo VIEW=$?")
            let misread = session.waitFor { $0.contains("wstap viewer") && $0.contains("frame-after-close") }
            #expect(misread.met, "\(misread.screen)")
            #expect(!misread.screen.contains("\"second message\""))
            session.press("g")
            session.press("o")
            let redecoded = session.waitFor {
                $0.contains("→ h00 text     - new 0xff           14 \"second message\"")
                    && $0.contains("← h00 text     - new 0xff            9 \"hello one\"")
                    && $0.contains("hybi00 #1 new")
            }
            #expect(redecoded.met, "\(redecoded.screen)")
            session.press("q")
            #expect(session.waitFor { TerminalUITests.hasLine("VIEW=0", $0) }.met)
        }
    }
}
