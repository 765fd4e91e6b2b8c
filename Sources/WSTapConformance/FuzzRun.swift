import NIOCore
public import NIOSSL
public import WSTapCore
public import WSTapMutation

/// A run of `wstap fuzz` against a server: one case at a time, each on a connection of its own; every finding
/// confirmed by running its case again, minimized, and written as a recording that `wstap replay --check` plays.
public struct FuzzRun: Sendable {
    /// What to fuzz, how long, and where findings go.
    public struct Options: Sendable {
        /// The server under test.
        public var target: WebSocketURL
        /// The TLS context for a `wss://` target.
        public var tls: NIOSSLContext?
        /// The seed of the random source: the same seed sends the same cases.
        public var seedRandom: UInt64 = 1
        /// Stop after this many cases.
        public var maxCases: Int?
        /// Stop after this long.
        public var duration: Duration?
        /// At most this many cases a second.
        public var rate: Double?
        /// The longest wait for the answer to a case.
        public var timeout: Duration = .seconds(5)
        /// An answer to the probe later than this is a finding (none when `nil`).
        public var slowAfter: Duration? = .seconds(2)
        /// Where findings are written (the folder must exist).
        public var folder: String
        /// The number of the first finding written (`finding-N.jsonl`).
        public var firstFindingNumber = 1
        /// Frame sequences to mutate (from a recording), besides those the grammar builds.
        public var seeds: [[FrameSpec]] = []
        /// The mutation kinds to draw from.
        public var kinds: [MutationKind] = MutationKind.allCases
        /// Stop after this many findings.
        public var maxFindings = 10
        /// The most runs spent minimizing one finding.
        public var minimizeAttempts = 150
        /// The wstap version the recordings name.
        public var wstapVersion = ""
        /// Fuzz clients instead: each connection this listener accepts runs a case (as the server; the frames
        /// are a server's). ``target`` then only names the run.
        public var listener: RawWebSocketServer?
        /// How long a client under test has to connect for a case.
        public var connectionWait: Duration = .seconds(30)

        /// Who sends the cases' frames: a client, or a server when fuzzing clients.
        public var sender: EndpointRole { listener == nil ? .client : .server }

        /// Options for a run against `target` that writes findings into `folder`.
        public init(target: WebSocketURL, folder: String) {
            self.target = target
            self.folder = folder
        }
    }

    /// A finding, minimized and written.
    public struct Written: Sendable {
        /// Its number (`finding-N`).
        public var number: Int
        /// What went wrong.
        public var finding: FuzzFinding
        /// The case that found it.
        public var original: FuzzCase
        /// The smallest case that still shows it.
        public var minimized: FuzzCase
        /// Runs spent minimizing it.
        public var attempts: Int
        /// How many cases had run when it was found.
        public var atCase: Int
        /// The recording's path (`DIR/finding-N.jsonl`), or nil when it could not be written.
        public var recording: String?

        /// The one-line summary: "finding-1: crash: ...; 1 frame, 1 payload byte: text "\u{0}" (minimized from 3
        /// frames, 51 bytes, in 12 runs)".
        public var summary: String {
            let frames = minimized.frames.count
            var line =
                "finding-\(number): \(finding.kind.rawValue): \(finding.detail); sent \(frames) frame\(frames == 1 ? "" : "s")"
                + ", \(minimized.payloadSize) payload byte\(minimized.payloadSize == 1 ? "" : "s"): \(minimized.summary)"
            line += " (found at case \(atCase)"
            if attempts > 0 {
                line +=
                    "; minimized from \(original.frames.count) frames, \(original.payloadSize) bytes, in \(attempts) runs"
            }
            line += ")"
            return line
        }
    }

    /// How far a run is.
    public struct Progress: Sendable {
        /// Cases sent so far (not counting those that confirm and minimize findings).
        public var cases: Int
        /// Findings written so far.
        public var findings: Int
        /// How many mutation kinds the cases so far used.
        public var kindsCovered: Int
        /// How many kinds the run draws from.
        public var kindsTotal: Int
        /// Time since the start.
        public var elapsed: Duration
    }

