import Foundation
import WSTapTestSupport

/// The built `wstap-examples` program, and the peers its examples meet.
enum ExampleProgram {
    /// The `wstap-examples` binary built beside the test bundle.
    static var path: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("wstap-examples").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        // swift test on Linux runs the bundle from the build folder; fall back to the default layout.
        return FileManager.default.currentDirectoryPath + "/.build/debug/wstap-examples"
    }

    /// Runs a client example to its end (waiting off the concurrency pool).
    static func run(_ arguments: [String]) async throws -> ProgramResult {
        try await PeerProcess.run(path, arguments)
    }

    /// Starts a server example; returns it and the port of the URL it prints first ("serving ws://...").
    static func startServer(_ arguments: [String]) async throws -> (PeerProcess, Int) {
        let server = try PeerProcess(path, arguments)
        let line = await server.firstLine()
        let afterHost = line.split(separator: "127.0.0.1:", maxSplits: 1).dropFirst().first ?? ""
        guard let port = Int(afterHost.prefix(while: \.isNumber)) else {
            throw PeerProcess.Failure(description: "the example printed '\(line)', not its URL: \(server.errorsSoFar)")
        }
        return (server, port)
    }

    /// The next `count` lines a running example prints; if it prints fewer within a minute (a hung test,
    /// not a slow machine), it is stopped and the lines it did print are returned.
    static func nextLines(_ count: Int, of process: PeerProcess) async -> [String] {
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            process.stop()
        }
        defer { watchdog.cancel() }
        var lines: [String] = []
        for _ in 0..<count {
            lines.append(await process.firstLine())
        }
        return lines
    }

    /// A peer script in this target's `Peers/` folder.
    static func peer(_ name: String) -> String {
        PeerScripts.script(name, of: "WSTapExamplesTests").path
    }

    /// Runs the python3-websockets client (Peers/websockets_example_client.py) to its end.
    static func pythonClient(_ arguments: [String]) async throws -> ProgramResult {
        try await PeerProcess.run(PeerProcess.python, [peer("websockets_example_client.py")] + arguments)
    }

    /// Starts the python3-websockets echo server that logs frames (Peers/websockets_example_server.py).
    static func startPythonServer() async throws -> (PeerProcess, Int) {
        let server = try PeerProcess(PeerProcess.python, [peer("websockets_example_server.py")])
        return (server, try await server.port())
    }

    /// What a peer server printed after its port (which ``PeerProcess/port()`` read), once it has exited.
    static func log(of server: PeerProcess) async -> String {
        await server.finished().text
    }
}
