import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import WSTapConformance
import WSTapCore
import WSTapExport
import WSTapMutation
import WSTapNetwork
import WSTapReplay

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `wstap fuzz` does: checks the target and the budget, starts the target's process (`--exec`), runs the
/// fuzzer with a progress line, writes each finding's one-line summary beside its recording, prints the summary.
public enum FuzzCommandRun {
    /// The command's options.
    public struct Options: Sendable {
        /// The server, or (with ``asServer``) the address to listen on for clients.
        public var peer: PeerUnderTest
        /// Fuzz clients: wstap plays the server (with `peer.listen`).
        public var asServer = false
        /// A recording whose client frames are mutated (besides the grammar's).
        public var seed: String?
        /// The random source's seed (a random one, printed, when nil).
        public var seedRandom: UInt64?
        /// Stop after this many cases.
        public var cases: Int?
        /// Stop after this many seconds.
        public var duration: Double?
        /// At most this many cases a second.
        public var rate: Double?
        /// Seconds to wait for an answer.
        public var timeout: Double = 5
        /// An answer slower than this many seconds is a finding (0: never).
        public var slow: Double = 2
        /// The command that starts the target (and starts it again after it died).
        public var exec: String?
        /// Where findings go.
        public var out = "wstap-findings"
        /// Fuzz a target that is not on a loopback address.
        public var yes = false
        /// Stop after this many findings.
        public var maxFindings = 10
        /// Only these mutation kinds (names), or all.
        public var mutations: [String] = []

        /// Options against `peer`.
        public init(peer: PeerUnderTest) {
            self.peer = peer
        }
    }

    /// A usage problem: exit status 2.
    public static let usageStatus = ExitStatus(2)