    /// What a run did.
    public struct Report: Sendable {
        /// Cases sent (not counting those that confirmed and minimized findings).
        public var cases = 0
        /// How long it took.
        public var duration: Duration = .zero
        /// The findings written.
        public var findings: [Written] = []
        /// How many cases used each mutation kind.
        public var coverage: [MutationKind: Int] = [:]
        /// Findings that did not happen again when their case ran again (left out).
        public var unconfirmed = 0
        /// Their kinds, with how many of each.
        public var unconfirmedKinds: [FuzzFinding.Kind: Int] = [:]
        /// How many times the target was started again after it died.
        public var restarts = 0
        /// Why the run stopped before its budget, if it did.
        public var stoppedEarly: String?
    }

    /// The run's options.
    public let options: Options
    /// The target's process, when wstap starts it (`--exec`).
    public let process: FuzzTargetProcess?

    /// A run with these options, watching `process` if given (already started).
    public init(options: Options, process: FuzzTargetProcess? = nil) {
        self.options = options
        self.process = process
    }

    /// The prefix of the note a finding's recording carries: `fuzz finding: KIND: DETAIL`.
    public static let notePrefix = "fuzz finding: "

    /// One run of a case: what it showed, and the handshake of its connection (nil when none opened).
    struct Execution {
        var finding: FuzzFinding?
        var outcome: FuzzOutcome?
        var handshake: (request: HTTPRequestHead, response: HTTPResponseHead)?
        var restartFailure: String?
    }

    /// Fuzzes until a budget runs out (or the target cannot be tested any more); `progress` hears after each
    /// case, `found` after each finding is written.
    public func run(
        progress: @escaping @Sendable (Progress) -> Void = { _ in },
        found: @escaping @Sendable (Written) -> Void = { _ in }
    ) async -> Report {
        let started = ContinuousClock.now
        var report = Report()
        var random = FuzzRandom(seed: options.seedRandom)
        let grammar = MessageGrammar(sender: options.sender)
        let mutator = Mutator(grammar: grammar, kinds: options.kinds)
        var seen = Set<String>()
        var lastConnected: (FuzzCase, (request: HTTPRequestHead, response: HTTPResponseHead))?
        var previous: FuzzCase?
        func withinBudget() -> Bool {
            if Task.isCancelled { return false }
            if let maxCases = options.maxCases, report.cases >= maxCases { return false }
            if let duration = options.duration, ContinuousClock.now - started >= duration { return false }
            return true
        }
        fuzzing: while withinBudget() {
            if let rate = options.rate, rate > 0 {
                let due = started + .milliseconds(Int64(Double(report.cases) / rate * 1000))
                if due > ContinuousClock.now { try? await Task.sleep(until: due) }
            }
            let base: FuzzCase
            if !options.seeds.isEmpty, random.chance(3, in: 4) {
                base = FuzzCase(frames: random.pick(options.seeds), sender: options.sender)
            } else {
                base = grammar.generate(using: &random)
            }
            let fuzzCase = mutator.mutate(base, using: &random)
            report.cases += 1
            for kind in Set(fuzzCase.mutations) { report.coverage[kind, default: 0] += 1 }
            defer {
                progress(
                    Progress(
                        cases: report.cases, findings: report.findings.count, kindsCovered: report.coverage.count,
                        kindsTotal: options.kinds.count, elapsed: ContinuousClock.now - started))
            }
            let execution = await execute(fuzzCase)
            if let failure = execution.restartFailure {
                report.stoppedEarly = failure
                break
            }
            guard let finding = execution.finding else {
                if let handshake = execution.handshake { lastConnected = (fuzzCase, handshake) }
                previous = fuzzCase
                continue
            }
            if finding.kind == .targetDown {
                // The case before this one took the target down (or it went down on its own).
                if let (culprit, handshake) = lastConnected {
                    writeTargetDown(culprit, handshake: handshake, finding: finding, &report, found)
                }
                report.stoppedEarly = "the target stopped accepting connections: \(finding.detail)"
                break
            }
            if let handshake = execution.handshake { lastConnected = (fuzzCase, handshake) }
            if finding.kind == .crash { report.restarts += 1 }
            guard !seen.contains(finding.signature) else {
                previous = fuzzCase
                continue
            }
            // Confirm: the same case again, given time to crash. A crash that came late (after the target had
            // answered) may be the previous case's.
            let suspects = [fuzzCase] + (finding.kind == .crash ? [previous].compactMap { $0 } : [])
            previous = fuzzCase
            var culprit: FuzzCase?
            for suspect in suspects {
                let again = await execute(suspect, grace: Self.grace)
                if again.finding?.kind == .crash { report.restarts += 1 }
                if let failure = again.restartFailure {
                    report.stoppedEarly = failure
                    break fuzzing
                }
                if again.finding?.kind == .targetDown, let handshake = execution.handshake {
                    writeTargetDown(suspect, handshake: handshake, finding: again.finding ?? finding, &report, found)
                    report.stoppedEarly = "the target stopped accepting connections after a case"
                    break fuzzing
                }
                if again.finding?.signature == finding.signature {
                    culprit = suspect
                    break
                }
            }
            guard let culprit else {
                report.unconfirmed += 1
                report.unconfirmedKinds[finding.kind, default: 0] += 1
                continue
            }
            seen.insert(finding.signature)
            var down: String?
            let minimizer = Minimizer(maxAttempts: options.minimizeAttempts)
            let (minimized, attempts) = await minimizer.minimize(culprit) { candidate in
                guard down == nil else { return false }
                let run = await execute(candidate, grace: Self.grace)
                if run.finding?.kind == .crash { report.restarts += 1 }
                if let failure = run.restartFailure {
                    down = failure
                } else if run.finding?.kind == .targetDown {
                    down = "the target stopped accepting connections while a finding was minimized"
                }
                return run.finding?.signature == finding.signature
            }
            if let down {
                report.stoppedEarly = down
                await writeFinding(
                    finding, original: culprit, minimized: minimized, attempts: attempts, &report, found)
                break fuzzing
            }
            let failure = await writeFinding(
                finding, original: culprit, minimized: minimized, attempts: attempts, &report, found)
            if let failure {
                report.stoppedEarly = failure
                break
            }
            if report.findings.count >= options.maxFindings {
                report.stoppedEarly = "\(options.maxFindings) findings (--max-findings)"
                break
            }
        }
        if Task.isCancelled { report.stoppedEarly = "interrupted" }
        report.duration = ContinuousClock.now - started
        return report
    }

