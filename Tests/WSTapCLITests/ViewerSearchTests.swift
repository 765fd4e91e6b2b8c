import Foundation
import Testing
import WSTapTestSupport

/// `wstap view` searches the recording on disk: a word in the tail of an early large message (past its
/// preview, and long gone from the UI's 32 MiB ring of payloads) is found, in a real terminal.
@Suite struct ViewerSearchTests {
    @Test func searchFindsAWordInTheTailOfAnEarlyLargeMessage() async throws {
        try await offThePool { try ViewerSearchTests().searchTheRecording() }
    }

    func searchTheRecording() throws {
        let folder = try ClientUITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, port) = try ClientUITests().startEchoServer()
        defer { server.terminate() }

        // 30 lines of 900,000 bytes, each sent and echoed: 54 MB of payloads. Only the first line's tail has
        // the word.
        let lineLength = 900_000
        let word = "zebraquokka"
        var input = Data(String(repeating: "a", count: lineLength - word.count - 1).utf8)
        input.append(Data(" \(word)\n".utf8))
        for index in 1..<30 {
            input.append(Data(String(repeating: Character(String(index % 10)), count: lineLength).utf8))
            input.append(UInt8(ascii: "\n"))
        }
        let inputPath = folder.appendingPathComponent("input.txt").path
        try input.write(to: URL(fileURLWithPath: inputPath))
        let recording = folder.appendingPathComponent("big.wstap").path
        let recorded = try PeerProcess.run(
            "/bin/sh",
            [
                "-c",
                "'\(ToolRunner.wstapPath)' connect ws://127.0.0.1:\(port)/ --no-tui --record '\(recording)' "
                    + "< '\(inputPath)' > /dev/null",
            ])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        // The recording (and its side file of payloads, if any) holds more than the UI's 32 MiB ring.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("big.") }
        let recordedBytes = try files.reduce(0) {
            $0
                + ((try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent($1).path)[.size]
                    as? Int) ?? 0)
        }
        #expect(recordedBytes > 40 << 20, "\(files): \(recordedBytes) bytes")

        let session = try TmuxSession(columns: 120, rows: 40)
        session.typeLine("'\(ToolRunner.wstapPath)' view '\(recording)'; echo EXIT=$?")
        let opened = session.waitFor { $0.contains("wstap viewer") && $0.contains("events read") }
        #expect(opened.met, "\(opened.screen)")

        session.press("/")
        session.typeLine(word)
        let found = session.waitFor { $0.contains("/\(word): frame #1, byte \(lineLength - word.count)") }
        #expect(found.met, "the client's message, read from the recording: \(found.screen)")
        session.press("Enter")
        let detail = session.waitFor { $0.contains(" frame #1 ") }
        #expect(detail.met, "the detail pane shows the selected frame: \(detail.screen)")
        session.press("Enter")

        // n goes on to the echo (the only other match), then wraps round to the first match; N goes back.
        session.press("n")
        let echo = session.waitFor {
            Self.matchedFrame(word, in: $0).map { $0 != 1 } == true && $0.contains("byte \(lineLength - word.count)")
        }
        #expect(echo.met, "\(echo.screen)")
        let echoFrame = Self.matchedFrame(word, in: echo.screen) ?? 0
        session.press("n")
        let wrapped = session.waitFor { $0.contains("search wrapped · /\(word): frame #1,") }
        #expect(wrapped.met, "\(wrapped.screen)")
        session.press("N")
        let back = session.waitFor { $0.contains("search wrapped · /\(word): frame #\(echoFrame),") }
        #expect(back.met, "\(back.screen)")

        // A word in no payload: said so, after the whole recording was read. (The prompt starts with the
        // last search: Ctrl-U clears it.)
        session.press("/", "C-u")
        session.typeLine("nowhere-to-be-found")
        let missing = session.waitFor { $0.contains("not found: \"nowhere-to-be-found\"") }
        #expect(missing.met, "\(missing.screen)")

        session.press("q")
        let exited = session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }
        #expect(exited.met, "\(exited.screen)")

        // With the view's filter skipping events (only the server's frames), rows and recorded events are
        // numbered apart: the match is the echo, the list's first row.
        session.typeLine("clear; '\(ToolRunner.wstapPath)' view '\(recording)' --dir s2c; echo EXIT=$?")
        let filtered = session.waitFor { $0.contains("wstap viewer") && $0.contains("events read") }
        #expect(filtered.met, "\(filtered.screen)")
        session.press("/", "C-u")
        session.typeLine(word)
        let echoFound = session.waitFor { $0.contains("/\(word): frame #1, byte \(lineLength - word.count)") }
        #expect(echoFound.met, "\(echoFound.screen)")
        session.press("Enter")
        let echoDetail = session.waitFor { $0.contains(" frame #1 ") && $0.contains("server → client") }
        #expect(echoDetail.met, "\(echoDetail.screen)")
        session.press("q")
        #expect(session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) }.met)
    }

    /// The frame number in a "/WORD: frame #N, byte ..." notice on the screen.
    static func matchedFrame(_ word: String, in screen: String) -> Int? {
        guard let range = screen.range(of: "/\(word): frame #") else { return nil }
        return Int(screen[range.upperBound...].prefix { $0.isNumber })
    }
}
