import Foundation
import Testing
import WSTapTestSupport

/// The terminal UI's life in a real terminal beyond the normal path: a crash still gives the terminal
/// back, and a resized window is drawn again at its new size.
@Suite struct TerminalLifecycleTests {
    /// A folder of its own and the shell line that runs `wstap demo` between two `stty -g` snapshots,
    /// writing the process id to `pid` first.
    static func demoLine(in folder: URL) -> String {
        let before = folder.appendingPathComponent("before").path
        let after = folder.appendingPathComponent("after").path
        let pidFile = folder.appendingPathComponent("pid").path
        return
            "stty -g > \(before); sh -c 'echo $$ > \(pidFile); exec \"$0\" demo --pace 50' '\(ToolRunner.wstapPath)'; "
            + "echo EXIT=$?; stty -g > \(after); cmp -s \(before) \(after) && echo TTY-SAME"
    }

    static func pid(in folder: URL) -> pid_t {
        let text = try? String(contentsOfFile: folder.appendingPathComponent("pid").path, encoding: .utf8)
        return pid_t(text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-tui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    // Synchronous (on a thread of the concurrency pool), unlike the other terminal tests: run off the pool
    // (offThePool, either implementation), the SIGSEGV it sends left the demo hanging instead of dying,
    // every time; not understood yet.

    /// A crash (SIGSEGV here, as a fault would raise it) restores the terminal modes and leaves the
    /// alternate screen before the process dies of the signal.
    @Test func aCrashRestoresTheTerminal() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try TmuxSession(columns: 80, rows: 24)
        session.typeLine(Self.demoLine(in: folder))
        #expect(session.waitFor { $0.contains("wstap proxy 127.0.0.1:") }.met)
        let pid = Self.pid(in: folder)
        try #require(pid > 0)
        kill(pid, SIGSEGV)
        // 128 + 11: the process died of the signal (the handler re-raised it), after restoring the terminal.
        let exited = session.waitFor {
            TerminalUITests.hasLine("EXIT=139", $0) && TerminalUITests.hasLine("TTY-SAME", $0)
        }
        #expect(exited.met, "\(exited.screen)")
        #expect(!exited.screen.contains("wstap proxy 127.0.0.1:"), "the alternate screen is gone")
    }

    /// Resizing the window redraws the whole UI at the new size: the status bar on the first line (on a
    /// narrow window its counters come first), the key hints on the last, nothing wider than the window.
    @Test func resizingRedrawsAtTheNewSize() async throws {
        try await offThePool {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let session = try TmuxSession(columns: 120, rows: 40)
            session.typeLine(Self.demoLine(in: folder))
            let wide = session.waitFor { $0.contains("hello from the wstap demo") }
            #expect(wide.met, "\(wide.screen)")
            for (columns, rows) in [(80, 24), (60, 20), (132, 43)] {
                session.resize(columns: columns, rows: rows)
                let redrawn = session.waitFor { screen in
                    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                    // On a narrow window the counters come first and the title may not fit at all.
                    return lines.count >= rows && lines[0].contains("conns ")
                        && lines[rows - 1].contains("q quit")
                        && lines.allSatisfy { $0.count <= columns }
                }
                #expect(redrawn.met, "\(columns)x\(rows):\n\(redrawn.screen)")
            }
            session.press("q")
            #expect(
                session.waitFor { TerminalUITests.hasLine("EXIT=0", $0) && TerminalUITests.hasLine("TTY-SAME", $0) }.met
            )
        }
    }
}

extension TmuxSession {
    /// Resizes the window, as a person dragging the terminal's corner would.
    func resize(columns: Int, rows: Int) {
        _ = Self.runWithoutPipes(
            tmux, ["-L", socketName, "resize-window", "-t", "main", "-x", "\(columns)", "-y", "\(rows)"])
    }
}