    /// Runs the minimized case once more, recording it with the finding's note, and reports it; a failure to
    /// start the target again, if any.
    @discardableResult
    private func writeFinding(
        _ finding: FuzzFinding, original: FuzzCase, minimized: FuzzCase, attempts: Int, _ report: inout Report,
        _ found: @Sendable (Written) -> Void
    ) async -> String? {
        let number = options.firstFindingNumber + report.findings.count
        let id = "finding-\(number)"
        let run = await execute(
            minimized, grace: Self.grace, transcript: id,
            note: Self.notePrefix + "\(finding.kind.rawValue): \(finding.detail)")
        if run.finding?.kind == .crash { report.restarts += 1 }
        let written = Written(
            number: number, finding: finding, original: original, minimized: minimized, attempts: attempts,
            atCase: report.cases, recording: run.handshake == nil ? nil : transcriptOptions.path(for: id))
        report.findings.append(written)
        found(written)
        return run.restartFailure
    }

    private func writeTargetDown(
        _ culprit: FuzzCase, handshake: (request: HTTPRequestHead, response: HTTPResponseHead), finding: FuzzFinding,
        _ report: inout Report, _ found: @Sendable (Written) -> Void
    ) {
        let number = options.firstFindingNumber + report.findings.count
        let id = "finding-\(number)"
        let down = FuzzFinding(
            .targetDown, "after this case, the target did not accept connections (\(finding.detail))")
        let wrote = CaseTranscript.write(
            for: id, role: options.sender, handshake: handshake, sent: FuzzExchange.bytes(of: culprit) ?? [],
            note: Self.notePrefix + "\(down.kind.rawValue): \(down.detail)", options: transcriptOptions)
        let written = Written(
            number: number, finding: down, original: culprit, minimized: culprit, attempts: 0,
            atCase: report.cases, recording: wrote ? transcriptOptions.path(for: id) : nil)
        report.findings.append(written)
        found(written)
    }

    private var transcriptOptions: CaseTranscript.Options {
        CaseTranscript.Options(folder: options.folder, wstapVersion: options.wstapVersion)
    }

    /// How long the target's process gets to die after it answered a case, when a case runs again to confirm or
    /// minimize a finding (a server may crash on a message after it answered the ping that came with it).
    static let grace: Duration = .milliseconds(150)

