import Foundation
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

    /// Runs `wstap` with arguments and optional standard input.
    static func wstap(_ arguments: [String], stdin: Data? = nil) throws -> ProgramResult {
        try PeerProcess.run(wstapPath, arguments, input: stdin)
    }

    /// Runs `wstap` with arguments and optional standard input, waiting off the concurrency pool.
    static func wstap(_ arguments: [String], stdin: Data? = nil) async throws -> ProgramResult {
        try await PeerProcess.run(wstapPath, arguments, input: stdin)
    }
}
