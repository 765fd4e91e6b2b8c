import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process of the target under fuzzing (`wstap fuzz --exec 'CMD'`): started through `/bin/sh -c` in a process
/// group of its own, its output (standard output and error) kept in a file, watched for its exit, and started
/// again after it died.
public final class FuzzTargetProcess: Sendable {
    /// The shell command.
    public let command: String
    private let logPath: String
    private struct State {
        var pid: pid_t = 0
        var exit: String?
        var starts = 0
        /// Stopped for good (``terminate()``): not started again.
        var terminated = false
    }
    private let state = NIOLockedValueBox(State())

    /// A target started by `command`, its output kept in `logPath`.
    public init(command: String, logPath: String) {
        self.command = command
        self.logPath = logPath
    }

    /// A failure to start the target.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, in one line.
        public var description: String
    }

    /// How many times the target was started.
    public var starts: Int { state.withLockedValue { $0.starts } }

    /// Starts the command (again).
    public func start() throws(Failure) {
        guard !state.withLockedValue({ $0.terminated }) else {
            throw Failure(description: "the target (\(command)) was stopped")
        }
        let child: pid_t
        do {
            child = try ChildProcess.spawn(
                "/bin/sh", ["-c", command], stdout: logPath, stderr: nil, ownProcessGroup: true)
        } catch {
            throw Failure(description: "cannot start '\(command)': \(error.description)")
        }
        state.withLockedValue { state in
            state.pid = child
            state.exit = nil
            state.starts += 1
        }
    }

    /// How the process ended ("exited with status 3", "killed by signal 11") if it ended within `wait`.
    public func exited(within wait: Duration) async -> String? {
        let deadline = ContinuousClock.now + wait
        while true {
            if let exit = poll() { return exit }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    private func poll() -> String? {
        state.withLockedValue { state in
            if let exit = state.exit { return exit }
            guard state.pid > 0 else { return "not started" }
            var status: Int32 = 0
            let result = waitpid(state.pid, &status, WNOHANG)
            guard result == state.pid else { return result < 0 ? "gone" : nil }
            let exit: String
            if status & 0x7F == 0 {
                exit = "exited with status \((status >> 8) & 0xFF)"
            } else {
                exit = "killed by signal \(status & 0x7F)"
            }
            state.exit = exit
            return exit
        }
    }

    /// The last lines of what the process printed (at most `limit` bytes), on one line.
    public func outputTail(limit: Int = 300) -> String {
        let descriptor = open(logPath, O_RDONLY)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        let size = lseek(descriptor, 0, SEEK_END)
        let start = max(0, size - off_t(limit))
        lseek(descriptor, start, SEEK_SET)
        var bytes = [UInt8](repeating: 0, count: Int(size - start))
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return "" }
        let text = String(decoding: bytes.prefix(count), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    }

    /// Stops the process group: SIGTERM, then SIGKILL after `grace`.
    public func stop(grace: Duration = .seconds(2)) async {
        let pid = state.withLockedValue { $0.pid }
        guard pid > 0, poll() == nil else { return }
        kill(-pid, SIGTERM)
        if await exited(within: grace) == nil {
            kill(-pid, SIGKILL)
            _ = await exited(within: grace)
        }
    }

    /// Stops the process group for good, from any thread and without waiting on a task (for a signal handler):
    /// SIGTERM, then SIGKILL after `grace`; ``start()`` refuses from now on.
    public func terminate(grace: Duration = .seconds(2)) {
        let pid = state.withLockedValue { state in
            state.terminated = true
            return state.pid
        }
        guard pid > 0, poll() == nil else { return }
        kill(-pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while poll() == nil, ContinuousClock.now < deadline { usleep(10_000) }
        // The shell may be gone while what it started still runs: the group gets SIGKILL whatever the shell did.
        kill(-pid, SIGKILL)
        _ = poll()
    }

    /// Waits until the target accepts TCP connections on `host:port` (its process still running), up to
    /// `timeout`.
    public func waitUntilListening(host: String, port: Int, timeout: Duration) async throws(Failure) {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let exit = poll() {
                throw Failure(
                    description: "the target (\(command)) \(exit) before it accepted connections"
                        + (outputTail().isEmpty ? "" : ": \(outputTail())"))
            }
            if let channel = try? await RawTCP.connect(host: host, port: port, inbox: RawInbox()) {
                try? await channel.close()
                return
            }
            guard ContinuousClock.now < deadline else {
                throw Failure(
                    description:
                        "the target (\(command)) did not accept connections on \(host):\(port) within \(timeout)")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