    /// Runs one case on a connection of its own (recorded as `transcript` with `note` when given) and says what
    /// it showed; a target process that died (before the case, during it, or within `grace` after it) is started
    /// again.
    func execute(
        _ fuzzCase: FuzzCase, grace: Duration = .zero, transcript: String? = nil, note: String? = nil
    ) async -> Execution {
        guard let bytes = FuzzExchange.bytes(of: fuzzCase) else { return Execution() }
        // A death that came after the last case answered.
        if let crash = await crashed(wait: .zero) { return crash }
        let peer: RawPeer
        do {
            peer = try await connect()
        } catch {
            if let crash = await crashed(wait: .seconds(1)) { return crash }
            return Execution(finding: FuzzFinding(.targetDown, ConformanceRun.describe(error)))
        }
        let handshake = await peer.handshake
        var recording: CaseTranscript?
        if let transcript {
            recording = await CaseTranscript.start(for: transcript, peer: peer, options: transcriptOptions)
        }
        let outcome = await FuzzExchange.run(bytes, chop: fuzzCase.chop, on: peer, timeout: options.timeout)
        if let note { recording?.note(note) }
        recording?.finish()
        let abnormal: Bool
        switch outcome.ending {
        case .endOfStream, .reset: abnormal = true
        case .timedOut: abnormal = outcome.endsOnFrameBoundary
        case .probeAnswered, .closeFrame: abnormal = false
        }
        if var crash = await crashed(wait: abnormal ? .seconds(1) : grace) {
            crash.outcome = outcome
            crash.handshake = handshake
            return crash
        }
        if grace > .zero, process != nil, options.listener == nil, !abnormal {
            // When it matters who caused a death (confirming, minimizing), one more round trip on a connection of
            // its own: a target still busy with this case's messages (a slow machine) dies before it answers.
            var alive = false
            if let probe = try? await connect(), let bytes = FuzzExchange.bytes(of: FuzzCase(frames: [])) {
                alive =
                    await FuzzExchange.run(bytes, chop: nil, on: probe, timeout: options.timeout).ending
                    == .probeAnswered
            }
            if var crash = await crashed(wait: alive ? .zero : .seconds(1)) {
                crash.outcome = outcome
                crash.handshake = handshake
                return crash
            }
        }
        return Execution(
            finding: FuzzFinding.classify(outcome, slowAfter: options.slowAfter), outcome: outcome,
            handshake: handshake)
    }

    /// When the target's process ended (within `wait`): the crash, after starting it again.
    private func crashed(wait: Duration) async -> Execution? {
        guard let process, let exit = await process.exited(within: wait) else { return nil }
        let output = process.outputTail()
        var execution = Execution(
            finding: FuzzFinding(
                .crash, "the target \(exit)" + (output.isEmpty ? "" : " (output: \(output))"), key: exit))
        do {
            try process.start()
            // A client under test connects on its own.
            if options.listener == nil {
                try await process.waitUntilListening(
                    host: options.target.host, port: options.target.port, timeout: .seconds(60))
            }
        } catch {
            execution.restartFailure = "the target could not be started again: \(error.description)"
        }
        return execution
    }

    private func connect() async throws -> RawPeer {
        if let listener = options.listener {
            // In slices, to notice a client under test that died instead of connecting.
            let deadline = ContinuousClock.now + options.connectionWait
            while ContinuousClock.now < deadline {
                do {
                    if let (peer, _) = try await listener.accept(
                        within: .milliseconds(250), handshakeTimeout: options.timeout)
                    {
                        return peer
                    }
                } catch {
                    // A client whose handshake failed: the next connection runs the case.
                    continue
                }
                if let process, await process.exited(within: .zero) != nil {
                    throw RawPeerError("the client under test exited instead of connecting")
                }
            }
            throw RawPeerError("no client connected within \(options.connectionWait)")
        }
        let target = options.target
        do {
            return try await RawWebSocketClient.connect(
                host: target.host, port: target.port, path: target.resource, hostHeader: target.hostHeader,
                extensions: [], tls: options.tls, timeout: options.timeout
            ).0
        } catch {
            // Once more: a listening backlog that was full, a restart that was slow to bind.
            try await Task.sleep(for: .milliseconds(200))
            return try await RawWebSocketClient.connect(
                host: target.host, port: target.port, path: target.resource, hostHeader: target.hostHeader,
                extensions: [], tls: options.tls, timeout: options.timeout
            ).0
        }
    }
}
