import Foundation

/// A third-party program (curl, openssl, python3 peers) run by a test: started with its standard output
/// on a pipe and its standard error in a file (so neither can fill up and block it), stopped when done.
final class ExternalProgram: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let errorFile: URL

    /// The folder of peer scripts shared with the network tests.
    static let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("WSTapNetworkTests/Peers")

    /// Debian's Python, where python3-websockets is installed.
    static let python = "/usr/bin/python3"

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-peer-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(input) }
        try inputPipe.fileHandleForWriting.close()
    }

    /// A python3 peer script from the shared Peers folder.
    static func peer(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> ExternalProgram
    {
        try ExternalProgram(python, [peers.appendingPathComponent(script).path] + arguments, environment: environment)
    }

    /// The first line it prints (for a server: its port).
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

    /// The port a server peer prints as its first line, or 0.
    func port() -> Int {
        Int(firstLine()) ?? 0
    }

    /// Waits for it to exit; returns its status, standard output and standard error.
    func finish() -> (status: Int32, output: String, errors: String) {
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), errors)
    }

    /// Runs a program to the end.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil
    )
        throws -> (status: Int32, output: String, errors: String)
    {
        try ExternalProgram(executable, arguments, environment: environment, input: input).finish()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: errorFile)
    }
}

/// Runs blocking work (waiting for a child or its output, a blocking socket) on a thread of its own, so it
/// never holds one of the few threads Swift concurrency runs every test's tasks on (other tests' tasks
/// would stall behind it).
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
