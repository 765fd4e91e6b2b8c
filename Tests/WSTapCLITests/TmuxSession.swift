import Foundation
import WSTapConformance
import WSTapTestSupport

/// A detached tmux session on a server of its own (`tmux -L NAME`), for end-to-end tests of the
/// terminal UI: send keys, read what a person would see. The server is killed when this goes away.
final class TmuxSession {
    let socketName = "wstap-test-\(UUID().uuidString.prefix(8))"
    let tmux: String

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `sh` in a `columns` x `rows` window.
    init(columns: Int = 120, rows: Int = 40) throws {
        guard let tmux = PeerProcess.which("tmux") else { throw Unavailable(description: "tmux is not installed") }
        self.tmux = tmux
        let status = Self.runWithoutPipes(
            tmux,
            [
                "-L", socketName, "-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "\(columns)", "-y",
                "\(rows)", "env", "PS1=$ ", "TERM=screen", "sh",
            ])
        guard status == 0 else { throw Unavailable(description: "tmux new-session failed with status \(status)") }
    }

    /// Types text (literally) and then Enter.
    func typeLine(_ text: String) {
        _ = Self.runWithoutPipes(tmux, ["-L", socketName, "send-keys", "-t", "main", "-l", text])
        _ = Self.runWithoutPipes(tmux, ["-L", socketName, "send-keys", "-t", "main", "Enter"])
    }

    /// Presses keys by tmux name (`q`, `Enter`, `Escape`, `Up`, `PageDown`...).
    func press(_ keys: String...) {
        _ = Self.runWithoutPipes(tmux, ["-L", socketName, "send-keys", "-t", "main"] + keys)
    }

    /// What the window shows now.
    func screen() -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socketName)-\(UUID().uuidString)")
            .path
        defer { unlink(file) }
        _ = Self.runWithoutPipes(tmux, ["-L", socketName, "capture-pane", "-p", "-t", "main"], output: file)
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// What the window shows now, with its colours and attributes as escape sequences (`capture-pane -e`).
    func screenWithEscapes() -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socketName)-\(UUID().uuidString)")
            .path
        defer { unlink(file) }
        _ = Self.runWithoutPipes(tmux, ["-L", socketName, "capture-pane", "-p", "-e", "-t", "main"], output: file)
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// Waits (up to `seconds`: a deadline for a hung program, which a loaded machine must not reach) until
    /// the window shows something that satisfies `condition`; returns the last screen seen either way.
    @discardableResult
    func waitFor(within seconds: Double = 90, _ condition: (String) -> Bool) -> (met: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = screen()
            if condition(last) { return (true, last) }
            usleep(100_000)
        }
        return (false, last)
    }

    /// Runs a program with its standard streams on /dev/null and waits for it: the tmux server it starts
    /// lives on and must not hold a pipe that anybody reads to the end.
    static func runWithoutPipes(_ path: String, _ arguments: [String], output: String = "/dev/null") -> Int32 {
        // No blocked signals and default signal handling (the test's thread may block SIGTERM), so that
        // kill-server and the signals a test sends work.
        guard let child = try? ChildProcess.spawn(path, arguments, stdout: output, stderr: "/dev/null") else {
            return -1
        }
        var status: Int32 = 0
        waitpid(child, &status, 0)
        return (status >> 8) & 0xFF
    }

    deinit {
        _ = Self.runWithoutPipes(tmux, ["-L", socketName, "kill-server"])
    }
}
