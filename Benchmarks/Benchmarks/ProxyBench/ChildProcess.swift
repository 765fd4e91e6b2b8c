import Foundation
import NIOCore
import NIOPosix

/// A proxy under test running as its own process (optionally pinned to some CPUs with `taskset`).
final class ChildProcess {
    let name: String
    private let process = Process()

    /// Starts `executable` with `arguments`; its output goes to `logPath`.
    init(name: String, executable: String, arguments: [String], cpus: String?, logPath: String) throws {
        self.name = name
        if let cpus {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            process.arguments = ["-c", cpus, executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The process id (taskset runs the program in its own process, so this is the program's).
    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Peak resident memory (VmHWM) in KiB.
    var peakResidentKiB: Int? { Self.statusField("VmHWM", pid: pid) }
    /// Current resident memory (VmRSS) in KiB.
    var residentKiB: Int? { Self.statusField("VmRSS", pid: pid) }

    /// SIGTERM, then SIGKILL if it is still there after 3 s.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<60 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    static func statusField(_ field: String, pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let value = line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)
            return value.split(separator: " ").first.flatMap { Int($0) }
        }
        return nil
    }
}

/// Loopback port helpers.
enum LoopbackPort {
    /// A port that was free a moment ago (bound on 127.0.0.1 and released).
    static func free(group: any EventLoopGroup) async throws -> Int {
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// Waits until something accepts connections on `port`, or throws after `timeout` seconds.
    static func waitUntilListening(port: Int, timeout: Double, group: any EventLoopGroup, process: ChildProcess?)
        async throws
    {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let process, !process.isRunning { throw BenchFailure("\(process.name) exited at start") }
            if let channel = try? await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get() {
                try? await channel.close()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchFailure("nothing listens on port \(port) after \(Int(timeout)) s")
    }
}
