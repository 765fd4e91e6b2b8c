import Foundation
import Testing
import WSTapTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `wstap fuzz` against servers the tests start: a deliberately broken one (python3-websockets that exits on a
/// text message holding a NUL) that it must find, minimize and write a reproducer for, which `wstap replay
/// --check` plays (exit 1 against the broken server, 0 against the fixed one); and healthy peers (python3-websockets,
/// node-ws) that must give no finding. Budgets in cases with a fixed seed, so every run sends the same cases.
@Suite(.serialized) struct FuzzCommandTests {
    static func wstap(_ arguments: [String]) async throws -> (status: Int32, text: String, stderr: String) {
        let process = try SignalableProcess(ToolRunner.wstapPath, arguments)
        let status = await offThePool { process.waitForExit() }
        return (status, process.standardOutput, process.standardError)
    }

    static let brokenServer = PeerScripts.script("fuzz_broken_server.py", of: "WSTapCLITests")

    /// A folder of its own for a test's findings.
    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wstap-fuzz-\(UUID())").path
    }

    /// A port nothing listens on now (the system's pick for a socket bound and closed again), for `--exec`.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw PeerProcess.Failure(description: "cannot bind a socket: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits generous enough for a loaded machine (only a hung target comes near them); no slow-answer findings.
    static let waits = ["--timeout", "30", "--slow", "0"]

    @Test func findsMinimizesAndReplaysThePlantedCrash() async throws {
        let out = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let port = try Self.freePort()
        let url = "ws://127.0.0.1:\(port)/"
        let command = "\(PeerProcess.python) \(Self.brokenServer.path) \(port)"
        let fuzz = try await Self.wstap(
            [
                "fuzz", url, "--exec", command, "--cases", "300", "--seed-random", "1", "--out", out, "--max-findings",
                "1",
            ]
                + Self.waits)
        #expect(fuzz.status == 1, "\(fuzz.text) \(fuzz.stderr)")
        let summary = try String(contentsOfFile: out + "/finding-1.txt", encoding: .utf8)
        #expect(summary.hasPrefix("finding-1: crash: the target exited with status 3"), "\(summary)")
        #expect(summary.contains("planted bug"), "the target's last line of output: \(summary)")
        // Minimized to the smallest case that still crashes it: one text frame holding only the NUL.
        #expect(summary.contains("sent 1 frame, 1 payload byte: text \"\\u{0}\""), "\(summary)")
        #expect(fuzz.text.contains(summary.trimmingCharacters(in: .newlines)), "\(fuzz.text)")
        #expect(fuzz.text.contains("reproduce: wstap replay \(out)/finding-1.jsonl --to \(url) --check"))
        #expect(
            fuzz.text.contains(": 300 cases in ") || fuzz.text.contains("stopped early: 1 findings"), "\(fuzz.text)")

        // The reproducer: the broken server crashes again (exit 1), the fixed one does not (exit 0).
        let broken = try PeerProcess.python(Self.brokenServer, ["0"])
        defer { broken.stop() }
        let brokenPort = try await broken.port()
        let again = try await Self.wstap([
            "replay", out + "/finding-1.jsonl", "--to", "ws://127.0.0.1:\(brokenPort)/", "--check", "--timeout", "30",
        ])
        #expect(again.status == 1, "\(again.text) \(again.stderr)")
        #expect(again.text.contains("check: reproduced: "), "\(again.text)")
        let fixed = try PeerProcess.python(Self.brokenServer, ["0", "--fixed"])
        defer { fixed.stop() }
        let fixedPort = try await fixed.port()
        let healthy = try await Self.wstap([
            "replay", out + "/finding-1.jsonl", "--to", "ws://127.0.0.1:\(fixedPort)/", "--check", "--timeout", "30",
        ])
        #expect(healthy.status == 0, "\(healthy.text) \(healthy.stderr)")
        #expect(healthy.text.contains("check: not reproduced: "), "\(healthy.text)")

        // The finding as a --seed: its client frames (the NUL text) come back, with only harmless small writes
        // on top, so the crash is found again at once.
        let seeded = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: seeded) }
        let seedPort = try Self.freePort()
        let again2 = try await Self.wstap(
            [
                "fuzz", "ws://127.0.0.1:\(seedPort)/", "--exec",
                "\(PeerProcess.python) \(Self.brokenServer.path) \(seedPort)", "--seed", out + "/finding-1.jsonl",
                "--mutations", "small-writes", "--cases", "20", "--seed-random", "2", "--out", seeded, "--max-findings",
                "1",
            ] + Self.waits)
        #expect(again2.status == 1, "\(again2.text) \(again2.stderr)")
        #expect(again2.text.contains("finding-1: crash: "), "\(again2.text)")
    }

    /// The same seed, the fixed server: no finding in the same budget.
    @Test func theFixedServerGivesNoFinding() async throws {
        let out = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let port = try Self.freePort()
        let fuzz = try await Self.wstap(
            [
                "fuzz", "ws://127.0.0.1:\(port)/", "--exec",
                "\(PeerProcess.python) \(Self.brokenServer.path) \(port) --fixed", "--cases", "300", "--seed-random",
                "1",
                "--out", out,
            ] + Self.waits)
        #expect(fuzz.status == 0, "\(fuzz.text) \(fuzz.stderr)")
        #expect(fuzz.text.contains(": 300 cases in "), "\(fuzz.text)")
        #expect(fuzz.text.contains(", 0 findings"), "\(fuzz.text)")
        #expect(fuzz.text.contains("mutation kinds 20/20"), "every kind drawn: \(fuzz.text)")
        #expect(!FileManager.default.fileExists(atPath: out + "/finding-1.jsonl"))
    }

    /// Ctrl-C on `wstap fuzz` stops the whole process group of the `--exec` target (a group of its own, which the
    /// terminal's signal does not reach), not only wstap; the summary still comes, and the status is 130.
    @Test func interruptStopsTheTargetsProcessGroup() async throws {
        let out = Self.folder()
        let pidFile = out + ".pid"
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: pidFile)
        }
        let port = try Self.freePort()
        // The server is the shell's child, the group's second process: its pid goes into a file.
        let command = "\(PeerProcess.python) \(Self.brokenServer.path) \(port) --fixed & echo $! > \(pidFile); wait"
        let fuzz = try SignalableProcess(
            ToolRunner.wstapPath,
            ["fuzz", "ws://127.0.0.1:\(port)/", "--exec", command, "--duration", "600", "--out", out] + Self.waits)
        // "fuzzing ..." comes once the target accepts connections.
        let started = await offThePool { fuzz.waitForOutput { $0.contains("fuzzing ws://") } }
        try #require(started.met, "\(started.output) \(fuzz.standardError)")
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try #require(pid_t(text), "the pid file holds '\(text)'")
        #expect(Self.isRunning(server))
        let status = await offThePool { fuzz.interrupt() }
        #expect(status == 130, "\(fuzz.standardOutput) \(fuzz.standardError)")
        #expect(fuzz.standardOutput.contains("stopped early: interrupted"), "\(fuzz.standardOutput)")
        #expect(await waitUntil { !Self.isRunning(server) }, "the target's server (pid \(server)) still runs")
    }

    /// Whether a process runs (a zombie that nobody reaped yet does not).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? false)
    }

    @Test func healthyPeersGiveNoFinding() async throws {
        let python = try PeerProcess.python(
            PeerScripts.script("conformance_websockets_server.py", of: "WSTapCLITests"))
        defer { python.stop() }
        let node = try PeerProcess.node(PeerScripts.script("conformance_ws_server.js", of: "WSTapCLITests"))
        defer { node.stop() }
        for port in [try await python.port(), try await node.port()] {
            let out = Self.folder()
            defer { try? FileManager.default.removeItem(atPath: out) }
            let fuzz = try await Self.wstap(
                ["fuzz", "ws://127.0.0.1:\(port)/", "--cases", "200", "--seed-random", "5", "--out", out] + Self.waits)
            #expect(fuzz.status == 0, "\(fuzz.text) \(fuzz.stderr)")
            #expect(fuzz.text.contains(": 200 cases in ") && fuzz.text.contains(", 0 findings"), "\(fuzz.text)")
        }
    }

    static let brokenClient = PeerScripts.script("fuzz_broken_client.py", of: "WSTapCLITests")

    /// `--as-server`: the broken client (python3-websockets, exits on a text message holding a NUL), started and
    /// started again by `--exec`, found and minimized; its reproducer played by `wstap replay --serve --check` to
    /// the broken client (exit 1) and to the fixed one (exit 0).
    @Test func fuzzesAClientAndReplaysTheFindingToIt() async throws {
        let out = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let fuzz = try await Self.wstap(
            [
                "fuzz", "--as-server", "--listen", "127.0.0.1:0", "--exec",
                "\(PeerProcess.python) \(Self.brokenClient.path) ws://127.0.0.1:{port}/", "--cases", "300",
                "--seed-random", "1", "--out", out, "--max-findings", "1",
            ] + Self.waits)
        #expect(fuzz.status == 1, "\(fuzz.text) \(fuzz.stderr)")
        #expect(fuzz.text.hasPrefix("listening on 127.0.0.1:"), "\(fuzz.text)")
        let summary = try String(contentsOfFile: out + "/finding-1.txt", encoding: .utf8)
        #expect(summary.hasPrefix("finding-1: crash: the target exited with status 3"), "\(summary)")
        #expect(summary.contains("sent 1 frame, 1 payload byte: text \"\\u{0}\""), "\(summary)")

        for (arguments, expected) in [([String](), Int32(1)), (["--fixed"], Int32(0))] {
            let replay = try SignalableProcess(
                ToolRunner.wstapPath, ["replay", out + "/finding-1.jsonl", "--serve", "127.0.0.1:0", "--check"])
            defer { replay.terminate() }
            let (listening, output) = await offThePool { replay.waitForOutput { $0.contains("listening on") } }
            let port = try #require(
                output.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) }, "\(listening) \(output)"
            )
            let client = try PeerProcess.python(Self.brokenClient, ["ws://127.0.0.1:\(port)/"] + arguments)
            defer { client.stop() }
            let status = await offThePool { replay.waitForExit() }
            #expect(status == expected, "\(arguments): \(replay.standardOutput) \(replay.standardError)")
            #expect(
                replay.standardOutput.contains(expected == 1 ? "check: reproduced: " : "check: not reproduced: "),
                "\(replay.standardOutput)")
        }
    }

    /// The fixed client: no finding in 200 cases.
    @Test func theFixedClientGivesNoFinding() async throws {
        let out = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let fuzz = try await Self.wstap(
            [
                "fuzz", "--as-server", "--listen", "127.0.0.1:0", "--exec",
                "\(PeerProcess.python) \(Self.brokenClient.path) ws://127.0.0.1:{port}/ --fixed", "--cases", "200",
                "--seed-random", "1", "--out", out,
            ] + Self.waits)
        #expect(fuzz.status == 0, "\(fuzz.text) \(fuzz.stderr)")
        #expect(fuzz.text.contains(": 200 cases in ") && fuzz.text.contains(", 0 findings"), "\(fuzz.text)")
    }

    @Test func asksBeforeFuzzingATargetThatIsNotLoopback() async throws {
        let result = try await Self.wstap(["fuzz", "ws://192.0.2.1:9/", "--cases", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: ws://192.0.2.1:9/ is not a loopback address"), "\(result.stderr)")
        #expect(result.stderr.contains("--yes"))
        let unknown = try await Self.wstap(["fuzz", "ws://127.0.0.1:9/", "--mutations", "rsv,nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no kind 'nope'"), "\(unknown.stderr)")
    }
}
