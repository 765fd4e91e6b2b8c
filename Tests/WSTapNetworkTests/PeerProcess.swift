import Foundation

/// A third-party peer (python3-websockets, node-ws...) run as a child process for an interop test.
final class PeerProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()

    /// The folder of peer scripts beside this file.
    static let scriptsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Peers")

    /// Debian's Python, where python3-websockets is installed (not a pyenv or venv one on PATH).
    static let python = "/usr/bin/python3"

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    /// The first line the peer prints (for a server: its port).
    func firstLine() -> String {
        var bytes: [UInt8] = []
        let handle = output.fileHandleForReading
        while true {
            let chunk = handle.readData(ofLength: 1)
            if chunk.isEmpty || chunk.first == UInt8(ascii: "\n") { break }
            bytes += chunk
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Waits for the peer to exit; returns its status, standard output and standard error.
    func finish() -> (status: Int32, output: String, errors: String) {
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// ``finish()`` on a thread of its own: a test waiting for a peer that talks to our endpoints must not
    /// hold one of the few threads of the concurrency pool that our endpoints' handlers run on.
    func finished() async -> (status: Int32, output: String, errors: String) {
        await Self.offThePool { self.finish() }
    }

    /// Runs blocking work on a thread of its own and waits for it without blocking a pool thread.
    static func offThePool<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