    /// Runs the command; returns 0 (no finding) or 1 (findings). Usage problems are one line on standard error and
    /// status 2.
    public static func run(_ options: Options) async throws -> Int32 {
        let url: WebSocketURL
        let kinds: [MutationKind]
        var seeds: [[FrameSpec]] = []
        let listen = options.peer.listen
        do {
            guard options.asServer == (listen != nil) else {
                throw CommandFailure("--as-server and --listen HOST:PORT go together")
            }
            url = try options.peer.serverURL(listenOption: "--as-server --listen")
            if listen != nil, options.seed != nil { throw CommandFailure("--seed is for fuzzing servers") }
            guard listen != nil || options.yes || isLoopback(url.host) else {
                throw CommandFailure(
                    "\(url) is not a loopback address: wstap fuzz sends it malformed traffic as fast as it can; "
                        + "add --yes if that is what you want")
            }
            kinds = try mutationKinds(options.mutations)
            guard options.cases.map({ $0 > 0 }) ?? true, options.duration.map({ $0 > 0 }) ?? true,
                options.rate.map({ $0 > 0 }) ?? true, options.timeout > 0, options.slow >= 0, options.maxFindings > 0
            else {
                throw CommandFailure(
                    "--cases, --duration, --rate, --timeout and --max-findings must be above 0, --slow 0 or more")
            }
            if let seed = options.seed { seeds = try seedFrames(seed) }
            do {
                try FileManager.default.createDirectory(atPath: options.out, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure("--out: cannot make the folder '\(options.out)': \(error.localizedDescription)")
            }
        } catch let failure as CommandFailure {
            StandardStreams.error("Error: \(failure.description)\n")
            throw usageStatus
        }
        var tls: NIOSSLContext?
        if url.isSecure {
            do {
                tls = try options.peer.tls.makeContext()
            } catch {
                StandardStreams.error("Error: \(NetworkErrorText.describe(error))\n")
                throw usageStatus
            }
        }
        var listener: RawWebSocketServer?
        var target = url
        if let listen {
            do {
                listener = try await RawWebSocketServer.start(host: listen.host, port: listen.port)
            } catch {
                StandardStreams.error("Error: cannot listen on \(listen): \(NetworkErrorText.describe(error))\n")
                throw usageStatus
            }
            let port = listener?.port ?? listen.port
            target = (try? WebSocketURL("ws://\(listen.bracketedHost):\(port)/")) ?? url
            StandardStreams.output(
                "listening on \(listen.host):\(port): connect the client under test to \(target) again and again\n")
        }
        var process: FuzzTargetProcess?
        if var command = options.exec {
            command = command.replacingOccurrences(of: "{port}", with: "\(target.port)")
            let target = FuzzTargetProcess(command: command, logPath: options.out + "/.target-output.log")
            do {
                try target.start()
                if listener == nil {
                    try await target.waitUntilListening(host: url.host, port: url.port, timeout: .seconds(60))
                }
            } catch {
                await target.stop()
                StandardStreams.error("Error: --exec: \(error.description)\n")
                throw usageStatus
            }
            process = target
        }
        let seedRandom = options.seedRandom ?? UInt64.random(in: 1...99999)
        var fuzz = FuzzRun.Options(target: target, folder: options.out)
        fuzz.listener = listener
        fuzz.tls = tls
        fuzz.seedRandom = seedRandom
        fuzz.maxCases = options.cases
        fuzz.duration = options.duration.map { .milliseconds(Int64($0 * 1000)) }
        if options.cases == nil, options.duration == nil { fuzz.duration = .seconds(60) }
        fuzz.rate = options.rate
        fuzz.timeout = .milliseconds(Int64(options.timeout * 1000))
        fuzz.slowAfter = options.slow > 0 ? .milliseconds(Int64(options.slow * 1000)) : nil
        fuzz.seeds = seeds
        fuzz.kinds = kinds
        fuzz.maxFindings = options.maxFindings
        fuzz.firstFindingNumber = nextFindingNumber(in: options.out)
        fuzz.wstapVersion = WSTapVersion.string
        let run = FuzzRun(options: fuzz, process: process)
        if process == nil, listener == nil {
            // One connection first: "cannot be reached" is a usage error, not a finding.
            let probe = ConformanceRun(target: url, engine: CaseEngine.Options(timeout: fuzz.timeout), tls: tls)
            do {
                try await probe.probe()
            } catch {
                StandardStreams.error("Error: \(error.description)\n")
                throw usageStatus
            }
        }
        let budget = [
            options.cases.map { "\($0) cases" }, fuzz.duration.map { "\($0.components.seconds) s" },
            options.rate.map { "at most \($0) cases/s" },
        ].compactMap { $0 }.joined(separator: ", ")
        StandardStreams.output(
            "fuzzing \(listener == nil ? "\(url)" : "clients at \(target)") (seed \(seedRandom); \(budget); \(kinds.count) mutation kinds; findings into \(options.out)/)\n"
        )
        let interactive = isatty(STDERR_FILENO) == 1
        let lastDrawn = NIOLockedValueBox(ContinuousClock.now - .seconds(1))
        let running = Task {
            await run.run(
                progress: { progress in
                    guard interactive else { return }
                    let now = ContinuousClock.now
                    guard
                        lastDrawn.withLockedValue({ last in
                            guard now - last >= .milliseconds(200) else { return false }
                            last = now
                            return true
                        })
                    else { return }
                    StandardStreams.error("\r" + progressLine(progress) + "\u{1B}[K")
                },
                found: { written in
                    if interactive { StandardStreams.error("\r\u{1B}[K") }
                    let line = written.summary
                    try? (line + "\n").write(
                        toFile: options.out + "/finding-\(written.number).txt", atomically: true, encoding: .utf8)
                    StandardStreams.output(line + "\n")
                    if let recording = written.recording {
                        if let listen {
                            StandardStreams.output(
                                "  reproduce: wstap replay \(recording) --serve \(listen.host):PORT --check, then connect the client\n"
                            )
                        } else {
                            StandardStreams.output("  reproduce: wstap replay \(recording) --to \(url) --check\n")
                        }
                    }
                })
        }
        // Ctrl-C: the target runs in a process group of its own (the terminal's signal does not reach it), so it is
        // stopped here before anything else; then the run ends after its current case and the summary is printed.
        let started = process
        let signals = TerminationSignals { _ in
            // Cancelled first: the run must take the target's death for the interruption, not for a crash.
            running.cancel()
            started?.terminate()
        }
        let report = await running.value
        if interactive { StandardStreams.error("\r\u{1B}[K") }
        await process?.stop()
        signals.cancel()
        await listener?.stop()
        StandardStreams.output(summary(report, url: target, kinds: kinds))
        if let signal = signals.signalReceived { return 128 + signal }
        return report.findings.isEmpty ? 0 : 1
    }

    /// "1234 cases  98.2/s  findings 1  kinds 20/20  12.6 s".
    static func progressLine(_ progress: FuzzRun.Progress) -> String {
        let seconds =
            Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(progress.cases) / seconds : 0
        return "\(progress.cases) cases  \(String(format: "%.1f", rate))/s  findings \(progress.findings)  "
            + "kinds \(progress.kindsCovered)/\(progress.kindsTotal)  \(String(format: "%.1f", seconds)) s"
    }

    /// The summary printed at the end.
    static func summary(_ report: FuzzRun.Report, url: WebSocketURL, kinds: [MutationKind]) -> String {
        let seconds = Double(report.duration.components.seconds) + Double(report.duration.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(report.cases) / seconds : 0
        var lines = [
            "\(url): \(report.cases) cases in \(String(format: "%.1f", seconds)) s (\(String(format: "%.1f", rate)) cases/s), "
                + "\(report.findings.count) finding\(report.findings.count == 1 ? "" : "s")"
                + (report.restarts > 0 ? ", target started again \(report.restarts) times" : "")
                + (report.unconfirmed > 0
                    ? ", \(report.unconfirmed) not confirmed when run again ("
                        + report.unconfirmedKinds.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
                        .joined(separator: ", ") + ")" : "")
        ]
        let covered = kinds.map { "\($0.rawValue) \(report.coverage[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("mutation kinds \(report.coverage.count)/\(kinds.count): \(covered)")
        if let stopped = report.stoppedEarly { lines.append("stopped early: \(stopped)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.") || bare.hasSuffix(".localhost")
    }

    static func mutationKinds(_ names: [String]) throws(CommandFailure) -> [MutationKind] {
        let wanted = names.flatMap { $0.split(separator: ",").map { String($0) } }
        guard !wanted.isEmpty else { return MutationKind.allCases }
        return try wanted.map { (name: String) throws(CommandFailure) -> MutationKind in
            guard let kind = MutationKind(rawValue: name) else {
                throw CommandFailure(
                    "--mutations: no kind '\(name)' (kinds: \(MutationKind.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            return kind
        }
    }

    /// The client frames of every connection of a recording, as specs to mutate.
    static func seedFrames(_ path: String) throws -> [[FrameSpec]] {
        let reader = try RecordingInput.open(path)
        let transcripts = ConnectionTranscript.group(recorded: try RecordingInput.events(in: reader))
        var seeds: [[FrameSpec]] = []
        for transcript in transcripts where transcript.opened != nil {
            guard let script = try? ReplayScript(transcript) else { continue }
            let frames = script.clientSends.compactMap(\.frame).map { frame in
                FrameSpec(
                    fin: frame.header.fin, reservedBits: frame.header.reservedBits, opcode: frame.header.opcode,
                    mask: frame.header.maskingKey.map { .key($0) } ?? .none,
                    lengthEncoding: frame.header.hasNonMinimalLength ? frame.header.lengthEncoding : nil,
                    payload: Array(frame.payload.readableBytesView))
            }
            if !frames.isEmpty { seeds.append(frames) }
        }
        guard !seeds.isEmpty else { throw CommandFailure("--seed \(path): no client frames in the recording") }
        return seeds
    }

    /// One more than the highest `finding-N` in `folder` (1 when there is none).
    static func nextFindingNumber(in folder: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let numbers = names.compactMap { name -> Int? in
            guard name.hasPrefix("finding-"), name.hasSuffix(".jsonl") else { return nil }
            return Int(name.dropFirst("finding-".count).dropLast(".jsonl".count))
        }
        return (numbers.max() ?? 0) + 1
    }
}
