import Foundation
import Testing
import WSTapTestSupport

/// Runs the built `wstap` binary, capturing what it prints.
enum ToolRunner {
    /// The `wstap` binary built beside the test bundle.
    static var wstapPath: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("wstap").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        // swift test on Linux runs the bundle from the build folder; fall back to the default layout.
        return FileManager.default.currentDirectoryPath + "/.build/debug/wstap"
    }

    /// Runs `wstap` with arguments and optional standard input. Whatever it prints as JSON events is
    /// checked against the schema (``checkJSONEvents(_:printedBy:)``).
    static func wstap(
        _ arguments: [String], stdin: Data? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProgramResult {
        let result = try PeerProcess.run(wstapPath, arguments, input: stdin)
        checkJSONEvents(result.text, printedBy: arguments, sourceLocation: sourceLocation)
        return result
    }

    /// Runs `wstap` with arguments and optional standard input, waiting off the concurrency pool. Whatever
    /// it prints as JSON events is checked against the schema.
    static func wstap(
        _ arguments: [String], stdin: Data? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ProgramResult {
        let result = try await PeerProcess.run(wstapPath, arguments, input: stdin)
        checkJSONEvents(result.text, printedBy: arguments, sourceLocation: sourceLocation)
        return result
    }

    /// The port in the first line a proxy or server prints: `listening on 127.0.0.1:PORT ...`, or with
    /// `--jsonl` its `listening` event (`"address":"127.0.0.1:PORT"`).
    static func listeningPort(_ firstLine: String) -> Int? {
        let address: Substring
        if firstLine.hasPrefix("{") {
            guard let match = firstLine.firstMatch(of: /"address":"([^"]*)"/) else { return nil }
            address = match.1
        } else {
            // `listening on 127.0.0.1:PORT ...`, `serving recorded connection 1 on 127.0.0.1:PORT (ws://)`
            address = firstLine.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") } ?? ""
        }
        return Int(address.split(separator: ":").last ?? "")
    }

    /// Starts a wstap subcommand that says first where it listens (``listeningPort(_:)``); returns it and the
    /// port (0 when the first line named none: the caller's `#require` shows the process's output).
    static func start(_ arguments: [String]) throws -> (SignalableProcess, Int) {
        let process = try SignalableProcess(wstapPath, arguments)
        return (process, listeningPort(process.firstLine()) ?? 0)
    }

    /// Whether `wstap` run with these arguments prints JSON events (docs/json-events.md) on standard output:
    /// `--jsonl` of proxy, connect, serve and view, `decode --json`.
    static func printsJSONEvents(_ arguments: [String]) -> Bool {
        guard let command = arguments.first else { return false }
        switch command {
        case "proxy", "connect", "serve", "view": return arguments.contains("--jsonl")
        case "decode": return arguments.contains("--json")
        default: return false
        }
    }

    /// Checks every line of `output` against docs/json-events.schema.json when `arguments` make wstap print
    /// JSON events (every CLI test that makes it print them goes through here).
    static func checkJSONEvents(
        _ output: String, printedBy arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard printsJSONEvents(arguments), !output.isEmpty else { return }
        JSONEventSchema.expectValid(
            output, "wstap \(arguments.prefix(4).joined(separator: " "))", sourceLocation: sourceLocation)
    }
}
