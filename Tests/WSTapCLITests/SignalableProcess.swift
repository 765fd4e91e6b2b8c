import Foundation
import Testing
import WSTapConformance

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with an empty signal mask and default signal handling, so that SIGTERM
/// reaches it. (Foundation's `Process` passes on the signal mask of the thread that spawns it, in which
/// SIGTERM may be blocked.) Its standard output and error go to files that can be read while it runs.
final class SignalableProcess: Sendable {
    let pid: pid_t
    let stderrPath: String
    let stdoutPath: String

    /// The `wstap` arguments, when it is wstap printing JSON events: they are checked against the schema
    /// once it exited (``terminate()``, ``waitForExit()``).
    private let jsonEventArguments: [String]?
    private let standardInput: Int32?
    private let inputClosed = OnceFlag()

    /// Starts `path`; with `keepingStandardInputOpen` its standard input is a pipe that stays open (see
    /// ``writeToStandardInput(_:)``) instead of /dev/null.
    init(_ path: String, _ arguments: [String], keepingStandardInputOpen: Bool = false) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-child-\(UUID().uuidString)")
            .path
        stderrPath = base + ".err"
        stdoutPath = base + ".out"
        var input: Int32? = nil
        var readEnd: Int32? = nil
        if keepingStandardInputOpen {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw LoopbackSocketPair.Failure(description: "pipe() failed: \(errno)") }
            (readEnd, input) = (ends[0], ends[1])
            // Programs started later must not hold this end open: the child would never read end of file.
            _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        }
        standardInput = input
        defer { if let readEnd { close(readEnd) } }
        pid = try ChildProcess.spawn(
            path, arguments, stdin: readEnd, closing: input, stdout: stdoutPath, stderr: stderrPath)
        if path == ToolRunner.wstapPath, ToolRunner.printsJSONEvents(arguments) {
            jsonEventArguments = arguments
        } else if path == "/bin/sh", let script = arguments.last, script.contains(ToolRunner.wstapPath),
            let words = script.components(separatedBy: ToolRunner.wstapPath + "'").last?.split(separator: " "),
            ToolRunner.printsJSONEvents(words.map(String.init))
        {
            jsonEventArguments = words.map(String.init)
        } else {
            jsonEventArguments = nil
        }
    }

    /// Writes to its standard input (when kept open).
    func writeToStandardInput(_ text: String) {
        guard let standardInput, !inputClosed.isSet else { return }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(standardInput, $0.baseAddress, $0.count) }
    }

    /// Ends its standard input (when kept open): it reads end of file.
    func closeStandardInput() {
        guard let standardInput, inputClosed.set() else { return }
        close(standardInput)
    }

    /// Checks what it printed, when it is wstap printing JSON events.
    private func checkJSONEvents() {
        guard let jsonEventArguments else { return }
        ToolRunner.checkJSONEvents(standardOutput, printedBy: jsonEventArguments)
    }

    /// What the process has written to standard error so far.
    var standardError: String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    /// What the process has written to standard output so far.
    var standardOutput: String {
        (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
    }

    /// Waits (up to `seconds`: only a hung program takes that long) for a first complete line of standard
    /// output and returns it.
    func firstLine(within seconds: Double = 60) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            // Read the file once per try: a second read could see a line the first did not.
            let output = standardOutput
            if let newline = output.firstIndex(of: "\n") {
                return String(output[..<newline])
            }
            usleep(20_000)
        }
        return ""
    }

    /// Waits (up to `seconds`: only a hung program takes that long) until its standard output satisfies
    /// `condition`; returns whether it did and the output last read.
    @discardableResult
    func waitForOutput(within seconds: Double = 60, _ condition: (String) -> Bool) -> (met: Bool, output: String) {
        let deadline = Date().addingTimeInterval(seconds)
        var output = standardOutput
        while !condition(output), Date() < deadline {
            usleep(20_000)
            output = standardOutput
        }
        return (condition(output), output)
    }

    /// Waits for it to exit by itself; returns the exit status.
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        checkJSONEvents()
        return (status >> 8) & 0xFF
    }

    /// Waits (up to `seconds`: only a hung program takes that long) for it to exit by itself; returns the
    /// exit status, or nil if it still runs.
    func waitForExit(within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                checkJSONEvents()
                return (status >> 8) & 0xFF
            }
            usleep(20_000)
        }
        return nil
    }

    /// Sends `signal` (SIGINT: Ctrl-C) and waits for it to exit; returns the exit status.
    func interrupt(with signal: Int32 = SIGINT) -> Int32 {
        kill(pid, signal)
        return waitForExit()
    }

    /// Whether it is still running.
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// Sends SIGTERM and waits for it to exit.
    func terminate() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        if waitpid(pid, &status, 0) == pid { checkJSONEvents() }
    }

    deinit {
        closeStandardInput()
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, WNOHANG)
        try? FileManager.default.removeItem(atPath: stderrPath)
        try? FileManager.default.removeItem(atPath: stdoutPath)
    }
}

/// A flag set once, from any thread.
final class OnceFlag: @unchecked Sendable {  // The value is only touched under the lock.
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    /// Sets it; returns whether this call did (false if it was set already).
    func set() -> Bool {
        lock.withLock {
            defer { value = true }
            return !value
        }
    }
}
