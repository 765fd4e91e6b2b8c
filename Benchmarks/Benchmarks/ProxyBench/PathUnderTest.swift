import Foundation
import NIOCore
import NIOPosix

/// One way from the load generator to the echo server.
enum PathKind: String, CaseIterable {
    case direct
    case wstap = "wstap proxy -q"
    /// Another build of wstap (`--wstap-baseline PATH`, say the commit before a change), measured in the
    /// same run: before and after side by side.
    case wstapBaseline = "baseline wstap proxy -q"
    /// The same proxy writing a recording of everything (`--record`, in the log folder; the file is
    /// removed when the path stops).
    case wstapRecording = "wstap proxy -q --record"
    /// Printing every event as JSON (to its log file), lenses off: the reference for the lenses' cost.
    case wstapJSON = "wstap proxy --jsonl --lens none"
    /// The same with the lenses on (auto): messages joined and read, a message event per message read.
    case wstapLenses = "wstap proxy --jsonl (lenses auto)"
    /// `-q` with the lenses off, against `wstap proxy -q` (lenses auto, but nothing printed reads them).
    case wstapQuietNoLenses = "wstap proxy -q --lens none"
    /// `--wstap-baseline`'s build printing JSON, lenses off and on: the JSON paths before and after a change.
    case wstapBaselineJSON = "baseline wstap proxy --jsonl --lens none"
    case wstapBaselineLenses = "baseline wstap proxy --jsonl (lenses auto)"
    case mitmproxy = "mitmdump"
    case relay = "TCP relay"
}

/// A path ready to measure: the port the load generator connects to, and the process in between.
struct PathUnderTest {
    let kind: PathKind
    let port: Int
    let process: ChildProcess?
    /// The recording the path writes, if it records.
    var recording: String?

    /// Starts what stands between the generator and the echo server on `echoPort`.
    static func start(
        _ kind: PathKind, echoPort: Int, tools: Tools, cpus: String?, group: any EventLoopGroup
    ) async throws -> PathUnderTest {
        let upstream = "127.0.0.1:\(echoPort)"
        switch kind {
        case .direct:
            return PathUnderTest(kind: kind, port: echoPort, process: nil)
        case .wstap, .wstapBaseline, .wstapQuietNoLenses:
            guard let executable = kind == .wstapBaseline ? tools.wstapBaseline : tools.wstap else {
                throw BenchFailure("--wstap-baseline not given")
            }
            let port = try await LoopbackPort.free(group: group)
            let process = try ChildProcess(
                name: "wstap", executable: executable,
                arguments: ["proxy", "-q", "--listen", "127.0.0.1:\(port)", "--upstream", "ws://\(upstream)"]
                    + (kind == .wstapQuietNoLenses ? ["--lens", "none"] : []),
                cpus: cpus, logPath: tools.logDirectory + "/wstap-\(port).log")
            return try await ready(kind, port: port, process: process, timeout: 20, group: group)
        case .wstapJSON, .wstapLenses, .wstapBaselineJSON, .wstapBaselineLenses:
            let baseline = kind == .wstapBaselineJSON || kind == .wstapBaselineLenses
            guard let executable = baseline ? tools.wstapBaseline : tools.wstap else {
                throw BenchFailure("--wstap-baseline not given")
            }
            let port = try await LoopbackPort.free(group: group)
            let process = try ChildProcess(
                name: "wstap", executable: executable,
                arguments: ["proxy", "--jsonl", "--listen", "127.0.0.1:\(port)", "--upstream", "ws://\(upstream)"]
                    + (kind == .wstapJSON || kind == .wstapBaselineJSON ? ["--lens", "none"] : []),
                cpus: cpus, logPath: tools.logDirectory + "/wstap-jsonl-\(port).log")
            return try await ready(kind, port: port, process: process, timeout: 20, group: group)
        case .wstapRecording:
            let port = try await LoopbackPort.free(group: group)
            let recording = tools.logDirectory + "/recording-\(port).jsonl"
            let process = try ChildProcess(
                name: "wstap", executable: tools.wstap,
                arguments: [
                    "proxy", "-q", "--listen", "127.0.0.1:\(port)", "--upstream", "ws://\(upstream)", "--record",
                    recording,
                ],
                cpus: cpus, logPath: tools.logDirectory + "/wstap-recording-\(port).log")
            var path = try await ready(kind, port: port, process: process, timeout: 20, group: group)
            path.recording = recording
            return path
        case .mitmproxy:
            guard let mitmdump = tools.mitmdump else { throw BenchFailure("mitmdump not available") }
            let port = try await LoopbackPort.free(group: group)
            let process = try ChildProcess(
                name: "mitmdump", executable: mitmdump,
                arguments: [
                    "-q", "--mode", "reverse:http://\(upstream)", "--listen-host", "127.0.0.1", "-p", "\(port)",
                ],
                cpus: cpus, logPath: tools.logDirectory + "/mitmdump-\(port).log")
            return try await ready(kind, port: port, process: process, timeout: 60, group: group)
        case .relay:
            let port = try await LoopbackPort.free(group: group)
            let process = try ChildProcess(
                name: "relay", executable: tools.benchExecutable,
                arguments: ["relay", "--port", "\(port)", "--upstream-port", "\(echoPort)"],
                cpus: cpus, logPath: tools.logDirectory + "/relay-\(port).log")
            return try await ready(kind, port: port, process: process, timeout: 20, group: group)
        }
    }

    private static func ready(
        _ kind: PathKind, port: Int, process: ChildProcess, timeout: Double, group: any EventLoopGroup
    ) async throws -> PathUnderTest {
        do {
            try await LoopbackPort.waitUntilListening(port: port, timeout: timeout, group: group, process: process)
        } catch {
            process.stop()
            throw error
        }
        return PathUnderTest(kind: kind, port: port, process: process)
    }

    /// Stops the process and removes its recording (and side file).
    func stop() {
        process?.stop()
        if let recording {
            try? FileManager.default.removeItem(atPath: recording)
            try? FileManager.default.removeItem(atPath: recording + ".payloads")
        }
    }

    /// The size of the recording so far (the recording and its side file), if the path records.
    var recordedBytes: Int? {
        guard let recording else { return nil }
        return [recording, recording + ".payloads"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }
}

/// The programs the benchmark runs.
struct Tools {
    /// The `wstap` binary (a release build).
    var wstap: String
    /// Another `wstap` binary to measure beside it (`--wstap-baseline`), if given.
    var wstapBaseline: String?
    /// mitmproxy's `mitmdump`, if it could be installed.
    var mitmdump: String?
    /// Why mitmdump is missing, when it is.
    var mitmdumpMissingReason: String?
    /// This benchmark's own executable (for the relay child).
    var benchExecutable: String
    /// Where the children's output goes.
    var logDirectory: String
}
