import Foundation
import Testing
import WSTapTestSupport

/// The terminal UI in a real terminal: tmux runs `wstap demo`, keys are sent, and the window is read
/// as a person would see it.
@Suite struct TerminalUITests {
    /// Whether a line of the screen is exactly `text` (the command typed contains the same words).
    static func hasLine(_ text: String, _ screen: String) -> Bool {
        screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == text }
    }

    /// Whether the shell printed its `EXIT=N` line (the typed command, `...; echo EXIT=$?`, holds `EXIT=`
    /// too, so waiting for that text alone ends before the program does).
    static func hasExitLine(_ screen: String) -> Bool {
        screen.split(separator: "\n").contains {
            $0.trimmingCharacters(in: .whitespaces).wholeMatch(of: /EXIT=\d+/) != nil
        }
    }

    /// The highest round of `wstap demo` the screen mentions ("round N"), if any.
    static func latestRound(in screen: String) -> Int? {
        screen.matches(of: /round (\d+)/).compactMap { Int($0.1) }.max()
    }

    @Test func demoShowsLiveFramesAndTheCloseReasonAndQRestoresTheTerminal() async throws {
        try await offThePool {
            let session = try TmuxSession(columns: 120, rows: 40)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-tui-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let before = folder.appendingPathComponent("before").path
            let after = folder.appendingPathComponent("after").path
            session.typeLine(
                "stty -g > \(before); '\(ToolRunner.wstapPath)' demo --pace 30; echo EXIT=$?; stty -g > \(after); "
                    + "cmp -s \(before) \(after) && echo TTY-SAME")

            // Frames appear live: the status bar, then frames of the scripted client and the echo server.
            let live = session.waitFor {
                $0.contains("wstap proxy 127.0.0.1:") && $0.contains("hello from the wstap demo")
            }
            #expect(live.met, "\(live.screen)")
            #expect(live.screen.contains("→"))
            let closes = session.waitFor { $0.contains("4000 private") && $0.contains("1002 protocol-error") }
            #expect(closes.met, "\(closes.screen)")
            let reserved = session.waitFor { $0.contains("reserved-3") && $0.contains("!! reserved-opcode") }
            #expect(reserved.met, "\(reserved.screen)")

            // The close frame's detail: search its reason, open the pane.
            session.press("p")
            session.press("/")
            session.typeLine("demo round 1 done")
            session.press("Enter")
            let detail = session.waitFor { $0.contains("code 4000 private · reason \"demo round 1 done\"") }
            #expect(detail.met, "\(detail.screen)")
            #expect(detail.screen.contains("|F|R|R|R| opcode|M| Payload len |"))

            // Help, then quit: the shell's screen is back with the terminal modes it had.
            session.press("?")
            #expect(session.waitFor { $0.contains("intercept on/off") }.met)
            session.press("Escape")
            session.press("q")
            let exited = session.waitFor { Self.hasLine("EXIT=0", $0) && Self.hasLine("TTY-SAME", $0) }
            #expect(exited.met, "\(exited.screen)")
            #expect(!exited.screen.contains("wstap proxy 127.0.0.1:"), "the alternate screen is gone")
        }
    }

    @Test func sigtermRestoresTheTerminal() async throws {
        try await offThePool {
            let session = try TmuxSession(columns: 80, rows: 24)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-tui-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let before = folder.appendingPathComponent("before").path
            let after = folder.appendingPathComponent("after").path
            let pidFile = folder.appendingPathComponent("pid").path
            session.typeLine(
                "stty -g > \(before); sh -c 'echo $$ > \(pidFile); exec \"$0\" demo --pace 50' '\(ToolRunner.wstapPath)'; "
                    + "echo EXIT=$?; stty -g > \(after); cmp -s \(before) \(after) && echo TTY-SAME")
            #expect(session.waitFor { $0.contains("wstap proxy 127.0.0.1:") }.met)
            let pid =
                Int32(
                    (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(
                        in: .whitespacesAndNewlines)
                        ?? "") ?? 0
            #expect(pid > 0)
            if pid > 0 { kill(pid, SIGTERM) }
            let exited = session.waitFor { Self.hasLine("EXIT=143", $0) && Self.hasLine("TTY-SAME", $0) }
            #expect(exited.met, "\(exited.screen)")
        }
    }

    @Test func interceptHoldsFramesUntilTheyAreForwarded() async throws {
        try await offThePool {
            let session = try TmuxSession(columns: 120, rows: 40)
            session.typeLine("'\(ToolRunner.wstapPath)' demo --pace 30; echo EXIT=$?")
            #expect(session.waitFor { $0.contains("hello from the wstap demo") }.met)
            session.press("i")
            // The client's next frames are held (marked H): nothing passes until they are forwarded.
            let held = session.waitFor { $0.contains("INTERCEPT") && $0.contains("\nH ") }
            #expect(held.met, "\(held.screen)")
            // Stop following, so that the held rows stay on the screen once the demo goes on (a slow machine
            // would otherwise scroll them away before the screen is read).
            session.press("Up")
            session.press("I")
            let queue = session.waitFor { $0.contains("intercept on · ") && $0.contains("\nH ") }
            #expect(queue.met, "\(queue.screen)")
            // Forward the first held frame from the queue, then turn intercept off: the rest go on.
            session.press("Enter")
            session.press("i")
            session.press("Escape")
            let released = session.waitFor { $0.contains("\n= ") && !$0.contains("INTERCEPT") }
            #expect(released.met, "\(released.screen)")
            session.press("q")
            #expect(session.waitFor { Self.hasLine("EXIT=0", $0) }.met)
        }
    }

    @Test func recordingToggleWritesAFileThatViewOpens() async throws {
        try await offThePool {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-tui-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("demo.jsonl").path
            let session = try TmuxSession(columns: 120, rows: 40)
            session.typeLine("'\(ToolRunner.wstapPath)' demo --pace 30; echo EXIT=$?")
            #expect(session.waitFor { $0.contains("hello from the wstap demo") }.met)
            session.press("r")
            #expect(session.waitFor { $0.contains("record to file: wstap-") }.met)
            session.press("C-u")
            session.typeLine(file)
            let recording = session.waitFor { $0.contains("● REC \(file)") }
            #expect(recording.met, "\(recording.screen)")
            // Wait for a whole round of the client on the recording, then stop: one that began after the
            // recording did (the rounds on the screen may be past round 2 already on a loaded machine).
            let nextRound = (Self.latestRound(in: recording.screen) ?? 0) + 1
            #expect(session.waitFor { $0.contains("demo round \(nextRound) done") }.met)
            session.press("r")
            let written = session.waitFor { $0.contains("recording written: \(file)") }
            #expect(written.met, "\(written.screen)")
            session.press("q")
            #expect(session.waitFor { Self.hasLine("EXIT=0", $0) }.met)

            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.size] as? Int ?? 0) > 1000)
            session.typeLine("clear; '\(ToolRunner.wstapPath)' view '\(file)'; echo VIEW=$?")
            let viewer = session.waitFor { $0.contains("wstap viewer /") && $0.contains("4000 private") }
            #expect(viewer.met, "\(viewer.screen)")
            session.press("q")
            #expect(session.waitFor { Self.hasLine("VIEW=0", $0) }.met)
        }
    }
}
