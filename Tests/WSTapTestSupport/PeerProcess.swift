public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program a test runs: a third-party peer (python3-websockets, node-ws, openssl, curl, tshark) or the
/// built `wstap`. Its standard output comes through a pipe, its standard error goes to a file (so neither
/// can fill up and block it), its standard input gets `input` and is then closed. Output is read with
/// ``DescriptorReader`` (interrupted reads are retried). Killed with SIGKILL (a signal mask inherited from
/// the test runner cannot hold that back) if still running when released.
public final class PeerProcess: @unchecked Sendable {
    /// The running program (its id, whether it runs, its exit status).
    public let process = Process()
    private let output = Pipe()
    private let errorFile: URL

    /// A program failed to start as a test needs it to.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with what the program printed on standard error.
        public var description: String

        /// A failure with this explanation.
        public init(description: String) {
            self.description = description
        }
    }

    /// Debian's Python, where python3-websockets is installed (not a pyenv or venv one on PATH).
    public static let python = "/usr/bin/python3"
    /// The Python of the test venv (`.venv-test/` in the repository) that `scripts/test.sh` makes, with the
    /// PyPI peers of `scripts/test-peers-requirements.txt` (python-socketio, aiohttp, ...).
    public static let venvPython = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".venv-test/bin/python").path
    /// Debian's Node.js; node-ws loads through ``nodeEnvironment``.
    public static let node = "/usr/bin/node"
    /// Where Debian installs node-ws.
    public static let nodeEnvironment = ["NODE_PATH": "/usr/share/nodejs"]

    /// Starts `executable` with `arguments`, its environment the test runner's with `environment` on top.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil)
        throws
    {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-peer-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardError = errorHandle
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        try Self.launch(process)
        try errorHandle.close()
        let writer = inputPipe.fileHandleForWriting
        guard let input, !input.isEmpty else {
            try writer.close()
            return
        }
        // On a thread of its own: a program that prints before it has read all of its input must not wait
        // for us to read while we wait for it to read. SIGPIPE is blocked on that thread, so a program that
        // exits without reading everything makes the write fail (EPIPE) instead of killing the test runner.
        Thread {
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            Self.writeAll(input, to: writer.fileDescriptor)
            try? writer.close()
        }.start()
    }

    /// Starts `process`, one launch at a time in this test process: Foundation's `Process.run()` crashed
    /// (a bad pointer in its launch code) when several tests started programs at the same moment.
    public static func launch(_ process: Process) throws {
        launchLock.lock()
        defer { launchLock.unlock() }
        try process.run()
    }

    private static let launchLock = NSLock()

    /// A python3 script (see ``PeerScripts``).
    public static func python(_ script: URL, _ arguments: [String] = [], environment: [String: String] = [:]) throws
        -> PeerProcess
    {
        try PeerProcess(python, [script.path] + arguments, environment: environment)
    }

    /// A Node.js script that uses node-ws (see ``PeerScripts``).
    public static func node(_ script: URL, _ arguments: [String] = []) throws -> PeerProcess {
        try PeerProcess(node, [script.path] + arguments, environment: nodeEnvironment)
    }

    /// Runs a program to the end.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil
    ) throws -> ProgramResult {
        try PeerProcess(executable, arguments, environment: environment, input: input).finish()
    }

    /// The first line it prints (for a server: its port), without the newline; empty if it printed none.
    public func firstLine() -> String {
        String(decoding: (try? DescriptorReader.readLine(output.fileHandleForReading)) ?? [], as: UTF8.self)
    }

    /// ``firstLine()`` read on a thread of its own: an async test waiting for a peer to start must not hold
    /// one of the few threads of the concurrency pool (the endpoints under test and every other test run on them).
    public func firstLine() async -> String {
        await offThePool { self.firstLine() }
    }

    /// ``port()`` read on a thread of its own (see ``firstLine()``).
    public func port() async throws -> Int {
        try await offThePool { try self.port() }
    }

    /// The port a server prints as its first line.
    public func port() throws -> Int {
        let line = firstLine()
        guard let port = Int(line) else {
            throw Failure(
                description: "\(process.executableURL?.lastPathComponent ?? "the peer") printed no port but '\(line)'; "
                    + "its standard error: \(errorsSoFar)")
        }
        return port
    }

    /// What it has written to standard error so far.
    public var errorsSoFar: String {
        (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    }

    /// ``run(_:_:environment:input:)`` waiting on a thread of its own (see ``finished()``).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil
    ) async throws -> ProgramResult {
        let process = try PeerProcess(executable, arguments, environment: environment, input: input)
        return await process.finished()
    }

    /// Reads the rest of its standard output, waits for it to exit, and returns what it left behind.
    public func finish() -> ProgramResult {
        var stdout = Data()
        var readFailure = ""
        do {
            stdout = try DescriptorReader.readToEnd(output.fileHandleForReading)
        } catch {
            readFailure = "\n(test: \(error))"
        }
        process.waitUntilExit()
        return ProgramResult(status: process.terminationStatus, stdout: stdout, stderr: errorsSoFar + readFailure)
    }

    /// ``finish()`` on a thread of its own: a test waiting for a peer that talks to our endpoints must not
    /// hold one of the few threads of the concurrency pool that our endpoints' handlers run on.
    public func finished() async -> ProgramResult {
        await offThePool { self.finish() }
    }

    /// Kills it and waits.
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The full path of a program on PATH (or in /usr/sbin, /sbin), if any.
    public static func which(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in paths + ["/usr/sbin", "/sbin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Writes all of `data` to a pipe, retrying interrupted and short writes; stops if the reader has gone.
    private static func writeAll(_ data: Data, to descriptor: Int32) {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var done = 0
            while done < raw.count {
                let written = write(descriptor, base + done, raw.count - done)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                done += written
            }
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: errorFile)
    }
}

extension PeerProcess {
    /// A TCP server on 127.0.0.1 that answers the first bytes of every connection with a plain HTTP 400 and closes:
    /// a server that does not speak TLS, for a TLS client to fail against. Its port is ``port()``.
    public static func plainHTTPRefuser() throws -> PeerProcess {
        let script = """
            import socket
            server = socket.socket()
            server.bind(("127.0.0.1", 0))
            server.listen(16)
            print(server.getsockname()[1], flush=True)
            while True:
                client, _ = server.accept()
                client.recv(65536)
                client.sendall(b"HTTP/1.1 400 Bad Request\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n")
                client.close()
            """
        return try PeerProcess(python, ["-c", script])
    }
}
