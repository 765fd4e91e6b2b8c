import Foundation

/// A third-party peer (python3-websockets, node-ws) run as a child process for a replay test.
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

    /// A python3-websockets server (`echo` or `upper`); returns it and its port.
    static func pythonServer(_ mode: String) throws -> (PeerProcess, Int) {
        let peer = try PeerProcess(python, [scriptsFolder.appendingPathComponent("websockets_server.py").path, mode])
        let line = peer.firstLine()
        guard let port = Int(line) else {
            let (_, _, errors) = peer.finish()
            throw PeerFailure(description: "the python server printed no port: \(line) \(errors)")
        }
        return (peer, port)
    }

    /// Runs the node-ws client script to completion. The wait happens on a thread of its own: blocking
    /// one of the few threads that run Swift tasks could starve the server under test.
    static func nodeClient(url: String, subprotocol: String, messages: String) async throws -> (
        status: Int32, output: String, errors: String
    ) {
        let peer = try PeerProcess(
            "/usr/bin/node",
            [scriptsFolder.appendingPathComponent("ws_replay_client.js").path, url, subprotocol, messages],
            environment: ["NODE_PATH": "/usr/share/nodejs"])
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: peer.finish()) }.start()
        }
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

    /// Kills it (SIGKILL: a signal mask inherited from the test runner cannot hold it back) and waits.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    struct PeerFailure: Error, CustomStringConvertible {
        var description: String
    }
}
